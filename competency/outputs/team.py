"""``competency summary``'s outputs: each writer lays out a ``TeamSummary`` on a binary stream.

Names and file paths come from assessment files, so every format treats them as hostile,
through ``competency.text``: the table never interprets markup, Markdown escapes only what
would become markup, CSV cells are made inert for spreadsheets, and the HTML page is
escaped by Jinja2 with its data handed to the script as JSON that cannot close the
``<script>`` element.
"""

from __future__ import annotations

import csv
import hashlib
import json
from typing import IO, Any

from competency import outputs
from competency.insight import CALIBRATION_NOTE, Insight, signed
from competency.outputs import as_text, more_rows, text_console
from competency.outputs.chart import level_palette, stacked_bars
from competency.outputs.scores import CSV_LINE_END
from competency.outputs.words import counted
from competency.scoring import NOT_ASSESSED, NOT_IN_ROLE
from competency.summary import AreaTally, Move, TeamProgress, TeamSummary, natural_key, person_key
from competency.text import cell, markdown_link, terminal
from competency.text import markdown as md
from competency.training import TrainingNeeds


def write_json(summary: TeamSummary, out: IO[bytes]) -> None:
    text = json.dumps(summary.to_json(), ensure_ascii=False, indent=2)
    out.write(text.encode("utf-8") + b"\n")


def write_csv(summary: TeamSummary, out: IO[bytes]) -> None:
    """One row per (scope, area): the team first, then each unit; then refused files."""
    with as_text(out) as stream:
        writer = csv.writer(stream, lineterminator=CSV_LINE_END)
        _csv(summary, writer if summary.insight is None else _Padded(writer))


INSIGHT_COLUMNS = [
    "learner",
    "target",
    "statements",
    "mean_difference",
    "disagreements",
    "names",
    "flag",
]
"""The columns the team insight adds at the end of every row (SPEC 10)."""


class _Padded:
    """A CSV writer whose rows are padded to the header's width: the insight's columns come
    last, blank on the rows of the counts."""

    def __init__(self, writer: Any) -> None:
        self.writer = writer
        self.width = 0

    def writerow(self, row: list[Any]) -> None:
        if not self.width:
            row = [*row, *INSIGHT_COLUMNS]
            self.width = len(row)
        self.writer.writerow([*row, *[""] * (self.width - len(row))])

    def insight_row(self, scope: str, **cells: Any) -> None:
        """A row of the insight: ``cells`` by column name, the rest blank."""
        head = ["scope", "unit", "area_id", "area", "people"]
        lead = [scope, *(cells.pop(name, "") for name in head[1:])]
        middle = [""] * (self.width - len(head) - len(INSIGHT_COLUMNS))
        self.writer.writerow([*lead, *middle, *(cells.get(name, "") for name in INSIGHT_COLUMNS)])


def _number(value: float | None) -> str:
    """A mean for a spreadsheet: ``-0.07``, ``0.67``, blank when there is none."""
    return "" if value is None else f"{value:.2f}"


def _csv_insight(insight: Insight, out: _Padded) -> None:
    for r in insight.reviewers:
        out.insight_row(
            "reviewer",
            area_id=cell(r.id or ""),
            area=cell(r.name),
            people=r.people,
            statements=r.statements,
            mean_difference=_number(r.mean_difference),
            disagreements=r.disagreements,
            flag="apart" if r.apart else "",
        )
    for a in insight.areas:
        out.insight_row(
            "calibration",
            area_id=cell(a.id),
            area=cell(a.title),
            statements=a.statements,
            mean_difference=_number(a.mean_difference),
        )
    for c in insight.coverage:
        scopes = [("", c.people, c.holders)]
        scopes += [(unit, len(holders), holders) for unit, holders in c.units.items()]
        for unit, people, holders in scopes:
            out.insight_row(
                "coverage",
                unit=cell(unit),
                area_id=cell(c.id),
                area=cell(c.title),
                people=people,
                target=insight.level.key,
                names=cell("; ".join(h.name for h in holders)),
                flag=insight.coverage_flag(people),
            )
    for m in insight.mentors:
        out.insight_row(
            "mentor",
            unit=cell(m.person.unit or ""),
            area_id=cell(m.area_id),
            area=cell(m.area),
            learner=cell(m.person.name),
            target=cell(m.target),
            names=cell("; ".join(f"{h.name} ({h.level})" for h in m.mentors)),
        )
    for unit in insight.small_units:
        out.insight_row("suppressed", unit=cell(unit), flag=insight.rule)


