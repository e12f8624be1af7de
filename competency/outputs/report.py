"""One person's report: a model built once from the scoring result, written in any format.

``build_report`` walks the assessment and the framework once and returns a ``Report``:
plain frozen dataclasses holding everything a reader needs, including the sentences that
explain each level. The formats in ``competency.outputs`` (HTML, Markdown, JSON) only lay
that model out; none of them looks at the ratings again. ``write_report`` picks a format
from ``FORMATS`` and seals the output with the digest of the assessment it came from and
a digest of the report itself (``competency.outputs.seal``), so ``competency verify`` can
tell a report that matches its assessment from one that was edited or made from another.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from competency import __version__
from competency.assessment import NA, RATING_SCALE, Assessment, check_against, targets_of
from competency.explain import plan_ids
from competency.files import atomic_writer, report_path
from competency.framework.model import Framework, Statement
from competency.framework.resources import ResourceLink
from competency.outputs import format_of, write
from competency.outputs.words import (
    STATUS_LABELS,
    Rating,
    area_explanation,
    iso,
    ladder_end,
    rating_label,
    review_extent,
    step_explanation,
)
from competency.ratings import DEFAULT_THRESHOLD, disagree, meets_target
from competency.scoring import AreaResult, score
from competency.storage import digest, dump_assessment, read_assessment


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    id: str | None = None
    role: str | None = None
    unit: str | None = None


@dataclass(frozen=True, slots=True)
class LevelRef:
    key: str
    label: str
    rank: int


@dataclass(frozen=True, slots=True)
class ProfileInfo:
    """The role profile the assessment was made in (SPEC 9)."""

    id: str
    title: str
    description: str
    statements: int
    """How many of the framework's statements are in the role: the only ones asked."""


@dataclass(frozen=True, slots=True)
class FrameworkInfo:
    id: str
    title: str
    version: str | None
    attribution: str | None
    sources: tuple[tuple[str, str], ...]
    """``sources`` as (name, text) pairs, in file order: CC BY 4.0 wants them shown."""
    levels: tuple[LevelRef, ...]
    has_area_map: bool
    fingerprint: str


@dataclass(frozen=True, slots=True)
class Dates:
    started_at: str | None
    updated_at: str | None
    submitted_at: str | None
    """The last ``submitted`` event in the history."""
    reviewed_at: str | None
    """The reviewer's sign-off (``review.completed_at``)."""


@dataclass(frozen=True, slots=True)
class StatementLine:
    """One statement with everything said about it."""

    id: str
    level_key: str
    level_label: str
    area_id: str
    topic: str
    description: str
    rating: Rating
    rating_label: str
    note: str | None
    reviewer_rating: Rating
    reviewer_rating_label: str | None
    """None when there is no review."""
    reviewer_note: str | None
    difference: int | None
    """Reviewer minus self, when both are numbers."""
    disagreement: bool
    """Self and reviewer disagree (``competency.ratings.disagree``)."""
    met: bool | None
    """Rated at or above the threshold; None when ``na`` (it does not count)."""


@dataclass(frozen=True, slots=True)
class PlanLine(StatementLine):
    """A statement of the development plan, with the resources that help with it."""

    resources: tuple[ResourceLink, ...] = ()
    """Present with a resources file (SPEC 9): the resources that help with the
    statement, in file order; absent from the JSON without one."""


@dataclass(frozen=True, slots=True)
class LevelStep:
    """One level of an area's walk, with the sentence that explains it."""

    key: str
    label: str
    rank: int
    step: str
    mean: float | None
    rated: int
    not_applicable: int
    unanswered: int
    statements: int
    explanation: str


@dataclass(frozen=True, slots=True)
class AreaReport:
    id: str
    title: str
    description: str
    level: str
    rank: int | None
    level_key: str | None
    answered: int
    total: int
    completion: float
    explanation: str
    """Why the level is what it is, in one or two sentences."""
    walk: tuple[LevelStep, ...]
    held_back_by: tuple[StatementLine, ...]
    """Statements at the stopping level rated below the threshold, lowest first."""
    unanswered_at_stop: tuple[StatementLine, ...]
    next_level: LevelRef | None
    """The level to work towards; None when the walk did not stop (see ``ladder_end``)."""
    reached_top: bool
    """The ladder's top level itself was reached (not merely the levels above skipped)."""
    ladder_end: str | None
    """Why there is no next level, when there is none: the top was reached, or every
    level above was skipped. None when there is a next level."""
    next_level_asks: tuple[StatementLine, ...]
    """Every statement of this area at the next level."""
    plan: tuple[PlanLine, ...]
    """The next level's statements not yet met (below the threshold or unanswered)."""
    target: LevelRef | None
    target_met: bool | None
    reviewer_level: str | None
    reviewer_rank: int | None
    disagreements: int

    @property
    def in_role(self) -> bool:
        """False for an area with no statement in the assessment's role profile (its level
        reads ``Not in this role``): without a profile every area has statements."""
        return self.total > 0


