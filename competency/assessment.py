"""One person's assessment against one framework (SPEC 3).

``Assessment`` is the file as written. Other tools may write these files too, so only
``schema``, ``framework.id``, ``subject.name`` and ``ratings`` are required, and fields
this tool does not know are kept when it saves the file again: nothing is lost.
``check_against`` refuses an assessment that does not fit the framework it is scored
against. File I/O lives in ``competency.storage``, nowhere else.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, GetCoreSchemaHandler, PlainValidator

from competency.errors import AssessmentError, FrameworkError
from competency.framework.model import Framework
from competency.ratings import (
    HIGHEST,
    LOWEST,
    NA,
    NUMBERS,
    NUMBERS_TEXT,
    RATING_LABELS,
    RATING_SCALE,
    utc_now,
)

if TYPE_CHECKING:
    from competency.framework.bundled import FrameworkResolver

__all__ = [
    "NA",
    "RATING_LABELS",
    "RATING_SCALE",
    "SCHEMA",
    "Assessment",
    "Event",
    "FrameworkRef",
    "Person",
    "Rating",
    "Review",
    "Status",
    "Subject",
    "check_against",
    "framework_for",
    "new_assessment",
    "targets_of",
    "unknown_profile",
    "utc_now",
]

SCHEMA = "competency-assessment/1"

Status = Literal["in_progress", "submitted", "reviewed"]


RATING_RULE = f'a rating is a whole number {NUMBERS_TEXT} or "{NA}"'
"""What a rating may be, as a refusal says it."""

RATING_ERROR = "rating"
"""The pydantic error type of a value that is not a rating; ``rating_refusal`` words it."""


def rating_refusal(value: object) -> str:
    """Why ``value`` (as parsed from the file) is not a rating."""
    shown = "true" if value is True else "false" if value is False else repr(value)
    return f"{RATING_RULE}, not {shown}"


class _RatingSchema:
    """A rating checked inside pydantic-core, with no Python call per rating.

    Strict on purpose: JSON true, "3" and 2.5 (and 3.0) are typing slips or another tool's
    bug, and scoring them as numbers would silently change someone's level. Every
    refusal is one error of type ``rating`` with the value as its input; ``reworded``
    turns it into ``rating_refusal``'s line.
    """

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> Any:
        from pydantic_core import core_schema

        return core_schema.custom_error_schema(
            core_schema.union_schema(
                [
                    core_schema.int_schema(strict=True, ge=LOWEST, le=HIGHEST),
                    core_schema.literal_schema([NA]),
                ]
            ),
            custom_error_type=RATING_ERROR,
            custom_error_message=RATING_RULE,
        )

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> dict[str, Any]:
        # What the file may hold, for `competency schema assessment`: 0..4 or "na".
        return {"enum": [*NUMBERS, NA]}


def reworded(error: dict[str, Any]) -> str | None:
    """The line for a validation error of an assessment, where pydantic's own is not it."""
    return rating_refusal(error["input"]) if error["type"] == RATING_ERROR else None


Rating = Annotated[int | str, _RatingSchema()]
"""An integer 0..4 or ``"na"``."""


def _schema(value: object) -> str:
    if value != SCHEMA:
        raise ValueError(f"unknown schema {value!r}; this tool reads {SCHEMA!r}")
    return SCHEMA


# Python functions, not ``dict`` and ``list``: pydantic reads a factory's signature, and a
# builtin's is parsed from its text by ``tokenize``, whose regex costs a few ms of every
# start-up.
def _no_entries() -> dict[str, Any]:
    return {}


def _no_events() -> list[Any]:
    return []


class _Open(BaseModel):
    # Keep fields that other tools add, so saving a file never drops someone's data.
    model_config = ConfigDict(extra="allow", validate_assignment=False)


class FrameworkRef(_Open):
    id: Annotated[str, Field(strict=True, min_length=1)]
    """The framework's id (``occupation.soc``)."""
    version: str | None = None
    """The framework version the person answered."""
    fingerprint: str | None = None
    """``sha256:...`` of the framework's levels and statements when the file was made."""


