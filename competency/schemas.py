"""JSON Schemas (draft 2020-12) of every file the tool reads or writes, made from its models.

``competency schema NAME`` prints one; the files under ``schemas/`` in the repository are
these, checked in, and a test keeps them equal to what this module makes. Each schema is
generated from the model the tool itself reads or writes with, so a field added to a
model is in its schema the next time the files are regenerated:

- the framework file, the area map and the assessment from their pydantic models;
- the report JSON from the report's dataclasses (through ``pydantic.TypeAdapter``),
  with the few places where ``json_format`` lays the model out differently;
- the ``score`` JSON-lines record and the summary JSON from the typed dictionaries
  below, which the tests check every record and summary the tool writes against.

A schema states what can be said about one file alone. What needs another file (a
statement id existing in the framework, an area map covering every statement) only the
tool checks, and each schema's description says so.
"""

from __future__ import annotations

import ast
import inspect
import itertools
import json
import textwrap
from typing import IO, Any, Literal, NotRequired

from pydantic import ConfigDict, TypeAdapter, with_config
from typing_extensions import TypedDict

from competency.ratings import NA, NUMBERS
from competency.records import (
    RecordArea,
    RecordFramework,
    RecordLevel,
    RecordPerson,
    RecordReview,
    RecordReviewArea,
    RecordReviewer,
    RecordTarget,
    RefusedRecord,
    ScoredRecord,
)

DIALECT = "https://json-schema.org/draft/2020-12/schema"
BASE_ID = "https://competency.invalid/schemas/"
"""Where the schemas say they live: an ``.invalid`` name, as nothing is served anywhere.
A schema's ``$id`` only names it; validators never fetch it."""

_STRICT = ConfigDict(extra="forbid")


# The score record's types live with the code that builds it (``competency.records``),
# which imports no pydantic; here they get the strictness of every other schema.
for _record_type in (
    RecordPerson,
    RecordFramework,
    RecordLevel,
    RecordArea,
    RecordTarget,
    RecordReview,
    RecordReviewArea,
    RecordReviewer,
    ScoredRecord,
    RefusedRecord,
):
    with_config(_STRICT)(_record_type)


@with_config(_STRICT)
class SummaryFramework(TypedDict):
    id: str
    title: str
    version: str | None


@with_config(_STRICT)
class SummaryRefused(TypedDict):
    file: str
    error: str
    """Why the file was not counted."""


@with_config(_STRICT)
class SummaryCount(TypedDict):
    level: str
    """A column: ``Not assessed``, ``Below <first level>`` or a level."""
    rank: int | None
    """null for ``Not assessed``, 0 for below, else the level's rank."""
    people: int
    """How many people are at that level."""


@with_config(_STRICT)
class SummaryBelowTarget(TypedDict):
    name: str
    id: str | None
    unit: str | None
    file: str
    level: str
    """The level reached."""
    target: str
    """The level aimed for."""


@with_config(_STRICT)
class SummaryArea(TypedDict):
    id: str
    """The area's id, or ``overall``."""
    title: str
    people: int
    """Everyone counted, assessed or not."""
    not_in_role: NotRequired[int]
    """People whose role profile holds none of the area's statements: in no column."""
    counts: list[SummaryCount]
    """One per column, in ``levels`` order."""
    median: str
    """The median level of the people assessed (the lower middle one)."""
    below_target: list[SummaryBelowTarget]
    """People whose level is under the level they aim for."""


@with_config(_STRICT)
class SummarySetAside(TypedDict):
    file: str
    """A file not counted: the same person has a later assessment."""
    name: str
    counted: str | None
    """The file counted for that person instead (their latest by ``updated_at``); null
    for an older draft of someone left out (listed in ``left_out``)."""


@with_config(_STRICT)
class SummaryStatuses(TypedDict):
    in_progress: int
    """People whose latest file is a draft."""
    submitted: int
    """People whose latest file awaits review."""
    reviewed: int
    """People whose latest file is reviewed and signed off."""


@with_config(_STRICT)
class SummaryDraft(TypedDict):
    name: str
    id: str | None
    unit: str | None
    file: str
    """The person's latest draft (status ``in_progress``), not counted."""
    updated_at: str | None
    """When it was last saved."""
    completion: float
    """Share of its statements answered, 0 to 1."""
    counted: NotRequired[str]
    """In ``newer_drafts``: the older file counted for that person instead."""


