"""Loading frameworks and area maps: what a user sees when a file is wrong."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from competency.errors import FrameworkError
from competency.framework.model import Framework, load_framework
from tests.conftest import DATA, LIBRARIANS, framework_doc, write_framework


def refusal(path: Path) -> FrameworkError:
    with pytest.raises(FrameworkError) as caught:
        load_framework(path)
    return caught.value


def write_doc(tmp_path: Path, doc: object) -> Path:
    path = tmp_path / "fw.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_bundled_framework_is_the_published_file_byte_for_byte() -> None:
    import hashlib

    published, name = (DATA / "librarians-25-4022.00.sha256").read_text().split()
    assert name == LIBRARIANS.name
    assert hashlib.sha256(LIBRARIANS.read_bytes()).hexdigest() == published


def test_librarians_resolve_to_four_levels_forty_statements_seven_areas(
    librarians: Framework,
) -> None:
    assert [lvl.key for lvl in librarians.levels] == [
        "emerging",
        "developing",
        "proficient",
        "advanced",
    ]
    assert [lvl.rank for lvl in librarians.levels] == [1, 2, 3, 4]
    assert len(librarians.statements) == 40
    assert len(librarians.areas) == 7
    first = librarians.statement_by_id["emerging.1"]
    assert first.topic == "Circulation procedures"
    assert first.description.startswith("execute check-in and check-out")
    assert first.area == "collection-management"
    assert librarians.attribution == "\u00a9 EBSCOed"


def test_every_librarian_statement_sits_in_exactly_one_area(librarians: Framework) -> None:
    mapped = [sid for area in librarians.areas for sid in area.statement_ids]
    assert sorted(mapped) == sorted(s.id for s in librarians.statements)


def test_each_librarian_area_starts_at_emerging_and_reaches_advanced(
    librarians: Framework,
) -> None:
    for area in librarians.areas:
        levels = {librarians.statement_by_id[sid].level for sid in area.statement_ids}
        assert {"emerging", "advanced"} <= levels, area.id


def test_area_statements_are_in_walk_order(librarians: Framework) -> None:
    ranks = [
        librarians.level_by_key[s.level].rank
        for s in librarians.statements_in("program-administration")
    ]
    assert ranks == sorted(ranks)


def test_any_number_of_levels_and_any_keys(tmp_path: Path) -> None:
    levels = {f"band-{n}": [f"Skill {n} — do thing {n}"] for n in range(1, 7)}
    fw = load_framework(write_framework(tmp_path, levels))
    assert [lvl.key for lvl in fw.levels] == list(levels)
    assert fw.levels[-1].rank == 6
    assert fw.statement_by_id["band-6.1"].topic == "Skill 6"


def test_single_level_framework_loads(tmp_path: Path) -> None:
    fw = load_framework(write_framework(tmp_path, {"only": ["One thing"]}))
    assert [lvl.label for lvl in fw.levels] == ["Only"]


def test_statement_without_dash_is_all_topic(tmp_path: Path) -> None:
    fw = load_framework(write_framework(tmp_path, {"a": ["Plain statement - hyphen only"]}))
    statement = fw.statement_by_id["a.1"]
    assert statement.topic == "Plain statement - hyphen only"
    assert statement.description == ""


def test_without_area_map_everything_is_one_area_all(tmp_path: Path) -> None:
    fw = load_framework(write_framework(tmp_path, {"a": ["x", "y"], "b": ["z"]}))
    assert [(a.id, a.title) for a in fw.areas] == [("all", "All statements")]
    assert fw.areas[0].statement_ids == ("a.1", "a.2", "b.1")
    assert not fw.has_area_map


def test_unknown_extra_keys_are_ignored(tmp_path: Path) -> None:
    doc = framework_doc({"a": ["x"]}, newField={"anything": 1})
    doc["framework"]["levels"]["a"]["colour"] = "blue"
    assert load_framework(write_doc(tmp_path, doc)).statements[0].text == "x"


@pytest.mark.parametrize(
    ("mutate", "location", "words"),
    [
        (lambda d: d["framework"].pop("levels"), "framework.levels", "missing"),
        (lambda d: d["framework"].update(levels={}), "framework.levels", "at least 1"),
        (
            lambda d: d["framework"]["levels"]["b"].update(statements=[]),
            "framework.levels.b.statements",
            "at least 1",
        ),
        (
            lambda d: d["framework"]["levels"]["a"]["statements"].append(""),
            "framework.levels.a.statements.2",
            "at least 1 character",
        ),
        (
            lambda d: d["framework"]["levels"]["a"]["statements"].append("   "),
            "framework.levels.a.statements.2",
            "pattern",
        ),
        (
            lambda d: d["framework"]["levels"]["a"]["statements"].append(7),
            "framework.levels.a.statements.2",
            "valid string",
        ),
        (lambda d: d.update(schemaVersion="2.0"), "schemaVersion", "1.x"),
        (lambda d: d.update(schemaVersion=1), "schemaVersion", "valid string"),
        (lambda d: d["occupation"].pop("soc"), "occupation.soc", "missing"),
        (
            lambda d: d["framework"]["levels"].update({" ": {"label": "x", "statements": ["y"]}}),
            "framework.levels",
            "level key",
        ),
    ],
)
def test_malformed_frameworks_are_refused_naming_the_place(
    tmp_path: Path, mutate: object, location: str, words: str
) -> None:
    doc = framework_doc({"a": ["x", "y"], "b": ["z"]})
    mutate(doc)  # type: ignore[operator]
    path = write_doc(tmp_path, doc)
    error = refusal(path)
    assert error.source == str(path)
    assert error.location == location
    assert words in error.message
    assert "\n" not in error.line


def test_invalid_json_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "fw.json"
    path.write_text('{"schemaVersion": "1.0", ', encoding="utf-8")
    error = refusal(path)
    assert "not valid JSON" in error.message
    assert "\n" not in error.line


def test_missing_file_is_one_line(tmp_path: Path) -> None:
    assert refusal(tmp_path / "nope.json").message == "no such file"


def test_fingerprint_ignores_formatting_but_not_content(tmp_path: Path) -> None:
    doc = json.loads(LIBRARIANS.read_text(encoding="utf-8"))
    pretty = tmp_path / "pretty.json"
    pretty.write_text(json.dumps(dict(reversed(doc.items())), indent=4), encoding="utf-8")
    original = load_framework(LIBRARIANS).fingerprint
    assert load_framework(pretty).fingerprint == original
    doc["framework"]["levels"]["advanced"]["statements"][0] += "!"
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(doc), encoding="utf-8")
    assert load_framework(changed).fingerprint != original


AREAS_OK = """
[[areas]]
id = "one"
title = "One"
statements = ["a.1", "b.1"]

