"""A framework file and its area map as written (SPEC 1 and 2), checked by pydantic.

These models are only needed while a file is being read and checked: the rest of the tool
works with the resolved ``Framework`` of ``competency.framework.model``, which imports this
module only when it reads a file, so a screen can show a framework without loading pydantic.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from competency.errors import FrameworkError, from_validation_error
from competency.files import read_input, without_bom
from competency.framework.toml_file import parse_toml

Model = TypeVar("Model", bound=BaseModel)

NonEmptyText = Annotated[str, Field(strict=True, min_length=1, pattern=r"\S")]


class _Raw(BaseModel):
    # Exporters add fields over time; unknown keys are ignored, never refused (SPEC 1).
    model_config = ConfigDict(extra="ignore", frozen=True)


class RawOccupation(_Raw):
    soc: NonEmptyText
    """The framework's id, e.g. ``25-4022.00``."""
    title: NonEmptyText
    """The occupation's title, shown on every screen and report."""
    group: str | None = None
    """The occupation group, e.g. ``Educational Instruction & Library``."""


class RawLevel(_Raw):
    label: NonEmptyText
    """The level's name as people read it, e.g. ``Proficient``."""
    statements: list[NonEmptyText] = Field(min_length=1)
    """The level's statements in order; each reads ``Topic — description``."""


class RawFrameworkBody(_Raw):
    version: str | None = None
    """The framework's version, e.g. ``v.26.05``."""
    description: str | None = None
    """A short description; often empty."""
    contextCovered: str | None = None
    """Where the framework applies, in the exporter's words."""
    levels: dict[str, RawLevel] = Field(
        min_length=1, json_schema_extra={"propertyNames": {"pattern": r"\S"}}
    )
    """The ladder: keys in document order, lowest level first."""

    @field_validator("levels")
    @classmethod
    def _keys_are_usable(cls, levels: dict[str, RawLevel]) -> dict[str, RawLevel]:
        for key in levels:
            if not key.strip():
                raise ValueError("a level key must not be empty")
        return levels


class RawFrameworkFile(_Raw):
    # The pattern states the validator's rule for ``competency schema framework``.
    schemaVersion: str = Field(strict=True, json_schema_extra={"pattern": r"^1(\.|$)"})
    """The export format's version; this tool reads any 1.x."""
    exportedAt: str | None = None
    """When the exporter wrote the file."""
    occupation: RawOccupation
    """Which occupation the framework describes."""
    framework: RawFrameworkBody
    """The levels and their statements."""
    sources: dict[str, Any] | None = None
    """Where the data came from; kept and shown in reports."""
    attribution: str | None = None
    """The required credit line (the data is CC BY 4.0)."""

    @field_validator("schemaVersion")
    @classmethod
    def _is_v1(cls, value: str) -> str:
        major = value.split(".", 1)[0]
        if major != "1":
            raise ValueError(f"schemaVersion {value!r} is not supported; this tool reads 1.x")
        return value


class RawArea(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[
        str,
        Field(
            strict=True,
            pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$",
            json_schema_extra={"not": {"const": "overall"}},
        ),
    ]
    """A slug, unique in the map, e.g. ``information-services``."""
    title: NonEmptyText
    """The area's name as people read it."""
    description: str | None = None
    """One sentence on what the area covers."""
    statements: list[NonEmptyText] = Field(min_length=1)
    """Statement ids (``level.position``) that belong to this area."""

    @field_validator("id")
    @classmethod
    def _not_reserved(cls, value: str) -> str:
        # Records, summaries and CSV columns put "overall" beside the areas' ids.
        if value == "overall":
            raise ValueError("'overall' is reserved for the level over every statement")
        return value


class RawAreaMap(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    areas: list[RawArea] = Field(min_length=1)
    """The competency areas, in the order they are shown and walked."""


def parse_framework(data: bytes | str, source: str) -> RawFrameworkFile:
    """Parse a framework file's bytes, or refuse them with one line naming the place."""
    if isinstance(data, bytes):
        data = without_bom(data)
    try:
        return RawFrameworkFile.model_validate_json(data)
    except ValidationError as exc:
        raise from_validation_error(exc, source=source, kind=FrameworkError) from None


def load_area_map(path: Path) -> RawAreaMap:
    """Read an area map TOML file, or refuse it with one line."""
    return parse_area_map(read_input(path), path)


def parse_area_map(data: bytes, path: Path) -> RawAreaMap:
    """Parse an area map's bytes (read from ``path``), or refuse them with one line."""
    return parse_toml_model(data, path, RawAreaMap, "an area map")


def parse_toml_model(data: bytes, path: Path, model: type[Model], what: str) -> Model:
    """A TOML file beside a framework (area map, resources...) read into ``model``, or
    refused with one line naming the file and the place; ``what`` names such a file."""
    doc = parse_toml(data, str(path), FrameworkError)
    try:
        return model.model_validate(doc)
    except ValidationError as exc:
        raise from_validation_error(exc, source=str(path), kind=FrameworkError) from None
    except RecursionError:
        raise FrameworkError(
            f"values nested too deeply ({what} nests two levels)", source=str(path)
        ) from None
