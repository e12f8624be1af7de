"""``competency score --format xlsx``: a workbook for HR.

Three sheets: People (people x areas, level and rank; frozen header, filters), Refused
files (with the reasons), and Framework and rule (what the levels mean and how they are
found). xlsxwriter's ``constant_memory`` mode writes each row out as it comes, so a
workbook of ten thousand people takes no more memory than one of ten. Every text cell is
written with ``write_string``: a string cell, which no spreadsheet evaluates, holding the
text exactly (the CSV's apostrophe before formula-like text is for CSV only, where a cell
has no type; here Excel would show it, and filters and lookups would see it).
"""

from __future__ import annotations

from typing import IO, TYPE_CHECKING, Any

from competency.outputs.scores import ScoreStream, rule_lines, scored_source

if TYPE_CHECKING:
    from competency.framework.model import Framework
    from competency.records import Record, RecordArea, RecordLevel, ScoredRecord


def write_xlsx(stream: ScoreStream, out: IO[bytes]) -> None:
    """The workbook of every scored and refused file, in input order."""
    from xlsxwriter.exceptions import FileCreateError

    book = Workbook(_Sink(out), stream)
    for record in stream.records(one_set_of_areas="workbook"):
        book.add(record)
    try:
        book.close()
    except FileCreateError as exc:
        # xlsxwriter wraps the OSError of a full disk (or temporary folder) in its own
        # exception: give the command the OSError, which it reports in one line.
        cause = exc.args[0] if exc.args else None
        if isinstance(cause, OSError):
            raise cause from None
        raise OSError(str(exc)) from None


class _Sink:
    """``out`` as the zip file inside xlsxwriter writes it, quiet once ``out`` is closed.

    When a write fails (a full disk), the error is reported and the output is closed;
    the half-written zip archive, still alive in the error's traceback, later tries to
    finish itself on the closed file. Here that last attempt does nothing, instead of
    printing an "Exception ignored" traceback after the error's one line.
    """

    def __init__(self, out: IO[bytes]) -> None:
        self._out = out
        self._pos = 0
        self._end = 0

    def write(self, data: bytes) -> int:
        written = len(data) if self._out.closed else self._out.write(data)
        self._pos += written
        self._end = max(self._end, self._pos)
        return written

    def seek(self, offset: int, whence: int = 0) -> int:
        if not self._out.closed:
            self._pos = self._out.seek(offset, whence)
        else:
            self._pos = offset + (0, self._pos, self._end)[whence]
        return self._pos

    def tell(self) -> int:
        return self._pos

    def flush(self) -> None:
        if not self._out.closed:
            self._out.flush()

    def seekable(self) -> bool:
        return self._out.closed or self._out.seekable()


class Workbook:
    """The three sheets, filled one record at a time."""

    def __init__(self, out: IO[bytes] | _Sink, stream: ScoreStream) -> None:
        import xlsxwriter

        self.frameworks = stream.frameworks
        self.options = stream.options
        self.book = xlsxwriter.Workbook(
            out,
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
        self.columns = len(BASE_HEADINGS) + len(END_HEADINGS)
        self._heading(self.refusals, ["File", "Reason"])
        self.refusals.set_column(0, 0, 50)
        self.refusals.set_column(1, 1, 100)
        self.refusals.freeze_panes(1, 0)

    def add(self, record: Record) -> None:
        if record["ok"]:
            if self.areas is None:
                self._start_people(record)
            self._person(record)
        else:
            self._text(self.refusals, self.refused_row, 0, record["file"])
            self._text(self.refusals, self.refused_row, 1, record["error"])
            self.refused_row += 1

    def _heading(self, sheet: Any, headings: list[str]) -> None:
        for col, heading in enumerate(headings):
            sheet.write_string(0, col, heading, self.bold)

    def _text(self, sheet: Any, row: int, col: int, value: str | None) -> None:
        # write_string makes a string cell, which no spreadsheet evaluates: the text is
        # stored exactly (no apostrophe, which Excel would show and filters would see).
        if value:
            sheet.write_string(row, col, value)

    def _start_people(self, first: ScoredRecord) -> None:
        self.framework = self.frameworks.for_id(first["framework"]["id"], first["file"])
        self.areas = list(first["areas"])
        titles = [entry["title"] for entry in first["areas"].values()]
        headings = list(BASE_HEADINGS)
        for title in titles:
            headings += [title, f"{title} (rank)"]
        headings += END_HEADINGS  # added since: last, so columns read by position stay put
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
        end = len(BASE_HEADINGS) + 2 * len(titles)
        sheet.set_column(end, end, 21)
        sheet.set_column(end + 1, end + 1, 8)
        sheet.set_row(0, 45)
        sheet.freeze_panes(1, 2)

    def _person(self, record: ScoredRecord) -> None:
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
        self._text(sheet, row, col, record.get("updated_at"))
        self._text(sheet, row, col + 1, scored_source(record))
        self._text(sheet, row, col + 2, record.get("profile"))
        self.people_row += 1

    def _level(self, row: int, col: int, entry: RecordLevel | RecordArea) -> None:
        self.people.write_string(row, col, entry["level"])
        if entry["rank"] is not None:
            self.people.write_number(row, col + 1, entry["rank"])

    def close(self) -> None:
        if self.areas is None:
            self._people_layout([])
            self._heading(self.people, [*BASE_HEADINGS, *END_HEADINGS])
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
END_HEADINGS = ["Updated at", "Source", "Role profile"]
"""Columns added since, after the areas' (``scores.END_COLUMNS``)."""
COMPLETION = BASE_HEADINGS.index("Completion")
