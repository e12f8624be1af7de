"""``competency score``'s outputs: the stream of scored records, and its text formats.

``ScoreStream`` is the model every score writer takes: the files to score and how, handed
out as records (or, for JSON lines, as text already encoded by the workers). It counts
refusals and reports progress as records pass, so a writer only lays records out, and
memory does not grow with the number of files. The XLSX workbook is in ``workbook``.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from competency import outputs
from competency.outputs import as_text, more_rows, text_console
from competency.outputs.words import fmt_mean
from competency.ratings import below_label
from competency.records import Record, RecordArea, RecordLevel, RefusedRecord, ScoredRecord
from competency.scoring import NOT_IN_ROLE
from competency.text import cell, terminal

if TYPE_CHECKING:
    from competency.batch import ScoreOptions
    from competency.framework.bundled import FrameworkResolver
    from competency.framework.model import Framework


def _ignore(_: Any) -> None:
    return None


@dataclass
class ScoreStream:
    """The files of one ``score`` run, scored in input order as a writer asks for them.

    ``on_refused`` gets each refusal line (for stderr), ``on_progress`` the number of files
    each chunk held. ``refused`` counts the files refused so far.
    """

    files: Iterable[str]
    frameworks: FrameworkResolver
    options: ScoreOptions
    jobs: int | None = None
    on_refused: Callable[[str], None] = _ignore
    on_progress: Callable[[int], None] = _ignore
    on_scored: Callable[[], None] = lambda: None
    """Called by a writer that has every record before it writes (the terminal table), so
    the progress bar is gone before the table is drawn where it stood."""
    refused: int = 0

    def _refuse(self, line: str) -> None:
        self.refused += 1
        self.on_refused(line)

    def lines(self) -> Iterator[bytes]:
        """SPEC 5's JSON lines, one chunk of files at a time, encoded as UTF-8 by the workers."""
        from competency.batch import score_batches

        for batch in score_batches(
            self.files, self.frameworks, self.options, jobs=self.jobs, lines=True
        ):
            for line in batch.errors:
                self._refuse(line)
            yield batch.text
            self.on_progress(batch.files)

    def records(self, *, one_set_of_areas: str | None = None) -> Iterator[Record]:
        """Every file's record, in input order.

        With ``one_set_of_areas`` (the output's name, e.g. ``"CSV"``), a file scored against
        a framework whose areas differ from the first scored file's is refused: it cannot
        share the output's columns, and is never written into the wrong ones.
        """
        from competency.batch import score_batches

        areas: list[str] | None = None
        first_id: str | None = None
        for batch in score_batches(self.files, self.frameworks, self.options, jobs=self.jobs):
            for record in batch.records:
                if one_set_of_areas and record["ok"]:
                    if areas is None:
                        areas, first_id = list(record["areas"]), record["framework"]["id"]
                    elif list(record["areas"]) != areas:
                        record = other_areas(record, first_id, one_set_of_areas)
                if not record["ok"]:
                    self._refuse(record["error"])
                yield record
            self.on_progress(batch.files)


def other_areas(record: ScoredRecord, first_id: str | None, where: str) -> RefusedRecord:
    """A scored record refused because its areas cannot share columns with the first file's."""
    return {
        "file": record["file"],
        "ok": False,
        "error": terminal(
            f"{record['file']}: framework {record['framework']['id']} has other areas "
            f"than framework {first_id} in this {where}; score it separately"
        ),
    }


def write_jsonl(stream: ScoreStream, out: IO[bytes]) -> None:
    """SPEC 5's JSON lines: one object per input file, in input order."""
    for chunk in stream.lines():
        out.write(chunk)  # one write per chunk, records already encoded


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

END_COLUMNS = ("updated_at", "source", "profile")
"""Columns added since: after the area columns, so scripts reading by position still
find every column where it was. ``source`` says whose ratings were scored: ``self`` or
``review`` (``--source review-or-self`` mixes them); ``profile`` the role profile the
assessment names (SPEC 9), empty for none."""


