"""The Markdown report: reads well on GitHub and GitLab, and user text stays text.

Every piece of user or framework text goes through ``md``, the Markdown policy of
``competency.text``: only what would become markup (a tag, an entity, emphasis, a link,
a table bar, a heading or list at a line's start) is escaped, and line breaks become
spaces, so a note cannot break a table row or start a heading.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, TYPE_CHECKING

from competency.framework.resources import facts, hours_words
from competency.outputs.seal import md_seal
from competency.outputs.words import (
    DISAGREEMENT_RULE,
    NO_DISAGREEMENT,
    apart,
    difference,
    disagreement_count,
    fmt_mean,
    percent,
    person_line,
    profile_words,
    walk_lines,
    when,
)
from competency.text import link_target, markdown_link, markdown_linked
from competency.text import markdown as md

if TYPE_CHECKING:
    from competency.framework.resources import ResourceLink
    from competency.outputs.report import AreaReport, PlanLine, Report, StatementLine


def cell(text: str) -> str:
    """A table cell: never empty, so the table keeps its shape."""
    return text or "—"


def table(header: Iterable[str], rows: Iterable[Iterable[str]]) -> list[str]:
    head = list(header)
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def statement(line: StatementLine) -> str:
    """``**Topic** (proficient.2): description``."""
    text = f"**{md(line.topic)}** ({md(line.id)})"
    return text + (f": {md(line.description)}" if line.description else "")


def short(line: StatementLine) -> str:
    """``**Topic** (proficient.2)``, for lists where the description would crowd the note."""
    return f"**{md(line.topic)}** ({md(line.id)})"


def disagreement_mark(line: StatementLine) -> str:
    if not line.disagreement:
        return ""
    return f" **⚠ {apart(line.rating, line.reviewer_rating)}**"


def header(report: Report) -> list[str]:
    """The title and the facts, as a list: a table here would need an empty header row."""
    fw, d = report.framework, report.dates
    version = f", version {md(fw.version)}" if fw.version else ""
    status = f"{report.status_label}; started {when(d.started_at)}, last saved {when(d.updated_at)}"
    if d.submitted_at:
        status += f", submitted {when(d.submitted_at)}"
    facts = [
        ("Person", md(person_line(report.subject))),
        ("Framework", f"{md(fw.title)} ({md(fw.id)}){version}"),
    ]
    if report.profile is not None:
        facts.append(
            ("Role profile", f"{md(report.profile.title)}: {profile_words(report.profile)}")
        )
    facts.append(("Status", status))
    if report.review is not None:
        signed = when(d.reviewed_at) if d.reviewed_at else "not yet"
        facts.append(
            ("Reviewed by", f"{md(person_line(report.review.reviewer))}; signed off {signed}")
        )
    facts.append(
        (
            "Threshold",
            f"a level is reached when its mean rating is at least {fmt_mean(report.threshold)}",
        )
    )
    return [
        f"# Competency report: {md(report.subject.name)}",
        "",
        *(f"- **{name}:** {value}" for name, value in facts),
        "",
    ]


def overview(report: Report) -> list[str]:
    """The first page: overall, the levels per area, what next, and the disagreements."""
    o = report.overall
    done = f"{o.answered} of {o.total} statements answered ({percent(o.completion)})"
    said = f"{md(o.explanation)} {done}."
    review = report.review
    if review is not None:
        extent = f"**{md(review.extent)}**" if review.partial else md(review.extent)
        said += (
            f" The reviewer's ratings give **{md(review.overall_level)}** overall (shown "
            f"beside the self-assessment, never averaged into it). {extent}"
        )
    lines = [f"## Overall level: {md(o.level)}", "", said, ""]
    if not report.framework.has_area_map:
        lines += [
            "This framework has no area map, so every statement is scored as one "
            "area, *All statements*.",
            "",
        ]
    reviewed = review is not None
    has_targets = any(a.target for a in report.areas)
    head = ["Area", "Self-assessed level"]
    head += ["Reviewer's level"] if reviewed else []
    head += ["Target"] if has_targets else []
    head.append("Done")
    rows = []
    for a in report.areas:
        row = [md(a.title), f"**{md(a.level)}**"]
        if reviewed:
            row.append(md(a.reviewer_level))
        if has_targets:
            row.append(target_text(a))
        row.append(f"{a.answered}/{a.total}" if a.in_role else "—")
        rows.append(row)
    lines += ["### Levels per area", "", *table(head, rows)]
    lines += ["### What to work on next", ""]
    for a in report.areas:
        if a.in_role:
            lines.append(f"- **{md(a.title)}**{next_steps(a)}")
            lines += [f"  - {short(s)}: {helping(s)}" for s in a.plan if s.resources]
    lines.append("")
    return lines + resources_section(report) + disagreements(report)


def link(resource: ResourceLink) -> str:
    """``[Cataloging basics](https://...) (course, 6 hours, staff intranet)``."""
    about = facts(resource)
    return markdown_link(resource.title, resource.url) + (f" ({md(about)})" if about else "")


def helping(line: PlanLine) -> str:
    """The resources that help with one statement of the plan."""
    return "; ".join(link(r) for r in line.resources)


def resources_section(report: Report) -> list[str]:
    """Every resource of the plan once, its address written out (a printed page shows no
    link), and what it helps with; nothing without a resources file."""
    if report.resources is None:
        return []
    lines = ["### Learning resources for this plan", ""]
    if not report.resources:
        return [*lines, "None of the resources listed helps with this plan.", ""]
    for r in report.resources:
        helps = [short(s) for s in report.helped_by(r.id)]
        about = facts(r)
        target = link_target(r.url) if r.url else None
        name = f"**{md(r.title, line_start=False)}**" + (f" ({md(about)})" if about else "")
        where = f": <{target}>" if target else ""
        lines.append(f"- {name}{where}. Helps with {', '.join(helps)}.")
    hours = [r.hours for r in report.resources if r.hours is not None]
    if hours:
        lines += ["", f"About {hours_words(sum(hours))} in all, where the hours are given."]
    return [*lines, ""]


def next_steps(area: AreaReport) -> str:
    if area.next_level is None:
        return f": {md(area.ladder_end)}"
    nxt = md(area.next_level.label)
    if not area.plan:
        return f" → {nxt}: every statement there is already met."
    todo = "; ".join(f"{short(s)}, now {md(s.rating_label)}" for s in area.plan)
    return f" → {nxt}: {todo}."


def disagreements(report: Report) -> list[str]:
    review = report.review
    if review is None:
        return []
    lines = [f"### Where self and reviewer disagree ({DISAGREEMENT_RULE})", ""]
    if review.disagreements:
        rows = [
            (
                statement(s),
                md(s.rating_label),
                md(s.reviewer_rating_label),
                f"**⚠ {difference(s.rating, s.reviewer_rating)}**",
            )
            for s in review.disagreements
        ]
        lines += table(("Statement", "Self", "Reviewer", "Difference"), rows)
    else:
        lines += [NO_DISAGREEMENT, ""]
    if review.comment:
        lines += ["**Reviewer's comment:**", "", *quoted(review.comment), ""]
    return lines


def quoted(text: str) -> list[str]:
    """A note as a block quote, its line breaks kept."""
    return [f"> {markdown_linked(line)}" if line.strip() else ">" for line in text.splitlines()]


def kept_lines(text: str) -> str:
    """A note in a list item, its line breaks kept as hard breaks (a trailing backslash)."""
    lines = [markdown_linked(line) for line in text.splitlines() if line.strip()]
    return "\\\n  ".join(lines)


def target_text(area: AreaReport) -> str:
    if area.target is None:
        return ""
    state = {True: "met", False: "not yet", None: "not assessed"}[area.target_met]
    return f"{md(area.target.label)} ({state})"


def area_section(report: Report, area: AreaReport) -> list[str]:
    lines = [f"### {md(area.title)}: {md(area.level)}", ""]
    if area.description:
        lines += [f"*{md(area.description)}*", ""]
    done = f" {area.answered} of {area.total} answered ({percent(area.completion)})."
    said = md(area.explanation) + (done if area.in_role else "")
    if area.reviewer_level is not None:
        said += f" Reviewer: {md(area.reviewer_level)}."
    if area.disagreements:
        said += f" **⚠ {disagreement_count(area.disagreements)} with the reviewer.**"
    if area.target is not None:
        said += f" Target: {target_text(area)}."
    lines += [said, ""]
    if not area.in_role:
        return lines  # nothing was walked: the levels would all read "skipped"
    lines += [f"- {md(line)}" for _, line in walk_lines(area.walk)]
    lines.append("")
    if area.next_level is None:
        return lines
    reviewed = report.review is not None
    head = ["Statement", "Self"] + (["Reviewer"] if reviewed else [])
    rows = []
    for s in area.next_level_asks:
        todo = "**To work on:** " if s.met is False else ""
        note = f" Note: {markdown_linked(s.note)}" if s.note else ""
        row = [todo + statement(s) + note, md(s.rating_label) + disagreement_mark(s)]
        if reviewed:
            theirs = f" Note: {markdown_linked(s.reviewer_note)}" if s.reviewer_note else ""
            row.append(md(s.reviewer_rating_label) + theirs)
        rows.append(row)
    lines += [f"What {md(area.next_level.label)} asks for:", "", *table(head, rows)]
    return lines


def evidence_section(report: Report) -> list[str]:
    lines = ["## Evidence notes", ""]
    if not report.evidence:
        return [*lines, "No notes were written.", ""]
    if len(report.other_evidence) < len(report.evidence):
        lines += ["Notes on the statements of each area's next level are in its table above.", ""]
    for s in report.other_evidence:
        rated = f"{md(s.level_label)}, rated {md(s.rating_label)}"
        lines.append(f"- {short(s)}, {rated}: {kept_lines(s.note or '')}")
    lines.append("")
    if report.other_reviewer_notes:
        lines += ["### Reviewer's notes", ""]
        lines += [
            f"- {short(s)}, reviewer rated {md(s.reviewer_rating_label)}: "
            f"{kept_lines(s.reviewer_note or '')}"
            for s in report.other_reviewer_notes
        ]
        lines.append("")
    return lines


def about_section(report: Report) -> list[str]:
    fw = report.framework
    scale = [(md(str(v)), md(label), md(meaning)) for v, label, meaning in report.scale]
    lines = ["## Rating scale", "", *table(("Rating", "Label", "Meaning"), scale)]
    lines += ["## About this report", ""]
    if fw.attribution:
        lines.append(f"- Framework attribution: {md(fw.attribution)}")
    lines += [f"- Source, {md(name)}: {md(text)}" for name, text in fw.sources]
    lines.append(
        f"- Made by {md(report.generator)} from the assessment with digest "
        f"`{report.assessment_digest}`; `competency verify` checks it."
    )
    return [*lines, ""]


def write_markdown(report: Report, out: IO[bytes]) -> None:
    """One person's report as GitHub/GitLab Markdown: the story first, then the reference."""
    lines = header(report) + overview(report) + ["## Each area in detail", ""]
    for area in report.areas:
        lines += area_section(report, area)
    lines += evidence_section(report) + about_section(report)
    lines.append(md_seal((report.assessment_digest,), report.assessment_version))
    out.write(("\n".join(lines) + "\n").encode("utf-8"))
