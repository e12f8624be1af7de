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
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from operator import getitem
from typing import TYPE_CHECKING

from competency.framework.model import Framework, Level, Statement
from competency.ratings import DEFAULT_THRESHOLD, NA, NUMBERS, below_label

if TYPE_CHECKING:
    from competency.framework.profiles import Profile

NOT_ASSESSED = "Not assessed"
NOT_IN_ROLE = "Not in this role"
"""The level of an area with no statement in the assessment's role profile (SPEC 9)."""
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


_STOPS = frozenset((Step.UNANSWERED, Step.BELOW))


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
    in_role: bool = True
    """False when the assessment's role profile holds none of the area's statements: its
    level is ``Not in this role``, never ``Not assessed``."""

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


def decide(size: int, na: int, numbers: int, total: int, threshold: float) -> Step:
    """SPEC 4 at one level of one area: the one place the rule is written.

    ``size`` statements of the area sit at this level; ``na`` of them are rated ``na`` and
    ``numbers`` with a number, summing to ``total``. Returns ``SKIPPED`` (go on without
    reaching it), ``REACHED`` (go on), or ``UNANSWERED`` / ``BELOW`` (the walk stops).
    ``level_for`` and ``LevelTable.walk`` both ask it, level by level.
    """
    if na == size:
        return Step.SKIPPED  # no statements here, or every one "na"
    if not numbers:
        return Step.UNANSWERED
    if total / numbers >= threshold:
        return Step.REACHED
    return Step.BELOW


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
        else:
            step = decide(len(ids), na, len(numbers), sum(numbers), threshold)
            if step is Step.REACHED:
                reached = lvl
            stopped = step in _STOPS
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
    profile: Profile | None = None,
) -> ScoreResult:
    """Score a set of ratings against a framework: each area, and overall.

    With a role ``profile`` (SPEC 9) only the statements in the role are walked and
    counted: a statement outside it scores as if rated ``na`` whatever it is rated (the
    rule skips a level whose statements are all ``na``, which is leaving them out), and
    it counts neither as answered nor in the total. An area with no statement in the
    role is ``Not in this role``.
    """

    def held(statements: Iterable[Statement]) -> list[Statement]:
        if profile is None:
            return list(statements)
        return [s for s in statements if s.id in profile.statement_ids]

    areas = []
    for area in framework.areas:
        result = level_for(
            framework.levels,
            held(framework.statements_in(area.id)),
            ratings,
            threshold=threshold,
            area_id=area.id,
            title=area.title,
        )
        if not result.total:  # only a profile empties an area: the area map refuses that
            result = replace(result, level=NOT_IN_ROLE, in_role=False)
        areas.append(result)
    overall = level_for(framework.levels, held(framework.statements), ratings, threshold=threshold)
    return ScoreResult(tuple(areas), overall, threshold)


# -- the same rule for batches: levels only, no explanation ---------------------------

# Every count the rule needs is a field of an integer: for each cell (an area at a level
# that holds some of its statements, or overall at a level) the sum of the numbers, how
# many numbers and how many "na"; for each area and overall how many numbers and how many
# answered. What one rating adds to those fields is an integer made in advance, so a
# person's counts are the sum of a few dozen integers, and one ``struct.unpack`` splits
# the sum into its fields.
#
# The fields are cut into chunks of at most CHUNK_BYTES, each summed on its own: an
# integer is as wide as its highest field, so one integer over every field of a framework
# of thousands of areas or levels, made for each statement, grew with statements x
# (areas + levels) (4,000 areas took 1.1 GB). Per chunk, a statement's integer is at most
# CHUNK_BYTES wide, statements of one cell share theirs, and only cells that hold a
# statement have fields: memory grows with the statements alone. An ordinary framework
# (the librarians' 7 areas x 4 levels) fits one chunk, one sum, as before.

ONE_CHUNK_BYTES = 1024
"""Fields that fit in this many bytes are summed as one integer: every ordinary framework's
do, and then a statement's integer is shared by its cell, so at most a few hundred exist."""
CHUNK_BYTES = 64
"""Otherwise, the widest integer the table sums: fields beyond it go into another chunk."""


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