def write_csv(stream: ScoreStream, out: IO[bytes]) -> None:
    """One row per file: the person, overall, then each area's level and rank.

    The area columns come from the first scored file's framework; files refused before it
    wait until the header is known.
    """
    with as_text(out) as text:
        rows = csv.writer(text, lineterminator=CSV_LINE_END)
        areas: list[str] | None = None
        waiting: list[Record] = []
        for record in stream.records(one_set_of_areas="CSV"):
            if areas is None:
                if not record["ok"]:
                    waiting.append(record)
                    continue
                areas = list(record["areas"])
                rows.writerow(
                    [
                        *BASE_COLUMNS,
                        *(f"{a}_{part}" for a in areas for part in ("level", "rank")),
                        *END_COLUMNS,
                    ]
                )
            if waiting:
                rows.writerows(_csv_row(w, areas) for w in waiting)
                waiting.clear()
            rows.writerow(_csv_row(record, areas))
        if areas is None:
            rows.writerow([*BASE_COLUMNS, *END_COLUMNS])
            rows.writerows(_csv_row(w, []) for w in waiting)


def _csv_row(record: Record, areas: list[str]) -> list[Any]:
    if not record["ok"]:
        return [cell(record["file"]), "false", cell(record["error"])]
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
    for area in areas:
        entry = record["areas"][area]
        row += [entry["level"], _rank(entry["rank"])]
    row += [record.get("updated_at") or "", scored_source(record), record.get("profile") or ""]
    return [cell(value) if isinstance(value, str) else value for value in row]


def scored_source(record: ScoredRecord) -> str:
    """Whose ratings were scored: ``self`` unless the record says otherwise."""
    return record.get("source", "self")


def _rank(rank: int | None) -> str | int:
    return "" if rank is None else rank


def write_table(stream: ScoreStream, out: IO[bytes]) -> None:
    """A rich table for people reading a terminal; refused files go to stderr only.

    Every row is two lines (the name, then its file; a name longer than the column
    folds) and the table keeps to the terminal's width: level names where they fit whole,
    else ranks (areas first, then overall), and the person column takes what is left, a
    long file cut at its start.
    """
    from rich.table import Table
    from rich.text import Text

    scored = [r for r in stream.records(one_set_of_areas="table") if r["ok"]]
    stream.on_scored()
    rows = scored[: outputs.TABLE_ROWS]
    with as_text(out) as text:
        console = text_console(text)
        if not rows:
            console.print("No file could be scored.")
            return
        areas = list(rows[0]["areas"])
        codes = area_codes([entry["title"] for entry in rows[0]["areas"].values()])
        names = [terminal(record["subject"]["name"]) for record in rows]
        files = [terminal(record["file"]) for record in rows]
        overall = [terminal(record["overall"]["level"]) for record in rows]
        cells = [[terminal(record["areas"][a]["level"]) for record in rows] for a in areas]
        layout = TableLayout.fit(console.width, names, files, overall, codes, cells)
        table = Table(title="Levels per area", show_lines=False)
        # A name longer than the column folds (a name is never cut); its file is cut at
        # its start to one line, so a row is two lines but for the rare long name.
        table.add_column("Person / file", width=layout.person, overflow="fold")
        table.add_column("Done", justify="right", no_wrap=True)
        table.add_column("Overall", no_wrap=True, min_width=layout.overall)
        for code, width in zip(codes, layout.areas, strict=True):
            table.add_column(code, no_wrap=True, min_width=width)
        for i, record in enumerate(rows):
            # Text() never interprets markup, so a name like "[red]x" prints as written.
            person = Text(names[i] + "\n")
            person.append(cut_start(files[i], layout.person), style="dim")
            row = [
                person,
                Text(f"{record['completion']:.0%}"),
                Text(overall[i] if layout.overall_names else _rank_cell(record["overall"])),
            ]
            for a, area_id in enumerate(areas):
                entry = record["areas"][area_id]
                row.append(Text(cells[a][i] if layout.area_names else _rank_cell(entry)))
            table.add_row(*row)
        console.print(table)
        more = more_rows(len(scored), "of the files scored", "--format csv, jsonl or xlsx")
        if more is not None:
            console.print(Text(more))
        for code, entry in zip(codes, rows[0]["areas"].values(), strict=True):
            console.print(Text(f"  {code:<4}  {terminal(entry['title'])}"))
        if not (layout.area_names and layout.overall_names):
            in_roles = any("profile" in record for record in rows)
            console.print(
                "  Cells are ranks: 1 is the first level of the ladder, 0 below it, "
                "- not assessed"
                + (f", {OUT_OF_ROLE_CELL} not in the person's role" if in_roles else "")
                + ". A wider terminal shows the level names."
            )


