"""SPEC 5's score record, typed once: what ``competency score`` writes per file.

``competency.batch`` builds it (``Scorer.record``, and the same text as bytes in
``Scorer.line``); ``competency.summary`` and the score writers read it; ``competency
schemas`` turns these types into the ``score-record`` JSON Schema. mypy checks every
reader against them. Nothing here imports pydantic: batch workers load this module.
"""

from __future__ import annotations

from typing import Literal, NotRequired

# pydantic builds the schema from these, and on Python 3.11 it takes only
# typing_extensions' TypedDict.
from typing_extensions import TypedDict


class RecordPerson(TypedDict):
    name: str
    """The person's name, as the assessment holds it."""
    id: str | None
    """Their employee or staff id, or null."""
    unit: NotRequired[str]
    """Their branch or team, when the assessment names one."""


class RecordFramework(TypedDict):
    id: str
    """The framework's id the file was scored against."""
    version: str | None
    """That framework's version, or null."""


class RecordLevel(TypedDict):
    level: str
    """The level reached, ``Below <first level>``, or ``Not assessed``."""
    rank: int | None
    """1 = the lowest level, 0 = below it, null = not assessed."""


class RecordArea(TypedDict):
    title: str
    """The area's title."""
    level: str
    """The area's level, ``Below <first level>``, or ``Not assessed``."""
    rank: int | None
    """1 = the lowest level, 0 = below it, null = not assessed."""
    completion: float
    """Share of the area's statements answered, 0 to 1."""


class RecordTarget(TypedDict):
    level: str
    """The level key the person aims for."""
    rank: int
    """That level's rank."""


class RecordReviewArea(TypedDict):
    statements: int
    """Statements both the person and the reviewer rated with a number."""
    difference: int
    """The sum of reviewer minus self over those statements."""
    disagreements: int
    """Statements where the two ratings disagree (``ratings.disagree``)."""


class RecordReviewer(TypedDict):
    name: str
    """The reviewer's name."""
    id: str | None
    """The reviewer's id, or null."""


class RecordReview(TypedDict):
    reviewer: RecordReviewer
    areas: dict[str, RecordReviewArea]
    """Area id -> the comparison of the two ratings there, in the area map's order."""
    overall: RecordReviewArea
    """The same over every statement."""


class ScoredRecord(TypedDict):
    file: str
    """The file as given on the command line (or found in a folder)."""
    ok: Literal[True]
    """The file was scored."""
    subject: RecordPerson
    framework: RecordFramework
    status: Literal["in_progress", "submitted", "reviewed"]
    """The assessment's status."""
    updated_at: str | None
    """When the assessment was last saved (ISO 8601, ``Z`` for UTC), or null."""
    completion: float
    """Share of all statements answered, 0 to 1."""
    overall: RecordLevel
    """The level over every statement."""
    areas: dict[str, RecordArea]
    """Area id -> its level, in the area map's order."""
    source: NotRequired[Literal["review", "self"]]
    """Whose ratings were scored, present when asked for the review: ``review`` (the
    reviewer's), or ``self`` where ``--source review-or-self`` found no signed-off review."""
    profile: NotRequired[str]
    """The role profile the assessment names (SPEC 9), by id; absent when it names none."""
    targets: NotRequired[dict[str, RecordTarget]]
    """Area id -> the level aimed for, when the summary asks for targets."""
    review: NotRequired[RecordReview]
    """The reviewer and how their ratings compare with the person's, for summaries."""


class RefusedRecord(TypedDict):
    file: str
    """The file as given."""
    ok: Literal[False]
    """The file was refused."""
    error: str
    """The refusal's one line, naming the file and the place in it."""


Record = ScoredRecord | RefusedRecord
"""One file's record: scored (``ok: true``) or refused (``ok: false``)."""