_SUM, _COUNT, _NA, _NUMBERS, _ANSWERED = range(5)
"""What a field counts: a cell's sum, numbers and "na"; a group's numbers and answered."""


@dataclass(frozen=True, slots=True)
class _Chunk:
    """Consecutive fields summed as one integer, and what each statement adds to them."""

    ids: tuple[str, ...]
    """The statements that add to some field of the chunk."""
    rows: tuple[_Adds, ...]
    """What each rating of each of ``ids`` adds (shared by the statements of a cell)."""
    unpack: Callable[[bytes], tuple[int, ...]]
    size: int


class LevelTable:
    """SPEC 4 for thousands of assessments of one framework: the levels, not the why.

    ``score`` builds an explanation of every level, which screens and reports need and a
    batch of ten thousand files does not (it costs about 200 µs a file). This counts the
    ratings with the statements grouped by area and level in advance, every count a field
    of an integer, and asks the same ``decide`` at each level as ``level_for`` does;
    tests/batch checks the two agree on random ratings for several frameworks.

    A walk's result for one area is a pair (step, answered): step 0 is ``Not assessed``,
    1 ``Below <first level>``, 2 + i the ladder's level i, and the last step ``Not in this
    role``; answered counts the statements rated with a number or ``na``. Memory grows with
    the statements, whatever the number of areas or levels (see ``CHUNK_BYTES``).

    With a role ``profile`` (SPEC 9) the table holds only the statements in the role, as
    ``score`` walks only them: one table per framework and profile.
    """

    def __init__(self, framework: Framework, profile: Profile | None = None) -> None:
        self.framework = framework
        self.profile = profile
        ladder = framework.levels
        below = below_label(ladder[0].label)
        self.steps: tuple[tuple[str, int | None], ...] = (
            (NOT_ASSESSED, None),
            (below, 0),
            *((level.label, level.rank) for level in ladder),
            (NOT_IN_ROLE, None),
        )
        """(level, rank) of each step."""
        self.out_of_role_step = len(self.steps) - 1
        self.rank_of_key = {level.key: level.rank for level in ladder}
        self.groups: tuple[tuple[str, str], ...] = (
            *((area.id, area.title) for area in framework.areas),
            (OVERALL_ID, OVERALL_TITLE),
        )
        level_of = {level.key: i for i, level in enumerate(ladder)}
        level_index = [level_of[statement.level] for statement in framework.statements]
        index_of = {statement.id: n for n, statement in enumerate(framework.statements)}
        members = [[index_of[sid] for sid in area.statement_ids] for area in framework.areas]
        members.append(list(range(len(framework.statements))))
        if profile is not None:
            held = profile.statement_ids
            members = [
                [n for n in group if framework.statements[n].id in held] for group in members
            ]

        # The fields: three per cell (a group at a level that holds some of its
        # statements), level by level, overall's cell first; then two per group. A
        # statement's two cells (its area's and overall's at its level) are near each
        # other, so mostly in one chunk.
        overall = len(members) - 1
        cells: dict[tuple[int, int], list[int]] = {}
        for g, group in enumerate(members):
            for n in group:
                cells.setdefault((level_index[n], g), []).append(n)
        adds: list[list[tuple[int, int]]] = [[] for _ in framework.statements]
        """Per statement: (field, what it counts) of every field it adds to."""
        levels: list[list[tuple[int, int, int, int, int]]] = [[] for _ in members]
        largest = len(framework.statements)
        fields = 0
        for i, g in sorted(cells, key=lambda cell: (cell[0], cell[1] != overall, cell[1])):
            cell = cells[i, g]
            largest = max(largest, max(NUMBERS) * len(cell))
            levels[g].append((fields, fields + 1, fields + 2, len(cell), 2 + i))
            for n in cell:
                adds[n] += ((fields, _SUM), (fields + 1, _COUNT), (fields + 2, _NA))
            fields += 3
        plan = []
        for g, group in enumerate(members):
            for n in group:
                adds[n] += ((fields, _NUMBERS), (fields + 1, _ANSWERED))
            # An area the profile empties starts (and stays) at "Not in this role".
            empty = profile is not None and not group and g != overall
            plan.append((tuple(levels[g]), fields, fields + 1, self.out_of_role_step * empty))
            fields += 2
        self.plan = tuple(plan)
        """Per group: the levels that hold some of its statements (the others are
        skipped), each as the fields of its sum, numbers and "na", its size and the step
        it gives; then the fields of the group's numbers and answered, and the step the
        walk starts from (0, or ``Not in this role`` for an area out of the role)."""
        self.totals = tuple(len(group) for group in members)
        self.chunks = self._chunks(framework, adds, fields, _field_format(largest))

    @staticmethod
    def _chunks(
        framework: Framework, adds: list[list[tuple[int, int]]], fields: int, code: str
    ) -> tuple[_Chunk, ...]:
        width = struct.calcsize(code)
        per_chunk = fields if fields * width <= ONE_CHUNK_BYTES else CHUNK_BYTES // width
        bits = 8 * width
        touched: list[dict[int, list[tuple[int, int]]]] = [
            {} for _ in range(-(-fields // per_chunk))
        ]
        for n, statement_adds in enumerate(adds):
            for f, counts in statement_adds:
                touched[f // per_chunk].setdefault(n, []).append((f % per_chunk, counts))
        shared: dict[tuple[tuple[int, int], ...], _Adds] = {}
        chunks = []
        for c, by_statement in enumerate(touched):
            ids, rows = [], []
            for n, local in by_statement.items():
                key = tuple(local)
                row = shared.get(key)
                if row is None:
                    row = shared[key] = _row(key, bits)
                ids.append(framework.statements[n].id)
                rows.append(row)
            size = min(per_chunk, fields - c * per_chunk)
            layout = struct.Struct(f"<{size}{code}")
            chunks.append(_Chunk(tuple(ids), tuple(rows), layout.unpack, layout.size))
            shared.clear()  # rows are shared within a chunk: offsets differ between them
        return tuple(chunks)

    def counts(self, ratings: Mapping[str, int | str]) -> tuple[int, ...]:
        """Every field's count for these ratings, in field order."""
        # Looked up by the framework's ids, so a rating of a statement outside the
        # framework adds nothing; each row is indexed by the rating itself, all in C.
        if len(self.chunks) == 1:
            chunk = self.chunks[0]
            total = sum(map(getitem, chunk.rows, map(ratings.get, chunk.ids)))
            return chunk.unpack(total.to_bytes(chunk.size, "little"))
        counts: list[int] = []
        for chunk in self.chunks:
            total = sum(map(getitem, chunk.rows, map(ratings.get, chunk.ids)))
            counts += chunk.unpack(total.to_bytes(chunk.size, "little"))
        return tuple(counts)

    def walk(self, ratings: Mapping[str, int | str], threshold: float) -> list[tuple[int, int]]:
        """(step, answered) of every area in map order, then overall."""
        counts = self.counts(ratings)
        results: list[tuple[int, int]] = []
        reached = Step.REACHED
        skipped = Step.SKIPPED
        for levels, numbers_field, answered_field, step in self.plan:
            for sum_field, count_field, na_field, size, level_step in levels:
                found = decide(
                    size, counts[na_field], counts[count_field], counts[sum_field], threshold
                )
                if found is skipped:
                    continue
                if found is not reached:
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


def _row(adds: tuple[tuple[int, int], ...], bits: int) -> _Adds:
    """What each rating adds to a chunk's integer, for a statement adding to ``adds``."""

    def field(index: int, amount: int = 1) -> int:
        return amount << (bits * index)

    row = _Adds({None: 0})
    for value in NUMBERS:
        row[value] = sum(
            field(f, value) if counts == _SUM else field(f)
            for f, counts in adds
            if counts in (_SUM, _COUNT, _NUMBERS, _ANSWERED)
        )
    row[NA] = sum(field(f) for f, counts in adds if counts in (_NA, _ANSWERED))
    return row
