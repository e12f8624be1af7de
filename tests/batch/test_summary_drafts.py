"""HR's numbers count what people handed in: drafts apart (SPEC 7).

A half-finished draft is not a level. ``summary`` counts each person's latest submitted or
reviewed file; someone with only drafts is left out and named; a draft begun since the
file counted is noted beside it; ``--include-drafts`` counts drafts too; ``--since``
follows the same rule in the earlier cycle.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from competency.cli import main
from competency.summary import person_key
from tests.conftest import example_variant

MAYA = "maya-okafor-2026-11-02.json"  # submitted
PRIYA = "priya-raman-2026-10-12.json"  # reviewed
SAM = "sam-lindqvist-2026-11-20.json"  # in_progress


def copy(example: str, folder: Path, name: str | None = None, **fields: Any) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return example_variant(example, folder / (name or example), **fields)


def summary_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    assert main(["summary", *args, "--format", "json", "--jobs", "1"]) == 0
    result: dict[str, Any] = json.loads(capsys.readouterr().out)
    return result


@pytest.fixture
def team(tmp_path: Path) -> Path:
    """Maya submitted and has begun a newer draft; Priya is reviewed; Sam has a draft."""
    folder = tmp_path / "team"
    for example in (MAYA, PRIYA, SAM):
        copy(example, folder)
    copy(
        MAYA,
        folder,
        "maya-new.json",
        status="in_progress",
        updated_at="2026-12-01T09:00:00Z",
        ratings={"emerging.1": 4},
    )
    return folder


def test_drafts_are_left_out_and_named(team: Path, capsys: pytest.CaptureFixture[str]) -> None:
    summary = summary_json(capsys, str(team))
    assert summary["scored"] == 2 and summary["files_scored"] == 4
    assert summary["include_drafts"] is False
    assert [p["name"] for p in summary["left_out"]] == ["Sam Lindqvist"]
    (newer,) = summary["newer_drafts"]
    assert newer["file"].endswith("maya-new.json") and newer["counted"].endswith(MAYA)
    # People by their latest file: Maya's is now a draft, Sam's always was.
    assert summary["statuses"] == {"in_progress": 2, "submitted": 0, "reviewed": 1}
    overall = summary["areas"][-1]
    assert overall["people"] == 2  # Sam's 35% answered draft is no level of the team's


def test_include_drafts_counts_each_person_by_their_latest_file(
    team: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    summary = summary_json(capsys, str(team), "--include-drafts")
    assert summary["scored"] == 3 and summary["left_out"] == [] == summary["newer_drafts"]
    assert [(s["file"][-len(MAYA) :], s["counted"][-13:]) for s in summary["set_aside"]] == [
        (MAYA, "maya-new.json")
    ]
    assert summary["statuses"] == {"in_progress": 2, "submitted": 0, "reviewed": 1}


def test_a_draft_older_than_the_file_counted_is_set_aside_with_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "team"
    copy(PRIYA, folder)
    copy(PRIYA, folder, "old-draft.json", status="in_progress", updated_at="2026-01-01T00:00:00Z")
    assert main(["summary", str(folder), "--format", "md", "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert "old-draft.json: Priya Raman is counted once, by" in out and "(newer)" in out
    assert "## Drafts not counted" not in out


def test_since_leaves_out_drafts_of_the_earlier_cycle_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Sam had only a draft last cycle: he is new this cycle, not someone who moved."""
    before, after = tmp_path / "2025", tmp_path / "2026"
    copy(SAM, before)
    copy(MAYA, before)
    copy(SAM, after, status="submitted")
    copy(MAYA, after)
    summary = summary_json(capsys, str(after), "--since", str(before))
    progress = summary["progress"]
    assert progress["earlier_scored"] == 1 and progress["matched"] == 1
    assert [p["name"] for p in progress["new"]] == ["Sam Lindqvist"]


def test_people_are_matched_by_id_else_by_name_with_case_and_spacing_aside() -> None:
    assert person_key("Ada  Example", None) == person_key("ada example", None)
    assert person_key("Ada Example", "E1") == person_key("Someone Else", "E1")
    assert person_key("Ada Example", "E1") != person_key("Ada Example", None)


def test_the_page_says_which_formats_name_everyone_below_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CSV counts people below target per area; it never named them, and the page
    no longer says it does."""
    from competency.outputs import team as writers

    folder = tmp_path / "team"
    copy(MAYA, folder)  # below her target in Program Administration
    monkeypatch.setattr(writers, "INLINE_BELOW", 0)  # as with more than 500 people
    out = tmp_path / "team.html"
    assert main(["summary", str(folder), "--format", "html", "-o", str(out), "--jobs", "1"]) == 0
    page = out.read_text(encoding="utf-8")
    assert "the Markdown and JSON formats list them all (the CSV has how many per area" in page
    assert "the CSV and Markdown formats list them all" not in page
    main(["summary", str(folder), "--format", "csv", "-o", str(tmp_path / "t.csv")])
    assert "Maya" not in (tmp_path / "t.csv").read_text(encoding="utf-8").split("coverage")[0]