def _csv_training(training: TrainingNeeds, out: _Padded) -> None:
    for need in training.needs:
        out.insight_row(
            "training_need",
            area_id=cell(need.resource.id),
            area=cell(need.resource.title),
            people=need.people,
            names=cell("; ".join(need.names)),
        )


def _csv(summary: TeamSummary, out: Any) -> None:
    labels = [col.label for col in summary.columns]
    progress = summary.progress
    # With --since, three columns more: who, and the level before and after.
    extra = ["", "", ""] if progress is not None else []
    out.writerow(
        [
            "scope",
            "unit",
            "area_id",
            "area",
            "people",
            *map(cell, labels),
            "median",
            "below_target",
            "file",
            "error",
            *(["person", "from_level", "to_level"] if progress is not None else []),
        ]
    )
    scopes: list[tuple[str, str, list[AreaTally]]] = [("team", "", summary.areas)]
    insight = summary.insight
    scopes += [
        ("unit", unit, tallies)
        for unit, tallies in summary.sorted_units()
        if insight is None or not insight.suppressed(unit)  # a "suppressed" row says why
    ]
    # By role profile (SPEC 9): scope "profile", its id where a unit's name goes.
    scopes += [
        ("profile", pid, tallies)
        for pid, _, tallies in summary.sorted_profiles()
        if not summary.profile_suppressed(tallies)
    ]
    for scope, unit, tallies in scopes:
        for tally in tallies:
            out.writerow(
                [
                    scope,
                    cell(unit),
                    cell(tally.id),
                    cell(tally.title),
                    tally.people,
                    *tally.counts,
                    cell(tally.median(summary.columns)),
                    len(tally.below_target),
                    "",
                    "",
                    *extra,
                ]
            )
    blank = [""] * (len(labels) + 6)
    if progress is not None:
        for a in progress.areas:
            for scope, n in (
                ("moved_up", a.up),
                ("stayed", a.same),
                ("moved_down", a.down),
                ("not_comparable", a.not_comparable),
            ):
                out.writerow([scope, "", cell(a.id), cell(a.title), n, *blank[2:], *extra])
        for m in progress.movers:
            for move in m.moves:
                out.writerow(
                    [
                        "person_up" if move.up else "person_down",
                        cell(m.unit or ""),
                        cell(move.area_id),
                        cell(move.area),
                        *blank[3:],
                        cell(m.file),
                        "",
                        cell(m.name),
                        cell(move.before),
                        cell(move.after),
                    ]
                )
        for scope, rows in (("person_new", progress.new), ("person_gone", progress.gone)):
            for person in rows:
                unit = cell(person.unit or "")
                out.writerow(
                    [scope, unit, *blank[1:], cell(person.file), "", cell(person.name), "", ""]
                )
    if insight is not None:
        _csv_insight(insight, out)
    if summary.training is not None:
        _csv_training(summary.training, out)
    for status, n in summary.statuses.items():
        out.writerow(["status", "", status, "", n, *blank[4:], "", "", *extra])
    for conflict, line in zip(summary.conflicts, summary.conflict_lines(), strict=True):
        files = cell("; ".join(conflict.files))
        out.writerow(["conflict", "", *blank[1:], files, cell(line), *extra])
    for draft in summary.drafts:
        scope = "left_out" if draft.counted is None else "newer_draft"
        unit = cell(draft.row.unit or "")
        out.writerow([scope, unit, *blank[1:], cell(draft.row.file), cell(draft.line()), *extra])
    for aside in summary.set_aside:
        out.writerow(["set_aside", *blank, cell(aside.file), cell(aside.line()), *extra])
    for file, error in summary.refused:
        out.writerow(["refused", *blank, cell(file), cell(error), *extra])