PERSON_MIN = 12
"""The narrowest the person column ever gets."""
PERSON_BESIDE_NAMES = 20
"""The narrowest the person column gets before the areas' level names give way to ranks."""
PERSON_MAX = 40


@dataclass(frozen=True, slots=True)
class TableLayout:
    """The widths of score's terminal table, chosen to fit the terminal."""

    person: int
    overall: int
    areas: list[int]
    area_names: bool
    overall_names: bool

    @classmethod
    def fit(
        cls,
        width: int,
        names: list[str],
        files: list[str],
        overall: list[str],
        codes: list[str],
        cells: list[list[str]],
    ) -> TableLayout:
        """Level names everywhere if they fit, else ranks in the areas, else everywhere.

        A rich table with its box and one space of padding a side spends 3 columns a
        column and 1 more: the rest goes to the person column.
        """
        from rich.cells import cell_len as cells_of

        wanted = min(PERSON_MAX, max(PERSON_MIN, *map(cells_of, names), *map(cells_of, files)))
        ranks = [max(cells_of(code), 1) for code in codes]
        labels = [
            max(cells_of(code), *map(cells_of, column))
            for code, column in zip(codes, cells, strict=True)
        ]
        overall_label = max(len("Overall"), *map(cells_of, overall))
        chosen = (ranks, False, len("Overall"), False)
        for areas, area_names, overall_width, overall_names, person in (
            (labels, True, overall_label, True, PERSON_BESIDE_NAMES),
            (ranks, False, overall_label, True, PERSON_MIN),
        ):
            if _table_width(person, overall_width, areas) <= width:
                chosen = (areas, area_names, overall_width, overall_names)
                break
        areas, area_names, overall_width, overall_names = chosen
        room = width - _table_width(0, overall_width, areas)
        person = max(PERSON_MIN, min(wanted, room))
        return cls(person, overall_width, areas, area_names, overall_names)


def _table_width(person: int, overall: int, areas: list[int]) -> int:
    columns = [person, len("Done"), overall, *areas]
    return sum(columns) + 3 * len(columns) + 1


def cut_start(text: str, width: int) -> str:
    """``text`` in ``width`` columns, its start replaced by an ellipsis when longer: a
    file's name, at its end, tells the rows apart."""
    from rich.cells import cell_len

    if cell_len(text) <= width:
        return text
    while text and cell_len(text) > width - 1:
        text = text[1:]
    return "\u2026" + text


def _rank_cell(entry: RecordLevel | RecordArea) -> str:
    rank = entry.get("rank")
    if rank is None:
        return OUT_OF_ROLE_CELL if entry["level"] == NOT_IN_ROLE else "-"
    return str(rank)


OUT_OF_ROLE_CELL = "x"
"""A rank cell of an area outside the person's role profile (SPEC 9): not ``-``, which
is not assessed."""


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


def rule_lines(framework: Framework, options: ScoreOptions) -> list[str]:
    """SPEC 4's scoring rule in words, with this run's threshold and ratings."""
    first = framework.levels[0].label
    ladder = ", ".join(f"{level.rank} {level.label}" for level in framework.levels)
    source = {
        "review": "the supervisor's review ratings (--source review)",
        "review-or-self": "the supervisor's review ratings where the assessment is reviewed, "
        "else the person's own (--source review-or-self; the source column says which)",
    }.get(options.source, "each person's own ratings (--source self)")
    t = fmt_mean(options.threshold)
    return [
        f"Ratings scored: {source}. Threshold: {t}.",
        "For each area, and overall, the levels are walked lowest first.",
        "A level with none of the area's statements, or where all of them are rated "
        "'na', is skipped.",
        "A level where none of the area's statements has a number stops the walk: the "
        "rest is unanswered.",
        f"A level whose mean numeric rating is at least {t} is reached and "
        "the walk goes on; a lower mean stops it.",
        f"The area's level is the last level reached. Ranks: {ladder}.",
        f"Rank 0, '{below_label(first)}': rated, but the first level was not reached. "
        "'Not assessed' (no rank): no numeric rating in the area.",
        "Completion: the share of statements answered, with a number or 'na'.",
    ]
