"""Role profiles beside a framework (SPEC 9): which areas and statements a role holds.

``<stem>.profiles.toml`` sits beside the framework like its area map (or is given with
``--profiles``). Each profile names the areas in the role, more statements in it outside
those areas, and the role's default targets::

    [[profiles]]
    id = "cataloguer"
    title = "Cataloguer"
    areas = ["cataloging-organization", "technology-integration"]
    statements = ["emerging.1"]
    targets = { "cataloging-organization" = "proficient" }

A profile is checked against the resolved framework (its areas, statements and levels), so
it is read after the framework. The checks are written here rather than in pydantic models:
``assess`` draws its first screen from the framework cache without loading pydantic, and a
profiles file beside the bundled framework is read on every start. Every refusal is one
line naming the file and the place, as the area map's are.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from competency.errors import FrameworkError
from competency.files import read_input
from competency.framework.companions import companion_of

if TYPE_CHECKING:
    from competency.framework.model import Framework

KIND = "profiles"
"""The companion file's kind: ``<stem>.profiles.toml``."""

SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
"""What a profile id looks like, as an area id does: ``reference-instruction``."""

WHOLE_FRAMEWORK = "Whole framework (every statement)"
"""How the shells offer no profile beside the profiles: an assessment of every statement."""

FIELDS = ("id", "title", "description", "areas", "statements", "targets")
"""The keys a profile may have; any other is refused, as in the area map."""


@dataclass(frozen=True)
class Profile:
    """One role: the statements in it, and the levels it aims for by default."""

    id: str
    """A slug, unique in the file, e.g. ``cataloguer``."""
    title: str
    """The role's name as people read it."""
    statement_ids: frozenset[str]
    """Every statement in the role: those of its areas and the ones named one by one."""
    areas: tuple[str, ...] = ()
    """The areas named whole, in file order."""
    statements: tuple[str, ...] = ()
    """The statements named one by one, outside those areas."""
    targets: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Area id -> level key: the role's default targets."""
    description: str = ""
    """What the role does; may be empty."""

    def in_role(self, statement_id: str) -> bool:
        """Whether a statement is asked, counted and scored in this role."""
        return statement_id in self.statement_ids


def profile_of(
    framework: Framework,
    profile_id: str,
    *,
    areas: tuple[str, ...] = (),
    statements: tuple[str, ...] = (),
    title: str | None = None,
    targets: Mapping[str, str] | None = None,
    description: str = "",
) -> Profile:
    """A profile of ``framework`` holding these areas and statements (already checked)."""
    held = {sid for area_id in areas for sid in framework.area_by_id[area_id].statement_ids}
    held.update(statements)
    return Profile(
        id=profile_id,
        title=title or profile_id,
        statement_ids=frozenset(held),
        areas=areas,
        statements=statements,
        targets=MappingProxyType(dict(targets or {})),
        description=description,
    )


def with_profiles(framework: Framework, profiles: str | Path | None = None) -> Framework:
    """``framework`` with its role profiles: from ``profiles``, else the file beside it.

    A framework loaded from no file, or with no profiles file, is returned as it is; so is
    one read with another area map than the one beside it, unless ``profiles`` names a file.
    """
    path = companion_of(framework, KIND, profiles)
    if path is None:
        return framework
    found = parse_profiles(read_input(path), path, framework)
    return replace(framework, profiles=found, profiles_path=str(path))


def parse_profiles(data: bytes, path: Path, framework: Framework) -> tuple[Profile, ...]:
    """The profiles in a file's bytes, checked against ``framework``; or one line naming
    the file and the place of the first problem."""
    from competency.framework.toml_file import parse_toml

    source = str(path)
    doc = parse_toml(data, source, FrameworkError)

    def refuse(location: str, message: str) -> FrameworkError:
        return FrameworkError(message, source=source, location=location)

    for key in doc:
        if key != "profiles":
            raise refuse(key, "not a known field")
    entries = doc.get("profiles")
    if entries is None:
        raise refuse("profiles", "required but missing")
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise refuse("profiles", "should be a list of tables ([[profiles]])")
    if not entries:
        raise refuse("profiles", "should name at least one profile")
    found: list[Profile] = []
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        profile = _profile(entry, f"profiles.{i}", framework, refuse)
        if profile.id in seen:
            raise refuse(f"profiles.{i}", f"profile id {profile.id!r} is used twice")
        seen.add(profile.id)
        found.append(profile)
    return tuple(found)


def _profile(entry: dict[str, Any], where: str, framework: Framework, refuse: Any) -> Profile:
    for key in entry:
        if key not in FIELDS:
            raise refuse(f"{where}.{key}", "not a known field")
    profile_id = _text(entry, "id", where, refuse, required=True)
    if not SLUG.fullmatch(profile_id):
        raise refuse(
            f"{where}.id",
            f"{profile_id!r} is not a slug (lowercase letters and digits joined by single "
            "hyphens, e.g. 'reference-instruction')",
        )
    title = _text(entry, "title", where, refuse, required=True)
    description = _text(entry, "description", where, refuse, required=False)
    areas = _ids(entry, "areas", where, refuse)
    for j, area_id in enumerate(areas):
        if area_id not in framework.area_by_id:
            raise refuse(f"{where}.areas.{j}", f"unknown area {area_id!r}")
    statements = _ids(entry, "statements", where, refuse)
    for j, sid in enumerate(statements):
        if sid not in framework.known_ids:
            raise refuse(f"{where}.statements.{j}", f"unknown statement {sid!r}")
    if not areas and not statements:
        raise refuse(where, "a profile needs at least one area or statement in its role")
    profile = profile_of(framework, profile_id, areas=areas, statements=statements, title=title)
    targets = entry.get("targets", {})
    if not isinstance(targets, dict):
        raise refuse(f"{where}.targets", "should be a table of area id = level key")
    for area_id, level_key in targets.items():
        here = f"{where}.targets.{area_id}"
        if area_id not in framework.area_by_id:
            raise refuse(here, "unknown area")
        if not isinstance(level_key, str):
            raise refuse(here, "should be a level key (a string)")
        if level_key not in framework.level_by_key:
            raise refuse(here, f"unknown level {level_key!r}")
        if not profile.statement_ids.intersection(framework.area_by_id[area_id].statement_ids):
            raise refuse(here, f"area {area_id!r} has no statement in this role")
    return replace(profile, targets=MappingProxyType(dict(targets)), description=description)


def _text(entry: dict[str, Any], key: str, where: str, refuse: Any, *, required: bool) -> str:
    value = entry.get(key)
    if value is None:
        if required:
            raise refuse(f"{where}.{key}", "required but missing")
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise refuse(f"{where}.{key}", "should be non-empty text (a string)")
    return value


def _ids(entry: dict[str, Any], key: str, where: str, refuse: Any) -> tuple[str, ...]:
    value = entry.get(key, [])
    if not isinstance(value, list):
        raise refuse(f"{where}.{key}", "should be a list of ids")
    seen: set[str] = set()
    for j, item in enumerate(value):
        if not isinstance(item, str):
            raise refuse(f"{where}.{key}.{j}", "should be an id (a string)")
        if item in seen:
            raise refuse(f"{where}.{key}.{j}", f"{item!r} is named twice")
        seen.add(item)
    return tuple(value)
