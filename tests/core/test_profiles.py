"""A Cataloguer is asked only about a cataloguer's work: role profiles (SPEC 9).

The file beside the framework names the areas and statements of each role; an assessment
names its profile; statements outside it are not asked, not counted, and scored as ``na``.
The scorer (and the batch table) is held against an independent walk of SPEC 4's rule over
the ratings with every out-of-role statement replaced by ``na``.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from competency.assessment import check_against, targets_of
from competency.cli import main
from competency.errors import AssessmentError, FrameworkError
from competency.framework.companions import companion_path
from competency.framework.model import Framework, load_framework
from competency.framework.profiles import Profile, profile_of
from competency.ratings import NA
from competency.scoring import NOT_ASSESSED, NOT_IN_ROLE, LevelTable, score
from competency.session import begin_new
from competency.storage import parse_assessment
from tests.conftest import assessment_doc, write_framework
from tests.core.test_framework import AREAS_OK

AREAS = AREAS_OK + '\n[[areas]]\nid = "three"\ntitle = "Three"\nstatements = ["b.2"]\n'
"""Areas one (a.1, b.1), two (a.2) and three (b.2)."""

PROFILES = """
[[profiles]]
id = "first"
title = "First role"
areas = ["one"]
statements = ["b.2"]
targets = { one = "b" }

