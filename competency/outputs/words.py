"""The shared wording of every output and screen: dates, percentages, means, ratings, and
the sentences that explain a level.

Only words live here; every decision (which level was reached, where the walk stopped,
whether a target is met) comes from ``competency.scoring`` and ``competency.ratings``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from itertools import groupby
from operator import itemgetter
from typing import Protocol

from competency.ratings import NA, RATING_LABELS
from competency.scoring import AreaResult, LevelResult, Step

STATUS_LABELS = {"in_progress": "In progress", "submitted": "Submitted", "reviewed": "Reviewed"}

Rating = int | str | None
"""0..4, ``"na"``, or None when not answered."""


class Named(Protocol):
    """Anything that names a person: a report's subject or reviewer."""

    @property
    def name(self) -> str: ...
    @property
    def id(self) -> str | None: ...
    @property
    def role(self) -> str | None: ...
    @property
    def unit(self) -> str | None: ...


def iso(value: datetime | None) -> str | None:
    """A timestamp as ISO 8601 with ``Z`` for UTC, or None."""
    if value is None:
        return None
    return value.isoformat().replace("+00:00", "Z")


def rating_label(rating: Rating) -> str:
    """``3 Consistently``, ``n/a Not applicable`` or ``not answered``."""
    if rating is None:
        return "not answered"
    if rating == NA:
        return "n/a Not applicable"
    return f"{rating} {RATING_LABELS[rating]}"


DISAGREEMENT_RULE = "2 or more apart, or n/a against a rating"
"""What ``competency.ratings.disagree`` counts as a disagreement, in words."""

NO_DISAGREEMENT = "No disagreement: no statement is 2 or more apart, nor n/a against a rating."


def _mark(rating: Rating) -> str:
    return "n/a" if rating == NA else "not answered" if rating is None else str(rating)


def apart(own: Rating, reviewer: Rating) -> str:
    """How a disagreement reads beside a rating: ``2 apart``, or ``n/a vs 3`` (self first).

    A difference of numbers means nothing when one side says "not applicable": both
    ratings are named instead.
    """
    if isinstance(own, int) and isinstance(reviewer, int):
        return f"{abs(reviewer - own)} apart"
    return f"{_mark(own)} vs {_mark(reviewer)}"


def difference(own: Rating, reviewer: Rating) -> str:
    """The disagreements table's last column: ``+2`` (reviewer minus self) or ``n/a vs 3``."""
    if isinstance(own, int) and isinstance(reviewer, int):
        return f"{reviewer - own:+d}"
    return apart(own, reviewer)


def disagreement_count(count: int) -> str:
    """``1 disagreement``, ``3 disagreements``."""
    return f"{count} disagreement{'' if count == 1 else 's'}"


def when(value: str | None) -> str:
    """An ISO timestamp as people read it: ``2026-11-09 16:42 UTC``."""
    if not value:
        return "—"
    text = value.replace("T", " ")
    if text.endswith("Z"):
        text = text[:-1]
        if text.endswith(":00") and text.count(":") == 2:
            text = text[:-3]
        return text + " UTC"
    return text


def counted(count: int, one: str, many: str) -> str:
    """``1 file``, ``2 files``, ``0 files``: a count with its noun in number."""
    return f"{count} {one if count == 1 else many}"


def percent(fraction: float) -> str:
    """``0.875`` as ``88%``."""
    return f"{round(fraction * 100)}%"


def person_line(person: Named) -> str:
    """``Maya Okafor (E2041), Reference Librarian, Main Library``."""
    parts = [person.name + (f" ({person.id})" if person.id else "")]
    parts += [p for p in (person.role, person.unit) if p]
    return ", ".join(parts)


class Counted(Protocol):
    @property
    def statements(self) -> int: ...


def profile_words(profile: Counted) -> str:
    """What a role profile (``report.ProfileInfo``) meant for the assessment, in a line."""
    count = profile.statements
    return (
        f"only the {count} statement{'s' if count != 1 else ''} of this role were asked and "
        "scored; areas with none of them read Not in this role"
    )


def fmt_mean(mean: float) -> str:
    """``3.0``, ``3.4``, ``2.33``: two decimals at most, one at least."""
    text = f"{mean:.2f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def step_explanation(lvl: LevelResult, threshold: float) -> str:
    """One level of the walk, in words."""
    t = fmt_mean(threshold)
    total = len(lvl.statement_ids)
    if lvl.step is Step.SKIPPED:
        if total == 0:
            return "skipped: no statements in this area at this level"
        return "skipped: every statement here is not applicable"
    if lvl.step is Step.NOT_WALKED:
        return "not reached yet: the walk stopped at a lower level"
    if lvl.step is Step.UNANSWERED:
        return f"stopped here: none of its {total} statements has a rating yet"
    assert lvl.mean is not None
    counted = f"mean {fmt_mean(lvl.mean)} over {lvl.rated} rated"
    if lvl.step is Step.REACHED:
        return f"reached: {counted}, at least {t}"
    return f"stopped here: {counted}, below {t}"


