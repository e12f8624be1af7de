"""Fuzzing every loader and `score`: the only exceptions that may escape are our own.

Arbitrary bytes, arbitrary JSON, and near-valid files with one field mutated go through
the framework, area-map and assessment loaders and through `score_file`. Whatever comes
in, the answer is a value or a `CompetencyError` with one printable line.
`HYPOTHESIS_PROFILE=slow` runs many more examples (see tests/hardening/conftest.py).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from competency.assessment import check_against
from competency.batch import score_file
from competency.errors import CompetencyError
from competency.framework.bundled import FrameworkResolver
from competency.framework.model import Framework, load_area_map, parse_framework, resolve_framework
from competency.scoring import score
from competency.storage import parse_assessment
from tests.conftest import LIBRARIANS, assessment_doc

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)
ANY_VALUE = JSON | st.sampled_from(["na", "", "\x1b[2J", "<script>", 3, 4, -1, 2.5, True])

FILE_SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def only_our_errors(call: Any, *args: Any) -> Any:
    try:
        return call(*args)
    except CompetencyError as exc:
        line = exc.line
        assert "\n" not in line and line.isprintable(), line
        return None


@FILE_SETTINGS
@given(data=st.binary(max_size=2000))
def test_arbitrary_bytes(data: bytes) -> None:
    only_our_errors(parse_assessment, data, "x.json")
    only_our_errors(parse_framework, data, "x.json")


@FILE_SETTINGS
@given(doc=JSON)
def test_arbitrary_json(doc: Any, librarians: Framework) -> None:
    data = json.dumps(doc).encode()
    assessment = only_our_errors(parse_assessment, data, "x.json")
    if assessment is not None:
        only_our_errors(check_against, assessment, librarians, "x.json")
    only_our_errors(parse_framework, data, "x.json")


def paths(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a JSON document (dict keys and list positions)."""
    found = [prefix]
    if isinstance(doc, dict):
        for key, value in doc.items():
            found += paths(value, (*prefix, key))
    elif isinstance(doc, list):
        for i, value in enumerate(doc):
            found += paths(value, (*prefix, i))
    return found


def mutate(doc: Any, path: tuple[Any, ...], action: str, value: Any) -> Any:
    """A copy of ``doc`` with the node at ``path`` replaced, deleted, or given a new key."""
    doc = copy.deepcopy(doc)
    if not path:
        return value
    parent = doc
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if action == "delete":
        del parent[last]
    elif action == "add" and isinstance(parent[last], dict):
        parent[last][str(value)[:20]] = value
    else:
        parent[last] = value
    return doc


@st.composite
def near_valid(draw: st.DrawFn, base: Any) -> Any:
    path = draw(st.sampled_from(paths(base)))
    action = draw(st.sampled_from(["replace", "delete", "add"])) if path else "replace"
    return mutate(base, path, action, draw(ANY_VALUE))


@pytest.fixture(scope="module")
def base_assessment(librarians: Framework) -> dict[str, Any]:
    doc = assessment_doc(
        librarians,
        {"emerging.1": 3, "emerging.2": "na", "advanced.1": 4},
        notes={"emerging.1": "desk"},
        targets={"user-education": "advanced"},
        status="submitted",
    )
    doc["review"] = {"reviewer": {"name": "G"}, "ratings": {"emerging.1": 2}, "comment": "ok"}
    return doc


@FILE_SETTINGS
@given(data=st.data())
def test_near_valid_assessments(
    data: st.DataObject, librarians: Framework, base_assessment: dict[str, Any]
) -> None:
    doc = data.draw(near_valid(base_assessment))
    assessment = only_our_errors(parse_assessment, json.dumps(doc).encode(), "x.json")
    if (
        assessment is not None
        and only_our_errors(check_against, assessment, librarians, "x.json") is None
    ):
        result = score(librarians, assessment.ratings)
        assert 0.0 <= result.completion <= 1.0


FRAMEWORK_DOC = json.loads(LIBRARIANS.read_text(encoding="utf-8"))


