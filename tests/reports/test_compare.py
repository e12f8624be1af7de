"""``competency compare``: one person's progress between two cycles, and its refusals."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from competency.cli import main
from tests.conftest import EXAMPLES

MAYA = EXAMPLES / "maya-okafor-2026-11-02.json"
PRIYA = EXAMPLES / "priya-raman-2026-10-12.json"


def next_cycle(tmp_path: Path, change: dict[str, Any] | None = None, **subject: Any) -> Path:
    """Maya a year on: better at collection strategy, one answer withdrawn."""
    doc = json.loads(MAYA.read_bytes())
    doc["ratings"].update({"proficient.2": 4, "proficient.6": 3, "proficient.7": 3})
    del doc["ratings"]["advanced.1"]
    doc["updated_at"] = "2027-11-01T10:00:00Z"
    doc["subject"].update(subject)
    doc.update(change or {})
    path = tmp_path / "maya-2027.json"
    path.write_text(json.dumps(doc, indent=2), "utf-8")
    return path


def test_progress_shows_levels_then_and_now_and_changed_ratings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["compare", str(MAYA), str(next_cycle(tmp_path)), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    collection = next(a for a in data["areas"] if a["id"] == "collection-management")
    assert (collection["old_level"], collection["new_level"], collection["change"]) == (
        "Developing",
        "Proficient",
        "up",
    )
    changed = {c["id"]: c["change"] for c in data["changes"]}
    assert changed == {
        "proficient.2": "up",
        "proficient.6": "up",
        "proficient.7": "up",
        "advanced.1": "cleared",
    }
    assert data["old"]["assessment_digest"] != data["new"]["assessment_digest"]


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_progress_reads_as_a_table_in_every_format(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["compare", str(MAYA), str(next_cycle(tmp_path)), "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert "Collection Management" in out and "▲ up" in out and "rating removed" in out


def test_another_person_is_refused_by_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["compare", str(MAYA), str(PRIYA)]) == 1
    err = capsys.readouterr().err.strip()
    assert "different people" in err and "'E2041'" in err and "\n" not in err


def test_the_same_name_with_another_id_is_another_person(tmp_path: Path) -> None:
    assert main(["compare", str(MAYA), str(next_cycle(tmp_path, id="E9999"))]) == 1


def test_without_ids_the_name_decides(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = json.loads(MAYA.read_bytes())
    del old["subject"]["id"]
    old_path = tmp_path / "old.json"
    old_path.write_text(json.dumps(old), "utf-8")
    assert main(["compare", str(old_path), str(next_cycle(tmp_path))]) == 0
    other = next_cycle(tmp_path, name="Maya Okafor-Smith")
    capsys.readouterr()
    assert main(["compare", str(old_path), str(other)]) == 1
    assert "subject.name" in capsys.readouterr().err


def test_another_framework_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = next_cycle(tmp_path, {"framework": {"id": "11-1111.00"}})
    assert main(["compare", str(MAYA), str(other)]) == 1
    assert "different frameworks" in capsys.readouterr().err


def test_another_version_of_the_framework_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fingerprint = "sha256:" + "1" * 64
    other = next_cycle(tmp_path, {"framework": {"id": "25-4022.00", "fingerprint": fingerprint}})
    assert main(["compare", str(MAYA), str(other)]) == 1
    assert "different versions" in capsys.readouterr().err


def test_progress_verifies_against_either_cycle(tmp_path: Path) -> None:
    new = next_cycle(tmp_path)
    out = tmp_path / "progress.html"
    assert main(["compare", str(MAYA), str(new), "--format", "html", "--output", str(out)]) == 0
    assert main(["verify", str(out), str(MAYA)]) == 0
    assert main(["verify", str(out), str(new)]) == 0
    assert main(["verify", str(out), str(PRIYA)]) == 1