def _joined(words: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def skipped_above(result: AreaResult, scope: str = "this area") -> str:
    """Why the levels above the one reached were skipped, in ladder order, e.g.
    ``Developing and Proficient: no statements in this area; Advanced: every statement
    marked not applicable``. For a walk that ended without stopping, short of the top."""
    keys = [lvl.key for lvl in result.levels]
    start = keys.index(result.level_key) + 1 if result.level_key in keys else 0
    reasons = [
        (
            lvl.label,
            "every statement marked not applicable"
            if lvl.statement_ids
            else f"no statements in {scope}",
        )
        for lvl in result.levels[start:]
        if lvl.step is Step.SKIPPED
    ]
    return "; ".join(
        f"{_joined([label for label, _ in run])}: {reason}"
        for reason, run in ((r, list(g)) for r, g in groupby(reasons, key=itemgetter(1)))
    )


OUT_OF_ROLE_WHY = "none of its statements is part of this role, so none was asked"
"""Why an area reads ``Not in this role`` (SPEC 9), in every output and both shells."""


def area_explanation(result: AreaResult, threshold: float, scope: str = "this area") -> str:
    """Why an area (or, with ``scope``, overall) is at its level."""
    if not result.in_role:
        return f"{result.level}: {OUT_OF_ROLE_WHY}."
    stop = result.stopped_at
    t = fmt_mean(threshold)
    if result.rank is None:
        if stop is None:
            return "Not assessed: every statement is not applicable."
        return f"Not assessed: no statement at {stop.label} has a rating yet."
    if result.reached_top:
        return f"{result.level}: every level was reached, the top of the ladder."
    if stop is None:
        return (
            f"{result.level}: every level above it was skipped "
            f"({skipped_above(result, scope)}), so this is as far as {scope} goes."
        )
    if stop.step is Step.UNANSWERED:
        return (
            f"{result.level}: the statements at {stop.label} have no rating yet, "
            f"so the walk stops there."
        )
    assert stop.mean is not None
    return (
        f"{result.level}: at {stop.label} the mean rating is {fmt_mean(stop.mean)}, "
        f"below the threshold of {t}."
    )


def ladder_end(result: AreaResult) -> str | None:
    """Why an area has no next level to work towards; None when it has one."""
    if not result.in_role:
        return "No level to work towards: the area is outside this role."
    if result.stopped_at is not None:
        return None
    if result.reached_top:
        return "The top of the ladder: there is no next level in this area."
    if result.rank is None:
        return "No level to work towards: every statement in this area is not applicable."
    return (
        f"No next level to work towards in this area: {result.level} is as far as it "
        "goes, since every level above it was skipped (it is not the top of the ladder)."
    )


def review_extent(answered: int, total: int) -> str:
    """How much of the review was done: ``The review is partial: 12 of 40 ...``."""
    if total and answered >= total:
        return f"The reviewer rated all {total} statements."
    share = percent(answered / total) if total else "0%"
    return (
        f"The review is partial: the reviewer rated {answered} of {total} statements "
        f"({share}), so the reviewer's levels cover only what was rated."
    )


class Walked(Protocol):
    """One level of a walk as a report holds it."""

    @property
    def label(self) -> str: ...
    @property
    def step(self) -> str: ...
    @property
    def mean(self) -> float | None: ...
    @property
    def rated(self) -> int: ...
    @property
    def statements(self) -> int: ...


def walk_lines(walk: Sequence[Walked]) -> list[tuple[str, str]]:
    """(step, short line) per level of the walk; the levels after the stop share one line.

    ``Proficient: stopped, mean 2.0 over 1 rated``, then ``Advanced: not reached, as the
    walk stopped below it`` once for all the levels above, not once per level.
    """
    lines = []
    for lvl in walk:
        if lvl.step == Step.NOT_WALKED:
            continue
        if lvl.step == Step.SKIPPED:
            why = "no statements here" if lvl.statements == 0 else "every statement n/a"
            text = f"skipped, {why}"
        elif lvl.step == Step.UNANSWERED:
            text = f"stopped, none of its {lvl.statements} statements rated yet"
        else:
            done = "reached" if lvl.step == Step.REACHED else "stopped"
            text = f"{done}, mean {fmt_mean(lvl.mean or 0.0)} over {lvl.rated} rated"
        lines.append((lvl.step, f"{lvl.label}: {text}"))
    above = [lvl.label for lvl in walk if lvl.step == Step.NOT_WALKED]
    if above:
        them = "it" if len(above) == 1 else "them"
        lines.append(
            (
                Step.NOT_WALKED.value,
                f"{_joined(above)}: not reached, as the walk stopped below {them}",
            )
        )
    return lines