@dataclass(frozen=True, slots=True)
class ReviewInfo:
    reviewer: Person
    comment: str | None
    started_at: str | None
    completed_at: str | None
    overall_level: str
    overall_rank: int | None
    disagreements: tuple[StatementLine, ...]
    """Every statement where self and reviewer disagree (2+ apart, or n/a vs a number)."""
    notes: tuple[StatementLine, ...]
    """Statements the reviewer wrote a note on, in framework order."""
    answered: int = 0
    """Statements the reviewer rated (a number or ``na``)."""
    total: int = 0
    """Statements in the framework."""
    completion: float = 0.0
    extent: str = ""
    """How much of the review was done, in one sentence that says when it is partial."""

    @property
    def partial(self) -> bool:
        """The reviewer has not rated every statement."""
        return self.answered < self.total


@dataclass(frozen=True, slots=True)
class Overall:
    level: str
    rank: int | None
    answered: int
    total: int
    completion: float
    explanation: str


@dataclass(frozen=True, slots=True)
class Report:
    """Everything one person's report shows, in the order it shows it."""

    subject: Person
    framework: FrameworkInfo
    status: str
    status_label: str
    dates: Dates
    threshold: float
    scale: tuple[tuple[int | str, str, str], ...]
    """The rating scale: value, label, meaning."""
    overall: Overall
    areas: tuple[AreaReport, ...]
    evidence: tuple[StatementLine, ...]
    """Statements the person wrote a note on, in framework order."""
    review: ReviewInfo | None
    assessment_digest: str
    """``sha256:`` of the assessment file the report was made from."""
    assessment_version: str
    """Which version of the assessment that was (``version_of``): ``verify`` tells a report
    of an earlier version of the same assessment from one of another file, or an edit."""
    generator: str
    profile: ProfileInfo | None = None
    """The role profile the assessment names; None when every statement was asked."""
    resources: tuple[ResourceLink, ...] | None = None
    """Every resource that helps with a statement of the plan, in the resources file's
    order; None (absent from the JSON) when no resources file was read."""

    def helped_by(self, resource_id: str) -> tuple[PlanLine, ...]:
        """The statements of the plan a resource helps with, area by area."""
        return tuple(
            line
            for a in self.areas
            for line in a.plan
            if any(link.id == resource_id for link in line.resources)
        )

    @property
    def in_area_tables(self) -> frozenset[str]:
        """Statements shown (with their notes) in an area's next-level table."""
        return frozenset(s.id for a in self.areas for s in a.next_level_asks)

    @property
    def other_evidence(self) -> tuple[StatementLine, ...]:
        """Notes not already shown in an area's table: each note is printed once."""
        shown = self.in_area_tables
        return tuple(s for s in self.evidence if s.id not in shown)

    @property
    def other_reviewer_notes(self) -> tuple[StatementLine, ...]:
        """The reviewer's notes not already shown in an area's table."""
        shown = self.in_area_tables
        return tuple(s for s in self.review.notes if s.id not in shown) if self.review else ()


