"""Fuzzing every importer: hostile and broken input ends in one line naming the place.

Whatever bytes, sheets, CASE packages or Moodle CSVs come in, an importer returns a
framework that validates or raises a ``CompetencyError`` whose line is printable, names
the file, and holds no line break. Nothing else may escape.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from competency.errors import CompetencyError
from competency.framework.importers import ImportedFramework
from competency.framework.importers.sources import check_written
from tests.conftest import DATA

CELL = st.text(max_size=12) | st.sampled_from(
    ["", "A", "B", " a ", "=1+1", "'=x", "\x1b[2J", "Overall", "1", "0", "-3", "x — y", "\u202e"]
)
HEADINGS = st.sampled_from(
    [
        "level",
        "Level",
        "statement",
        "topic",
        "description",
        "area",
        "area_id",
        "area_description",
        "level_key",
        "rank",
        "source_id",
        "",
        "colour",
    ]
)


def outcome(call: Any, name: str, *args: Any, **kwargs: Any) -> ImportedFramework | None:
    try:
        imported: ImportedFramework = call(Path(name), *args, **kwargs)
    except CompetencyError as exc:
        line = exc.line
        assert line.startswith(name) and "\n" not in line and line.isprintable(), line
        return None
    check_written(imported, name)  # what would be written validates
    return imported


def as_csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


FUZZ = settings(deadline=None)


@FUZZ
@given(st.binary(max_size=400))
def test_spreadsheet_arbitrary_bytes(data: bytes) -> None:
    from competency.framework.importers.spreadsheet import import_spreadsheet

    outcome(import_spreadsheet, "s.csv", data, "csv")
    outcome(import_spreadsheet, "s.xlsx", b"PK\x03\x04" + data, "xlsx")


@FUZZ
@given(
    st.lists(HEADINGS, min_size=1, max_size=6),
    st.lists(st.lists(CELL, max_size=7), max_size=8),
)
def test_spreadsheet_near_valid_sheets(header: list[str], rows: list[list[str]]) -> None:
    from competency.framework.importers.spreadsheet import import_spreadsheet

    outcome(import_spreadsheet, "s.csv", as_csv([header, *rows]), "csv")


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=20,
)
SMART_LEVEL = (DATA / "case" / "opensalt-SmartLevelFramework.json").read_text()

RAW = st.sampled_from(
    [
        "9" * 4301,
        "-" + "9" * 400,
        "1e400",
        "-1e400",
        "NaN",
        "Infinity",
        "[" * 1500 + "]" * 1500,
        '{"a":' * 800 + "1" + "}" * 800,
        '"--1"',
        '"\u00b2"',
        '"<![]"',
        '"' + "<!--" * 2000 + '"',
    ]
)
"""Raw JSON the ``json`` module reads but an importer may not expect: huge and deep numbers
and values, the non-standard constants, digits that are not ASCII (issue 24)."""


@FUZZ
@given(st.binary(max_size=300) | JSON.map(lambda d: json.dumps(d).encode()))
def test_case_arbitrary_bytes_and_json(data: bytes) -> None:
    from competency.framework.importers.case import import_case

    outcome(import_case, "p.json", data)


def _paths(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(doc, dict):
        for key, value in doc.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(doc, list):
        for index, value in enumerate(doc):
            found += _paths(value, (*prefix, index))
    return found


@FUZZ
@given(st.data())
def test_case_real_package_with_one_place_replaced(data: st.DataObject) -> None:
    from competency.framework.importers.case import import_case

    doc = json.loads(SMART_LEVEL)
    place = data.draw(st.sampled_from(_paths(doc)[1:]))
    value = data.draw(
        JSON | st.sampled_from(["", "\x1b[2J", "d0000000-0000-0000-0000-000000000000"])
    )
    raw = data.draw(st.none() | RAW)
    target = doc
    for key in place[:-1]:
        target = target[key]
    target[place[-1]] = "\x00raw" if raw is not None else value
    depth = data.draw(st.integers(min_value=1, max_value=3))
    text = json.dumps(doc)
    if raw is not None:
        text = text.replace('"\\u0000raw"', raw)
    outcome(import_case, "p.json", text.encode(), area_depth=depth)


OECD_ROWS = list(
    csv.reader(
        io.StringIO(
            (DATA / "moodle" / "example-core-OECD-14col.csv").read_text(encoding="utf-8-sig"),
            newline="",
        )
    )
)


@FUZZ
@given(st.binary(max_size=300))
def test_moodle_arbitrary_bytes(data: bytes) -> None:
    from competency.framework.importers.moodle import import_moodle

    outcome(
        import_moodle, "m.csv", b'"Parent id number","Id number",Shortname,"Is framework"\n' + data
    )


@FUZZ
@given(st.data())
def test_moodle_real_file_with_cells_replaced(data: st.DataObject) -> None:
    from competency.framework.importers.moodle import import_moodle

    table = [list(row) for row in OECD_ROWS]
    for _ in range(data.draw(st.integers(min_value=1, max_value=4))):
        row = data.draw(st.integers(min_value=0, max_value=len(table) - 1))
        col = data.draw(st.integers(min_value=0, max_value=13))
        table[row][col] = data.draw(
            CELL
            | st.sampled_from(["1", "levels", "OECD-CORE", "level-1", "<p>x</p>", "[{", ""])
            | RAW.map(lambda raw: f'[{{"id": {raw}, "proficient": 1}}]')
            | RAW
        )
    depth = data.draw(st.integers(min_value=1, max_value=4))
    outcome(import_moodle, "m.csv", as_csv(table), area_depth=depth)


XLSX_CELL = (
    CELL
    | st.integers(min_value=-5, max_value=5)
    | st.floats(allow_nan=False, width=32)
    | st.none()
    | st.booleans()
)


@FUZZ
@given(
    st.lists(HEADINGS, min_size=1, max_size=5),
    st.lists(st.lists(XLSX_CELL, max_size=6), max_size=6),
)
def test_spreadsheet_real_workbooks_with_hostile_cells(
    header: list[str], rows: list[list[Any]]
) -> None:
    from openpyxl import Workbook
    from openpyxl.utils.exceptions import IllegalCharacterError

    from competency.framework.importers.spreadsheet import import_spreadsheet

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    try:
        for row in [header, *rows]:
            sheet.append(row)
    except IllegalCharacterError:
        return  # openpyxl cannot write control characters into a workbook at all
    buffer = io.BytesIO()
    book.save(buffer)
    outcome(import_spreadsheet, "s.xlsx", buffer.getvalue(), "xlsx")
