"""HR scores a folder where only some assessments are reviewed (issue 20).

``--source review`` refuses every file without a review; ``--source review-or-self``
scores the reviewer's ratings where the assessment is reviewed and the person's own
elsewhere, and says which in every row. ``updated_at`` and ``source`` come after the area
columns, so a script reading the CSV by position finds every older column where it was.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from competency.cli import main
from competency.outputs.scores import BASE_COLUMNS
from tests.conftest import EXAMPLES


@pytest.fixture
def team(tmp_path: Path) -> Path:
    """Maya submitted, Priya reviewed (her reviewer rated lower), Sam a draft; and a review
    begun on Maya's file but not signed off."""
    folder = tmp_path / "team"
    shutil.copytree(EXAMPLES, folder)
    doc = json.loads((folder / "maya-okafor-2026-11-02.json").read_text(encoding="utf-8"))
    doc["review"] = {"reviewer": {"name": "Grace"}, "ratings": {"emerging.1": 0}}
    (folder / "maya-okafor-2026-11-02.json").write_text(json.dumps(doc), encoding="utf-8")
    return folder


def rows(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, str]]:
    capsys.readouterr()
    main(["score", *args, "--format", "csv", "--jobs", "1"])
    return list(csv.DictReader(io.StringIO(capsys.readouterr().out)))


def test_the_review_where_signed_off_else_the_persons_own(
    team: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mixed = rows(capsys, str(team), "--source", "review-or-self")
    by_name = {row["name"]: row for row in mixed}
    assert {name: row["source"] for name, row in by_name.items()} == {
        "Maya Okafor": "self",  # a review begun, not signed off: not yet the reviewer's word
        "Priya Raman": "review",
        "Sam Lindqvist": "self",
    }
    own = {row["name"]: row for row in rows(capsys, str(team))}
    reviewed = {row["name"]: row for row in rows(capsys, str(team), "--source", "review")}
    assert by_name["Priya Raman"]["overall_level"] == reviewed["Priya Raman"]["overall_level"]
    for name in ("Maya Okafor", "Sam Lindqvist"):
        assert by_name[name]["overall_level"] == own[name]["overall_level"]
    # --source review refuses Sam's file (no review at all); the fallback scores everyone.
    assert "Sam Lindqvist" not in reviewed and len(mixed) == 3


def test_new_columns_come_after_the_areas(team: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    main(["score", str(team), "--format", "csv", "--jobs", "1"])
    header, *body = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert header[: len(BASE_COLUMNS)] == list(BASE_COLUMNS)
    assert header[-3:] == ["updated_at", "source", "profile"]
    assert header[len(BASE_COLUMNS)].endswith("_level")
    assert [row[-3:] for row in body][1] == ["2026-11-18T10:05:00Z", "self", ""]


def test_the_workbook_has_the_same_columns_at_its_end(team: Path, tmp_path: Path) -> None:
    import openpyxl

    out = tmp_path / "team.xlsx"
    main(["score", str(team), "--source", "review-or-self", "--format", "xlsx", "-o", str(out)])
    sheet = openpyxl.load_workbook(out, read_only=True)["People"]
    table = [row[-3:-1] for row in sheet.iter_rows(values_only=True)]
    assert table == [
        ("Updated at", "Source"),
        ("2026-11-09T16:42:00Z", "self"),
        ("2026-11-18T10:05:00Z", "review"),
        ("2026-11-20T13:31:00Z", "self"),
    ]
