"""The JSON Schemas: generated from the models, checked in, and true of every file we have.

A schema that accepted a file the tool refuses (or refused one it reads) would mislead
whoever builds on it, so the same broken files go to both. What a schema cannot say (a
statement id existing in the framework) its description names instead.
"""

from __future__ import annotations

import copy
import functools
import json
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from pydantic import ValidationError

from competency.assessment import check_against
from competency.cli import main
from competency.cli.schema import NAMES as CLI_NAMES
from competency.errors import CompetencyError
from competency.framework.model import Framework, load_framework
from competency.framework.raw import RawAreaMap, parse_framework
from competency.schemas import NAMES, schema, schema_text
from competency.storage import parse_assessment
from tests.conftest import EXAMPLES, LIBRARIANS, REPO, assessment_doc, framework_doc
from tests.external.ft_framework import convert

SCHEMAS = REPO / "schemas"
GOLDEN = REPO / "tests" / "reports" / "golden"
REPORTS = sorted(p for p in GOLDEN.glob("*.json") if not p.name.startswith("maya-progress"))
"""The golden reports (maya-progress is a comparison)."""
COMPARISON = GOLDEN / "maya-progress.json"


@functools.cache
def validator(name: str) -> Draft202012Validator:
    # Formats asserted, as a careful reader would: date-times are checked then.
    return Draft202012Validator(schema(name), format_checker=Draft202012Validator.FORMAT_CHECKER)


def errors(name: str, doc: Any) -> list[str]:
    return [e.message for e in validator(name).iter_errors(doc)]


@pytest.mark.parametrize("name", NAMES)
def test_the_checked_in_schema_is_what_the_models_make(name: str) -> None:
    path = SCHEMAS / f"{name}.schema.json"
    assert path.read_text(encoding="utf-8") == schema_text(name), (
        f"{path} is stale: run `competency schema {name} --output {path}`"
    )


def test_the_command_line_knows_every_schema() -> None:
    assert CLI_NAMES == NAMES
    assert sorted(p.name for p in SCHEMAS.iterdir()) == sorted(f"{n}.schema.json" for n in NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_each_schema_is_a_draft_2020_12_schema_that_says_what_only_the_tool_checks(
    name: str,
) -> None:
    doc = schema(name)
    Draft202012Validator.check_schema(doc)
    assert doc["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert doc["description"]


def test_schema_command_prints_the_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "assessment"]) == 0
    assert capsys.readouterr().out == schema_text("assessment")


def test_fields_carry_their_docstrings_as_descriptions() -> None:
    props = schema("assessment")["properties"]
    assert props["ratings"]["description"].startswith("Statement id -> rating")
    assert props["schema"]["description"] == "Always ``competency-assessment/1``."
    report = schema("report")["$defs"]["AreaReport"]["properties"]
    assert report["held_back_by"]["description"].startswith("Statements at the stopping level")


# What the tool reads: the bundled framework, the FT ladder, the examples, test fixtures.


def test_the_bundled_and_converted_frameworks_and_maps_validate(tmp_path: Path) -> None:
    ft = convert(tmp_path)
    for framework in (LIBRARIANS, ft):
        assert errors("framework", json.loads(framework.read_bytes())) == []
        areas = tomllib.loads(framework.with_suffix(".areas.toml").read_text("utf-8"))
        assert errors("areas", areas) == []
    assert errors("framework", framework_doc({"a": ["x"], "b": ["y"]})) == []


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.stem)
def test_every_example_assessment_validates(path: Path) -> None:
    assert errors("assessment", json.loads(path.read_bytes())) == []


def test_a_generated_assessment_validates(librarians: Framework) -> None:
    doc = assessment_doc(librarians, {"emerging.1": 3, "emerging.2": "na"}, status="submitted")
    assert errors("assessment", doc) == []


# What the tool writes: reports, score records, summaries.


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.stem)
def test_every_golden_report_validates(path: Path) -> None:
    assert errors("report", json.loads(path.read_bytes())) == []


def test_the_golden_comparison_validates_and_one_with_a_stray_field_does_not() -> None:
    doc = json.loads(COMPARISON.read_bytes())
    assert doc["schema"] == "competency-comparison/1" and doc["changes"]
    assert errors("comparison", doc) == []
    assert errors("report", doc) != [], "a comparison is not a report"
    doc["new"]["colour"] = "red"
    doc["areas"][0].pop("change")
    assert len(errors("comparison", doc)) == 2


def test_a_report_on_another_framework_validates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ft = convert(tmp_path)
    fw = load_framework(ft)
    person = tmp_path / "ada.json"
    person.write_text(json.dumps(assessment_doc(fw, {fw.statements[0].id: 4})))
    assert main(["report", str(person), "--framework", str(ft), "--format", "json"]) == 0
    assert errors("report", json.loads(capsys.readouterr().out)) == []


def test_every_score_record_validates_scored_refused_and_from_the_review(
    tmp_path: Path, librarians: Framework, capsys: pytest.CaptureFixture[str]
) -> None:
    team = tmp_path / "team"
    team.mkdir()
    for example in EXAMPLES.glob("*.json"):
        (team / example.name).write_bytes(example.read_bytes())
    (team / "bad.json").write_text(json.dumps(assessment_doc(librarians, {"nope.1": 3})))
    lines: list[str] = []
    for extra in ([], ["--source", "review"]):
        main(["score", str(team), "--format", "jsonl", *extra])
        lines += capsys.readouterr().out.splitlines()
    records = [json.loads(line) for line in lines]
    assert {r["ok"] for r in records} == {True, False}
    assert any(r.get("source") == "review" for r in records)
    for record in records:
        assert errors("score-record", record) == [], record["file"]