[[areas]]
id = "two"
title = "Two"
statements = ["a.2"]
"""


def test_area_map_beside_the_framework_is_used(tmp_path: Path) -> None:
    fw = load_framework(write_framework(tmp_path, {"a": ["x", "y"], "b": ["z"]}, AREAS_OK))
    assert [a.id for a in fw.areas] == ["one", "two"]
    assert fw.statement_by_id["b.1"].area == "one"


@pytest.mark.parametrize(
    ("areas", "location", "words"),
    [
        (AREAS_OK.replace('"a.2"', '"a.9"'), "areas.1.statements.0", "unknown statement 'a.9'"),
        (
            AREAS_OK.replace('"a.2"', '"a.1"'),
            "areas.1.statements.0",
            "'a.1' is already in area 'one'",
        ),
        (AREAS_OK.replace('id = "two"', 'id = "one"'), "areas.1", "used twice"),
        (AREAS_OK.replace(', "b.1"', ""), "", "'b.1' is in no area"),
        (AREAS_OK.replace('id = "two"', 'id = "Two Words"'), "areas.1.id", "pattern"),
        (AREAS_OK.replace('id = "two"', 'id = "overall"'), "areas.1.id", "reserved"),
        (
            AREAS_OK.replace('title = "Two"', 'title = "Two"\ncolour = "red"'),
            "areas.1.colour",
            "not a known field",
        ),
        ("areas = [", "", "not valid TOML"),
    ],
)
def test_bad_area_maps_are_refused_naming_the_place(
    tmp_path: Path, areas: str, location: str, words: str
) -> None:
    path = write_framework(tmp_path, {"a": ["x", "y"], "b": ["z"]}, areas)
    error = refusal(path)
    assert error.source == str(tmp_path / "fw.areas.toml")
    assert error.location == location
    assert words in error.message


def test_explicit_area_map_overrides_the_one_beside(tmp_path: Path) -> None:
    path = write_framework(tmp_path, {"a": ["x", "y"], "b": ["z"]}, "broken = [")
    other = tmp_path / "other.toml"
    other.write_text(AREAS_OK, encoding="utf-8")
    assert len(load_framework(path, other).areas) == 2