@with_config(_STRICT)
class SummaryConflict(TypedDict):
    name: str
    started_at: str | None
    """When the assessment was begun: every copy of it keeps this."""
    files: list[str]
    """Copies of one person's assessment (one cycle) whose answers differ."""
    counted: str | None
    """The copy counted meanwhile (the latest), or null when none of them is."""


@with_config(_STRICT)
class SummarySuppressed(TypedDict):
    suppressed: Literal[True]
    """The unit is smaller than ``--min-group``: no counts and no names."""
    rule: str
    """Why: ``fewer than K people``."""


@with_config(_STRICT)
class SummaryWho(TypedDict):
    name: str
    id: str | None


@with_config(_STRICT)
class SummaryReviewer(TypedDict):
    reviewer: SummaryWho
    people: int
    """Assessments counted that this reviewer reviewed."""
    statements: int
    """Statements both the person and the reviewer rated with a number."""
    mean_difference: float | None
    """The mean of reviewer minus self over those statements, 2 decimals; null if none."""
    disagreements: int
    """Statements where the two ratings disagree (as the reports count them)."""
    apart: bool
    """Whether the mean difference is half a step or more from the other reviewers', and
    further from the people's own ratings than theirs."""


@with_config(_STRICT)
class SummaryAreaCalibration(TypedDict):
    area: str
    title: str
    statements: int
    mean_difference: float | None
    """The mean of reviewer minus self in the area, over all reviewers; null if none."""


@with_config(_STRICT)
class SummaryCalibration(TypedDict):
    reviewers: list[SummaryReviewer]
    """One per reviewer, by name."""
    areas: list[SummaryAreaCalibration]
    """One per area, in map order."""


@with_config(_STRICT)
class SummaryHolders(TypedDict):
    people: int
    names: list[str]
    one_person: bool
    """At most one person holds the area at the level."""


@with_config(_STRICT)
class SummaryCoverage(TypedDict):
    area: str
    title: str
    level: str
    """The level key counted (``--coverage-level``, default the level below the top)."""
    people: int
    """People at that level or above, suppressed units included."""
    names: list[str]
    """Who they are, leaving out people of suppressed units."""
    one_person: bool
    """At most one person holds the area at the level: it depends on one person."""
    units: dict[str, SummaryHolders | SummarySuppressed]
    """The same per unit."""


@with_config(_STRICT)
class SummaryMentor(TypedDict):
    name: str
    id: str | None
    level: str
    """Their level in the area."""


@with_config(_STRICT)
class SummaryMentoring(TypedDict):
    person: SummaryWho
    unit: str | None
    area: str
    """The area's id (or ``overall``)."""
    target: str
    """The level key aimed for."""
    mentors: list[SummaryMentor]
    """Up to three at or above the target: same unit first, then the highest level."""


@with_config(_STRICT)
class SummarySmallGroups(TypedDict):
    min_group: int
    rule: str
    suppressed: list[str]
    """The units left out of every list and count, by name."""


@with_config(_STRICT)
class SummaryTrainingNeed(TypedDict):
    resource: str
    """The resource's id in the learning resources file."""
    title: str
    url: str | None
    hours: int | float | None
    people: int
    """People whose development plan holds a statement it helps with, people of
    suppressed units included."""
    names: list[str]
    """Who they are, leaving out people of suppressed units."""


@with_config(_STRICT)
class SummaryJson(TypedDict):
    framework: SummaryFramework | None
    """The framework every counted file was scored against; null when none was."""
    scored: int
    """People counted: one file each, their latest."""
    files_scored: int
    """Files scored, before each person's earlier files were set aside."""
    include_drafts: bool
    """Whether drafts were counted as levels too (``--include-drafts``)."""
    statuses: SummaryStatuses
    """People by the status of each one's latest file, counted or not."""
    left_out: list[SummaryDraft]
    """People with only drafts, not counted (unless ``include_drafts``)."""
    newer_drafts: list[SummaryDraft]
    """Drafts newer than the file counted for their person."""
    conflicts: list[SummaryConflict]
    """Conflict copies from synced folders, never silently reduced to one."""
    set_aside: list[SummarySetAside]
    """Earlier assessments of people counted by a later one."""
    progress: NotRequired[dict[str, Any]]
    """With ``--since``: how each area moved between the two cycles, matched by person."""
    refused: list[SummaryRefused]
    """Files not counted, with the reason."""
    levels: list[str]
    """The columns of every ``counts`` list."""
    areas: list[SummaryArea]
    """The team's counts per area, in map order, then ``overall``."""
    units: dict[str, list[SummaryArea] | SummarySuppressed]
    """The same counts per ``subject.unit``, units sorted by name."""
    profiles: NotRequired[dict[str, list[SummaryArea] | SummarySuppressed]]
    """The same counts per role profile (SPEC 9), by profile id, when some assessment
    names one; in the profiles file's order."""
    calibration: NotRequired[SummaryCalibration]
    """How each reviewer's ratings compare with the people's own (SPEC 10)."""
    coverage: NotRequired[list[SummaryCoverage]]
    """Per area, who is at the coverage level or above."""
    mentors: NotRequired[list[SummaryMentoring]]
    """For each person below a target in an area, who could mentor them."""
    small_groups: NotRequired[SummarySmallGroups]
    """The ``--min-group`` rule and the units it hid."""
    training_needs: NotRequired[list[SummaryTrainingNeed]]
    """With learning resources: per resource someone needs, who (most needed first)."""