class _Builder:
    """Walks one assessment once; every line of the report comes from here."""

    def __init__(self, assessment: Assessment, framework: Framework, threshold: float) -> None:
        self.a = assessment
        self.fw = framework
        self.threshold = threshold
        self.review = assessment.review
        self.lines: dict[str, StatementLine] = {}
        self.profile = framework.profile(assessment.profile)
        self.targets = targets_of(assessment, framework)

    def line(self, statement: Statement) -> StatementLine:
        if statement.id in self.lines:
            return self.lines[statement.id]
        sid = statement.id
        mine: Rating = self.a.ratings.get(sid)
        theirs: Rating = self.review.ratings.get(sid) if self.review else None
        difference = theirs - mine if isinstance(mine, int) and isinstance(theirs, int) else None
        line = StatementLine(
            id=sid,
            level_key=statement.level,
            level_label=self.fw.level_by_key[statement.level].label,
            area_id=statement.area,
            topic=statement.topic,
            description=statement.description,
            rating=mine,
            rating_label=rating_label(mine),
            note=self.a.notes.get(sid) or None,
            reviewer_rating=theirs,
            reviewer_rating_label=rating_label(theirs) if self.review else None,
            reviewer_note=(self.review.notes.get(sid) or None) if self.review else None,
            difference=difference,
            # The one rule (ratings.disagree): n/a against a number disagrees too, with no
            # difference; the outputs then name both ratings (words.apart).
            disagreement=disagree(mine, theirs),
            met=None if mine == NA else isinstance(mine, int) and mine >= self.threshold,
        )
        self.lines[sid] = line
        return line

    def lines_for(self, ids: list[str] | tuple[str, ...]) -> tuple[StatementLine, ...]:
        return tuple(self.line(self.fw.statement_by_id[sid]) for sid in ids)

    def walk(self, result: AreaResult) -> tuple[LevelStep, ...]:
        return tuple(
            LevelStep(
                key=lvl.key,
                label=lvl.label,
                rank=lvl.rank,
                step=str(lvl.step),
                mean=None if lvl.mean is None else round(lvl.mean, 4),
                rated=lvl.rated,
                not_applicable=lvl.not_applicable,
                unanswered=lvl.unanswered,
                statements=len(lvl.statement_ids),
                explanation=step_explanation(lvl, self.threshold),
            )
            for lvl in result.levels
        )

    def area(self, result: AreaResult, reviewed: AreaResult | None) -> AreaReport:
        ratings = self.a.ratings
        area = self.fw.area_by_id[result.id]
        stop = result.next_level
        asks = self.lines_for(stop.statement_ids) if stop else ()
        # An area outside the role has no level to aim for, whatever the file says.
        target_key = self.targets.get(result.id) if result.in_role else None
        target = self.level_ref(target_key) if target_key else None
        in_area = self.lines_for(area.statement_ids)
        return AreaReport(
            id=result.id,
            title=result.title,
            description=area.description,
            level=result.level,
            rank=result.rank,
            level_key=result.level_key,
            answered=result.answered,
            total=result.total,
            completion=round(result.completion, 4),
            explanation=area_explanation(result, self.threshold),
            walk=self.walk(result),
            held_back_by=self.lines_for(result.held_back_by(ratings)),
            unanswered_at_stop=self.lines_for(result.unanswered_at_stop(ratings)),
            next_level=self.level_ref(stop.key) if stop else None,
            reached_top=result.reached_top,
            ladder_end=ladder_end(result),
            next_level_asks=asks,
            plan=tuple(self.plan_line(line) for line in self.lines_for(plan_ids(result, ratings))),
            target=target,
            target_met=None if target is None else meets_target(result.rank, target.rank),
            reviewer_level=reviewed.level if reviewed else None,
            reviewer_rank=reviewed.rank if reviewed else None,
            disagreements=sum(1 for line in in_area if line.disagreement),
        )

    def plan_line(self, line: StatementLine) -> PlanLine:
        fields = {f.name: getattr(line, f.name) for f in dataclasses.fields(StatementLine)}
        return PlanLine(**fields, resources=self.links(line.id))

    def links(self, statement_id: str) -> tuple[ResourceLink, ...]:
        found = self.fw.resources
        if found is None:
            return ()
        return tuple(r.link() for r in found.helping_with(statement_id))

    def level_ref(self, key: str) -> LevelRef:
        lvl = self.fw.level_by_key[key]
        return LevelRef(lvl.key, lvl.label, lvl.rank)

    def build(self, assessment_digest: str) -> Report:
        a, fw = self.a, self.fw
        profile = self.profile
        result = score(fw, a.ratings, self.threshold, profile)
        by_reviewer = (
            score(fw, self.review.ratings, self.threshold, profile) if self.review else None
        )
        areas = tuple(
            self.area(r, by_reviewer.area(r.id) if by_reviewer else None) for r in result.areas
        )
        every = tuple(self.line(s) for s in fw.statements)
        submitted = [e.at for e in a.history if e.action == "submitted"]
        review = None
        if self.review is not None and by_reviewer is not None:
            r = self.review
            review = ReviewInfo(
                reviewer=Person(r.reviewer.name, r.reviewer.id),
                comment=r.comment or None,
                started_at=iso(r.started_at),
                completed_at=iso(r.completed_at),
                overall_level=by_reviewer.overall.level,
                overall_rank=by_reviewer.overall.rank,
                disagreements=tuple(line for line in every if line.disagreement),
                notes=tuple(line for line in every if line.reviewer_note),
                answered=by_reviewer.overall.answered,
                total=by_reviewer.overall.total,
                completion=round(by_reviewer.overall.completion, 4),
                extent=review_extent(by_reviewer.overall.answered, by_reviewer.overall.total),
            )
        o = result.overall
        return Report(
            subject=Person(a.subject.name, a.subject.id, a.subject.role, a.subject.unit),
            framework=FrameworkInfo(
                id=fw.id,
                title=fw.title,
                version=fw.version,
                attribution=fw.attribution,
                sources=tuple((str(k), source_text(v)) for k, v in fw.sources.items()),
                levels=tuple(LevelRef(lvl.key, lvl.label, lvl.rank) for lvl in fw.levels),
                has_area_map=fw.has_area_map,
                fingerprint=fw.fingerprint,
            ),
            status=a.status,
            status_label=STATUS_LABELS.get(a.status, a.status),
            dates=Dates(
                started_at=iso(a.started_at),
                updated_at=iso(a.updated_at),
                submitted_at=iso(submitted[-1]) if submitted else None,
                reviewed_at=iso(self.review.completed_at) if self.review else None,
            ),
            threshold=self.threshold,
            scale=RATING_SCALE,
            overall=Overall(
                o.level,
                o.rank,
                o.answered,
                o.total,
                round(o.completion, 4),
                area_explanation(o, self.threshold, "this assessment"),
            ),
            areas=areas,
            evidence=tuple(line for line in every if line.note),
            review=review,
            assessment_digest=assessment_digest,
            assessment_version=version_of(a),
            generator=f"competency {__version__}",
            resources=self.used_resources(areas),
            profile=None
            if profile is None
            else ProfileInfo(
                profile.id, profile.title, profile.description, len(profile.statement_ids)
            ),
        )

    def used_resources(self, areas: tuple[AreaReport, ...]) -> tuple[ResourceLink, ...] | None:
        """The resources of every plan entry, each once, in the file's order."""
        if self.fw.resources is None:
            return None
        used = {link.id: link for a in areas for line in a.plan for link in line.resources}
        return tuple(used[r.id] for r in self.fw.resources.items if r.id in used)


