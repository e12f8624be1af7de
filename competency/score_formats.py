"""Writers for ``competency score``: one per ``--format``, each streaming records.

Each writer takes records one at a time (``write``) and finishes with ``close``, so
memory does not grow with the number of files. ``WRITERS`` maps format names to them.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from typing import IO, Any, Protocol

from competency.batch import Record
from competency.spreadsheet import inert


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


BASE_COLUMNS = (
    "file", "ok", "error", "name", "id", "unit", "framework_id", "framework_version",
    "status", "completion", "overall_level", "overall_rank",
)


class CsvWriter:
    """One row per file: the person, overall, then each area's level and rank.

    The area columns come from the first scored file's framework. A later file scored
    against a framework with other areas cannot fit those columns, so it is refused with
    a line saying to score it separately, rather than written into the wrong columns.
    """

    def __init__(self, stream: IO[str]) -> None:
        self.out = csv.writer(stream, lineterminator="\n")
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
            record = {
                "file": record["file"],
                "ok": False,
                "error": f"{record['file']}: framework {record['framework']['id']} has other "
                f"areas than framework {self.framework_id} in this CSV; score it separately",
            }
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
            record["file"], "true", "", subject["name"], subject.get("id") or "",
            subject.get("unit") or "", framework["id"], framework.get("version") or "",
            record["status"], record["completion"], record["overall"]["level"],
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
                Text(safe_text(record["subject"]["name"])),
                Text(f"{record['completion']:.0%}"),
                Text(record["overall"]["level"]),
            ]
            for area_id in areas:
                entry = record["areas"].get(area_id, {})
                cells.append(Text(entry.get("level", "-") if wide else _rank_cell(entry)))
            table.add_row(*cells)
        console.print(table)
        for code, entry in zip(codes, areas.values(), strict=True):
            console.print(Text(f"  {code:<4}  {safe_text(entry['title'])}"))
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


def safe_text(text: str) -> str:
    """Text with control characters (escape sequences included) shown, not obeyed."""
    return "".join(
        ch if ch.isprintable() or ch == " " else f"\\x{ord(ch):02x}" for ch in text
    )


WRITERS: dict[str, Callable[[IO[str]], RecordWriter]] = {
    "jsonl": JsonLinesWriter,
    "csv": CsvWriter,
    "table": TableWriter,
}