def write_markdown(summary: TeamSummary, out: IO[bytes]) -> None:
    with as_text(out) as stream:
        _markdown(summary, stream)


def _markdown(summary: TeamSummary, stream: IO[str]) -> None:
    framework = summary.framework
    title = framework.title if framework else "no framework"
    stream.write(f"# Team summary: {md(title)}\n\n")
    scored = counted(summary.scored, "person", "people")
    refused = counted(len(summary.refused), "file", "files")
    stream.write(f"{scored} scored, {refused} refused.\n\n")
    stream.write(md(summary.statuses_sentence()) + "\n\n")
    for sentence in (summary.drafts_sentence(), summary.counted_once()):
        if sentence:
            stream.write(md(sentence) + "\n\n")
    if framework is not None:
        _md_tallies(summary, summary.areas, stream)
        insight = summary.insight
        for unit, tallies in summary.sorted_units():
            stream.write(f"## Unit: {md(unit)}\n\n")
            if insight is not None and insight.suppressed(unit):
                stream.write(f"Not shown: {insight.rule} (--min-group).\n\n")
                continue
            _md_tallies(summary, tallies, stream)
        for pid, title, tallies in summary.sorted_profiles():
            stream.write(f"## Role profile: {md(title)} ({md(pid)})\n\n")
            if summary.profile_suppressed(tallies):
                assert insight is not None
                stream.write(f"Not shown: {insight.rule} (--min-group).\n\n")
                continue
            _md_tallies(summary, tallies, stream)
        below = summary.below_rows()
        if below:
            stream.write("## Below their target\n\n| Person | Unit | Area | Level | Target |\n")
            stream.write("|---|---|---|---|---|\n")
            for tally, b in below:
                stream.write(
                    f"| {md(b.name)} | {md(b.unit or '')} | {md(tally.title)} | "
                    f"{md(b.level)} | {md(b.target)} |\n"
                )
            stream.write("\n")
        if summary.insight is not None:
            _md_insight(summary.insight, stream)
        if summary.training is not None:
            _md_training(summary.training, stream)
    if summary.progress is not None:
        _md_progress(summary.progress, stream)
    if summary.conflicts:
        stream.write("## Conflicting copies\n\n")
        for line in summary.conflict_lines():
            stream.write(f"- {md(line)}\n")
        stream.write("\n")
    if summary.drafts:
        stream.write("## Drafts not counted\n\n")
        for d in summary.drafts:
            stream.write(f"- {md(d.line())}\n")
        stream.write("\n")
    if summary.set_aside:
        stream.write("## Older files set aside\n\n")
        for s in summary.set_aside:
            stream.write(f"- {md(s.line())}\n")
        stream.write("\n")
    if summary.refused:
        stream.write("## Refused files\n\n")
        for _, error in summary.refused:
            stream.write(f"- {md(error)}\n")
        stream.write("\n")


