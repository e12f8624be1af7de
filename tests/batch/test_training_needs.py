"""The team's training needs (SPEC 9): per resource, who needs it, as their reports say.

HR runs `summary --resources` over a team of twelve, in three units. Each resource lists
exactly the people whose own report lists it in their development plan (worked out here
from each person's report, not from the summary's code); a unit smaller than --min-group
is counted but never named; every format carries the list, and without a resources file
none says a word about it.
"""

from __future__ import annotations

import json
import random
import shutil
from collections import defaultdict
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from competency.cli import main
from competency.framework.model import Framework, load_framework
from competency.framework.resources import with_resources
from competency.outputs.report import build_report
from competency.schemas import schema
from competency.storage import read_assessment
from tests.conftest import EXAMPLES, LIBRARIANS, REPO, assessment_doc

RESOURCES = REPO / "examples" / "librarians-25-4022.00.resources.toml"
UNITS = ["Main Library", "Branch 2", "Archive"]


@pytest.fixture()
def team(tmp_path: Path, librarians: Framework) -> Path:
    """Twelve people with seeded ratings (a few gaps each), and the three examples."""
    folder = tmp_path / "team"
    folder.mkdir()
    for example in EXAMPLES.glob("*.json"):
        shutil.copy(example, folder / example.name)
    rng = random.Random(21)
    for n in range(12):
        ratings = {s.id: rng.choice([2, 3, 3, 4, 4, "na"]) for s in librarians.statements}
        # Archive has two people: a unit --min-group 3 hides.
        unit = "Archive" if n < 2 else UNITS[n % 2]
        doc = assessment_doc(
            librarians,
            ratings,
            subject={"name": f"Person {n:02d}", "id": f"E{n:03d}", "unit": unit},
            status="submitted",
            updated_at="2026-11-20T10:00:00Z",
        )
        (folder / f"person-{n:02d}.json").write_text(json.dumps(doc), "utf-8")
    return folder


def needs_from_reports(folder: Path, framework: Framework) -> dict[str, list[str]]:
    """Resource id -> the people whose own report lists it in their plan."""
    framework = with_resources(framework, RESOURCES)
    found: dict[str, list[str]] = defaultdict(list)
    for path in sorted(folder.glob("*.json")):
        assessment, _ = read_assessment(path)
        if assessment.status == "in_progress":
            continue  # the summary counts what was handed in
        report = build_report(assessment, framework)
        listed = {r.id for area in report.areas for line in area.plan for r in line.resources}
        for resource_id in listed:
            found[resource_id].append(assessment.subject.name)
    return found


def summary_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    assert main(["summary", *args, "--format", "json"]) == 0
    data: dict[str, object] = json.loads(capsys.readouterr().out)
    return data


def test_the_teams_training_needs_are_what_the_peoples_reports_list(
    team: Path, librarians: Framework, capsys: pytest.CaptureFixture[str]
) -> None:
    data = summary_json(capsys, str(team), "--resources", str(RESOURCES))
    expected = needs_from_reports(team, librarians)
    needs = data["training_needs"]
    assert isinstance(needs, list)
    got = {n["resource"]: sorted(n["names"]) for n in needs}
    assert got == {rid: sorted(names) for rid, names in expected.items()}
    assert all(n["people"] == len(n["names"]) for n in needs)
    # The most needed first: one course for many people is the point.
    assert [n["people"] for n in needs] == sorted((n["people"] for n in needs), reverse=True)
    assert needs[0]["people"] > 1
    assert not list(Draft202012Validator(schema("summary")).iter_errors(data))


def test_a_unit_smaller_than_min_group_is_counted_but_never_named(
    team: Path, librarians: Framework, capsys: pytest.CaptureFixture[str]
) -> None:
    data = summary_json(capsys, str(team), "--resources", str(RESOURCES), "--min-group", "3")
    expected = needs_from_reports(team, librarians)
    small = data["small_groups"]
    assert isinstance(small, dict) and "Archive" in small["suppressed"]
    hidden = {
        a.subject.name
        for a in (read_assessment(p)[0] for p in team.glob("*.json"))
        if a.subject.unit in small["suppressed"]
    }
    assert {"Person 00", "Person 01"} <= hidden
    needs = data["training_needs"]
    assert isinstance(needs, list)
    for need in needs:
        names = expected[need["resource"]]
        assert need["people"] == len(names)
        assert sorted(need["names"]) == sorted(set(names) - hidden)
    assert any(set(expected[n["resource"]]) & hidden for n in needs), "the test hides someone"
    for fmt in ("md", "table", "csv", "html"):
        args = ["--resources", str(RESOURCES), "--min-group", "3", "--format", fmt]
        assert main(["summary", str(team), *args]) == 0
        text = capsys.readouterr().out
        assert "Person 00" not in text and "Person 01" not in text, fmt


def test_every_format_carries_the_training_needs_and_none_without_resources(
    team: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    words = {
        "md": "## Training needs",
        "table": "Training needs",
        "csv": "training_need,",
        "html": "<h2>Training needs</h2>",
        "json": '"training_needs"',
    }
    for fmt, said in words.items():
        assert main(["summary", str(team), "--format", fmt, "--resources", str(RESOURCES)]) == 0
        with_file = capsys.readouterr().out
        assert said in with_file, fmt
        # The table wraps a long title: its hours stand for it there.
        resource = "4 hours" if fmt == "table" else "Teaching information literacy"
        assert resource in with_file, fmt
        assert main(["summary", str(team), "--format", fmt]) == 0
        without = capsys.readouterr().out
        assert said not in without and resource not in without, fmt
    assert main(["summary", str(team), "--format", "html", "--resources", str(RESOURCES)]) == 0
    page = capsys.readouterr().out
    link = 'href="https://learning.example.org/courses/information-literacy" class="resource"'
    assert f'{link} rel="noopener noreferrer"' in page


def test_a_bad_resources_file_stops_the_summary(
    team: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "none.resources.toml"
    assert main(["summary", str(team), "--resources", str(missing)]) == 2
    assert "none.resources.toml: no such file" in capsys.readouterr().err


def test_a_role_profile_keeps_what_is_out_of_the_role_out_of_the_needs(
    tmp_path: Path, librarians: Framework, capsys: pytest.CaptureFixture[str]
) -> None:
    # Maya as a Catalog Librarian: Collection Management's gap is no longer hers to close.
    doc = json.loads((EXAMPLES / "maya-okafor-2026-11-02.json").read_text("utf-8"))
    doc["profile"] = "catalog-librarian"
    folder = tmp_path / "one"
    folder.mkdir()
    (folder / "maya.json").write_text(json.dumps(doc), "utf-8")
    data = summary_json(capsys, str(folder), "--resources", str(RESOURCES))
    needs = data["training_needs"]
    assert isinstance(needs, list)
    got = {n["resource"]: n["names"] for n in needs}
    assert got == {rid: names for rid, names in needs_from_reports(folder, librarians).items()}
    assert "collection-development-in-practice" not in got  # her gap there is out of role
    framework = with_resources(load_framework(LIBRARIANS), RESOURCES)
    held = framework.profile_by_id["catalog-librarian"].statement_ids
    for rid in got:
        resource = next(r for r in framework.resources.items if r.id == rid)  # type: ignore[union-attr]
        assert resource.statement_ids & held, rid
