"""A framework from a spreadsheet: CSV, or an XLSX workbook's first sheet (SPEC 6).

One row per statement under a header row. Columns, matched case-insensitively (spaces and
hyphens count as underscores): ``level`` (required), ``statement`` or ``topic`` and
``description`` (required), and optionally ``rank`` (1 = lowest), ``level_key``, ``area``,
``area_id`` (default: a slug of the title), ``area_description`` and ``source_id`` (the
statement's identifier where the sheet came from, kept as provenance). Rows are numbered
as a spreadsheet numbers them (the first row is row 1), so every refusal names the row a
person can find. Headings people write for these (``Competency area``, ``Proficiency
level``...) are understood (``HEADINGS``), ``--columns`` names the rest, and any other
column is left out with one line naming it.

Rows above the header whose first cell begins with ``#`` are notes. ``# title: ...``,
``# id: ...``, ``# version: ...`` and ``# attribution: ...`` give those fields (the options
of ``competency import`` win); any other note (a credit line, a licence) is the framework's
attribution when none is given, so the credit a sheet carries is never dropped. A workbook
``export-framework`` wrote carries the same fields on its ``About`` sheet.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from competency.framework.importers import (
    FrameworkBuilder,
    ImportedArea,
    ImportedFramework,
    ImportRefused,
    check_id,
    clean,
    id_from_path,
    join_topic,
)
from competency.text import uncell

COLUMNS = (
    "area",
    "area_id",
    "area_description",
    "level",
    "level_key",
    "rank",
    "statement",
    "topic",
    "description",
    "source_id",
)
"""Every column the sheet may have, in the order ``export-framework`` writes them."""

HEADINGS = {
    "competency_area": "area",
    "area_title": "area",
    "area_name": "area",
    "domain": "area",
    "category": "area",
    "competency_group": "area",
    "competency_area_description": "area_description",
    "domain_description": "area_description",
    "level_name": "level",
    "proficiency_level": "level",
    "proficiency": "level",
    "stage": "level",
    "level_rank": "rank",
    "level_number": "rank",
    "competency": "statement",
    "competency_statement": "statement",
    "statement_text": "statement",
    "indicator": "statement",
    "behaviour": "statement",
    "behavior": "statement",
    "competency_title": "topic",
    "competency_description": "description",
    "details": "description",
    "definition": "description",
    "code": "source_id",
    "identifier": "source_id",
    "reference": "source_id",
}
"""Headings people write, as the column each means (after the same folding of case,
spaces and hyphens)."""

NOTE_FIELDS = ("id", "title", "version", "attribution")
"""The fields a ``# name: value`` note above the header gives."""

Rows = Iterator[tuple[int, list[str]]]

MAX_ROWS = 100_000
"""More rows than any framework has; a workbook claiming more is refused, not read."""
MAX_COLUMNS = 64
"""The columns of a workbook's sheet that are read; a framework sheet uses at most ten."""


