"""`competency import` of a spreadsheet, and `export-framework` back to one.

A small story: HR keeps its framework in a sheet, imports it, scores with it, edits it as
an export and imports it again without a byte changing.
"""

from __future__ import annotations

import csv
import io
import json
import tomllib
from pathlib import Path

import pytest
from openpyxl import Workbook

from competency.cli import main
from competency.errors import CompetencyError
from competency.framework.importers import area_map_toml, framework_json
from competency.framework.importers.spreadsheet import import_spreadsheet
from competency.framework.model import load_framework
from tests.conftest import LIBRARIANS, REPO

SHEET = (
    "\ufeffArea,Area description,Level,Statement\r\n"
    'Circulation,"Lending, returns\r\nand holds.",Entry,"Check-in — process returns\r\n'
    'accurately"\r\n'
    "\r\n"
    "Cataloguing,,Entry,Copy cataloguing — import records\r\n"
    "Circulation,,Senior,Holds — run the holds queue alone\r\n"
    "Cataloguing,,Senior,Original cataloguing — describe new items\r\n"
)


def imported(text: str, name: str = "sheet.csv", **options: str) -> tuple[bytes, bytes | None]:
    fw = import_spreadsheet(Path(name), text.encode("utf-8"), "csv", **options)  # type: ignore[arg-type]
    return framework_json(fw), area_map_toml(fw)


def refusal(text: str) -> str:
    with pytest.raises(CompetencyError) as caught:
        imported(text)
    line = caught.value.line
    assert "\n" not in line and line.startswith("sheet.csv")
    return line


def test_rows_become_levels_in_first_appearance_and_ids_in_row_order() -> None:
    data, areas = imported(SHEET, framework_id="lib-tech", title="Library Technicians")
    doc = json.loads(data)
    levels = doc["framework"]["levels"]
    assert list(levels) == ["entry", "senior"]
    assert levels["entry"]["statements"] == [
        "Check-in — process returns accurately",  # the quoted line break became a space
        "Copy cataloguing — import records",
    ]
    assert doc["occupation"] == {"soc": "lib-tech", "title": "Library Technicians"}
    assert doc["provenance"] == {"format": "csv", "file": "sheet.csv"}
    assert areas is not None
    amap = tomllib.loads(areas.decode())["areas"]
    assert [(a["id"], a["statements"]) for a in amap] == [
        ("circulation", ["entry.1", "senior.1"]),
        ("cataloguing", ["entry.2", "senior.2"]),
    ]
    assert amap[0]["description"] == "Lending, returns and holds."


def test_the_same_sheet_gives_the_same_bytes() -> None:
    assert imported(SHEET) == imported(SHEET)


def test_rank_orders_the_ladder_and_topic_and_description_join() -> None:
    data, areas = imported(
        "level,rank,topic,description,source_id\n"
        "Senior,2,Holds,run the queue,H-2\n"
        "Entry,1,Check-in,process returns,C-1\n"
        "Entry,,Shelving,\n"
    )
    doc = json.loads(data)
    assert list(doc["framework"]["levels"]) == ["entry", "senior"]
    assert doc["framework"]["levels"]["entry"]["statements"] == [
        "Check-in — process returns",
        "Shelving",
    ]
    assert doc["provenance"]["statements"] == {"senior.1": {"id": "H-2"}, "entry.1": {"id": "C-1"}}
    assert areas is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("level,statement,Area,Competency area\nA,x,a,b\n", "row 1: column 'area' appears twice"),
        ("level,statement\nA,x\nB,\n", "row 3: has the level 'B' but no statement"),
        (
            "level,statement\nA,x\n\nA,x\n",
            "row 4: the same statement is already in level 'A' (row 2)",
        ),
        ("level,statement\n,x\n", "row 2: has a statement but no level"),
        ("statement\nx\n", "row 1: no 'level' column"),
        ("level\nA\n", "row 1: no 'statement' column"),
        ("level,statement,area\nA,x,\n", "row 2: has no area"),
        (
            "level,statement,rank\nA,x,1\nB,y,1\n",
            "row 3, column 'rank': rank 1 is already the level 'A'",
        ),
        (
            "level,statement,rank\nA,x,first\n",
            "row 2, column 'rank': rank 'first' is not a whole number",
        ),
        ("level,statement,rank\nA,x,1\nB,y,\n", "row 3: level 'B' has no rank"),
        ("level,statement\nA,x,stray\n", "row 2: column 3 holds 'stray' but has no heading"),
        (
            'level,statement\nA,"x\x1b[2J"\n',
            "row 2, column 'statement': holds the control or invisible character U+001B",
        ),
        ("level,statement,area\nA,x,Overall\n", "row 2: area id 'overall' is reserved"),
        ("level,statement\n", "has a header row but no statements"),
        ("", "the sheet is empty"),
    ],
)
def test_a_broken_sheet_is_one_line_naming_the_row(text: str, expected: str) -> None:
    assert expected in refusal(text)


