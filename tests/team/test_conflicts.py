"""A synced folder kept two edits of Ada's assessment side by side (issue 20, SPEC 7).

OneDrive, Dropbox and Nextcloud never merge: they keep both files. ``status`` and
``summary`` show two copies of one assessment with different answers as a conflict,
never silently reduce them to one, and delete nothing.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from competency.cli import main
from competency.conflicts import is_conflict_name
from tests.conftest import EXAMPLES, example_variant

MAYA = "maya-okafor-2026-11-02.json"


@pytest.mark.parametrize(
    "copy",
    [
        "ada (conflicted copy 2026-12-01).json",  # Dropbox
        "ada (Ada Example's conflicted copy 2026-12-01).json",  # Dropbox, shared folder
        "ada (conflicted copy 2026-12-01 101010).json",  # Nextcloud
        "ada-LAPTOP.json",  # OneDrive
        "ada-LAPTOP-1.json",  # OneDrive, again
        "ada.sync-conflict-20261201-101010-ABCDEF7.json",  # Syncthing
        "ada (1).json",  # Google Drive
    ],
)
def test_sync_services_conflict_names_are_known(copy: str) -> None:
    assert is_conflict_name("team/ada.json", f"team/{copy}")
    assert is_conflict_name(f"team/{copy}", "team/ada.json")


def test_other_names_are_not_conflict_copies() -> None:
    assert not is_conflict_name("ada.json", "grace.json")
    assert not is_conflict_name("ada.json", "ada.csv")
    assert not is_conflict_name("ada.json", "adam.json")
    assert not is_conflict_name("ada.json", "ada-2025.json")  # a year, not a computer


def copy(folder: Path, name: str, **fields: object) -> Path:
    return example_variant(MAYA, folder / name, **fields)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    team = tmp_path / "team"
    team.mkdir()
    shutil.copy(EXAMPLES / MAYA, team / MAYA)
    return team


def summary_conflicts(folder: Path, capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    capsys.readouterr()
    main(["summary", str(folder), "--format", "json", "--jobs", "1"])
    found: list[dict[str, object]] = json.loads(capsys.readouterr().out)["conflicts"]
    return found


def status_conflicts(folder: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, list[str]]:
    capsys.readouterr()
    main(["status", str(folder), "--format", "json"])
    records = json.loads(capsys.readouterr().out)["records"]
    return {Path(r["file"]).name: r["conflict_with"] for r in records if r["conflict_with"]}


def test_two_copies_with_different_answers_are_a_conflict_everywhere(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = copy(folder, "maya-okafor-2026-11-02-LAPTOP.json", ratings={"emerging.1": 0})
    (conflict,) = summary_conflicts(folder, capsys)
    assert sorted(Path(str(f)).name for f in conflict["files"]) == sorted([MAYA, other.name])  # type: ignore[union-attr]
    assert conflict["started_at"] == "2026-11-02T09:15:00Z"
    assert set(status_conflicts(folder, capsys)) == {MAYA, other.name}
    for fmt in ("table", "md", "csv", "html"):
        capsys.readouterr()
        main(["summary", str(folder), "--format", fmt, "--jobs", "1"])
        assert "copies of one assessment" in capsys.readouterr().out, fmt
    assert sorted(p.name for p in folder.iterdir()) == sorted([MAYA, other.name])  # none deleted


def test_the_same_answers_twice_are_no_conflict(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(folder / MAYA, folder / "maya-okafor-2026-11-02 (conflicted copy 2026-12-01).json")
    assert summary_conflicts(folder, capsys) == [] and status_conflicts(folder, capsys) == {}


def test_a_new_cycle_begun_later_is_no_conflict(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy(folder, "maya-2027.json", started_at="2027-11-01T09:00:00Z", ratings={"emerging.1": 0})
    assert summary_conflicts(folder, capsys) == []


def test_a_review_added_is_a_later_step_not_a_conflict(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    review = {"reviewer": {"name": "Grace"}, "ratings": {"emerging.1": 2}}
    copy(folder, "maya-reviewed.json", status="reviewed", review=review)
    assert summary_conflicts(folder, capsys) == []
    other = {"reviewer": {"name": "Grace"}, "ratings": {"emerging.1": 4}}
    copy(folder, "maya-reviewed (1).json", status="reviewed", review=other)
    (conflict,) = summary_conflicts(folder, capsys)
    assert len(conflict["files"]) == 3  # type: ignore[arg-type]  # the cycle's every copy


def test_without_started_at_only_a_conflict_name_makes_a_copy(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (folder / MAYA).unlink()
    copy(folder, "maya.json", started_at=None)
    copy(folder, "maya-2025.json", started_at=None, ratings={"emerging.1": 0})
    assert summary_conflicts(folder, capsys) == []  # another cycle, as far as anyone can tell
    copy(folder, "maya (conflicted copy 2026-12-01).json", started_at=None, ratings={})
    (conflict,) = summary_conflicts(folder, capsys)
    assert {Path(str(f)).name for f in conflict["files"]} == {  # type: ignore[union-attr]
        "maya.json",
        "maya (conflicted copy 2026-12-01).json",
    }