def read_csv_rows(data: bytes, source: str) -> Rows:
    """The CSV's records as (row number, cells). A BOM, CRLF and quoted line breaks are fine."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused(
            f"not UTF-8 text (byte {exc.start}); save the sheet as 'CSV UTF-8'", source=source
        ) from None
    first_line = text.split("\n", 1)[0]
    # Spreadsheets in many European locales save CSV with semicolons.
    delimiter = ";" if "," not in first_line and ";" in first_line else ","
    if "," not in first_line and ";" not in first_line and "\t" in first_line:
        delimiter = "\t"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    row = 0
    try:
        for row, cells in enumerate(reader, start=1):
            yield row, cells
    except csv.Error as exc:
        raise ImportRefused(
            f"not valid CSV ({exc})", source=source, location=f"row {row + 1}"
        ) from None


MAX_ROW_CELLS = 16_384
"""The most cells a row may hold: Excel's own column limit. openpyxl builds a whole row
before ``max_col`` cuts it, so one row of 3 million cells (a 336 KB file) took 2.8 GB."""
MAX_SHARED_STRINGS = 200_000
"""The most shared strings a workbook may hold: openpyxl reads them all when it opens the
workbook (5 million took 497 MB). A framework sheet holds a few per statement."""
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
"""The most the sheets and shared strings may unpack to: they are scanned before opening."""

_CELL_OR_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(c|row|si)[\s>/]")


def _check_xlsx_bounds(data: bytes, source: str) -> None:
    """Refuse a workbook whose rows or shared strings would cost more than their bounds,
    scanning its XML as a stream (the memory is one chunk, the time linear)."""
    import zipfile

    try:
        book = zipfile.ZipFile(io.BytesIO(data))
        parts = [
            info
            for info in book.infolist()
            if info.filename.startswith("xl/worksheets/") or info.filename == "xl/sharedStrings.xml"
        ]
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # openpyxl names what is wrong
    if sum(info.file_size for info in parts) > MAX_UNPACKED_BYTES:
        raise ImportRefused(
            f"the workbook's sheets unpack to more than {MAX_UNPACKED_BYTES // 2**20} MB",
            source=source,
        )
    for info in parts:
        cells = strings = 0
        tail = b""
        try:
            with book.open(info) as stream:
                while chunk := stream.read(1 << 20):
                    text = tail + chunk
                    keep = max(0, len(text) - 64)
                    for found in _CELL_OR_ROW.finditer(text):
                        if found.start() >= keep:
                            break  # counted with the next chunk
                        kind = found.group(1)
                        if kind == b"row":
                            cells = 0
                        elif kind == b"c":
                            cells += 1
                            if cells > MAX_ROW_CELLS:
                                raise ImportRefused(
                                    f"a row of {info.filename} holds more than "
                                    f"{MAX_ROW_CELLS:,} cells",
                                    source=source,
                                )
                        else:
                            strings += 1
                            if strings > MAX_SHARED_STRINGS:
                                raise ImportRefused(
                                    f"the workbook holds more than {MAX_SHARED_STRINGS:,} "
                                    "shared strings",
                                    source=source,
                                )
                    tail = text[keep:]
        except ImportRefused:
            raise
        except Exception:
            return  # a damaged part: openpyxl names what is wrong


def read_xlsx_rows(data: bytes, source: str) -> tuple[str, list[str], Rows, dict[str, str]]:
    """The first visible sheet's title, the other sheets' titles, its rows as text, and the
    fields of an ``About`` sheet as ``export-framework`` writes it (id, title, version,
    attribution)."""
    import warnings

    from openpyxl import load_workbook

    _check_xlsx_bounds(data, source)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns of styles it cannot read
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheets = book.worksheets
    except Exception as exc:  # a broken zip or XML fails in many ways inside openpyxl
        raise ImportRefused(
            f"not a readable XLSX workbook ({type(exc).__name__})", source=source
        ) from None
    if not sheets:
        raise ImportRefused("the workbook has no sheet", source=source)
    # The first sheet a person sees: a hidden or "very hidden" sheet (which no spreadsheet
    # shows, even in its list of sheets) is never what they meant to import.
    shown = [sheet for sheet in sheets if getattr(sheet, "sheet_state", "visible") == "visible"]
    if not shown:
        raise ImportRefused(
            "every sheet of the workbook is hidden; show the one to import", source=source
        )
    first = shown[0]

    def rows() -> Rows:
        try:
            # A workbook is compressed: 10 MB can claim millions of cells. A framework has
            # one row per statement and a few columns, so the sheet is read within bounds.
            cells = first.iter_rows(max_row=MAX_ROWS + 1, max_col=MAX_COLUMNS, values_only=True)
            for row, values in enumerate(cells, start=1):
                if row > MAX_ROWS:
                    raise ImportRefused(
                        f"sheet {first.title!r} has more than {MAX_ROWS:,} rows",
                        source=source,
                        location=f"row {row}",
                    )
                yield row, [_cell_text(value) for value in values]
        except ImportRefused:
            raise
        except Exception as exc:
            raise ImportRefused(
                f"cannot read sheet {first.title!r} ({type(exc).__name__})", source=source
            ) from None

    fields: dict[str, str] = {}
    others = []
    for sheet in sheets:
        if sheet is first:
            continue
        found = _about_fields(sheet) if str(sheet.title).casefold() == "about" else None
        if found is None:
            others.append(str(sheet.title))
        else:
            fields = found
    return str(first.title), others, rows(), fields


def _about_fields(sheet: Any) -> dict[str, str] | None:
    """``field``/``value`` rows naming the framework, or ``None`` for another kind of sheet."""
    try:
        values = list(sheet.iter_rows(max_row=len(NOTE_FIELDS) + 1, max_col=2, values_only=True))
    except Exception:  # openpyxl fails in many ways on a broken sheet: it is not an About sheet
        return None
    cells = [[_cell_text(v).strip() for v in row] + ["", ""] for row in values]
    if not cells or [c.lower() for c in cells[0][:2]] != ["field", "value"]:
        return None
    return {
        row[0].lower(): " ".join(row[1].split())
        for row in cells[1:]
        if row[0].lower() in NOTE_FIELDS and row[1].strip()
    }


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def heading_key(name: str) -> str:
    """A heading as columns are matched: lower case, spaces and hyphens as underscores."""
    return "_".join(name.strip().lower().replace("-", " ").split())


def parse_columns(text: str) -> dict[str, str]:
    """``--columns "Competence=statement, Group=area"``: a heading -> the column it is."""
    named: dict[str, str] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        heading, sep, column = part.partition("=")
        column = heading_key(column)
        if not sep or not heading.strip() or column not in COLUMNS:
            raise ValueError(
                f"{part.strip()!r} is not HEADING=COLUMN with a column of: {', '.join(COLUMNS)}"
            )
        named[heading_key(heading)] = column
    return named


def _header(
    cells: Sequence[str], row: int, source: str, named: dict[str, str]
) -> tuple[dict[str, int], list[str]]:
    """The column of each name, and a line for each column left out."""
    columns: dict[str, int] = {}
    headings: dict[str, str] = {}
    ignored: list[str] = []
    for index, name in enumerate(cells):
        written = heading_key(name)
        if not written:
            continue  # an empty heading is refused below only if its column holds data
        key = named.get(written) or (written if written in COLUMNS else HEADINGS.get(written))
        if key is None:
            ignored.append(
                f"column {index + 1} ({name.strip()[:40]!r}): not a framework column, left "
                f"out (the columns are {', '.join(COLUMNS)}; --columns names others)"
            )
            columns[f"ignored:{index}"] = index
            continue
        if key in columns:
            raise ImportRefused(
                f"column {key!r} appears twice (as {headings[key]!r} and {name.strip()[:40]!r})",
                source=source,
                location=f"row {row}",
            )
        columns[key] = index
        headings[key] = name.strip()[:40]
    for required in ("level",):
        if required not in columns:
            raise ImportRefused(
                f"no {required!r} column in the header row", source=source, location=f"row {row}"
            )
    if "statement" in columns and ("topic" in columns or "description" in columns):
        raise ImportRefused(
            "give a 'statement' column, or 'topic' and 'description', not both",
            source=source,
            location=f"row {row}",
        )
    if "statement" not in columns and "topic" not in columns:
        raise ImportRefused(
            "no 'statement' column (or 'topic' and 'description') in the header row",
            source=source,
            location=f"row {row}",
        )
    return columns, ignored


def _note(text: str, fields: dict[str, str], notes: list[str]) -> None:
    """A ``#`` row above the header: a field (``# title: ...``) or a note kept as credit."""
    body = text[1:].strip()
    name, sep, value = body.partition(":")
    if sep and name.strip().lower() in NOTE_FIELDS and value.strip():
        fields.setdefault(name.strip().lower(), " ".join(value.split()))
    elif body:
        notes.append(" ".join(body.split()))


