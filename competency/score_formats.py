"""Writers for ``competency score``: one per ``--format``, each streaming records.

Each writer takes records one at a time (``write``) and finishes with ``close``, so
memory does not grow with the number of files. ``WRITERS`` maps format names to them.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from typing import IO, TYPE_CHECKING, Any, Protocol

from competency.batch import Record, ScoreOptions
from competency.errors import printable
from competency.spreadsheet import inert

if TYPE_CHECKING:
    from competency.bundled import FrameworkCache
    from competency.framework import Framework


class RecordWriter(Protocol):
    def write(self, record: Record) -> Record:
        """Write one record; return it, or the refused record it had to become."""

    def close(self) -> None:
        """Finish the output."""


class JsonLinesWriter:
    """SPEC 5's JSON lines: one object per input file."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def write(self, record: Record) -> Record:
        self.stream.write(json.dumps(record, ensure_ascii=False) + "\n")
        return record

    def close(self) -> None:
        self.stream.flush()


CSV_LINE_END = "\r\n"
"""RFC 4180's line end. It also makes the csv module quote a field holding a lone carriage
return, which with a plain "\n" it would write bare and break the row for every reader."""

BASE_COLUMNS = (
    "file",
    "ok",
    "error",
    "name",
    "id",
    "unit",
    "framework_id",
    "framework_version",
    "status",
    "completion",
    "overall_level",
    "overall_rank",
)


class CsvWriter:
    """One row per file: the person, overall, then each area's level and rank.

    The area columns come from the first scored file's framework. A later file scored
    against a framework with other areas cannot fit those columns, so it is refused with
    a line saying to score it separately, rather than written into the wrong columns.
    """

    def __init__(self, stream: IO[str]) -> None:
        self.out = csv.writer(stream, lineterminator=CSV_LINE_END)
        self.stream = stream
        self.areas: list[str] | None = None
        self.framework_id: str | None = None
        self.pending: list[Record] = []

    def write(self, record: Record) -> Record:
        if self.areas is None:
            if not record["ok"]:
                self.pending.append(record)  # columns unknown until a file is scored
                return record
            self._header(record)
            for waiting in self.pending:
                self._row(waiting)
            self.pending.clear()
        elif record["ok"] and list(record["areas"]) != self.areas:
            record = other_areas(record, self.framework_id, "CSV")
        self._row(record)
        return record

    def _header(self, first: Record) -> None:
        self.areas = list(first["areas"])
        self.framework_id = first["framework"]["id"]
        columns = list(BASE_COLUMNS)
        for area in self.areas:
            columns += [f"{area}_level", f"{area}_rank"]
        self.out.writerow(columns)

    def _row(self, record: Record) -> None:
        if not record["ok"]:
            self.out.writerow([inert(record["file"]), "false", inert(record["error"])])
            return
        subject, framework = record["subject"], record["framework"]
        row: list[Any] = [
            record["file"],
            "true",
            "",
            subject["name"],
            subject.get("id") or "",
            subject.get("unit") or "",
            framework["id"],
            framework.get("version") or "",
            record["status"],
            record["completion"],
            record["overall"]["level"],
            _rank(record["overall"]["rank"]),
        ]
        for area in self.areas or []:
            entry = record["areas"][area]
            row += [entry["level"], _rank(entry["rank"])]
        self.out.writerow([inert(cell) if isinstance(cell, str) else cell for cell in row])

    def close(self) -> None:
        if self.areas is None:
            self.out.writerow(BASE_COLUMNS)
            for waiting in self.pending:
                self._row(waiting)
        self.stream.flush()


def other_areas(record: Record, first_id: str | None, where: str) -> Record:
    """A scored record refused because its areas cannot share columns with the first file's."""
    return {
        "file": record["file"],
        "ok": False,
        "error": printable(
            f"{record['file']}: framework {record['framework']['id']} has other areas "
            f"than framework {first_id} in this {where}; score it separately"
        ),
    }


def _rank(rank: int | None) -> str | int:
    return "" if rank is None else rank