def _md_insight(insight: Insight, stream: IO[str]) -> None:
    stream.write("## Calibration of reviewers\n\n")
    if not insight.reviewers:
        stream.write("No assessment counted has a review.\n\n")
    else:
        stream.write(f"{md(CALIBRATION_NOTE)}\n\n")
        stream.write("| Reviewer | People | Statements | Mean difference | Disagreements |\n")
        stream.write("|---|---:|---:|---:|---:|\n")
        for r in insight.reviewers:
            name = md(r.name) + (f" ({md(r.id)})" if r.id else "")
            stream.write(
                f"| {name} | {r.people} | {r.statements} | {signed(r.mean_difference)} | "
                f"{r.disagreements} |\n"
            )
        stream.write("\n")
        for r in insight.reviewers:
            sentence = insight.apart_sentence(r)
            if sentence:
                stream.write(f"{md(sentence)}\n\n")
        stream.write("| Area | Statements | Mean difference |\n|---|---:|---:|\n")
        for a in insight.areas:
            stream.write(f"| {md(a.title)} | {a.statements} | {signed(a.mean_difference)} |\n")
        stream.write("\n")
    stream.write(f"## Coverage: {md(insight.level.label)} or above\n\n")
    stream.write("| Area | People | Who | Flag |\n|---|---:|---|---|\n")
    for c in insight.coverage:
        who = ", ".join(md(h.name) for h in c.holders)
        stream.write(
            f"| {md(c.title)} | {c.people} | {who} | {insight.coverage_flag(c.people)} |\n"
        )
    stream.write("\n")
    stream.write("## Who could mentor whom\n\n")
    if not insight.mentors:
        stream.write("Nobody is below a target.\n\n")
    else:
        stream.write(
            "| Person | Unit | Area | Target | Could learn from |\n|---|---|---|---|---|\n"
        )
        for m in insight.mentors:
            mentors = ", ".join(f"{md(h.name)} ({md(h.level)})" for h in m.mentors) or "nobody yet"
            stream.write(
                f"| {md(m.person.name)} | {md(m.person.unit or '')} | {md(m.area)} | "
                f"{md(m.target_label)} | {mentors} |\n"
            )
        stream.write("\n")
    if insight.small_units:
        n = len(insight.small_units)
        stream.write(
            f"## Small groups\n\n{n} unit{'' if n == 1 else 's'} with {insight.rule} "
            "not shown (--min-group): no counts and no names; the team's totals still count "
            "them.\n\n"
        )


def _md_training(training: TrainingNeeds, stream: IO[str]) -> None:
    from competency.framework.resources import hours_words

    stream.write(f"## Training needs\n\n{md(training.sentence())}\n\n")
    if not training.needs:
        return
    stream.write("| Resource | Hours | Access | People | Who |\n|---|---:|---|---:|---|\n")
    for need in training.needs:
        r = need.resource
        hours = "" if r.hours is None else hours_words(r.hours)
        stream.write(
            f"| {markdown_link(r.title, r.url)} | {hours} | {md(r.access or '')} | "
            f"{need.people} | {', '.join(md(name) for name in need.names)} |\n"
        )
    stream.write("\n")


def moves_text(moves: tuple[Move, ...]) -> str:
    """``Area X: Basic → Good; Area Y: ...``."""
    return "; ".join(f"{m.area}: {m.before} → {m.after}" for m in moves)


def _md_progress(progress: TeamProgress, stream: IO[str]) -> None:
    stream.write(f"## Progress since the earlier cycle\n\n{md(progress.sentence())}\n\n")
    stream.write("| Area | Moved up | Stayed | Moved down | Not comparable |\n")
    stream.write("|---|---:|---:|---:|---:|\n")
    for a in progress.areas:
        stream.write(f"| {md(a.title)} | {a.up} | {a.same} | {a.down} | {a.not_comparable} |\n")
    stream.write("\nNot comparable: not assessed in the area in one cycle or both.\n\n")
    if progress.movers:
        stream.write("### Who moved\n\n| Person | Unit | Moved up | Moved down |\n")
        stream.write("|---|---|---|---|\n")
        for m in progress.movers:
            name = md(m.name) + (f" ({md(m.id)})" if m.id else "")
            ups, downs = md(moves_text(m.ups)) or "—", md(moves_text(m.downs)) or "—"
            stream.write(f"| {name} | {md(m.unit or '')} | {ups} | {downs} |\n")
        stream.write("\n")
    for title, rows in (("New since then", progress.new), ("Gone since then", progress.gone)):
        if rows:
            stream.write(f"### {title}\n\n")
            for row in rows:
                stream.write(f"- {md(row.name)} ({md(row.file)})\n")
            stream.write("\n")