@FILE_SETTINGS
@given(data=st.data())
def test_near_valid_frameworks(data: st.DataObject) -> None:
    doc = data.draw(near_valid(FRAMEWORK_DOC))
    raw = only_our_errors(parse_framework, json.dumps(doc).encode(), "fw.json")
    if raw is not None:
        fw = resolve_framework(raw, None)
        assert len(fw.statements) == sum(
            len(lvl.statements) for lvl in raw.framework.levels.values()
        )


AREA_VALUES = st.one_of(
    st.text(max_size=12),
    st.integers(),
    st.booleans(),
    st.lists(st.text(max_size=12), max_size=3),
    st.sampled_from(["emerging.1", "advanced.10", "nope.1", "Bad Id", "ok-id"]),
)


@FILE_SETTINGS
@given(
    areas=st.lists(
        st.dictionaries(
            st.sampled_from(["id", "title", "description", "statements", "extra"]),
            AREA_VALUES,
            max_size=5,
        ),
        max_size=4,
    )
)
def test_arbitrary_area_maps(areas: list[dict[str, Any]], tmp_path: Path) -> None:
    lines = []
    for area in areas:
        lines.append("[[areas]]")
        lines += [f"{key} = {json.dumps(value)}" for key, value in area.items()]
    path = tmp_path / "fw.areas.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    area_map = only_our_errors(load_area_map, path)
    if area_map is not None:
        raw = parse_framework(LIBRARIANS.read_bytes(), str(LIBRARIANS))
        only_our_errors(resolve_framework, raw, area_map)


@FILE_SETTINGS
@given(data=st.binary(max_size=500) | JSON.map(lambda d: json.dumps(d).encode()))
def test_score_file_never_raises(data: bytes, tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(data)
    record = score_file(str(path), FrameworkResolver())
    assert record["file"] == str(path)
    if not record["ok"]:
        assert record["error"].isprintable()


def test_deeply_nested_json_is_refused_quickly() -> None:
    for data in (
        b"[" * 100_000 + b"]" * 100_000,
        b'{"ratings":' + b'{"a":' * 100_000 + b"1" + b"}" * 100_001,
    ):
        with pytest.raises(CompetencyError, match="not valid JSON"):
            parse_assessment(data, "deep.json")
        with pytest.raises(CompetencyError, match="not valid JSON"):
            parse_framework(data, "deep.json")


def test_huge_strings_and_numbers_are_handled(librarians: Framework) -> None:
    doc = assessment_doc(librarians, {"emerging.1": 3})
    doc["subject"]["name"] = "a" * 5_000_000
    assert parse_assessment(json.dumps(doc).encode(), "x.json").subject.name[:3] == "aaa"
    huge = json.dumps(doc).replace('"emerging.1": 3', '"emerging.1": ' + "9" * 100_000)
    with pytest.raises(CompetencyError):
        parse_assessment(huge.encode(), "x.json")


def test_escape_sequences_in_an_id_are_shown_not_obeyed(librarians: Framework) -> None:
    doc = assessment_doc(librarians, {"\x1b]0;pwned\x07\x1b[2J": 3})
    assessment = parse_assessment(json.dumps(doc).encode(), "x.json")
    with pytest.raises(CompetencyError) as caught:
        check_against(assessment, librarians, "x.json")
    assert "\x1b" not in caught.value.line
    assert "\\x1b]0;pwned\\x07\\x1b[2J" in caught.value.line


@FILE_SETTINGS
@given(data=st.data())
def test_every_report_format_takes_any_valid_assessment(
    data: st.DataObject, librarians: Framework, base_assessment: dict[str, Any]
) -> None:
    """Whatever passes the loader, every report format renders it, and nothing else fails."""
    import io

    from competency.outputs import formats
    from competency.outputs.report import write_report

    doc = data.draw(near_valid(base_assessment))
    raw = json.dumps(doc).encode()
    assessment = only_our_errors(parse_assessment, raw, "x.json")
    if assessment is None:
        return
    try:
        check_against(assessment, librarians, "x.json")
    except CompetencyError:
        return
    event("rendered")
    for fmt in formats("report"):
        out = io.BytesIO()
        write_report(fmt, assessment, librarians, out, source_bytes=raw)
        assert out.getvalue()