class TableWriter:
    """A rich table for people reading a terminal; refused files go to stderr only."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.rows: list[Record] = []

    def write(self, record: Record) -> Record:
        if record["ok"]:
            self.rows.append(record)
        return record

    def close(self) -> None:
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        console = Console(file=self.stream)
        if not self.rows:
            console.print("No file could be scored.")
            return
        areas = self.rows[0]["areas"]
        codes = area_codes([entry["title"] for entry in areas.values()])
        # Full level names need about 16 columns an area; narrower terminals get ranks.
        wide = console.width >= 40 + 16 * len(areas)
        table = Table(title="Levels per area", show_lines=False)
        table.add_column("Person", overflow="fold")
        table.add_column("Done", justify="right")
        table.add_column("Overall", overflow="fold")
        for code in codes:
            table.add_column(code, overflow="fold")
        for record in self.rows:
            # Text() never interprets markup, so a name like "[red]x" prints as written.
            cells = [
                Text(printable(record["subject"]["name"])),
                Text(f"{record['completion']:.0%}"),
                Text(printable(record["overall"]["level"])),
            ]
            for area_id in areas:
                entry = record["areas"].get(area_id, {})
                level = printable(entry.get("level", "-"))
                cells.append(Text(level if wide else _rank_cell(entry)))
            table.add_row(*cells)
        console.print(table)
        for code, entry in zip(codes, areas.values(), strict=True):
            console.print(Text(f"  {code:<4}  {printable(entry['title'])}"))
        if not wide:
            console.print(
                "  Cells are ranks: 1 is the first level of the ladder, 0 below it, "
                "- not assessed. A wider terminal shows the level names."
            )


def _rank_cell(entry: dict[str, Any]) -> str:
    rank = entry.get("rank")
    return "-" if rank is None else str(rank)


def area_codes(titles: list[str]) -> list[str]:
    """Short column heads for areas: the initials of each title, made unique."""
    codes: list[str] = []
    for title in titles:
        words = [w for w in title.replace("&", " ").split() if w[:1].isalnum()]
        code = "".join(w[0] for w in words).upper()[:4] or "?"
        candidate, n = code, 2
        while candidate in codes:
            candidate, n = f"{code}{n}", n + 1
        codes.append(candidate)
    return codes


WRITERS: dict[str, Callable[[IO[str]], RecordWriter]] = {
    "jsonl": JsonLinesWriter,
    "csv": CsvWriter,
    "table": TableWriter,
}


def rule_lines(framework: Framework, options: ScoreOptions) -> list[str]:
    """SPEC 4's scoring rule in words, with this run's threshold and ratings."""
    first = framework.levels[0].label
    ladder = ", ".join(f"{level.rank} {level.label}" for level in framework.levels)
    source = (
        "the supervisor's review ratings (--source review)"
        if options.source == "review"
        else "each person's own ratings (--source self)"
    )
    return [
        f"Ratings scored: {source}. Threshold: {options.threshold:g}.",
        "For each area, and overall, the levels are walked lowest first.",
        "A level with none of the area's statements, or where all of them are rated "
        "'na', is skipped.",
        "A level where none of the area's statements has a number stops the walk: the "
        "rest is unanswered.",
        f"A level whose mean numeric rating is at least {options.threshold:g} is reached and "
        "the walk goes on; a lower mean stops it.",
        f"The area's level is the last level reached. Ranks: {ladder}.",
        f"Rank 0, 'Below {first}': rated, but the first level was not reached. "
        "'Not assessed' (no rank): no numeric rating in the area.",
        "Completion: the share of statements answered, with a number or 'na'.",
    ]


class WorkbookWriter:
    """An XLSX workbook for HR: people x areas, refused files, and how levels are found.

    xlsxwriter's ``constant_memory`` mode writes each row out as it comes, so a workbook
    of ten thousand people takes no more memory than one of ten. Every text cell is
    written with ``write_string``, made inert like the CSV's, so no cell is ever a formula.
    """

    def __init__(
        self, stream: IO[bytes], frameworks: FrameworkCache, options: ScoreOptions
    ) -> None:
        import xlsxwriter

        self.frameworks = frameworks
        self.options = options
        self.book = xlsxwriter.Workbook(
            stream,
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        self.bold = self.book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        self.percent = self.book.add_format({"num_format": "0%"})
        self.wrap = self.book.add_format({"text_wrap": True, "valign": "top"})
        self.people = self.book.add_worksheet("People")
        self.refusals = self.book.add_worksheet("Refused files")
        self.about = self.book.add_worksheet("Framework and rule")
        self.people_row = 0
        self.refused_row = 1
        self.framework: Framework | None = None
        self.areas: list[str] | None = None
        self.columns = len(BASE_HEADINGS)
        self._heading(self.refusals, ["File", "Reason"])
        self.refusals.set_column(0, 0, 50)
        self.refusals.set_column(1, 1, 100)
        self.refusals.freeze_panes(1, 0)

    def write(self, record: Record) -> Record:
        if record["ok"]:
            if self.areas is None:
                self._start_people(record)
            elif list(record["areas"]) != self.areas:
                record = other_areas(
                    record, self.framework.id if self.framework else None, "workbook"
                )
        if record["ok"]:
            self._person(record)
        else:
            self._text(self.refusals, self.refused_row, 0, record["file"])
            self._text(self.refusals, self.refused_row, 1, record["error"])
            self.refused_row += 1
        return record

    def _heading(self, sheet: Any, headings: list[str]) -> None:
        for col, heading in enumerate(headings):
            sheet.write_string(0, col, inert(heading), self.bold)

    def _text(self, sheet: Any, row: int, col: int, value: str | None) -> None:
        if value:
            sheet.write_string(row, col, inert(value))

    def _start_people(self, first: Record) -> None:
        self.framework = self.frameworks.for_id(first["framework"]["id"], first["file"])
        self.areas = list(first["areas"])
        titles = [entry["title"] for entry in first["areas"].values()]
        headings = list(BASE_HEADINGS)
        for title in titles:
            headings += [title, f"{title} (rank)"]
        self.columns = len(headings)
        self._people_layout(titles)
        self._heading(self.people, headings)
        self.people_row = 1

    def _people_layout(self, titles: list[str]) -> None:
        sheet = self.people
        for col, width in enumerate(BASE_WIDTHS):
            sheet.set_column(col, col, width, self.percent if col == COMPLETION else None)
        for i, title in enumerate(titles):
            col = len(BASE_HEADINGS) + 2 * i
            sheet.set_column(col, col, min(max(len(title), 14), 30))
            sheet.set_column(col + 1, col + 1, 8)
        sheet.set_row(0, 45)
        sheet.freeze_panes(1, 2)

    def _person(self, record: Record) -> None:
        sheet, row = self.people, self.people_row
        subject = record["subject"]
        texts = [
            record["file"],
            subject["name"],
            subject.get("id"),
            subject.get("unit"),
            record["status"],
        ]
        for col, text in enumerate(texts):
            self._text(sheet, row, col, text)
        sheet.write_number(row, COMPLETION, record["completion"], self.percent)
        self._level(row, COMPLETION + 1, record["overall"])
        col = COMPLETION + 3
        for area in self.areas or []:
            self._level(row, col, record["areas"][area])
            col += 2
        self.people_row += 1

    def _level(self, row: int, col: int, entry: dict[str, Any]) -> None:
        self.people.write_string(row, col, inert(entry["level"]))
        if entry["rank"] is not None:
            self.people.write_number(row, col + 1, entry["rank"])

    def close(self) -> None:
        if self.areas is None:
            self._people_layout([])
            self._heading(self.people, list(BASE_HEADINGS))
            self.people_row = 1
        self.people.autofilter(0, 0, max(self.people_row - 1, 0), self.columns - 1)
        if self.refused_row > 1:
            self.refusals.autofilter(0, 0, self.refused_row - 1, 1)
        self._describe()
        self.book.close()

    def _describe(self) -> None:
        sheet, framework = self.about, self.framework
        sheet.set_column(0, 0, 24)
        sheet.set_column(1, 1, 90, self.wrap)
        rows: list[tuple[str, str]] = []
        if framework is None:
            rows.append(("Framework", "No file was scored."))
        else:
            rows += [
                ("Framework", framework.title),
                ("Id", framework.id),
                ("Version", framework.version or ""),
                ("Fingerprint", framework.fingerprint),
                ("Attribution", framework.attribution or ""),
            ]
            for level in framework.levels:
                rows.append((f"Level {level.rank}", level.label))
            if not framework.has_area_map:
                rows.append(("Areas", "No area map: every statement is one area, 'all'."))
            for area in framework.areas:
                count = len(area.statement_ids)
                about = f"{area.title} ({count} statements)"
                if area.description:
                    about += f": {area.description}"
                rows.append((f"Area {area.id}", about))
            for i, line in enumerate(rule_lines(framework, self.options)):
                rows.append(("Scoring rule" if i == 0 else "", line))
        self._heading(sheet, ["About", "Value"])
        for row, (key, value) in enumerate(rows, start=1):
            self._text(sheet, row, 0, key)
            self._text(sheet, row, 1, value)


BASE_HEADINGS = (
    "File",
    "Name",
    "Id",
    "Unit",
    "Status",
    "Completion",
    "Overall",
    "Overall (rank)",
)
BASE_WIDTHS = (40, 26, 10, 18, 12, 11, 16, 8)
COMPLETION = BASE_HEADINGS.index("Completion")