def _md_tallies(summary: TeamSummary, tallies: list[AreaTally], stream: IO[str]) -> None:
    heads = ["Area", *(md(col.label) for col in summary.columns), "Median", "Below target"]
    stream.write("| " + " | ".join(heads) + " |\n")
    stream.write("|---|" + "---:|" * (len(summary.columns)) + "---|---:|\n")
    for tally in tallies:
        cells = [
            md(tally.title),
            *map(str, tally.counts),
            md(tally.median(summary.columns)),
            str(len(tally.below_target)),
        ]
        stream.write("| " + " | ".join(cells) + " |\n")
    stream.write("\n")
    outside = [t for t in tallies if t.not_in_role]
    if outside:
        said = "; ".join(f"{md(t.title)} {t.not_in_role}" for t in outside)
        stream.write(f"{NOT_IN_ROLE_NOTE} {said}.\n\n")


def write_table(summary: TeamSummary, out: IO[bytes]) -> None:
    """Rich tables, one for the team and one per unit; level columns headed by rank."""
    with as_text(out) as stream:
        _table(summary, stream)


def _table(summary: TeamSummary, stream: IO[str]) -> None:
    from rich.table import Table
    from rich.text import Text

    console = text_console(stream)
    if summary.framework is None:
        console.print("No file could be scored.")
    else:
        # Level names as column heads need ~100 columns; ranks fit any terminal.
        heads = ["-" if col.rank is None else str(col.rank) for col in summary.columns]
        scopes = [(f"{terminal(summary.framework.title)}: {summary.scored} people", summary.areas)]
        insight = summary.insight
        scopes += [
            (f"Unit: {terminal(unit)} ({tallies[-1].people})", tallies)
            for unit, tallies in summary.sorted_units()
            if insight is None or not insight.suppressed(unit)  # said once, below
        ]
        scopes += [
            (f"Role profile: {terminal(title)} ({tallies[-1].people})", tallies)
            for _, title, tallies in summary.sorted_profiles()
            if not summary.profile_suppressed(tallies)
        ]
        for caption, tallies in scopes:
            table = Table(title=Text(caption), title_justify="left")
            table.add_column("Area", overflow="fold", ratio=1)
            for head in heads:
                table.add_column(head, justify="right")
            table.add_column("Median", overflow="fold")
            table.add_column("<target", justify="right")
            for tally in tallies:
                table.add_row(
                    Text(terminal(tally.title)),
                    *(Text(str(n)) for n in tally.counts),
                    Text(terminal(tally.median(summary.columns))),
                    Text(str(len(tally.below_target))),
                )
            console.print(table)
            outside = [t for t in tallies if t.not_in_role]
            if outside:
                said = "; ".join(f"{terminal(t.title)} {t.not_in_role}" for t in outside)
                console.print(Text(f"{NOT_IN_ROLE_NOTE} {said}."))
        _below_table(summary, console)
        if insight is not None:
            _insight_table(insight, console)
        if summary.training is not None:
            _training_table(summary.training, console)
        if summary.progress is not None:
            _progress_table(summary.progress, console)
        legend = ", ".join(
            f"{head} {terminal(col.label)}"
            for head, col in zip(heads, summary.columns, strict=True)
        )
        console.print(
            Text(
                f"Columns: people at each level ({legend}); the median level; "
                "<target: people below the level they aim for."
            )
        )
    for line in summary.conflict_lines():
        console.print(Text(line), soft_wrap=True)
    console.print(Text(summary.statuses_sentence()))
    for sentence in (summary.drafts_sentence(), summary.counted_once()):
        if sentence:
            console.print(Text(sentence))
    for d in summary.drafts[: outputs.TABLE_ROWS]:
        console.print(Text(d.line()), soft_wrap=True)
    _print_more(
        console, more_rows(len(summary.drafts), "drafts not counted", "--format md, csv or json")
    )
    for s in summary.set_aside:
        console.print(Text(f"set aside: {s.line()}"), soft_wrap=True)
    for _, error in summary.refused:
        console.print(Text(f"refused: {terminal(error)}"), soft_wrap=True)


