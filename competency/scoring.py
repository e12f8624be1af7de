"""The scoring rule (SPEC 4), as pure functions with an explanation of every level.

For an area, and for ``overall`` (every statement), walk the levels lowest first::

    S = the statements of the area at this level
    if S is empty, or every statement in S is rated "na":  skip this level
    elif no statement in S has a numeric rating:            stop  (the rest is unanswered)
    elif mean(numeric ratings in S) >= threshold:           reached; go on
    else:                                                   stop

The result is the last level reached. Each ``AreaResult`` keeps the walk itself
(``levels``), so screens and reports can say why a level is what it is and what the next
level asks for without re-implementing the rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from competency.assessment import NA
from competency.framework import Framework, Level, Statement

DEFAULT_THRESHOLD = 3.0
NOT_ASSESSED = "Not assessed"
OVERALL_ID = "overall"
OVERALL_TITLE = "Overall"

RatingValue = int | str


class Step(StrEnum):
    """What the walk did at one level."""

    REACHED = "reached"
    """The mean met the threshold."""
    BELOW = "below"
    """The mean fell short: the walk stopped here."""
    UNANSWERED = "unanswered"
    """Nothing here had a number yet: the walk stopped here."""
    SKIPPED = "skipped"
    """No statements in the area at this level, or all ``na``."""
    NOT_WALKED = "not_walked"
    """Above the level where the walk stopped."""


@dataclass(frozen=True, slots=True)
class LevelResult:
    """One level of one area's walk."""

    key: str
    label: str
    rank: int
    step: Step
    statement_ids: tuple[str, ...]
    """The area's statements at this level."""
    mean: float | None
    """Mean of the numeric ratings, or None when there are none."""
    rated: int
    """How many have a number."""
    not_applicable: int
    """How many are ``na``."""
    unanswered: int
    """How many have no rating yet."""


@dataclass(frozen=True, slots=True)
class AreaResult:
    """The level of one area (or ``overall``) and why."""

    id: str
    title: str
    level: str
    """The label shown to people: a level label, ``Below <first>``, or ``Not assessed``."""
    rank: int | None
    """1-based place in the ladder; 0 when below the first level; None when not assessed."""
    level_key: str | None
    """The key of the level reached, or None."""
    answered: int
    """Statements with a number or ``na``."""
    total: int
    """Statements in the area."""
    levels: tuple[LevelResult, ...]
    """The walk, one entry per level of the ladder."""
    threshold: float

    @property
    def completion(self) -> float:
        """Answered / total, 0.0 to 1.0."""
        return self.answered / self.total if self.total else 0.0

    @property
    def stopped_at(self) -> LevelResult | None:
        """The level that stopped the walk, or None when the walk reached the top."""
        for lvl in self.levels:
            if lvl.step in (Step.BELOW, Step.UNANSWERED):
                return lvl
        return None

    @property
    def next_level(self) -> LevelResult | None:
        """The level to work towards: the one that stopped the walk."""
        return self.stopped_at

    def held_back_by(self, ratings: Mapping[str, RatingValue]) -> list[str]:
        """Statements at the stopping level rated below the threshold, lowest first."""
        stop = self.stopped_at
        if stop is None:
            return []
        low = [
            sid
            for sid in stop.statement_ids
            if isinstance(ratings.get(sid), int) and int(ratings[sid]) < self.threshold
        ]
        return sorted(low, key=lambda sid: int(ratings[sid]))

    def unanswered_at_stop(self, ratings: Mapping[str, RatingValue]) -> list[str]:
        """Statements at the stopping level that have no rating yet."""
        stop = self.stopped_at
        if stop is None:
            return []
        return [sid for sid in stop.statement_ids if sid not in ratings]


@dataclass(frozen=True, slots=True)
class ScoreResult:
    """A whole assessment scored: every area, and overall."""

    areas: tuple[AreaResult, ...]
    overall: AreaResult
    threshold: float

    @property
    def completion(self) -> float:
        """Answered / total over the whole framework."""
        return self.overall.completion

    def area(self, area_id: str) -> AreaResult:
        """One area's result by id."""
        for result in self.areas:
            if result.id == area_id:
                return result
        raise KeyError(area_id)


def level_for(
    ladder: Sequence[Level],
    statements: Iterable[Statement],
    ratings: Mapping[str, RatingValue],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    area_id: str = OVERALL_ID,
    title: str = OVERALL_TITLE,
) -> AreaResult:
    """Apply the scoring rule to one set of statements."""
    by_level: dict[str, list[str]] = {lvl.key: [] for lvl in ladder}
    total = 0
    for statement in statements:
        by_level[statement.level].append(statement.id)
        total += 1

    walk: list[LevelResult] = []
    reached: Level | None = None
    any_number = False
    answered = 0
    stopped = False
    for lvl in ladder:
        ids = by_level[lvl.key]
        numbers = [r for sid in ids if isinstance(r := ratings.get(sid), int)]
        na = sum(1 for sid in ids if ratings.get(sid) == NA)
        missing = len(ids) - len(numbers) - na
        answered += len(numbers) + na
        any_number = any_number or bool(numbers)
        mean = sum(numbers) / len(numbers) if numbers else None
        if stopped:
            step = Step.NOT_WALKED
        elif not ids or na == len(ids):
            step = Step.SKIPPED
        elif mean is None:
            step, stopped = Step.UNANSWERED, True
        elif mean >= threshold:
            step, reached = Step.REACHED, lvl
        else:
            step, stopped = Step.BELOW, True
        walk.append(
            LevelResult(
                lvl.key, lvl.label, lvl.rank, step, tuple(ids), mean, len(numbers), na, missing
            )
        )

    if reached is not None:
        label, rank, key = reached.label, reached.rank, reached.key
    elif any_number:
        label, rank, key = f"Below {ladder[0].label}", 0, None
    else:
        label, rank, key = NOT_ASSESSED, None, None
    return AreaResult(area_id, title, label, rank, key, answered, total, tuple(walk), threshold)


def score(
    framework: Framework,
    ratings: Mapping[str, RatingValue],
    threshold: float = DEFAULT_THRESHOLD,
) -> ScoreResult:
    """Score a set of ratings against a framework: each area, and overall."""
    areas = tuple(
        level_for(
            framework.levels,
            framework.statements_in(area.id),
            ratings,
            threshold=threshold,
            area_id=area.id,
            title=area.title,
        )
        for area in framework.areas
    )
    overall = level_for(framework.levels, framework.statements, ratings, threshold=threshold)
    return ScoreResult(areas, overall, threshold)
