"""A framework as a spreadsheet a person can edit and import again (CSV or XLSX).

One row per statement with the columns ``competency import`` reads. Rows are ordered so
that importing the sheet gives back the same framework: each level's statements keep
their positions (so their ids), the ``rank`` column fixes the ladder, and the areas
first appear in the area map's order wherever the levels allow it.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from competency.framework.model import Framework, Statement
from competency.outputs import as_text
from competency.text import cell


@dataclass(frozen=True)
class FrameworkExport:
    """A framework to write out, with what its file holds beyond the resolved model."""

    framework: Framework
    statement_sources: dict[str, str] = field(default_factory=dict)
    """Statement id -> its identifier in the source it was imported from."""
    document: dict[str, object] = field(default_factory=dict)
    """The framework file's JSON object as written (for the CASE package's metadata)."""


def build_export(framework: Framework) -> FrameworkExport:
    """Read what the framework's file holds beyond the model: its ``provenance``."""
    document: dict[str, object] = {}
    sources: dict[str, str] = {}
    if framework.source_path is not None:
        from competency.files import read_input

        loaded = json.loads(read_input(Path(framework.source_path)).decode("utf-8-sig"))
        document = loaded if isinstance(loaded, dict) else {}
        provenance = document.get("provenance")
        statements = provenance.get("statements") if isinstance(provenance, dict) else None
        if isinstance(statements, dict):
            for sid, origin in statements.items():
                if isinstance(origin, dict) and isinstance(origin.get("id"), str):
                    sources[sid] = origin["id"]
    return FrameworkExport(framework, sources, document)


def sheet_order(framework: Framework) -> list[Statement]:
    """Every statement once, each level's in position order, areas first met in map order.

    A merge of the levels' sequences: take a statement of an area already met when one
    is at the head of a level (lowest level first), else one of the next area in the map.
    When neither exists the levels cannot be merged that way, and the lowest level's next
    statement is taken: importing the sheet then lists that area earlier.
    """
    queues = {
        level.key: [s for s in framework.statements if s.level == level.key]
        for level in framework.levels
    }
    expected = [area.id for area in framework.areas]
    met: set[str] = set()
    order: list[Statement] = []
    while any(queues.values()):
        heads = [queue[0] for queue in queues.values() if queue]
        next_area = next((a for a in expected if a not in met), None)
        pick = next((s for s in heads if s.area in met), None)
        pick = pick or next((s for s in heads if s.area == next_area), None) or heads[0]
        queues[pick.level].pop(0)
        met.add(pick.area)
        order.append(pick)
    return order


def columns(export: FrameworkExport) -> list[str]:
    """The columns the sheet needs: ``area_id``, ``level_key`` and ``rank`` only where the
    import's defaults (a slug of the title or label, the order of first appearance) would
    not give back the same framework."""
    from competency.framework.importers import slug

    fw = export.framework
    names = []
    if fw.has_area_map:
        names.append("area")
        if any(area.id != slug(area.title) for area in fw.areas):
            names.append("area_id")
        names.append("area_description")
    names.append("level")
    if any(level.key != slug(level.label) for level in fw.levels):
        names.append("level_key")
    first_seen = list(dict.fromkeys(s.level for s in sheet_order(fw)))
    if first_seen != [level.key for level in fw.levels]:
        names.append("rank")
    names.append("statement")
    if export.statement_sources:
        names.append("source_id")
    return names


ABOUT_SHEET = "About"
"""The workbook's second sheet: the framework's id, title, version and attribution, which
``competency import`` reads back, so the name and the credit its licence asks for travel
with the workbook while the first sheet stays a plain table (header on row 1)."""


def about(export: FrameworkExport) -> list[list[str]]:
    """The About sheet's rows: a header, then one field a row."""
    fw = export.framework
    fields: list[tuple[str, str | None]] = [("id", fw.id), ("title", fw.title)]
    fields += [("version", fw.version), ("attribution", fw.attribution)]
    return [["field", "value"], *([name, value] for name, value in fields if value)]


def rows(export: FrameworkExport) -> Iterator[list[str]]:
    """The header, then one row per statement; an area's description on its first row."""
    fw = export.framework
    names = columns(export)
    yield names
    described: set[str] = set()
    for statement in sheet_order(fw):
        level = fw.level_by_key[statement.level]
        area = fw.area_by_id[statement.area]
        values = {
            "area": area.title,
            "area_id": area.id,
            "area_description": area.description if area.id not in described else "",
            "level": level.label,
            "level_key": level.key,
            "rank": str(level.rank),
            "statement": statement.text,
            "source_id": export.statement_sources.get(statement.id, ""),
        }
        described.add(area.id)
        yield [values[name] for name in names]


def write_csv(export: FrameworkExport, out: IO[bytes]) -> None:
    """The sheet as CSV: UTF-8 with a BOM (so spreadsheets read it as UTF-8), CRLF."""
    out.write(b"\xef\xbb\xbf")
    with as_text(out) as text:
        writer = csv.writer(text, lineterminator="\r\n")
        for row in rows(export):
            writer.writerow([cell(value) for value in row])


def write_xlsx(export: FrameworkExport, out: IO[bytes]) -> None:
    """The sheet as an XLSX workbook: the statements on the first sheet, a frozen header."""
    import xlsxwriter

    book = xlsxwriter.Workbook(
        out,
        {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
    )
    bold = book.add_format({"bold": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    sheet = book.add_worksheet("Framework")
    widths = {"area": 28, "area_description": 40, "level": 14, "statement": 90}
    for row, values in enumerate(rows(export)):
        for col, value in enumerate(values):
            # A string cell is never evaluated: the text goes in exactly, no apostrophe.
            sheet.write_string(row, col, value, bold if row == 0 else wrap)
    for col, name in enumerate(columns(export)):
        sheet.set_column(col, col, widths.get(name, 12))
    sheet.freeze_panes(1, 0)
    info = book.add_worksheet(ABOUT_SHEET)
    for row, values in enumerate(about(export)):
        for col, value in enumerate(values):
            info.write_string(row, col, value, bold if row == 0 else wrap)
    info.set_column(0, 0, 14)
    info.set_column(1, 1, 90)
    book.close()