def _insight_table(insight: Insight, console: Any) -> None:
    """The insight in short form: reviewers, coverage per area, how many mentor matches."""
    from rich.table import Table
    from rich.text import Text

    if insight.reviewers:
        table = Table(title=Text("Calibration of reviewers"), title_justify="left")
        for head, justify in (
            ("Reviewer", "left"),
            ("People", "right"),
            ("Statements", "right"),
            ("Mean diff.", "right"),
            ("Disagreements", "right"),
        ):
            table.add_column(head, justify=justify, overflow="fold")  # type: ignore[arg-type]
        for r in insight.reviewers:
            name = terminal(r.name) + (f" ({terminal(r.id)})" if r.id else "")
            table.add_row(
                Text(name),
                Text(str(r.people)),
                Text(str(r.statements)),
                Text(signed(r.mean_difference)),
                Text(str(r.disagreements)),
            )
        console.print(table)
        for r in insight.reviewers:
            sentence = insight.apart_sentence(r)
            if sentence:
                console.print(Text(terminal(sentence)))
        console.print(Text(CALIBRATION_NOTE))
    else:
        console.print(Text("Calibration: no assessment counted has a review."))
    table = Table(
        title=Text(f"Coverage: {terminal(insight.level.label)} or above"), title_justify="left"
    )
    table.add_column("Area", overflow="fold", ratio=1)
    table.add_column("People", justify="right")
    table.add_column("Flag", overflow="fold")
    for c in insight.coverage:
        table.add_row(
            Text(terminal(c.title)), Text(str(c.people)), Text(insight.coverage_flag(c.people))
        )
    console.print(table)
    n = len(insight.mentors)
    if n:
        console.print(
            Text(
                f"Mentors: {n} suggestion{'' if n == 1 else 's'} for people below a target "
                "(--format md, html or json lists who could mentor whom)."
            )
        )
    if insight.small_units:
        k = len(insight.small_units)
        console.print(
            Text(
                f"{k} unit{'' if k == 1 else 's'} with {insight.rule} not shown (--min-group); "
                "the team's totals still count them."
            )
        )


def _training_table(training: TrainingNeeds, console: Any) -> None:
    """Per resource, how many people need it and who (the first ``TABLE_ROWS``)."""
    from rich.table import Table
    from rich.text import Text

    from competency.framework.resources import hours_words

    if not training.needs:
        console.print(Text(training.sentence()))
        return
    table = Table(title=Text("Training needs"), title_justify="left")
    table.add_column("Resource", overflow="fold", ratio=1)
    table.add_column("Hours", justify="right")
    table.add_column("People", justify="right")
    table.add_column("Who", overflow="fold", ratio=2)
    for need in training.needs[: outputs.TABLE_ROWS]:
        r = need.resource
        table.add_row(
            Text(terminal(r.title)),
            Text("" if r.hours is None else hours_words(r.hours)),
            Text(str(need.people)),
            Text(terminal(", ".join(need.names))),
        )
    console.print(table)
    console.print(Text(training.sentence()))
    _print_more(
        console,
        more_rows(len(training.needs), "resources needed", "--format md, html, csv or json"),
    )