def _short_digest(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def version_of(assessment: Assessment) -> str:
    """Which version of which assessment this is, as one token a report's seal can carry.

    ``saved=<updated_at>;status=<status>;answers=<digest>;person=<digest>``: the answers
    digest covers the ratings and notes (the person's and the reviewer's), the person
    digest what stays the same across saves (framework, subject, when it was started).
    Only ``[A-Za-z0-9:+.;=_-]``, so it sits in an HTML attribute or a Markdown comment.
    """
    review = assessment.review
    answers = {
        "ratings": assessment.ratings,
        "notes": assessment.notes,
        "review": None if review is None else {"ratings": review.ratings, "notes": review.notes},
    }
    person = [
        assessment.framework.id,
        assessment.subject.name,
        assessment.subject.id,
        iso(assessment.started_at),
    ]
    saved = iso(assessment.updated_at) or "never"
    return (
        f"saved={saved};status={assessment.status};answers={_short_digest(answers)};"
        f"person={_short_digest(person)}"
    )


def source_text(value: Any) -> str:
    """A ``sources`` value as text: strings as they are, anything else as compact JSON."""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def build_report(
    assessment: Assessment,
    framework: Framework,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    source_bytes: bytes | None = None,
) -> Report:
    """The report of ``assessment`` scored against ``framework``.

    ``source_bytes`` are the assessment file's bytes, so the report names exactly the file
    it was made from; without them, the bytes ``save_assessment`` would write are used.
    """
    data = source_bytes if source_bytes is not None else dump_assessment(assessment)
    return _Builder(assessment, framework, threshold).build(digest(data))


def export_path(path: Path, fmt: str) -> Path:
    """Where ``export_report`` would write ``fmt`` now: the first name not taken.

    ``NAME.report.html``, or once that exists ``NAME.2.report.html``, ``NAME.3...``: a
    screen offering an export names the file this gives, the one that will be written.
    """
    suffix = format_of("report", fmt).suffix
    target = report_path(path, suffix)
    n = 2
    while target.exists():  # an earlier export stays: this one takes the next free name
        target = report_path(path.with_name(f"{path.stem}.{n}{path.suffix}"), suffix)
        n += 1
    return target


def export_report(
    path: Path, framework: Framework, fmt: str, *, threshold: float = DEFAULT_THRESHOLD
) -> Path:
    """Write the report of the assessment file at ``path`` beside it; return where.

    The report is built from the bytes read now, and its digest names those same bytes, so
    it says exactly what the file said when it was exported (whatever a screen holds).
    An earlier export is never replaced: ``NAME.report.html`` taken, this one is
    ``NAME.2.report.html``, then ``NAME.3.report.html``.
    """
    assessment, data = read_assessment(path)
    check_against(assessment, framework, str(path))
    report = build_report(assessment, framework, threshold=threshold, source_bytes=data)
    target = export_path(path, fmt)
    with atomic_writer(target) as out:
        write("report", fmt, report, out)
    return target


def write_report(
    fmt: str,
    assessment: Assessment,
    framework: Framework,
    out: IO[bytes],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    source_bytes: bytes | None = None,
) -> None:
    """Build the report of ``assessment`` and write it to ``out`` in ``fmt``, sealed."""
    report = build_report(assessment, framework, threshold=threshold, source_bytes=source_bytes)
    write("report", fmt, report, out)