@with_config(_STRICT)
class ProfileEntry(TypedDict):
    """One role: the areas and statements in it, and its default targets."""

    id: str
    """A slug, unique in the file, e.g. ``cataloguer``."""
    title: str
    """The role's name as people read it."""
    description: NotRequired[str]
    """What the role does."""
    areas: NotRequired[list[str]]
    """Area ids whose every statement is in the role."""
    statements: NotRequired[list[str]]
    """More statement ids in the role, outside those areas."""
    targets: NotRequired[dict[str, str]]
    """Area id -> level key: the role's targets, unless an assessment names its own."""


@with_config(_STRICT)
class ProfilesFile(TypedDict):
    profiles: list[ProfileEntry]
    """The role profiles, in the order they are offered."""


TOOL_ONLY = {
    "framework": "Only the tool checks: that the file is UTF-8 JSON (a byte-order mark is "
    "allowed) of at most the size limit, and the area map beside it (see the areas schema).",
    "areas": "Only the tool checks, against the framework beside the map: that every "
    "statement id exists, that no statement is in two areas, that every statement is in "
    "an area, and that no area id is used twice.",
    "profiles": "Only the tool checks, against the framework beside the file: that every "
    "area and statement id exists, that every target names a known level of an area with "
    "a statement in the role, that a profile holds at least one area or statement, and "
    "that no profile id is used twice.",
    "resources": "Only the tool checks, against the framework beside the file (or given "
    "with it): that every statement, area and level id exists, that no resource id is "
    "used twice, and that levels are given only with areas. That url is an http or https "
    "URL with a host is also checked here (pattern).",
    "assessment": "Only the tool checks, against the framework it is scored against: that "
    "framework.id is that framework's, that the fingerprint matches its statements, that "
    "every statement id in ratings and notes (and the review's) exists, that profile "
    "names a role profile of the framework, and that every target names a known area and "
    "level. Also only the tool: that a rating is written "
    "as a whole number (3, not 3.0, which JSON Schema counts as equal), and that dates "
    "are date-times (format is checked only by validators asked to assert formats). "
    "Unknown fields are allowed and kept.",
    "score-record": "One line of `competency score --format jsonl`: a scored file or a "
    "refused one. Lines come in input order.",
    "report": "Only the tool checks: that report_digest is the SHA-256 of the file with "
    "that digest replaced by sha256:000...0 (and report_signature, when present, the "
    "signature of it) and that assessment_digest is the assessment's: run "
    "`competency verify`.",
    "summary": "The JSON of `competency summary --format json`.",
    "comparison": "Only the tool checks: that report_digest is the SHA-256 of the file "
    "with that digest replaced by sha256:000...0, and that old and new assessment_digest "
    "are the two assessments': run `competency verify`.",
}

TITLES = {
    "framework": "competency framework file",
    "areas": "competency area map (the TOML file's content)",
    "profiles": "competency role profiles (the TOML file's content)",
    "resources": "competency learning resources (the TOML file's content)",
    "assessment": "competency assessment file (competency-assessment/1)",
    "score-record": "competency score record (one JSON line)",
    "report": "competency report JSON (competency-report/1)",
    "summary": "competency team summary JSON",
    "comparison": "competency comparison JSON (competency-comparison/1)",
}

NAMES = tuple(TITLES)
"""The schemas ``competency schema`` knows, in the order ``--help`` lists them."""


