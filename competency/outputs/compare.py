"""One person's progress between two cycles: the level per area then and now, and every
statement whose rating changed.

``build_comparison`` refuses two assessments that are not the same framework (id, and its
statements when both files carry a fingerprint) or not the same person (``subject.id``
when both have one, else ``subject.name``). The ``write_comparison_*`` functions lay the
model out as HTML, Markdown or JSON; ``competency.outputs.write`` seals them like a report,
and the seal names both assessments.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from competency.assessment import Assessment
from competency.errors import CompetencyError
from competency.framework.model import Framework
from competency.outputs.report import FrameworkInfo, Person, build_report
from competency.outputs.seal import md_seal
from competency.outputs.words import (
    STATUS_LABELS,
    Rating,
    fmt_mean,
    iso,
    percent,
    person_line,
    rating_label,
    when,
)
from competency.ratings import DEFAULT_THRESHOLD

COMPARISON_SCHEMA = "competency-comparison/1"
"""The ``schema`` field of ``compare --format json``."""


class ComparisonRefused(CompetencyError):
    """The two assessments are not one person's, on one framework."""


@dataclass(frozen=True, slots=True)
class Cycle:
    """One of the two assessments."""

    status: str
    status_label: str
    started_at: str | None
    updated_at: str | None
    reviewed_at: str | None
    overall_level: str
    overall_rank: int | None
    completion: float
    assessment_digest: str


@dataclass(frozen=True, slots=True)
class AreaChange:
    id: str
    title: str
    old_level: str
    old_rank: int | None
    new_level: str
    new_rank: int | None
    change: str
    """``up``, ``down``, ``same``, or ``new`` when it was not assessed before."""


@dataclass(frozen=True, slots=True)
class RatingChange:
    id: str
    area_title: str
    level_label: str
    topic: str
    description: str
    old_rating: Rating
    old_label: str
    new_rating: Rating
    new_label: str
    change: str
    """``up``, ``down``, ``answered`` (new rating), ``cleared``, or ``changed`` (to/from n/a)."""


@dataclass(frozen=True, slots=True)
class Comparison:
    subject: Person
    framework: FrameworkInfo
    threshold: float
    old: Cycle
    new: Cycle
    overall: AreaChange
    areas: tuple[AreaChange, ...]
    changes: tuple[RatingChange, ...]
    """Statements whose rating changed, in framework order."""
    generator: str
    pairing: tuple[str, ...] = ()
    """When the two are on different versions of the framework: how the old one's
    statements were paired with the new one's, one line each (empty on one version)."""


def same_person(old: Assessment, new: Assessment) -> bool:
    """``subject.id`` when both files have one, else ``subject.name``."""
    a, b = old.subject, new.subject
    if a.id and b.id:
        return a.id == b.id
    return a.name.strip().casefold() == b.name.strip().casefold()


def refuse_unless_comparable(old: Assessment, new: Assessment, old_src: str, new_src: str) -> None:
    """Refuse, with one line naming both files, two assessments that cannot be compared."""
    files = f"{old_src} and {new_src}"
    if old.framework.id != new.framework.id:
        raise ComparisonRefused(
            f"{files} are on different frameworks ({old.framework.id!r} and "
            f"{new.framework.id!r}); compare two cycles of the same framework"
        )
    fp_old, fp_new = old.framework.fingerprint, new.framework.fingerprint
    if fp_old and fp_new and fp_old != fp_new:
        raise ComparisonRefused(
            f"{files} were made against different versions of framework "
            f"{old.framework.id!r} (its statements changed), so their ratings do not compare"
        )
    if not same_person(old, new):
        if old.subject.id and new.subject.id:
            who, was, now = "subject.id", old.subject.id, new.subject.id
        else:
            who, was, now = "subject.name", old.subject.name, new.subject.name
        raise ComparisonRefused(
            f"{files} are about different people ({who} {was!r} and {now!r}); compare one "
            "person's two cycles"
        )


def direction(old: int | None, new: int | None) -> str:
    if old is None:
        return "same" if new is None else "new"
    if new is None:
        return "down"
    return "up" if new > old else "down" if new < old else "same"


def rating_change(old: Rating, new: Rating) -> str:
    if old is None:
        return "answered"
    if new is None:
        return "cleared"
    if isinstance(old, int) and isinstance(new, int):
        return "up" if new > old else "down"
    return "changed"


