"""A learning resources file as written (SPEC 9), checked by pydantic.

Only needed while a file is read: ``competency.framework.resources`` resolves it against
a framework into the ``Resources`` the rest of the tool uses, and imports this module only
then.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from competency.framework.raw import NonEmptyText, parse_toml_model

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
WEB_LINK = r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#<>\"'`\\]+\S*$"
"""The schema's statement of ``competency.text.link_target``'s rule: http(s) and a host."""


_SOME: dict[str, Any] = {
    key: {"required": [key], "properties": {key: {"minItems": 1}}}
    for key in ("statements", "areas")
}
"""A resource helps with statements or areas (at least one of either), and its levels
choose among its areas' statements: the validators' rules, as the schema states them."""


class RawResource(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        # The validators' rules, for `competency schema resources`.
        json_schema_extra={
            "anyOf": [_SOME["statements"], _SOME["areas"]],
            "dependentSchemas": {"levels": _SOME["areas"]},
        },
    )

    id: Annotated[str, Field(strict=True, pattern=SLUG)]
    """A slug, unique in the file, e.g. ``cataloging-basics``."""
    title: NonEmptyText
    """The resource's name as people read it."""
    url: Annotated[str, Field(strict=True, json_schema_extra={"pattern": WEB_LINK})] | None = None
    """Where to find it: an ``http`` or ``https`` URL (nothing else is ever a link)."""
    kind: Annotated[str, Field(strict=True)] | None = None
    """What it is, in free text: ``course``, ``reading``, ``mentoring``..."""
    hours: Annotated[Any, Field(json_schema_extra={"type": "number", "minimum": 0})] = None
    """About how many hours it takes: a number, 0 or more."""
    access: Annotated[str, Field(strict=True)] | None = None
    """How to get to it, in free text: ``staff intranet``, ``ask HR``..."""
    statements: list[NonEmptyText] = []
    """Statement ids (``level.position``) it helps with."""
    areas: list[NonEmptyText] = []
    """Area ids: it helps with every statement of these areas..."""
    levels: list[NonEmptyText] = []
    """...or, when levels are given, only with their statements at these levels."""

    @field_validator("url")
    @classmethod
    def _web_link(cls, value: str | None) -> str | None:
        if value is not None:
            from competency.text import link_target

            if link_target(value) is None:
                raise ValueError(f"{value!r} is not an http or https URL")
        return value

    @field_validator("hours", mode="plain")
    @classmethod
    def _hours(cls, value: Any) -> int | float | None:
        # One plain check: a union of int and float would report two puzzling errors.
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if value is not None and not (number and math.isfinite(value)):
            raise ValueError(f"should be a number of hours, not {value!r}")
        if value is not None and value < 0:
            raise ValueError(f"should be 0 or more, not {value!r}")
        return value  # type: ignore[no-any-return]

    @field_validator("levels")
    @classmethod
    def _levels_of_areas(cls, value: list[str], info: Any) -> list[str]:
        if value and not info.data.get("areas"):
            raise ValueError("levels choose statements of the resource's areas; it names none")
        return value

    @model_validator(mode="after")
    def _helps_with_something(self) -> RawResource:
        if not self.statements and not self.areas:
            raise ValueError("helps with nothing: give statements, areas, or both")
        return self


class RawResourcesFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    resources: list[RawResource] = Field(min_length=1)
    """The learning resources, in the order they are listed."""


def parse_resources(data: bytes, path: Path) -> RawResourcesFile:
    """Parse a resources file's bytes (read from ``path``), or refuse them with one line."""
    return parse_toml_model(data, path, RawResourcesFile, "a resources file")
