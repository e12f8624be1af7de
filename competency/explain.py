"""Why an area is at its level, and what the next level asks for: the words both shells say.

The decisions (which level was reached, where the walk stopped, which statements held it
back) all come from ``competency.scoring``. This module turns them into sentences and
short lists of statements once, for the Textual summary (``tui/explain.py``, which adds
only styling) and for the plain assessment (``competency.plain``, which reads them out as
lines). Neither shell words an explanation of its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from competency.framework.model import Framework
from competency.framework.resources import Resource
from competency.outputs.words import OUT_OF_ROLE_WHY, area_explanation, fmt_mean
from competency.ratings import NA
from competency.scoring import AreaResult, ScoreResult, Step

OUT_OF_ROLE_NEXT = "nothing: the area is outside this role"
"""What comes next in an area outside the role."""

MAX_LISTED = 4
"""An explanation names this many statements, then says how many more there are."""


def mean_words(value: float | None) -> str:
    """A mean as the explanations show it; ``-`` when nothing was rated."""
    return "-" if value is None else fmt_mean(value)


@dataclass(frozen=True)
class Listing:
    """Statements an explanation names: the first few, each with its rating, then a count."""

    items: tuple[tuple[str, int | str | None], ...]
    """(topic, rating) of each statement named; the rating is None when not shown."""
    more: int
    """How many more statements there are beyond those named."""


def listing(ids: Sequence[str], ratings: Mapping[str, int | str], framework: Framework) -> Listing:
    """The first ``MAX_LISTED`` of ``ids`` by topic, each with its rating in ``ratings``."""
    items = tuple(
        (framework.statement_by_id[sid].topic, ratings.get(sid)) for sid in ids[:MAX_LISTED]
    )
    return Listing(items, max(0, len(ids) - MAX_LISTED))


@dataclass(frozen=True)
class AreaWords:
    """One area's level explained: the walk, what held it back, what the next level asks."""

    why: str
    """The walk level by level: ``Emerging reached (mean 3.0); Developing not reached ...``."""
    held_back: Listing | None
    """The statements at the stopping level rated below the threshold, lowest first."""
    unanswered: Listing | None
    """Statements still unanswered at the stopping level, when some there are rated
    (when none is, ``next_asks`` already lists them all)."""
    unanswered_count: int
    """How many statements ``unanswered`` stands for."""
    next_words: str
    """``Proficient asks for a mean of 3.0 on:`` or why there is no next level."""
    next_asks: Listing | None
    """The statements of the next level in this area; None when there is none."""


def walk_parts(result: AreaResult) -> list[str]:
    """Each level the walk looked at, in a few words, lowest first."""
    parts = []
    for lvl in result.levels:
        if lvl.step is Step.REACHED:
            parts.append(f"{lvl.label} reached (mean {mean_words(lvl.mean)})")
        elif lvl.step is Step.BELOW:
            parts.append(
                f"{lvl.label} not reached (mean {mean_words(lvl.mean)}, "
                f"needs {mean_words(result.threshold)})"
            )
        elif lvl.step is Step.UNANSWERED:
            parts.append(f"{lvl.label}: nothing rated yet")
        elif lvl.step is Step.SKIPPED and lvl.statement_ids:
            parts.append(f"{lvl.label} skipped (all n/a)")
    return parts


def area_words(
    result: AreaResult, ratings: Mapping[str, int | str], framework: Framework
) -> AreaWords:
    """Why ``result`` is at its level and what its next level asks for."""
    if not result.in_role:
        return AreaWords(
            why=OUT_OF_ROLE_WHY,
            held_back=None,
            unanswered=None,
            unanswered_count=0,
            next_words=OUT_OF_ROLE_NEXT,
            next_asks=None,
        )
    held = result.held_back_by(ratings)
    stop = result.stopped_at
    missing = result.unanswered_at_stop(ratings)
    if not (missing and stop is not None and stop.step is not Step.UNANSWERED):
        missing = []
    nxt = result.next_level
    if nxt is None:
        if result.reached_top:
            next_words = "the top of the ladder is reached"
        else:
            # Nothing stopped the walk, yet the top level was skipped, not reached.
            next_words = (
                "as far as this area goes: the levels above are not applicable or have no "
                "statements here"
            )
        asks = None
    else:
        next_words = f"{nxt.label} asks for a mean of {mean_words(result.threshold)} on:"
        asks = listing(nxt.statement_ids, {}, framework)
    return AreaWords(
        why="; ".join(walk_parts(result)) or "no statements",
        held_back=listing(held, ratings, framework) if held else None,
        unanswered=listing(missing, ratings, framework) if missing else None,
        unanswered_count=len(missing),
        next_words=next_words,
        next_asks=asks,
    )


def plan_ids(result: AreaResult, ratings: Mapping[str, int | str]) -> list[str]:
    """An area's development plan: its next level's statements not yet met.

    Met is rated at the threshold or above; ``na`` is not part of the role, so never in a
    plan; unanswered or below the threshold is. Reports, both summaries and the team's
    training needs all take the plan from here.
    """
    nxt = result.next_level
    if nxt is None:
        return []
    return [sid for sid in nxt.statement_ids if not _met(ratings.get(sid), result.threshold)]


def _met(rating: int | str | None, threshold: float) -> bool:
    return rating == NA or (isinstance(rating, int) and rating >= threshold)


def plan_help(
    result: AreaResult, ratings: Mapping[str, int | str], framework: Framework
) -> list[tuple[str, tuple[Resource, ...]]]:
    """Each statement of an area's plan that a learning resource helps with: (topic, the
    resources). Empty without a resources file."""
    found = framework.resources
    if found is None:
        return []
    helped = []
    for sid in plan_ids(result, ratings):
        resources = found.helping_with(sid)
        if resources:
            helped.append((framework.statement_by_id[sid].topic, resources))
    return helped


def overall_words(result: ScoreResult) -> tuple[str, str | None]:
    """Why the overall level is what it is, and why a higher area does not lift it (or None).

    The overall level walks every statement of every area together, level by level (the
    same rule as an area's, in ``competency.scoring``): an area far ahead counts for its
    statements at each level, not for its own level.
    """
    overall = result.overall
    why = area_explanation(overall, result.threshold, "the framework")
    higher = [
        area
        for area in result.areas
        if area.rank is not None and (overall.rank is None or area.rank > overall.rank)
    ]
    stop = overall.stopped_at
    if not higher or stop is None:
        return why, None
    names = ", ".join(f"{a.title} ({a.level})" for a in higher[:3])
    more = f" and {len(higher) - 3} more" if len(higher) > 3 else ""
    return why, (
        f"{names}{more} {'does' if len(higher) == 1 else 'do'} not lift it: overall "
        f"counts every area's statements at {stop.label} together, and their mean stays "
        f"below {fmt_mean(result.threshold)}."
    )