class Person(_Open):
    name: Annotated[str, Field(strict=True, min_length=1, pattern=r"\S")]
    """The person's name as they want it shown."""
    id: str | None = None
    """An employee or staff id."""


class Subject(Person):
    role: str | None = None
    """Job title, e.g. ``Reference Librarian``."""
    unit: str | None = None
    """Branch, team or department; the team summary groups by it."""


class Review(_Open):
    reviewer: Person
    """The supervisor who reviewed the assessment."""
    ratings: dict[str, Rating] = Field(default_factory=_no_entries)
    """The reviewer's own ratings, on the same scale; never averaged into the person's."""
    notes: dict[str, str] = Field(default_factory=_no_entries)
    """The reviewer's note per statement."""
    comment: str | None = None
    """The reviewer's overall comment."""
    started_at: datetime | None = None
    """When the review began."""
    completed_at: datetime | None = None
    """When the reviewer signed the review off."""
    signature: str | None = None
    """The reviewer's signature of the signed-off assessment (``review --sign``):
    a detached JWS, ``header..signature``."""


EVENT_ACTIONS = ("created", "submitted", "reopened", "reviewed")
"""The actions this tool writes; another tool's own actions are kept and ignored."""


class Event(_Open):
    action: Annotated[str, Field(strict=True)]
    """What happened to the assessment as a whole: one of ``EVENT_ACTIONS`` when this
    tool wrote it; an action another tool wrote is kept as it is, and means nothing here."""
    by: str | None = None
    """Who did it."""
    at: datetime
    """When."""


class Assessment(_Open):
    schema_: Annotated[
        str, PlainValidator(_schema, json_schema_input_type=Literal["competency-assessment/1"])
    ] = Field(alias="schema")
    """Always ``competency-assessment/1``."""
    framework: FrameworkRef
    """Which framework the answers belong to."""
    subject: Subject
    """The person assessed."""
    profile: Annotated[str, Field(strict=True, min_length=1)] | None = None
    """The role profile (SPEC 9) the person is assessed in, by id: statements outside it are
    not asked and are scored as ``na``. None: every statement."""
    status: Status = "in_progress"
    """``in_progress``, ``submitted`` (ratings read-only) or ``reviewed`` (signed off)."""
    started_at: datetime | None = None
    """When the assessment was created."""
    updated_at: datetime | None = None
    """When it was last saved."""
    ratings: dict[str, Rating]
    """Statement id -> rating. A statement not here is not answered yet."""
    notes: dict[str, str] = Field(default_factory=_no_entries)
    """Statement id -> the person's evidence."""
    targets: dict[str, str] = Field(default_factory=_no_entries)
    """Area id -> the level key the person aims for."""
    review: Review | None = None
    """The supervisor's review, when there is one."""
    history: list[Event] = Field(default_factory=_no_events)
    """Submissions, reopenings and sign-offs, oldest first."""

    # By its alias only: `"schema_"` in a file is an unknown field, not the schema.
    model_config = ConfigDict(extra="allow", validate_by_alias=True, validate_by_name=False)

    def to_json_dict(self) -> dict[str, Any]:
        """The file's JSON object, with SPEC 3's key names and no empty optional blocks.

        Fields the tool does not know are written back exactly as they were read, at
        every level: ``null`` stays ``null``, ``NaN`` and ``Infinity`` stay themselves
        (``json.dumps`` writes them as it read them).
        """
        dumped = self.model_dump(mode="json", by_alias=True, exclude_none=True)
        _restore_extras(self, dumped)
        return dumped


def _restore_extras(model: BaseModel, dumped: dict[str, Any]) -> None:
    """Put ``model``'s unknown fields into its dump as read (pydantic's JSON mode drops
    their nulls and turns non-finite numbers into nulls)."""
    extras = model.__pydantic_extra__ or {}
    for key in extras:
        dumped.pop(key, None)  # re-added below, in the order the file had them
    for key, value in extras.items():
        dumped[key] = value
    for name, field in type(model).model_fields.items():
        key = field.alias or name
        value = getattr(model, name)
        if isinstance(value, BaseModel) and isinstance(dumped.get(key), dict):
            _restore_extras(value, dumped[key])
        elif isinstance(value, list) and isinstance(dumped.get(key), list):
            for item, item_dump in zip(value, dumped[key], strict=False):
                if isinstance(item, BaseModel) and isinstance(item_dump, dict):
                    _restore_extras(item, item_dump)