def schema(name: str) -> dict[str, Any]:
    """The JSON Schema of file format ``name`` (one of ``NAMES``)."""
    if name not in TITLES:
        raise ValueError(f"no schema {name!r}; choose from {', '.join(NAMES)}")
    body, classes = _MAKERS[name]()
    for cls in classes:
        _describe_fields(body, cls)
    head = {
        "$schema": DIALECT,
        "$id": f"{BASE_ID}{name}.schema.json",
        "title": TITLES[name],
        "description": TOOL_ONLY[name],
    }
    body.pop("title", None)
    body.pop("description", None)
    return {**head, **body}


def write_schema(name: str, out: IO[bytes]) -> None:
    """``competency schema NAME``'s output: the schema called ``name``, as ``schema_text``."""
    out.write(schema_text(name).encode("utf-8"))


def schema_text(name: str) -> str:
    """The schema as the files under ``schemas/`` hold it: indented, with a final newline."""
    return json.dumps(schema(name), ensure_ascii=False, indent=2) + "\n"


def _framework() -> tuple[dict[str, Any], list[type]]:
    from competency.framework import raw

    classes: list[type] = [
        raw.RawFrameworkFile,
        raw.RawFrameworkBody,
        raw.RawOccupation,
        raw.RawLevel,
    ]
    return raw.RawFrameworkFile.model_json_schema(), classes


def _areas() -> tuple[dict[str, Any], list[type]]:
    from competency.framework import raw

    classes: list[type] = [raw.RawAreaMap, raw.RawArea]
    return raw.RawAreaMap.model_json_schema(), classes


def _profiles() -> tuple[dict[str, Any], list[type]]:
    body = TypeAdapter(ProfilesFile).json_schema()
    entry = body["$defs"]["ProfileEntry"]["properties"]
    slug = r"^[a-z0-9]+(-[a-z0-9]+)*$"
    entry["id"]["pattern"] = slug
    entry["title"].update(minLength=1, pattern=r"\S")
    for key in ("areas", "statements"):
        entry[key]["uniqueItems"] = True
    body["properties"]["profiles"]["minItems"] = 1
    return body, [ProfilesFile, ProfileEntry]


def _resources() -> tuple[dict[str, Any], list[type]]:
    from competency.framework import raw_resources as raw

    classes: list[type] = [raw.RawResourcesFile, raw.RawResource]
    return raw.RawResourcesFile.model_json_schema(), classes


def _assessment() -> tuple[dict[str, Any], list[type]]:
    from competency import assessment as a

    body = a.Assessment.model_json_schema(by_alias=True)
    classes: list[type] = [a.Assessment, a.FrameworkRef, a.Subject, a.Person, a.Review, a.Event]
    return body, classes


def _score_record() -> tuple[dict[str, Any], list[type]]:
    adapter: TypeAdapter[Any] = TypeAdapter(ScoredRecord | RefusedRecord)
    classes: list[type] = [
        ScoredRecord,
        RefusedRecord,
        RecordPerson,
        RecordFramework,
        RecordLevel,
        RecordArea,
        RecordTarget,
        RecordReview,
        RecordReviewArea,
        RecordReviewer,
    ]
    return adapter.json_schema(mode="serialization"), classes


def _summary() -> tuple[dict[str, Any], list[type]]:
    adapter: TypeAdapter[Any] = TypeAdapter(SummaryJson)
    classes: list[type] = [
        SummaryJson,
        SummaryFramework,
        SummaryRefused,
        SummaryStatuses,
        SummaryDraft,
        SummaryConflict,
        SummarySetAside,
        SummaryCount,
        SummaryBelowTarget,
        SummaryArea,
        SummarySuppressed,
        SummaryWho,
        SummaryReviewer,
        SummaryAreaCalibration,
        SummaryCalibration,
        SummaryHolders,
        SummaryCoverage,
        SummaryMentor,
        SummaryMentoring,
        SummarySmallGroups,
        SummaryTrainingNeed,
    ]
    return adapter.json_schema(mode="serialization"), classes