def build_comparison(
    old: Assessment,
    new: Assessment,
    framework: Framework,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    old_bytes: bytes | None = None,
    new_bytes: bytes | None = None,
    old_source: str = "OLD",
    new_source: str = "NEW",
    pairing: tuple[str, ...] = (),
) -> Comparison:
    """Compare two cycles of one person on one framework (refused otherwise)."""
    refuse_unless_comparable(old, new, old_source, new_source)
    then = build_report(old, framework, threshold=threshold, source_bytes=old_bytes)
    now = build_report(new, framework, threshold=threshold, source_bytes=new_bytes)

    def cycle(a: Assessment, digest: str, level: str, rank: int | None, done: float) -> Cycle:
        return Cycle(
            a.status,
            STATUS_LABELS.get(a.status, a.status),
            iso(a.started_at),
            iso(a.updated_at),
            iso(a.review.completed_at) if a.review else None,
            level,
            rank,
            done,
            digest,
        )

    areas = tuple(
        AreaChange(b.id, b.title, a.level, a.rank, b.level, b.rank, direction(a.rank, b.rank))
        for a, b in zip(then.areas, now.areas, strict=True)
    )
    changes = []
    for statement in framework.statements:
        before, after = old.ratings.get(statement.id), new.ratings.get(statement.id)
        if before == after:
            continue
        changes.append(
            RatingChange(
                statement.id,
                framework.area_by_id[statement.area].title,
                framework.level_by_key[statement.level].label,
                statement.topic,
                statement.description,
                before,
                rating_label(before),
                after,
                rating_label(after),
                rating_change(before, after),
            )
        )
    o1, o2 = then.overall, now.overall
    return Comparison(
        subject=now.subject,
        framework=now.framework,
        threshold=threshold,
        old=cycle(old, then.assessment_digest, o1.level, o1.rank, o1.completion),
        new=cycle(new, now.assessment_digest, o2.level, o2.rank, o2.completion),
        overall=AreaChange(
            "overall", "Overall", o1.level, o1.rank, o2.level, o2.rank, direction(o1.rank, o2.rank)
        ),
        areas=areas,
        changes=tuple(changes),
        generator=now.generator,
        pairing=pairing,
    )


ARROWS = {
    "up": "▲ up",
    "down": "▼ down",
    "same": "= same",
    "new": "★ first level",
    "answered": "newly rated",
    "cleared": "rating removed",
    "changed": "changed",
}
"""A change in words and a symbol, so it never depends on colour."""


def write_comparison_md(c: Comparison, out: IO[bytes]) -> None:
    from competency.outputs.markdown import table
    from competency.text import markdown as md

    fw = c.framework
    lines = [
        f"# Progress: {md(c.subject.name)}",
        "",
        *table(
            ("", ""),
            [
                ("Person", md(person_line(c.subject))),
                ("Framework", f"{md(fw.title)} ({md(fw.id)})"),
            ],
        ),
        *table(
            ("", "Then", "Now"),
            [
                ("Status", c.old.status_label, c.new.status_label),
                ("Last saved", when(c.old.updated_at), when(c.new.updated_at)),
                ("Completion", percent(c.old.completion), percent(c.new.completion)),
            ],
        ),
        "## Level per area",
        "",
        *table(
            ("Area", "Then", "Now", "Change"),
            [
                (md(a.title), md(a.old_level), f"**{md(a.new_level)}**", ARROWS[a.change])
                for a in (c.overall, *c.areas)
            ],
        ),
        "## Ratings that changed",
        "",
    ]
    if c.changes:
        lines += table(
            ("Statement", "Area", "Then", "Now", "Change"),
            [
                (
                    f"**{md(s.topic)}** ({md(s.id)})",
                    md(s.area_title),
                    md(s.old_label),
                    md(s.new_label),
                    ARROWS[s.change],
                )
                for s in c.changes
            ],
        )
    else:
        lines += ["No rating changed.", ""]
    if c.pairing:
        lines += ["## Statements paired across framework versions", ""]
        lines += [f"- {md(line, line_start=False)}" for line in c.pairing]
        lines.append("")
    lines += [
        f"Levels use a threshold of {fmt_mean(c.threshold)}. Framework attribution: "
        f"{md(fw.attribution) or 'none given'}.",
        "",
        md_seal((c.old.assessment_digest, c.new.assessment_digest)),
    ]
    out.write(("\n".join(lines) + "\n").encode("utf-8"))


def write_comparison_json(c: Comparison, out: IO[bytes]) -> None:
    from competency.outputs.json_format import dump, to_dict

    body = to_dict(c)
    body["framework"]["sources"] = dict(body["framework"]["sources"])
    dump({"schema": COMPARISON_SCHEMA, **body}, out)


def write_comparison_html(c: Comparison, out: IO[bytes]) -> None:
    from competency.outputs.html import render

    render("compare.html.j2", out, c=c, arrows=ARROWS)