def new_assessment(
    framework: Framework,
    name: str,
    *,
    subject_id: str | None = None,
    role: str | None = None,
    unit: str | None = None,
    profile: str | None = None,
    now: datetime | None = None,
) -> Assessment:
    """A fresh, empty assessment of ``name`` against ``framework`` (in role ``profile``)."""
    stamp = now or utc_now()
    return Assessment(
        schema=SCHEMA,
        framework=FrameworkRef(
            id=framework.id, version=framework.version, fingerprint=framework.fingerprint
        ),
        subject=Subject(name=name, id=subject_id or None, role=role or None, unit=unit or None),
        profile=profile,
        status="in_progress",
        started_at=stamp,
        updated_at=stamp,
        ratings={},
        history=[Event(action="created", by=name, at=stamp)],
    )


def framework_for(assessment: Assessment, source: str, frameworks: FrameworkResolver) -> Framework:
    """The framework that scores ``assessment``, which must fit it (``check_against``).

    Raises ``FrameworkError`` when none can (none bundled with its id, or a broken one)
    and ``AssessmentError`` when the assessment does not fit it, so commands can tell a
    bad framework (exit 2) from a bad file (exit 1).
    """
    try:
        framework = frameworks.for_id(assessment.framework.id, source)
    except AssessmentError as exc:
        raise FrameworkError(exc.message, source=exc.source, location=exc.location) from None
    check_against(assessment, framework, source)
    return framework


def check_against(assessment: Assessment, framework: Framework, source: str) -> None:
    """Refuse an assessment that does not fit ``framework``, naming the place in the file."""

    def refuse(location: str, message: str) -> AssessmentError:
        return AssessmentError(message, source=source, location=location)

    ref = assessment.framework
    if ref.id != framework.id:
        raise refuse(
            "framework.id",
            f"is {ref.id!r}, but it is being scored against framework {framework.id!r}",
        )
    if ref.fingerprint is not None and ref.fingerprint != framework.fingerprint:
        raise refuse(
            "framework.fingerprint",
            "does not match the framework's statements (the framework changed since this "
            "assessment was made)",
        )
    if assessment.profile is not None and assessment.profile not in framework.profile_by_id:
        raise refuse("profile", unknown_profile(assessment.profile, framework))
    known = framework.known_ids
    _check_ids(assessment.ratings, known, "ratings", refuse)
    _check_ids(assessment.notes, known, "notes", refuse)
    for area_id, level_key in assessment.targets.items():
        if area_id not in framework.area_by_id:
            raise refuse(f"targets.{area_id}", "unknown area")
        if level_key not in framework.level_by_key:
            raise refuse(f"targets.{area_id}", f"unknown level {level_key!r}")
    if assessment.review is not None:
        _check_ids(assessment.review.ratings, known, "review.ratings", refuse)
        _check_ids(assessment.review.notes, known, "review.notes", refuse)


def unknown_profile(profile_id: str, framework: Framework) -> str:
    """Why ``profile_id`` names no role profile of ``framework``, and what would."""
    if not framework.profiles:
        return (
            f"unknown profile {profile_id!r}: framework {framework.id} has no role profiles "
            "(no .profiles.toml beside it; --profiles FILE names one)"
        )
    known = ", ".join(p.id for p in framework.profiles)
    return f"unknown profile {profile_id!r}; the profiles are: {known}"


def targets_of(assessment: Assessment, framework: Framework) -> dict[str, str]:
    """Area id -> the level aimed for: the profile's targets, unless the assessment's own
    name the same area (SPEC 9)."""
    profile = framework.profile_by_id.get(assessment.profile or "")
    if profile is None:
        return dict(assessment.targets)
    return {**profile.targets, **assessment.targets}


def _check_ids(values: dict[str, Any], known: frozenset[str], where: str, refuse: Any) -> None:
    if known.issuperset(values):
        return  # the usual case, answered by one set comparison in C
    for sid in values:
        if sid not in known:
            raise refuse(f"{where}.{sid}", "unknown statement")
