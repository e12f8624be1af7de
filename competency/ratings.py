"""SPEC 3's rating scale, with no pydantic: screens and scoring read it before any model loads.

``competency.assessment`` re-exports these names; the assessment model validates against them.
"""

from __future__ import annotations

from datetime import UTC, datetime

NA = "na"
"""The rating for a statement that is not part of the person's role."""

RATING_SCALE: tuple[tuple[int | str, str, str], ...] = (
    (0, "Not yet", "I have not done this"),
    (1, "With support", "only with help or guidance"),
    (2, "Sometimes", "on my own, but not yet reliably"),
    (3, "Consistently", "on my own, reliably"),
    (4, "Leading", "I could teach, lead or improve this for others"),
    (NA, "Not applicable", "not part of my role"),
)
"""SPEC 3's scale: value, label, meaning. Screens and reports show it from here."""

RATING_LABELS: dict[int | str, str] = {value: label for value, label, _ in RATING_SCALE}


DISAGREEMENT = 2
"""Self and reviewer ratings this far apart (or more) disagree."""


def disagree(own: int | str | None, reviewer: int | str | None) -> bool:
    """Whether the person's rating and the reviewer's disagree: the one rule for every view.

    Two numbers disagree when they are ``DISAGREEMENT`` or more apart; a number against
    "not applicable" always does (one says the statement is part of the role, the other
    that it is not). A missing rating on either side is not a disagreement yet.
    """
    if own is None or reviewer is None:
        return False
    if isinstance(own, int) and isinstance(reviewer, int):
        return abs(reviewer - own) >= DISAGREEMENT
    return (own == NA) != (reviewer == NA)


def utc_now() -> datetime:
    """The current time in UTC, to the second, as assessments record it."""
    return datetime.now(UTC).replace(microsecond=0)


def below_label(first_level_label: str) -> str:
    """SPEC 4's label for rank 0: rated, but the first level not reached."""
    return f"Below {first_level_label}"


def meets_target(rank: int | None, target_rank: int) -> bool | None:
    """Whether a level of ``rank`` meets a target of ``target_rank``.

    None when the area is not assessed (no rank): neither met nor missed yet. Summaries
    count that as below the target, since the person has not shown it.
    """
    if rank is None:
        return None
    return rank >= target_rank