def _progress_table(progress: TeamProgress, console: Any) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(progress.sentence()), title_justify="left")
    table.add_column("Area", overflow="fold", ratio=1)
    for head in ("Up", "Stayed", "Down", "Not comparable"):
        table.add_column(head, justify="right")
    for a in progress.areas:
        counts = (a.up, a.same, a.down, a.not_comparable)
        table.add_row(Text(terminal(a.title)), *(Text(str(n)) for n in counts))
    console.print(table)
    if progress.movers:
        movers = Table(title=Text(f"Who moved: {len(progress.movers)}"), title_justify="left")
        for head in ("Person", "Unit", "Moved up", "Moved down"):
            movers.add_column(head, overflow="fold")
        for m in progress.movers[: outputs.TABLE_ROWS]:
            name = terminal(m.name) + (f" ({terminal(m.id)})" if m.id else "")
            movers.add_row(
                Text(name),
                Text(terminal(m.unit or "")),
                Text(terminal(moves_text(m.ups)) or "-"),
                Text(terminal(moves_text(m.downs)) or "-"),
            )
        console.print(movers)
        every = "--format csv, md, html or json"
        _print_more(console, more_rows(len(progress.movers), "who moved", every))
    for label, rows in (("new", progress.new), ("gone", progress.gone)):
        for row in rows:
            console.print(Text(f"{label}: {terminal(row.name)} ({terminal(row.file)})"))


def _print_more(console: Any, line: str | None) -> None:
    from rich.text import Text

    if line is not None:
        console.print(Text(line))


def _below_table(summary: TeamSummary, console: Any) -> None:
    """Who is below their target, one row per person and area: what ``--help`` promises
    (the first ``TABLE_ROWS``; the other formats list every row)."""
    from rich.table import Table
    from rich.text import Text

    below = summary.below_rows()
    if not below:
        hidden = summary.insight is not None and summary.insight.hidden
        nobody = "Nobody shown" if hidden else "Nobody"
        console.print(Text(f"{nobody} is below a target (targets are in the assessments)."))
        return
    table = Table(title=Text(f"Below their target: {len(below)}"), title_justify="left")
    for head in ("Person", "Unit", "Area", "Level", "Target"):
        table.add_column(head, overflow="fold")
    for tally, b in below[: outputs.TABLE_ROWS]:
        name = terminal(b.name) + (f" ({terminal(b.id)})" if b.id else "")
        table.add_row(
            Text(name),
            Text(terminal(b.unit or "")),
            Text(terminal(tally.title)),
            Text(terminal(b.level)),
            Text(terminal(b.target)),
        )
    console.print(table)
    _print_more(console, more_rows(len(below), "below a target", "--format md, html or json"))


def heatmap_data(summary: TeamSummary, palette: list[tuple[str, str]]) -> dict[str, Any]:
    """What the heatmap's script needs: the ladder's colours and one row per person.

    A person is ``[name, id, unit, file, completion, ranks]`` with the ranks overall
    first, then per area (None: not assessed; -1: not in their role); the level's name
    comes from its rank, so ten thousand people do not repeat the ladder's words ten
    thousand times.
    """
    labels = [col.label for col in summary.columns if col.rank is not None]
    order = _heat_order(summary)
    # Sorted here, by name as the page sorts them, so the page opens without sorting.
    insight = summary.insight
    people = sorted(
        (p for p in summary.people if insight is None or p.key not in insight.hidden),
        key=lambda p: (sort_name(p.name), p.name),
    )
    index = {p.key: i for i, p in enumerate(people)}
    return {
        "none": NOT_ASSESSED,
        "out": NOT_IN_ROLE,
        "areas": [title for _, title in summary.groups],
        # [person, area, target]: the person's level there is in their row already.
        "below": sorted(
            (
                [index[person_key(b.name, b.id)], g, b.target]
                for g, tally in enumerate(summary.areas)
                for b in tally.below_target
                if person_key(b.name, b.id) in index
            ),
            key=lambda entry: (entry[1], entry[0]),
        ),
        "levels": [[label, *palette[rank]] for rank, label in enumerate(labels)],
        "people": [
            [
                p.name,
                p.id or "",
                p.unit or "",
                p.file,
                round(p.completion, 4),
                [_heat_rank(*p.levels[g]) for g in order],
            ]
            for p in people
        ],
    }