def _report() -> tuple[dict[str, Any], list[type]]:
    from competency.framework.resources import ResourceLink
    from competency.outputs import report as r
    from competency.outputs.json_format import REPORT_SCHEMA

    body = TypeAdapter(r.Report).json_schema(mode="serialization")
    classes: list[type] = [
        r.Report,
        r.Person,
        r.LevelRef,
        r.FrameworkInfo,
        r.Dates,
        r.StatementLine,
        r.LevelStep,
        r.AreaReport,
        r.ReviewInfo,
        r.Overall,
        ResourceLink,
        r.PlanLine,
    ]
    scale = {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "value": {"enum": [*NUMBERS, NA]},
                "label": {"type": "string"},
                "meaning": {"type": "string"},
            },
            "required": ["value", "label", "meaning"],
            "additionalProperties": False,
        },
    }
    # json_format writes the dataclasses as they are, except for these: the schema name
    # first, the sources as an object, the scale as objects, the seal's fields last.
    more = {"scale": scale, "assessment_digest": dict(DIGEST)}
    return _sealed(body, REPORT_SCHEMA, more, signed=True), classes


def _comparison() -> tuple[dict[str, Any], list[type]]:
    from competency.outputs import compare as c
    from competency.outputs import report as r

    body = TypeAdapter(c.Comparison).json_schema(mode="serialization")
    classes: list[type] = [
        c.Comparison,
        c.Cycle,
        c.AreaChange,
        c.RatingChange,
        r.Person,
        r.FrameworkInfo,
        r.LevelRef,
    ]
    return _sealed(body, c.COMPARISON_SCHEMA, {}, signed=False), classes


DIGEST = {"type": "string", "pattern": "^sha256:[0-9a-f]{64}$"}


SIGNATURE = {
    "type": "string",
    "description": "Present when the report was signed (`report --sign`): a JWS in compact "
    "form with a detached payload (header..signature), alg that of the key (RS256, ES256 "
    "or EdDSA).",
    "pattern": r"^[A-Za-z0-9_-]+\.\.[A-Za-z0-9_-]+$",
}


def _sealed(
    body: dict[str, Any], name: str, more: dict[str, Any], *, signed: bool
) -> dict[str, Any]:
    """A sealed output's schema (report, comparison): the dataclasses' own, with the
    schema name first, the sources as an object, ``more``, then the seal's fields (the
    signature only where the command can sign), and no other fields anywhere."""
    body["properties"] = {
        "schema": {"const": name},
        **body["properties"],
        **more,
        # Copies: the fields' descriptions are written into the schema afterwards.
        **({"report_signature": dict(SIGNATURE)} if signed else {}),
        "report_digest": {
            **DIGEST,
            "description": "The file's seal: the SHA-256 of the file with this value "
            "replaced by sha256: and 64 zeros.",
        },
    }
    body["required"] = ["schema", *body["required"], "report_digest"]
    body["$defs"]["FrameworkInfo"]["properties"]["sources"] = {
        "type": "object",
        "additionalProperties": {"type": "string"},
    }
    for definition in [body, *body["$defs"].values()]:
        definition["additionalProperties"] = False
    return body


_MAKERS = {
    "framework": _framework,
    "areas": _areas,
    "profiles": _profiles,
    "resources": _resources,
    "assessment": _assessment,
    "score-record": _score_record,
    "report": _report,
    "summary": _summary,
    "comparison": _comparison,
}


def _describe_fields(body: dict[str, Any], cls: type) -> None:
    """Put each field's docstring into its property's ``description``.

    The models document their fields with a string under each one, the way the rest of
    the code reads them. pydantic can collect these itself (``use_attribute_docstrings``),
    but only by reading the source while each model class is made, which every command
    would pay for at start-up; here it is paid only when a schema is asked for.
    """
    target = body if body.get("title") == cls.__name__ else body.get("$defs", {}).get(cls.__name__)
    if target is None:
        return
    properties = target.get("properties", {})
    for klass in reversed(cls.__mro__):
        for field, text in _field_docstrings(klass).items():
            prop = properties.get(field) or properties.get(field.rstrip("_"))
            if prop is not None:
                prop["description"] = text
    if cls.__doc__ and "description" not in target and target is not body:
        target["description"] = inspect.cleandoc(cls.__doc__)


def _field_docstrings(cls: type) -> dict[str, str]:
    try:
        source = textwrap.dedent(inspect.getsource(cls))
    except (OSError, TypeError):
        return {}
    tree = ast.parse(source)
    if not tree.body or not isinstance(tree.body[0], ast.ClassDef):
        return {}
    found: dict[str, str] = {}
    statements = tree.body[0].body
    for here, after in itertools.pairwise(statements):
        if (
            isinstance(here, ast.AnnAssign)
            and isinstance(here.target, ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
        ):
            found[here.target.id] = inspect.cleandoc(after.value.value)
    return found
