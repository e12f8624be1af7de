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

import struct
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from operator import getitem

from competency.framework.model import Framework, Level, Statement
from competency.ratings import DEFAULT_THRESHOLD, NA, below_label

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

    @property
    def reached_top(self) -> bool:
        """True when the walk reached the ladder's top level itself.

        A walk can also end without stopping because every level above the one reached
        was skipped (all ``na``, or no statements of this area there): then there is no
        next level either, but the area is not at the top of the ladder.
        """
        return self.stopped_at is None and self.levels[-1].step is Step.REACHED

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
        label, rank, key = below_label(ladder[0].label), 0, None
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


# -- the same rule for batches: levels only, no explanation ---------------------------

# Every count the rule needs is a field of one integer: for each cell (an area at a level,
# or overall at a level) the sum of the numbers, how many numbers and how many "na"; for
# each area and overall how many numbers and how many answered. What one rating adds to
# all of those is one integer made in advance, so a person's counts are the sum of a few
# dozen integers, and one ``struct.unpack`` splits that sum into its fields.


def _field_format(largest: int) -> str:
    """A ``struct`` code for fields that hold ``largest`` (so no count carries into the
    next field), as narrow as can be: the fewer bytes, the faster the sums."""
    for code in "BHIQ":
        if largest < 1 << (8 * struct.calcsize(code)):
            return code
    raise ValueError(f"a count of {largest} does not fit in 64 bits")


class _Adds(dict[object, int]):
    """One statement's additions by rating; a value that is not a rating adds nothing."""

    def __missing__(self, key: object) -> int:
        return 0


Outcome = tuple[str, int | None, float]
"""(level label, rank, completion) of one area or overall."""


class LevelTable:
    """SPEC 4 for thousands of assessments of one framework: the levels, not the why.

    ``score`` builds an explanation of every level, which screens and reports need and a
    batch of ten thousand files does not (it costs about 200 µs a file). This applies the
    same rule with the statements grouped by area and level in advance and every count
    kept in a field of one integer. The two must always agree: tests/batch checks this
    against ``score`` on random ratings for several frameworks. Change the rule in both.

    A walk's result for one area is a pair (step, answered): step 0 is ``Not assessed``,
    1 ``Below <first level>``, and 2 + i the ladder's level i; answered counts the
    statements rated with a number or ``na``.
    """

    def __init__(self, framework: Framework) -> None:
        self.framework = framework
        ladder = framework.levels
        width = len(ladder)
        below = below_label(ladder[0].label)
        self.steps: tuple[tuple[str, int | None], ...] = (
            (NOT_ASSESSED, None),
            (below, 0),
            *((level.label, level.rank) for level in ladder),
        )
        """(level, rank) of each step."""
        self.rank_of_key = {level.key: level.rank for level in ladder}
        self.ids = tuple(statement.id for statement in framework.statements)
        self.groups: tuple[tuple[str, str], ...] = (
            *((area.id, area.title) for area in framework.areas),
            (OVERALL_ID, OVERALL_TITLE),
        )
        level_of = {key: i for i, key in enumerate(level.key for level in ladder)}
        members: list[list[str]] = [[] for _ in range(len(self.groups) * width)]
        group_of: dict[str, list[int]] = {sid: [] for sid in self.ids}
        for a, area in enumerate(framework.areas):
            for sid in area.statement_ids:
                members[a * width + level_of[framework.statement_by_id[sid].level]].append(sid)
                group_of[sid].append(a)
        overall = len(framework.areas)
        for statement in framework.statements:
            members[overall * width + level_of[statement.level]].append(statement.id)
            group_of[statement.id].append(overall)

        # The fields: three per cell (sum, numbers, "na"), then two per group (numbers,
        # answered).
        cells = len(members)
        # The largest count: all the statements answered, or a cell's sum of numbers.
        code = _field_format(max(len(self.ids), *(4 * len(cell) for cell in members)))
        layout = struct.Struct(f"<{3 * cells + 2 * len(self.groups)}{code}")
        self.unpack, self.size = layout.unpack, layout.size
        bits = 8 * struct.calcsize(code)

        def field(index: int, amount: int = 1) -> int:
            return amount << (bits * index)

        rows = []
        for sid in self.ids:
            level = level_of[framework.statement_by_id[sid].level]
            cell_fields = [3 * (g * width + level) for g in group_of[sid]]
            group_fields = [3 * cells + 2 * g for g in group_of[sid]]
            row = _Adds({None: 0})
            for value in range(5):
                row[value] = sum(field(f, value) + field(f + 1) for f in cell_fields) + sum(
                    field(f) + field(f + 1) for f in group_fields
                )
            row[NA] = sum(field(f + 2) for f in cell_fields) + sum(
                field(f + 1) for f in group_fields
            )
            rows.append(row)
        self.rows = tuple(rows)
        """What each rating of each statement (in ``ids`` order) adds to the counts; an
        unanswered statement (``None``) adds nothing."""
        self.plan = tuple(
            (
                # The levels that hold some of the group's statements; the others are
                # skipped. Per level: the fields of its sum, numbers and "na", its size and
                # the step it gives.
                tuple(
                    (cell, cell + 1, cell + 2, len(members[g * width + i]), 2 + i)
                    for i in range(width)
                    if members[g * width + i]
                    for cell in (3 * (g * width + i),)
                ),
                3 * cells + 2 * g,
                3 * cells + 2 * g + 1,
            )
            for g in range(len(self.groups))
        )
        self.totals = tuple(
            sum(len(cell) for cell in members[g * width : (g + 1) * width])
            for g in range(len(self.groups))
        )

    def walk(self, ratings: Mapping[str, int | str], threshold: float) -> list[tuple[int, int]]:
        """(step, answered) of every area in map order, then overall."""
        # Looked up by the framework's ids, so a rating of a statement outside the
        # framework adds nothing; each row is indexed by the rating itself, all in C.
        total = sum(map(getitem, self.rows, map(ratings.get, self.ids)))
        counts = self.unpack(total.to_bytes(self.size, "little"))
        results: list[tuple[int, int]] = []
        for levels, numbers_field, answered_field in self.plan:
            step = 0
            for sum_field, count_field, na_field, size, level_step in levels:
                if counts[na_field] == size:
                    continue  # skip: every statement of the area here is "na"
                numbers = counts[count_field]
                if numbers == 0 or counts[sum_field] / numbers < threshold:
                    break  # stop: unanswered, or below the threshold
                step = level_step
            if step == 0 and counts[numbers_field]:
                step = 1  # numbers, but the first level was not reached
            results.append((step, counts[answered_field]))
        return results

    def outcomes(self, ratings: dict[str, int | str], threshold: float) -> list[Outcome]:
        """(level label, rank, completion) of every area in map order, then overall."""
        return [
            (*self.steps[step], answered / total if total else 0.0)
            for (step, answered), total in zip(
                self.walk(ratings, threshold), self.totals, strict=True
            )
        ]