def _heat_rank(level: str, rank: int | None) -> int | None:
    """A level in the heatmap's data: its rank, None when not assessed, -1 when the
    area is outside the person's role profile (SPEC 9)."""
    return -1 if rank is None and level == NOT_IN_ROLE else rank


MENTORS_INLINE = 100
"""Mentor suggestions written into the page; the other formats list them all. Every row
in the document makes a 10,000-person page open slower."""

CALIBRATION_SPAN = 2.0
"""The calibration chart's axis runs from minus to plus this many steps of the scale."""


def calibration_bars(insight: Insight) -> list[dict[str, Any]]:
    """One bar per reviewer for the page's chart: where it starts and how wide, in percent
    of the chart's width, centred on 0 (reviewer and person rate alike)."""
    bars = []
    for r in insight.reviewers:
        value = r.mean_difference or 0.0
        share = min(abs(value), CALIBRATION_SPAN) / CALIBRATION_SPAN * 50
        bars.append(
            {
                "reviewer": r,
                "x": 50 - share if value < 0 else 50,
                "width": share,
                "text": signed(r.mean_difference),
            }
        )
    return bars


def sort_name(name: str) -> tuple[tuple[int, int | str], ...]:
    """A name as the page's collator orders it: numbers by value, accents and case aside."""
    import unicodedata

    bare = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return natural_key(bare)


NOT_IN_ROLE_NOTE = (
    "Not in this role (counted in no column, as the area is outside their role profile):"
)
"""Said under a table of counts where some people's role profile leaves an area out."""

INLINE_BELOW = 500
"""Up to this many people below a target are written into the page as tables (they print
without a script); more are drawn a page at a time, as thousands of rows in the document
make it open several times slower."""


def _heat_order(summary: TeamSummary) -> list[int]:
    """Overall first, then the areas: at any width, the overall level is on screen."""
    n = len(summary.groups)
    return [n - 1, *range(n - 1)] if n else []


def write_html(summary: TeamSummary, out: IO[bytes]) -> None:
    import base64

    from markupsafe import Markup

    from competency.outputs.html import environment

    env = environment()  # the reports' environment: one set of escaping rules for all HTML
    script = env.get_template("summary_heatmap.js.j2").render()
    # The page's Content-Security-Policy allows this one script, by its hash, and nothing else.
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    top = len(summary.framework.levels) if summary.framework else 1
    palette = level_palette(top)
    page = env.get_template("summary.html.j2").render(
        summary=summary,
        palette=palette,
        bars=stacked_bars(
            [(t.title, t.counts, t.median(summary.columns)) for t in summary.areas],
            [(col.label, col.rank) for col in summary.columns],
            palette,
        ),
        heat_groups=[summary.groups[g] for g in _heat_order(summary)],
        framework=summary.framework,
        columns=summary.columns,
        units=summary.sorted_units(),
        profiles=summary.sorted_profiles(),
        not_in_role_note=NOT_IN_ROLE_NOTE,
        below=summary.below_rows(),
        below_groups=[
            (tally, [b for t, b in summary.below_rows() if t is tally]) for tally in summary.areas
        ],
        below_inline=len(summary.below_rows()) <= INLINE_BELOW,
        # tojson escapes <, >, & and ' so no name can end the <script> element early.
        data=heatmap_data(summary, palette),
        insight=summary.insight,
        calibration=calibration_bars(summary.insight) if summary.insight else None,
        mentors_inline=MENTORS_INLINE,
        calibration_note=CALIBRATION_NOTE,
        signed=signed,
        script=Markup(script),
        script_hash="sha256-" + base64.b64encode(digest).decode("ascii"),
    )
    out.write(page.encode("utf-8"))