[[profiles]]
id = "second"
title = "Second role"
areas = ["two"]
"""


def framework_with(tmp_path: Path, profiles: str | None = PROFILES) -> Path:
    path = write_framework(tmp_path, {"a": ["w", "x"], "b": ["y", "z"]}, AREAS)
    if profiles is not None:
        companion_path(path, "profiles").write_text(profiles, encoding="utf-8")
    return path


def refusal(path: Path, **kwargs: Any) -> FrameworkError:
    with pytest.raises(FrameworkError) as caught:
        load_framework(path, **kwargs)
    return caught.value


def test_the_profiles_beside_the_framework_are_read(tmp_path: Path) -> None:
    fw = load_framework(framework_with(tmp_path))
    assert fw.profiles_path == str(tmp_path / "fw.profiles.toml")
    first = fw.profile_by_id["first"]
    assert first.title == "First role"
    assert first.statement_ids == {"a.1", "b.1", "b.2"}
    assert dict(first.targets) == {"one": "b"}
    assert fw.profile_by_id["second"].statement_ids == {"a.2"}
    assert [p.id for p in fw.profiles] == ["first", "second"]


def test_a_framework_without_profiles_has_none(tmp_path: Path) -> None:
    fw = load_framework(framework_with(tmp_path, None))
    assert fw.profiles == () and fw.profiles_path is None
    assert fw.profile(None) is None


def test_profiles_given_on_the_command_line_win_over_the_ones_beside(tmp_path: Path) -> None:
    path = framework_with(tmp_path, "broken = [")
    other = tmp_path / "other.toml"
    other.write_text(PROFILES.replace('"second"', '"third"'), encoding="utf-8")
    assert [p.id for p in load_framework(path, profiles=other).profiles] == ["first", "third"]


@pytest.mark.parametrize(
    ("text", "location", "words"),
    [
        (PROFILES.replace('["one"]', '["nine"]'), "profiles.0.areas.0", "unknown area 'nine'"),
        (PROFILES.replace('"b.2"', '"b.9"'), "profiles.0.statements.0", "unknown statement"),
        (PROFILES.replace('one = "b"', 'one = "z"'), "profiles.0.targets.one", "unknown level"),
        (PROFILES.replace('one = "b"', 'nine = "b"'), "profiles.0.targets.nine", "unknown area"),
        (
            PROFILES.replace('one = "b"', 'two = "b"'),
            "profiles.0.targets.two",
            "no statement in this role",
        ),
        (PROFILES.replace('one = "b"', "one = 2"), "profiles.0.targets.one", "level key"),
        (PROFILES.replace('"second"', '"first"'), "profiles.1", "'first' is used twice"),
        (PROFILES.replace('"second"', '"Second Role"'), "profiles.1.id", "not a slug"),
        (PROFILES.replace('id = "second"', "id = 2"), "profiles.1.id", "should be"),
        (PROFILES.replace('title = "Second role"\n', ""), "profiles.1.title", "missing"),
        (PROFILES.replace('["two"]', '"two"'), "profiles.1.areas", "list of ids"),
        (PROFILES.replace('["two"]', "[2]"), "profiles.1.areas.0", "should be an id"),
        (PROFILES.replace('["two"]', '["two", "two"]'), "profiles.1.areas.1", "named twice"),
        (PROFILES.replace('areas = ["two"]', "areas = []"), "profiles.1", "at least one"),
        (PROFILES + 'colour = "red"\n', "profiles.1.colour", "not a known field"),
        ('profile = "x"\n', "profile", "not a known field"),
        ("", "profiles", "required but missing"),
        ("profiles = []\n", "profiles", "at least one"),
        ("profiles = 3\n", "profiles", "list of tables"),
        ("profiles = [", "", "not valid TOML"),
    ],
)
def test_bad_profiles_are_refused_naming_the_file_and_the_place(
    tmp_path: Path, text: str, location: str, words: str
) -> None:
    error = refusal(framework_with(tmp_path, text))
    assert error.source == str(tmp_path / "fw.profiles.toml")
    assert error.location == location
    assert words in error.message
    assert "\n" not in error.line


def test_the_bundled_librarian_roles_come_from_onet_and_fit_the_schema(
    librarians: Framework,
) -> None:
    from jsonschema import Draft202012Validator

    from competency.schemas import schema

    path = companion_path(Path(str(librarians.source_path)), "profiles")
    assert librarians.profiles_path == str(path)
    text = path.read_text(encoding="utf-8")
    assert "CC BY 4.0" in text and "competency project's own mapping" in text
    titles = [p.title for p in librarians.profiles]
    for onet_title in (
        "Catalog Librarian",
        "Reference and Instruction Librarian",
        "Technical Services Librarian",
        "Library Media Specialist",
        "Instructional Technology Specialist",
    ):
        assert onet_title in titles
    assert all(p.targets for p in librarians.profiles)
    catalog = librarians.profile_by_id["catalog-librarian"]
    assert "program-administration" not in {
        librarians.statement_by_id[sid].area for sid in catalog.statement_ids
    }
    doc = tomllib.loads(text)
    assert list(Draft202012Validator(schema("profiles")).iter_errors(doc)) == []
    doc["profiles"][0]["colour"] = "red"
    doc["profiles"][1]["id"] = "Not A Slug"
    assert len(list(Draft202012Validator(schema("profiles")).iter_errors(doc))) == 2


# -- what a profile changes -----------------------------------------------------------------


@pytest.fixture
def fw(tmp_path: Path) -> Framework:
    return load_framework(framework_with(tmp_path))


def test_out_of_role_statements_score_as_na_even_when_rated(fw: Framework) -> None:
    first = fw.profile_by_id["first"]
    # a.2 (area two) is outside the role: its 0 would hold overall back at level a.
    ratings: dict[str, int | str] = {"a.1": 4, "b.1": 3, "b.2": 3, "a.2": 0}
    assert score(fw, ratings).overall.level == "Below A"
    result = score(fw, ratings, profile=first)
    assert result.overall.level == "B"
    assert (result.overall.answered, result.overall.total) == (3, 3)
    two = result.area("two")
    assert (two.level, two.rank, two.in_role) == (NOT_IN_ROLE, None, False)
    assert result.area("one").in_role and result.area("one").level == "B"


def test_not_in_this_role_is_told_apart_from_not_assessed(fw: Framework) -> None:
    result = score(fw, {}, profile=fw.profile_by_id["first"])
    assert result.area("one").level == NOT_ASSESSED
    assert result.area("two").level == NOT_IN_ROLE
    assert result.completion == 0.0


def test_completion_counts_only_the_role(fw: Framework) -> None:
    result = score(fw, {"a.1": 3, "a.2": 3}, profile=fw.profile_by_id["first"])
    assert (result.overall.answered, result.overall.total) == (1, 3)
    assert result.area("one").completion == 0.5


def test_an_assessment_names_its_profile_and_an_unknown_one_is_refused(fw: Framework) -> None:
    doc = assessment_doc(fw, {"a.1": 3}, profile="first")
    assessment = parse_assessment(json.dumps(doc).encode(), "ada.json")
    check_against(assessment, fw, "ada.json")
    assert assessment.to_json_dict()["profile"] == "first"
    doc["profile"] = "third"
    with pytest.raises(AssessmentError) as caught:
        check_against(parse_assessment(json.dumps(doc).encode(), "ada.json"), fw, "ada.json")
    assert caught.value.line == (
        "ada.json: profile: unknown profile 'third'; the profiles are: first, second"
    )


def test_an_assessment_without_a_profile_writes_none(fw: Framework) -> None:
    doc = assessment_doc(fw, {"a.1": 3})
    assert "profile" not in parse_assessment(json.dumps(doc).encode(), "a.json").to_json_dict()


def test_the_profiles_targets_apply_unless_the_assessment_names_the_area(fw: Framework) -> None:
    doc = assessment_doc(fw, {}, profile="first")
    assessment = parse_assessment(json.dumps(doc).encode(), "a.json")
    assert targets_of(assessment, fw) == {"one": "b"}
    assessment.targets["one"] = "a"
    assessment.targets["three"] = "b"
    assert targets_of(assessment, fw) == {"one": "a", "three": "b"}


def test_a_session_in_a_role_asks_only_the_role(tmp_path: Path, fw: Framework) -> None:
    session = begin_new(fw, tmp_path / "people", "Ada", profile="first")
    try:
        assert session.walk == ("a.1", "b.1", "b.2")
        assert session.targets() == {"one": "b"}
        session.rate("a.1", 3)
        assert session.assessment.profile == "first"
        with pytest.raises(ValueError, match="unknown statement"):
            session.rate("a.2", 3)
    finally:
        session.store.release()


def test_a_session_in_an_unknown_role_is_refused(tmp_path: Path, fw: Framework) -> None:
    with pytest.raises(AssessmentError, match="unknown profile 'nope'"):
        begin_new(fw, tmp_path / "people", "Ada", profile="nope")


# -- the property: a profile is the rule walked with out-of-role statements as n/a ------------


def spec_walk(framework: Framework, ids: list[str], ratings: dict[str, Any], t: float) -> Any:
    """SPEC 4 written out again, level by level: (label, rank)."""
    reached = None
    any_number = any(isinstance(ratings.get(sid), int) for sid in ids)
    for level in framework.levels:
        here = [sid for sid in ids if framework.statement_by_id[sid].level == level.key]
        values = [ratings.get(sid) for sid in here]
        if not here or all(v == NA for v in values):
            continue
        numbers = [v for v in values if isinstance(v, int)]
        if not numbers or sum(numbers) / len(numbers) < t:
            break
        reached = level
    if reached is not None:
        return reached.label, reached.rank
    if any_number:
        return f"Below {framework.levels[0].label}", 0
    return NOT_ASSESSED, None


@st.composite
def role_and_ratings(draw: st.DrawFn, framework: Framework) -> tuple[Profile, dict[str, Any]]:
    areas = draw(st.lists(st.sampled_from([a.id for a in framework.areas]), unique=True))
    ids = [s.id for s in framework.statements]
    extra = draw(st.lists(st.sampled_from(ids), unique=True, min_size=0 if areas else 1))
    profile = profile_of(framework, "role", areas=tuple(areas), statements=tuple(extra))
    values = draw(
        st.lists(
            st.one_of(st.none(), st.sampled_from([0, 1, 2, 3, 4, NA])),
            min_size=len(ids),
            max_size=len(ids),
        )
    )
    return profile, {sid: v for sid, v in zip(ids, values, strict=True) if v is not None}


@settings(max_examples=300, deadline=None)
@given(data=st.data(), threshold=st.sampled_from([1.5, 2.5, 3.0, 3.5]))
def test_a_profile_scores_as_the_rule_with_out_of_role_statements_as_na(
    librarians: Framework, data: st.DataObject, threshold: float
) -> None:
    profile, ratings = data.draw(role_and_ratings(librarians))
    held = profile.statement_ids
    as_na = {s.id: ratings.get(s.id) if s.id in held else NA for s in librarians.statements}
    result = score(librarians, ratings, threshold, profile)
    table = LevelTable(librarians, profile).outcomes(ratings, threshold)
    for got, fast, area in zip(result.areas, table, librarians.areas, strict=False):
        held = [sid for sid in area.statement_ids if sid in profile.statement_ids]
        if not held:
            want: tuple[str, int | None] = (NOT_IN_ROLE, None)
        else:
            want = spec_walk(librarians, list(area.statement_ids), as_na, threshold)
        answered = sum(1 for sid in held if sid in ratings)
        completion = answered / len(held) if held else 0.0
        assert (got.level, got.rank) == want
        assert (got.answered, got.total) == (answered, len(held))
        assert fast == (*want, completion)
    every = [s.id for s in librarians.statements]
    want = spec_walk(librarians, every, as_na, threshold)
    assert (result.overall.level, result.overall.rank) == want
    assert table[-1][:2] == want


# -- validate ------------------------------------------------------------------------------


def test_validate_checks_a_profiles_file_and_the_framework_with_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = framework_with(tmp_path)
    profiles = companion_path(path, "profiles")
    assert main(["validate", str(path), str(profiles)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith("3 areas, 2 role profiles")
    assert "2 role profiles of framework" in out[1] and "first (3)" in out[1]
    profiles.write_text(PROFILES.replace('"b.2"', '"b.9"'), encoding="utf-8")
    assert main(["validate", str(tmp_path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert f"invalid  {profiles}: profiles.0.statements.0: unknown statement 'b.9'" in out
    lone = tmp_path / "lone.profiles.toml"
    lone.write_text(PROFILES, encoding="utf-8")
    assert main(["validate", str(lone)]) == 1
    assert "no framework lone.json beside it" in capsys.readouterr().out


def test_validate_names_an_assessment_in_an_unknown_profile(
    tmp_path: Path, fw: Framework, capsys: pytest.CaptureFixture[str]
) -> None:
    ada = tmp_path / "ada.json"
    ada.write_text(json.dumps(assessment_doc(fw, {"a.1": 3, "a.2": 1}, profile="first")))
    bob = tmp_path / "bob.json"
    bob.write_text(json.dumps(assessment_doc(fw, {}, profile="boss")))
    framework = str(tmp_path / "fw.json")
    assert main(["validate", str(ada), str(bob), "--framework", framework]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith("1/3 answered in profile 'first', in_progress")
    assert out[1] == f"invalid  {bob}: profile: unknown profile 'boss'; the profiles are: " + (
        "first, second"
    )


# -- score and summary say which profile ------------------------------------------------------


def test_score_names_the_profile_and_scores_only_the_role(
    tmp_path: Path, librarians: Framework, capsys: pytest.CaptureFixture[str]
) -> None:
    import csv
    import io

    from competency.batch import ScoreOptions, Scorer
    from competency.framework.bundled import FrameworkResolver

    # A cataloguer whose programme administration ratings (outside the role) are low.
    ratings = {s.id: 3 for s in librarians.statements}
    ratings.update(
        {sid: 0 for sid in librarians.area_by_id["program-administration"].statement_ids}
    )
    doc = assessment_doc(librarians, ratings, profile="catalog-librarian", status="submitted")
    (tmp_path / "cat.json").write_text(json.dumps(doc))
    (tmp_path / "all.json").write_text(json.dumps(assessment_doc(librarians, ratings)))
    assert main(["score", str(tmp_path), "--format", "jsonl", "--jobs", "1"]) == 0
    every, cat = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert "profile" not in every and cat["profile"] == "catalog-librarian"
    assert every["overall"]["level"] == "Below Emerging"
    assert cat["overall"] == {"level": "Advanced", "rank": 4}
    assert cat["areas"]["program-administration"] == {
        "title": "Program Administration",
        "level": NOT_IN_ROLE,
        "rank": None,
        "completion": 0.0,
    }
    scorer = Scorer(FrameworkResolver(), ScoreOptions())
    line, _ = scorer.line(str(tmp_path / "cat.json"))
    assert (
        line == json.dumps(scorer.record(str(tmp_path / "cat.json")), ensure_ascii=False).encode()
    )

    from competency.outputs.scores import OUT_OF_ROLE_CELL, _rank_cell

    assert _rank_cell(cat["areas"]["program-administration"]) == OUT_OF_ROLE_CELL
    assert _rank_cell({"title": "A", "level": "Not assessed", "rank": None, "completion": 0}) == "-"

    assert main(["score", str(tmp_path), "--format", "csv", "--jobs", "1"]) == 0
    header, *rows = csv.reader(io.StringIO(capsys.readouterr().out))
    assert header[-1] == "profile"
    assert [row[-1] for row in rows] == ["", "catalog-librarian"]


def test_summary_counts_by_profile_beside_by_unit_and_leaves_out_areas_outside_a_role(
    tmp_path: Path, librarians: Framework, capsys: pytest.CaptureFixture[str]
) -> None:
    team = tmp_path / "team"
    team.mkdir()
    threes = {s.id: 3 for s in librarians.statements}
    people = [
        ("Cat One", "catalog-librarian"),
        ("Cat Two", "catalog-librarian"),
        ("Ref One", "reference-librarian"),
        ("All One", None),
    ]
    for i, (name, profile) in enumerate(people):
        doc = assessment_doc(librarians, threes, status="submitted", profile=profile)
        doc["subject"] = {"name": name, "id": f"E{i}", "unit": "Main"}
        (team / f"{i}.json").write_text(json.dumps(doc))
    assert main(["summary", str(team), "--format", "json", "--jobs", "1"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert list(summary["profiles"]) == ["catalog-librarian", "reference-librarian"]
    admin = {a["id"]: a for a in summary["areas"]}["program-administration"]
    # Only the person assessed in the whole framework is counted in programme administration.
    assert admin["people"] == 1 and admin["not_in_role"] == 3
    assert admin["median"] == "Advanced"
    cat_admin = {a["id"]: a for a in summary["profiles"]["catalog-librarian"]}
    assert cat_admin["program-administration"]["people"] == 0
    assert cat_admin["program-administration"]["median"] == NOT_IN_ROLE
    assert cat_admin["cataloging-organization"]["people"] == 2
    assert "not_in_role" not in {a["id"]: a for a in summary["units"]["Main"]}["overall"]

    from jsonschema import Draft202012Validator

    from competency.schemas import schema

    assert list(Draft202012Validator(schema("summary")).iter_errors(summary)) == []
    for fmt, words in (
        ("md", "## Role profile: Catalog Librarian (catalog-librarian)"),
        ("table", "Role profile: Catalog Librarian (2)"),
        ("csv", "profile,catalog-librarian,program-administration"),
        ("html", "<h2>By role profile</h2>"),
    ):
        assert main(["summary", str(team), "--format", fmt, "--jobs", "1"]) == 0
        out = capsys.readouterr().out
        assert words in out, fmt
        assert "Not in this role (counted in no column" in out or fmt == "csv", fmt

    from competency.outputs.team import heatmap_data
    from competency.summary import TeamSummary

    people_data = heatmap_data(_summary_of(team, TeamSummary), [("#fff", "#000")] * 5)
    assert people_data["out"] == NOT_IN_ROLE
    cat_row = next(p for p in people_data["people"] if p[0] == "Cat One")
    # Overall first, then the areas: programme administration is the sixth area.
    assert cat_row[5][6] == -1 and cat_row[5][3] == 4


def test_status_counts_only_the_statements_of_the_role(
    tmp_path: Path, librarians: Framework, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = assessment_doc(librarians, {"emerging.3": 3, "emerging.1": 2}, profile="media-technician")
    (tmp_path / "tech.json").write_text(json.dumps(doc))
    assert main(["status", str(tmp_path), "--format", "json"]) == 0
    (record,) = json.loads(capsys.readouterr().out)["records"]
    # emerging.3 (cataloguing) is outside the media technician's role: not counted.
    assert record["completion"] == round(1 / 8, 4)


def _summary_of(folder: Path, kind: Any) -> Any:
    from competency.batch import ScoreOptions, Scorer
    from competency.framework.bundled import FrameworkResolver

    summary = kind()
    scorer = Scorer(FrameworkResolver(), ScoreOptions(targets=True))
    for path in sorted(folder.glob("*.json")):
        record = scorer.record(str(path))
        if summary.framework is None:
            summary.start(scorer.frameworks.for_id("25-4022.00", str(path)))
        summary.add(record)
    return summary
