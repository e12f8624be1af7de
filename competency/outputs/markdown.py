"""The Markdown report: reads well on GitHub and GitLab, and user text stays text.

Every piece of user or framework text goes through ``md``, the Markdown policy of
``competency.text``: only what would become markup (a tag, an entity, emphasis, a link,
a table bar, a heading or list at a line's start) is escaped, and line breaks become
spaces, so a note cannot break a table row or start a heading.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, TYPE_CHECKING

from competency.outputs.seal import md_seal
from competency.outputs.words import fmt_mean, percent, person_line, when
from competency.text import markdown as md

if TYPE_CHECKING:
    from competency.outputs.report import AreaReport, Report, StatementLine


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
    if not line.disagreement or line.difference is None:
        return ""
    return f" **⚠ {abs(line.difference)} apart**"


def header(report: Report) -> list[str]:
    fw, d = report.framework, report.dates
    version = f", version {md(fw.version)}" if fw.version else ""
    rows = [
        ("Person", md(person_line(report.subject))),
        ("Framework", f"{md(fw.title)} ({md(fw.id)}){version}"),
        ("Status", report.status_label),
        ("Started", when(d.started_at)),
        ("Last saved", when(d.updated_at)),
    ]
    if d.submitted_at:
        rows.append(("Submitted", when(d.submitted_at)))
    if report.review is not None:
        rows.append(("Reviewed by", md(person_line(report.review.reviewer))))
        rows.append(("Signed off", when(d.reviewed_at) if d.reviewed_at else "not yet"))
    rows.append(
        (
            "Threshold",
            f"a level is reached when its mean rating is at least {fmt_mean(report.threshold)}",
        )
    )
    return [
        f"# Competency report: {md(report.subject.name)}",
        "",
        *table(("", ""), rows),
    ]


def overview(report: Report) -> list[str]:
    o = report.overall
    lines = [
        f"## Overall level: {md(o.level)}",
        "",
        f"{md(o.explanation)} {o.answered} of {o.total} statements answered "
        f"({percent(o.completion)}).",
        "",
    ]
    if report.review is not None:
        lines += [
            f"The reviewer's ratings give **{md(report.review.overall_level)}** overall "
            "(shown beside the self-assessment, never averaged into it).",
            "",
        ]
    if not report.framework.has_area_map:
        lines += [
            "This framework has no area map, so every statement is scored as one "
            "area, *All statements*.",
            "",
        ]
    reviewed = report.review is not None
    has_targets = any(a.target for a in report.areas)
    head = ["Area", "Self-assessed level", "Completion"]
    head += ["Reviewer's level"] if reviewed else []
    head += ["Target"] if has_targets else []
    rows = []
    for a in report.areas:
        done = f"{a.answered}/{a.total} ({percent(a.completion)})"
        row = [md(a.title), f"**{md(a.level)}**", done]
        if reviewed:
            row.append(md(a.reviewer_level))
        if has_targets:
            row.append(target_text(a))
        rows.append(row)
    return [*lines, "## Levels per area", "", *table(head, rows)]


def target_text(area: AreaReport) -> str:
    if area.target is None:
        return ""
    state = {True: "met", False: "not yet", None: "not assessed"}[area.target_met]
    return f"{md(area.target.label)} ({state})"


def area_section(report: Report, area: AreaReport) -> list[str]:
    lines = [f"## {md(area.title)}", ""]
    if area.description:
        lines += [f"*{md(area.description)}*", ""]
    facts = [
        f"**Level: {md(area.level)}**",
        f"{area.answered} of {area.total} answered ({percent(area.completion)})",
    ]
    if area.reviewer_level is not None:
        facts.append(f"reviewer: {md(area.reviewer_level)}")
    if area.target is not None:
        facts.append(f"target: {target_text(area)}")
    if area.disagreements:
        many = "ratings" if area.disagreements > 1 else "rating"
        facts.append(f"**⚠ {area.disagreements} {many} 2+ apart from the reviewer**")
    lines += [" · ".join(facts), "", f"**Why:** {md(area.explanation)}", ""]
    lines += [f"- {md(step.label)}: {md(step.explanation)}" for step in area.walk]
    lines.append("")
    if area.held_back_by:
        lines += ["**Held back by:**", ""]
        lines += [f"- {statement(s)} — rated **{md(s.rating_label)}**" for s in area.held_back_by]
        lines.append("")
    if area.unanswered_at_stop:
        lines += ["**Not answered yet:**", ""]
        lines += [f"- {statement(s)}" for s in area.unanswered_at_stop]
        lines.append("")
    if area.next_level is None:
        lines += [md(area.ladder_end), ""]
        return lines
    nxt = md(area.next_level.label)
    reviewed = report.review is not None
    head = ["Statement", "Self"] + (["Reviewer"] if reviewed else [])
    rows = []
    for s in area.next_level_asks:
        row = [statement(s), md(s.rating_label) + disagreement_mark(s)]
        if reviewed:
            row.append(md(s.reviewer_rating_label))
        rows.append(row)
    lines += [f"### What {nxt} asks for", "", *table(head, rows)]
    lines += [f"### Development plan towards {nxt}", ""]
    if not area.plan:
        lines += [f"Every {nxt} statement in this area is already met.", ""]
    for s in area.plan:
        note = f" Note: {md(s.note)}" if s.note else " No note yet."
        lines.append(f"- [ ] {statement(s)} — now **{md(s.rating_label)}**.{note}")
    return [*lines, ""]


def review_section(report: Report) -> list[str]:
    review = report.review
    if review is None:
        return []
    lines = ["## Review", ""]
    lines += [
        f"Reviewed by {md(person_line(review.reviewer))}; "
        f"signed off {when(review.completed_at) if review.completed_at else 'not yet'}.",
        "",
    ]
    if review.comment:
        lines += [f"> {md(review.comment)}", ""]
    lines += ["### Where self and reviewer disagree (2 or more apart)", ""]
    if review.disagreements:
        rows = [
            (
                statement(s),
                md(s.rating_label),
                md(s.reviewer_rating_label),
                f"**⚠ {s.difference:+d}**",
            )
            for s in review.disagreements
            if s.difference is not None
        ]
        lines += table(("Statement", "Self", "Reviewer", "Difference"), rows)
    else:
        lines += ["No statement differs by 2 or more.", ""]
    if review.notes:
        lines += ["### Reviewer's notes", ""]
        lines += [
            f"- {short(s)}, reviewer rated {md(s.reviewer_rating_label)}: {md(s.reviewer_note)}"
            for s in review.notes
        ]
        lines.append("")
    return lines


def evidence_section(report: Report) -> list[str]:
    lines = ["## Evidence notes", ""]
    if not report.evidence:
        return [*lines, "No notes were written.", ""]
    for s in report.evidence:
        lines.append(f"- {short(s)}, {md(s.level_label)}, rated {md(s.rating_label)}: {md(s.note)}")
    return [*lines, ""]


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
    """One person's report as GitHub/GitLab Markdown."""
    # The review comes before the areas' detail: it is what a supervisor looks for first.
    lines = header(report) + overview(report) + review_section(report)
    for area in report.areas:
        lines += area_section(report, area)
    lines += evidence_section(report) + about_section(report)
    lines.append(md_seal((report.assessment_digest,), report.assessment_version))
    out.write(("\n".join(lines) + "\n").encode("utf-8"))