def test_the_summary_json_validates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "junk.json").write_text("{")
    main(["summary", str(EXAMPLES), str(tmp_path / "junk.json"), "--format", "json"])
    summary = json.loads(capsys.readouterr().out)
    assert summary["refused"] and summary["units"]
    assert summary["calibration"]["reviewers"] and summary["coverage"]
    assert errors("summary", summary) == []


def test_the_summary_json_with_small_groups_hidden_validates(
    capsys: pytest.CaptureFixture[str],
) -> None:
    main(["summary", str(EXAMPLES), "--format", "json", "--min-group", "2", "--jobs", "1"])
    summary = json.loads(capsys.readouterr().out)
    assert all(
        unit == {"suppressed": True, "rule": "fewer than 2 people"}
        for unit in summary["units"].values()
    )
    assert errors("summary", summary) == []


# Broken files: what the loaders refuse, the schema refuses too, where it can say so.

Mutation = Callable[[dict[str, Any]], Any]

BROKEN_ASSESSMENTS: list[Mutation] = [
    lambda d: d.update(schema="competency-assessment/2"),
    lambda d: d.pop("schema"),
    lambda d: d["framework"].pop("id"),
    lambda d: d["framework"].update(id=""),
    lambda d: d["subject"].pop("name"),
    lambda d: d["subject"].update(name="  "),
    lambda d: d.pop("ratings"),
    lambda d: d.update(ratings=[3, 4]),
    lambda d: d.update(status="done"),
    lambda d: d.update(notes={"emerging.1": 5}),
    lambda d: d.update(review={"ratings": {}}),
    lambda d: d.update(history=[{"action": "created", "at": "yesterday"}]),
    lambda d: d.update(started_at="2026-13-01T00:00:00Z"),
    *(
        lambda d, v=v: d["ratings"].update({"emerging.2": v})
        for v in [True, False, "3", 2.5, 5, -1, None, [3], "NA"]
    ),
]

BROKEN_FRAMEWORKS: list[Mutation] = [
    lambda d: d.pop("schemaVersion"),
    lambda d: d.update(schemaVersion="2.0"),
    lambda d: d.update(schemaVersion=1),
    lambda d: d["occupation"].pop("soc"),
    lambda d: d["occupation"].update(title=" "),
    lambda d: d["framework"].pop("levels"),
    lambda d: d["framework"].update(levels={}),
    lambda d: d["framework"]["levels"]["b"].update(statements=[]),
    lambda d: d["framework"]["levels"]["a"]["statements"].append(""),
    lambda d: d["framework"]["levels"].update({" ": {"label": "Blank", "statements": ["x"]}}),
    lambda d: d["framework"]["levels"]["a"].pop("label"),
]

AREAS = {"areas": [{"id": "one", "title": "One", "statements": ["a.1"]}]}

BROKEN_AREA_MAPS: list[Mutation] = [
    lambda d: d.update(areas=[]),
    lambda d: d["areas"][0].update(id="Two Words"),
    lambda d: d["areas"][0].update(id="overall"),
    lambda d: d["areas"][0].update(statements=[]),
    lambda d: d["areas"][0].update(title=""),
    lambda d: d["areas"][0].update(colour="red"),
    lambda d: d.update(extra=1),
]


def mutated(doc: dict[str, Any], mutate: Mutation) -> dict[str, Any]:
    doc = copy.deepcopy(doc)
    mutate(doc)
    return doc


@pytest.mark.parametrize("mutate", BROKEN_ASSESSMENTS)
def test_an_assessment_the_loader_refuses_the_schema_refuses(
    librarians: Framework, mutate: Mutation
) -> None:
    doc = mutated(assessment_doc(librarians, {"emerging.1": 3}), mutate)
    with pytest.raises(CompetencyError):
        parse_assessment(json.dumps(doc).encode(), "ada.json")
    assert errors("assessment", doc)


@pytest.mark.parametrize("mutate", BROKEN_FRAMEWORKS)
def test_a_framework_the_loader_refuses_the_schema_refuses(mutate: Mutation) -> None:
    doc = mutated(framework_doc({"a": ["x"], "b": ["y"]}), mutate)
    with pytest.raises(CompetencyError):
        parse_framework(json.dumps(doc).encode(), "fw.json")
    assert errors("framework", doc)


@pytest.mark.parametrize("mutate", BROKEN_AREA_MAPS)
def test_an_area_map_the_loader_refuses_the_schema_refuses(mutate: Mutation) -> None:
    doc = mutated(AREAS, mutate)
    with pytest.raises(ValidationError):
        RawAreaMap.model_validate(doc)  # what load_area_map does with the TOML's data
    assert errors("areas", doc)


def test_what_only_the_tool_checks_the_schema_names(tmp_path: Path, librarians: Framework) -> None:
    unknown = assessment_doc(librarians, {"emerging.1": 3, "emerging.99": 2})
    with pytest.raises(CompetencyError, match="unknown statement"):
        check_against(parse_assessment(json.dumps(unknown).encode(), "a.json"), librarians, "a")
    assert errors("assessment", unknown) == []
    assert "every statement id in ratings and notes" in schema("assessment")["description"]
    float_rating = assessment_doc(librarians, {"emerging.1": 3.0})
    with pytest.raises(CompetencyError, match="whole number"):
        parse_assessment(json.dumps(float_rating).encode(), "a.json")
    assert errors("assessment", float_rating) == []
    assert "3, not 3.0" in schema("assessment")["description"]
    stray = mutated(AREAS, lambda d: d["areas"][0]["statements"].append("a.9"))
    assert errors("areas", stray) == []
    assert "every statement id exists" in schema("areas")["description"]
