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

REVIEWER_MEANINGS: dict[int | str, str] = {
    0: "has not done this",
    1: "only with help or guidance",
    2: "on their own, but not yet reliably",
    3: "on their own, reliably",
    4: "could teach, lead or improve this for others",
    NA: "not part of their role",
}
"""The scale's meanings as the reviewer reads them: about the person, not "I"."""

NUMBERS: tuple[int, ...] = tuple(value for value, _, _ in RATING_SCALE if isinstance(value, int))
"""The numbered ratings, lowest first."""

LOWEST, HIGHEST = NUMBERS[0], NUMBERS[-1]

NUMBERS_TEXT = f"{LOWEST}-{HIGHEST}"
"""The numbers as messages and help name them: ``0-4``."""

NA_KEY = "n"
"""The key (and the short name on screen) for "not applicable"."""

RATING_KEYS: dict[str, int | str] = {**{str(value): value for value in NUMBERS}, NA_KEY: NA}
"""The key that gives each rating: its digit, and ``n`` for ``na``."""

DEFAULT_THRESHOLD = 3.0
"""SPEC 4's T: the mean rating a level needs to be reached, unless a command says otherwise."""


def is_rating(value: object) -> bool:
    """Whether ``value`` is on the scale: a whole number (not a bool) or ``na``."""
    return value == NA or (type(value) is int and LOWEST <= value <= HIGHEST)


def parse_rating(key: str) -> int | str | None:
    """The rating a key stands for (``RATING_KEYS``), or None for any other key."""
    return RATING_KEYS.get(key)


def rating_key(value: int | str) -> str:
    """The key that gives ``value``, as the scale line and the help show it."""
    return NA_KEY if value == NA else str(value)


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