def test_not_utf8_is_refused_with_the_byte() -> None:
    with pytest.raises(CompetencyError, match=r"not UTF-8 text \(byte 16\)"):
        import_spreadsheet(Path("s.csv"), b"level,statement\n\xff", "csv")


def test_an_xlsx_first_sheet_imports_like_its_csv(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Framework"
    for row in [
        ["Level", "Statement", "Rank"],
        ["Senior", "Holds — run the queue", 2],
        [None, None, None],
        ["Entry", "Check-in — process returns", 1.0],
    ]:
        sheet.append(row)
    book.create_sheet("Notes").append(["ignored"])
    buffer = io.BytesIO()
    book.save(buffer)
    fw = import_spreadsheet(Path("f.xlsx"), buffer.getvalue(), "xlsx")
    assert [lvl.key for lvl in fw.levels] == ["entry", "senior"]
    assert fw.provenance == {"format": "xlsx", "file": "f.xlsx", "sheet": "Framework"}
    assert fw.not_carried == ["sheet 'Notes': only the first visible sheet is read"]


def test_a_broken_xlsx_is_one_line() -> None:
    with pytest.raises(CompetencyError, match="not a readable XLSX workbook"):
        import_spreadsheet(Path("f.xlsx"), b"PK\x03\x04 not really", "xlsx")


def run_import(tmp_path: Path, source: Path, *extra: str) -> int:
    return main(["import", str(source), "--output", str(tmp_path), *extra])


def test_import_writes_a_framework_that_validates_and_refuses_to_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "Tech Sheet.csv"
    source.write_text(SHEET, encoding="utf-8")
    assert run_import(tmp_path, source, "--version", "1") == 0
    out = capsys.readouterr().out
    assert "tech-sheet.json: Tech Sheet, 4 statements at 2 levels" in out
    assert "2 areas" in out
    assert main(["validate", str(tmp_path / "tech-sheet.json")]) == 0
    assert run_import(tmp_path, source) == 2
    assert "exists; pass --force" in capsys.readouterr().err
    assert run_import(tmp_path, source, "--force") == 0


def export(framework: Path, fmt: str, output: Path) -> None:
    output.parent.mkdir(exist_ok=True)
    args = ["export-framework", str(framework), "--format", fmt, "--output", str(output)]
    assert main(args) == 0


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_exported_sheet_imports_back_byte_identical(tmp_path: Path, fmt: str) -> None:
    """Import, export, import: the second import's files equal the first's, byte for byte.

    A CSV's first import is the original sheet; an XLSX's is a workbook the tool exported
    (the provenance names the format and the file, so like is compared with like).
    """
    options = ["--id", "t", "--title", "T", "--version", "2", "--attribution", "© Example"]
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    source = tmp_path / "tech.csv"
    source.write_text(SHEET, encoding="utf-8")
    assert run_import(first, source, *options) == 0
    if fmt == "xlsx":
        export(first / "t.json", "xlsx", tmp_path / "x" / "tech.xlsx")
        assert run_import(first, tmp_path / "x" / "tech.xlsx", *options, "--force") == 0
    export(first / "t.json", fmt, tmp_path / "y" / f"tech.{fmt}")
    assert run_import(second, tmp_path / "y" / f"tech.{fmt}", *options) == 0
    for name in ("t.json", "t.areas.toml"):
        assert (first / name).read_bytes() == (second / name).read_bytes()


def test_the_bundled_framework_survives_the_round_trip(tmp_path: Path) -> None:
    sheet = tmp_path / "librarians.csv"
    assert main(["export-framework", "25-4022.00", "--format", "csv", "--output", str(sheet)]) == 0
    assert run_import(tmp_path, sheet, "--id", "25-4022.00", "--title", "Librarians") == 0
    before = load_framework(LIBRARIANS)
    after = load_framework(tmp_path / "25-4022.00.json")
    assert after.fingerprint == before.fingerprint  # same ids, labels and statements
    assert [(a.id, a.title, a.description, a.statement_ids) for a in after.areas] == [
        (a.id, a.title, a.description, a.statement_ids) for a in before.areas
    ]


def test_formula_like_text_is_inert_in_the_export_and_whole_again_on_import(
    tmp_path: Path,
) -> None:
    source = tmp_path / "f.csv"
    source.write_text('level,statement\nA,=HYPERLINK("x") — sum\nA,+1 — more\n')
    assert run_import(tmp_path, source) == 0
    out = tmp_path / "out" / "f.csv"
    out.parent.mkdir()
    export(tmp_path / "f.json", "csv", out)
    assert out.read_text(encoding="utf-8-sig").splitlines()[1:] == [
        'A,"\'=HYPERLINK(""x"") — sum"',
        "A,'+1 — more",
    ]
    assert run_import(out.parent, out) == 0
    assert (out.parent / "f.json").read_bytes() == (tmp_path / "f.json").read_bytes()


def test_notes_above_the_header_are_skipped() -> None:
    data, _ = imported('# Credit: somebody, CC BY 4.0\n"# a, quoted note"\nlevel,statement\nA,x\n')
    assert json.loads(data)["framework"]["levels"] == {"a": {"label": "A", "statements": ["x"]}}


def test_the_library_technicians_example_imports_with_its_rows(tmp_path: Path) -> None:
    sheet = REPO / "examples" / "library-technicians-25-4031.00.csv"
    text = sheet.read_text(encoding="utf-8")
    assert "The competency project wrote these statements" in text
    assert "CC BY 4.0" in text
    body = [r for r in csv.reader(io.StringIO(text, newline="")) if r and not r[0].startswith("#")]
    header, rows = body[0], body[1:]
    options = ["--id", "25-4031.00", "--title", "Library Technicians", "--version", "example-1"]
    assert run_import(tmp_path, sheet, *options) == 0
    fw = load_framework(tmp_path / "25-4031.00.json")
    level, statement, area = (header.index(c) for c in ("level", "statement", "area"))
    assert [lvl.label for lvl in fw.levels] == list(dict.fromkeys(r[level] for r in rows))
    assert [a.title for a in fw.areas] == list(dict.fromkeys(r[area] for r in rows))
    assert len(fw.statements) == len(rows) == 24
    for lvl in fw.levels:
        in_rows = [r[statement] for r in rows if r[level] == lvl.label]
        assert [s.text for s in fw.statements if s.level == lvl.key] == in_rows


def test_the_sheet_in_the_docs_imports_as_it_says(tmp_path: Path) -> None:
    page = (REPO / "docs" / "importing-frameworks.md").read_text(encoding="utf-8")
    block = page.split("```csv\n", 1)[1].split("```", 1)[0]
    fw = import_spreadsheet(Path("example.csv"), block.encode(), "csv")
    assert [(lvl.key, len(lvl.statements)) for lvl in fw.levels] == [
        ("foundation", 2),
        ("practitioner", 2),
        ("expert", 1),
    ]
    assert fw.areas is not None
    assert [(a.id, a.statements) for a in fw.areas] == [
        ("circulation", ["foundation.1", "practitioner.2"]),
        ("patron-help", ["foundation.2", "practitioner.1", "expert.1"]),
    ]


def test_other_columns_are_left_out_with_a_line_and_common_headings_understood(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """HR's sheet has a Comments column and headings as people write them: it imports, and
    the output names the column it left out."""
    source = tmp_path / "skills.csv"
    source.write_text(
        "Competency area,Proficiency level,Competency,Comments\n"
        "Circulation,Entry,Check-in — process returns,ask Sam\n"
        "Circulation,Senior,Holds — run the holds queue,\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    capsys.readouterr()
    assert run_import(out, source, "--id", "skills") == 0
    printed = capsys.readouterr().out
    left_out = [line for line in printed.splitlines() if "Comments" in line]
    assert len(left_out) == 1 and "left out" in left_out[0] and "column 4" in left_out[0]
    fw = load_framework(out / "skills.json")
    assert [a.title for a in fw.areas] == ["Circulation"]
    assert [s.text for s in fw.statements] == [
        "Check-in — process returns",
        "Holds — run the holds queue",
    ]
    assert "ask Sam" not in (out / "skills.json").read_text(encoding="utf-8")


def test_columns_names_headings_the_tool_cannot_guess(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "team.csv"
    source.write_text("Grade,Competence\nEntry,Shelving\n", encoding="utf-8")
    assert run_import(tmp_path, source) == 1, "without --columns: no 'level' column"
    assert "no 'level' column" in capsys.readouterr().err
    assert run_import(tmp_path, source, "--columns", "Grade=level, Competence=statement") == 0
    assert [s.text for s in load_framework(tmp_path / "team.json").statements] == ["Shelving"]
    assert run_import(tmp_path, source, "--columns", "Grade=grade", "--force") == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("competency: --columns: 'Grade=grade' is not HEADING=COLUMN")


def test_the_example_sheet_carries_its_title_id_and_credit_without_flags(tmp_path: Path) -> None:
    sheet = REPO / "examples" / "library-technicians-25-4031.00.csv"
    assert run_import(tmp_path / "new-folder", sheet) == 0, "the output folder is made"
    fw = load_framework(tmp_path / "new-folder" / "25-4031.00.json")
    assert (fw.id, fw.title, fw.version) == ("25-4031.00", "Library Technicians", "example-1")
    assert fw.attribution is not None and "CC BY 4.0" in fw.attribution
    assert "USDOL/ETA), used under the CC BY 4.0 licence" in fw.attribution


def test_a_workbook_the_tool_wrote_reads_back_its_id_title_version_and_credit(
    tmp_path: Path,
) -> None:
    """export-framework --format xlsx then import, no flags: the bundled framework comes
    back whole, with the same fingerprint, id, title, version and attribution (from the
    About sheet), and the About sheet is not reported as a sheet left unread."""
    sheet = tmp_path / "librarians.xlsx"
    export(LIBRARIANS, "xlsx", sheet)
    from openpyxl import load_workbook

    book = load_workbook(sheet, read_only=True)
    assert book.sheetnames == ["Framework", "About"]
    header = next(book["Framework"].iter_rows(max_row=1, values_only=True))
    assert "statement" in header, "the first sheet stays a plain table, header on row 1"
    assert run_import(tmp_path / "back", sheet) == 0
    before = load_framework(LIBRARIANS)
    after = load_framework(tmp_path / "back" / f"{before.id}.json")
    assert (after.id, after.title, after.version, after.attribution) == (
        before.id,
        before.title,
        before.version,
        before.attribution,
    )
    assert after.fingerprint == before.fingerprint


def test_notes_split_by_commas_are_joined_again() -> None:
    data, _ = imported("# attribution: Example HR, 2026, CC BY 4.0\nlevel,statement\nA,x\n")
    assert json.loads(data)["attribution"] == "Example HR, 2026, CC BY 4.0"