def import_rows(
    rows: Rows,
    *,
    source: str,
    path: Path,
    fmt: str,
    framework_id: str | None,
    title: str | None,
    version: str | None,
    attribution: str | None,
    sheet: str | None = None,
    other_sheets: Sequence[str] = (),
    named_columns: dict[str, str] | None = None,
    fields: dict[str, str] | None = None,
) -> ImportedFramework:
    """Build a framework from a sheet's rows (row number, cells), header first.

    ``fields`` (id, title, version, attribution) come from a workbook's About sheet; the
    sheet's own ``#`` notes add to them, and the options win over both.
    """
    builder = FrameworkBuilder(source)
    fields = dict(fields or {})
    notes: list[str] = []
    ranks: dict[str, int] = {}
    rank_rows: dict[int, str] = {}
    level_rows: dict[str, str] = {}
    origins: dict[str, dict[str, str]] = {}
    for row, cells in rows:
        first = next((cell.strip() for cell in cells if cell.strip()), "")
        if first.startswith("#"):
            # An unquoted note with commas in a CSV is split into cells: join them again.
            note = ",".join(cells).strip().rstrip(",").strip()
            _note(clean(note, source=source, location=f"row {row}"), fields, notes)
            continue
        if first:  # blank rows before the header are ordinary
            columns, ignored = _header(cells, row, source, named_columns or {})
            break
    else:
        raise ImportRefused("the sheet is empty: no header row", source=source)
    named = set(columns.values())
    for row, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue
        here = f"row {row}"
        for index, value in enumerate(cells):
            if index not in named and value.strip():
                raise ImportRefused(
                    f"column {index + 1} holds {value.strip()[:40]!r} but has no heading",
                    source=source,
                    location=here,
                )

        def get(name: str, cells: list[str] = cells, here: str = here) -> str:
            index = columns.get(name)
            if index is None or index >= len(cells):
                return ""
            return clean(uncell(cells[index]), source=source, location=f"{here}, column {name!r}")

        label = get("level")
        text = (
            get("statement")
            if "statement" in columns
            else join_topic(get("topic"), get("description"))
        )
        if "statement" not in columns and not get("topic") and get("description"):
            raise ImportRefused("has a description but no topic", source=source, location=here)
        if label and not text:
            raise ImportRefused(
                f"has the level {label!r} but no statement", source=source, location=here
            )
        if text and not label:
            raise ImportRefused("has a statement but no level", source=source, location=here)
        if not label:
            # Only headings without data, or area text alone: nothing to carry.
            raise ImportRefused("has no level and no statement", source=source, location=here)
        key = builder.level(label, here, key=get("level_key") or None)
        level_rows.setdefault(key, here)
        rank_text = get("rank")
        if rank_text:
            try:
                rank = int(rank_text)
            except ValueError:
                rank = 0
            if rank < 1:
                raise ImportRefused(
                    f"rank {rank_text!r} is not a whole number from 1 (the lowest level)",
                    source=source,
                    location=f"{here}, column 'rank'",
                )
            if ranks.get(key, rank) != rank:
                raise ImportRefused(
                    f"level {label!r} already has rank {ranks[key]}, not {rank}",
                    source=source,
                    location=f"{here}, column 'rank'",
                )
            if rank_rows.get(rank, key) != key:
                other = builder.levels[rank_rows[rank]].label
                raise ImportRefused(
                    f"rank {rank} is already the level {other!r}",
                    source=source,
                    location=f"{here}, column 'rank'",
                )
            ranks[key] = rank
            rank_rows[rank] = key
        area_id = None
        if "area" in columns:
            area_title = get("area")
            if not area_title:
                raise ImportRefused(
                    "has no area; with an 'area' column every statement needs one",
                    source=source,
                    location=here,
                )
            area_id = builder.area(
                area_title, here, get("area_description"), area_id=get("area_id") or None
            )
        elif get("area_description") or get("area_id"):
            raise ImportRefused(
                "has an area_id or area_description but the sheet has no 'area' column",
                source=source,
                location=here,
            )
        source_id = get("source_id")
        sid = builder.statement(key, text, here, area_id=area_id)
        if source_id:
            origins[sid] = {"id": source_id}
    if not builder.levels:
        raise ImportRefused("the sheet has a header row but no statements", source=source)
    if "rank" in columns:
        for key, where in level_rows.items():
            if key not in ranks:
                label = builder.levels[key].label
                raise ImportRefused(
                    f"level {label!r} has no rank; with a 'rank' column every level needs one",
                    source=source,
                    location=where,
                )
    provenance: dict[str, Any] = {"format": fmt, "file": path.name}
    if sheet is not None:
        provenance["sheet"] = sheet
    if origins:
        provenance["statements"] = origins
    areas: list[ImportedArea] | None = list(builder.areas.values()) if "area" in columns else None
    framework_id = check_id(framework_id or fields.get("id") or id_from_path(path), source)
    return ImportedFramework(
        id=framework_id,
        title=title or fields.get("title") or path.stem,
        version=version or fields.get("version"),
        description="",
        levels=builder.ordered_levels(ranks or None),
        areas=areas,
        provenance=provenance,
        attribution=attribution or fields.get("attribution") or " ".join(notes) or None,
        not_carried=[
            *ignored,
            *(f"sheet {name!r}: only the first visible sheet is read" for name in other_sheets),
        ],
    )


def import_spreadsheet(
    path: Path,
    data: bytes,
    fmt: str,
    *,
    framework_id: str | None = None,
    title: str | None = None,
    version: str | None = None,
    attribution: str | None = None,
    named_columns: dict[str, str] | None = None,
) -> ImportedFramework:
    """A framework from a CSV file's bytes (``fmt="csv"``) or an XLSX workbook's."""
    source = str(path)
    options: dict[str, Any] = {
        "source": source,
        "path": path,
        "fmt": fmt,
        "framework_id": framework_id,
        "title": title,
        "version": version,
        "attribution": attribution,
        "named_columns": named_columns,
    }
    if fmt == "xlsx":
        sheet, others, rows, fields = read_xlsx_rows(data, source)
        return import_rows(rows, sheet=sheet, other_sheets=others, fields=fields, **options)
    return import_rows(read_csv_rows(data, source), **options)
