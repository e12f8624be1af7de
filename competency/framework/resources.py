"""Learning resources beside a framework (SPEC 9): what helps with which statements.

``<stem>.resources.toml`` sits beside the framework like its area map (or is given with
``--resources FILE``). Each resource helps with statements by id, with whole areas, or
with an area's chosen levels. ``parse_resources`` reads the file as written
(``RawResourcesFile``) and ``resolve_resources`` checks it against a ``Framework`` into
``Resources``: each resource with the set of statement ids it helps with. A bad file is
refused with one line naming the file and the place, as an area map is.

The file's pydantic models are in ``competency.framework.raw_resources``, imported only
when a file is read: the screens use this module's words without loading pydantic.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from competency.errors import FrameworkError
from competency.files import read_input
from competency.framework.companions import companion_of, companion_path

if TYPE_CHECKING:
    from competency.framework.model import Framework
    from competency.framework.raw_resources import RawResourcesFile

SUFFIX = ".resources.toml"


@dataclass(frozen=True, slots=True)
class ResourceLink:
    """A learning resource as the outputs name it (a report's plan entry lists these)."""

    id: str
    """A slug, unique in the file, e.g. ``cataloging-basics``."""
    title: str
    """The resource's name as people read it."""
    url: str | None
    """An ``http`` or ``https`` URL, or null."""
    kind: str | None
    """What it is, in the resources file's words (``course``, ``reading``...)."""
    hours: int | float | None
    """About how many hours it takes."""
    access: str | None
    """How to get to it, in the resources file's words."""


@dataclass(frozen=True, slots=True)
class Resource(ResourceLink):
    """One resource resolved against a framework: what it is, and what it helps with."""

    statement_ids: frozenset[str] = frozenset()
    """Every statement it helps with: those named, and those of its areas (and levels)."""

    def link(self) -> ResourceLink:
        """The resource without what it helps with, as a report lists it."""
        return ResourceLink(self.id, self.title, self.url, self.kind, self.hours, self.access)


@dataclass(frozen=True)
class Resources:
    """The learning resources read with a framework, in file order."""

    items: tuple[Resource, ...]
    source: str
    """The file they were read from."""

    @cached_property
    def by_statement(self) -> dict[str, tuple[Resource, ...]]:
        """Statement id -> the resources that help with it, in file order."""
        found: dict[str, list[Resource]] = {}
        for resource in self.items:
            for sid in resource.statement_ids:
                found.setdefault(sid, []).append(resource)
        order = {r.id: i for i, r in enumerate(self.items)}
        return {
            sid: tuple(sorted(helping, key=lambda r: order[r.id])) for sid, helping in found.items()
        }

    def helping_with(self, statement_id: str) -> tuple[Resource, ...]:
        """The resources that help with one statement, in file order (maybe none)."""
        return self.by_statement.get(statement_id, ())


def hours_words(hours: int | float) -> str:
    """``6 hours``, ``1 hour``, ``1.5 hours``."""
    return f"{hours:g} hour{'' if hours == 1 else 's'}"


def facts(resource: ResourceLink) -> str:
    """What a resource is, how long it takes and how to get to it, as the file says:
    ``course, 6 hours, staff intranet``; empty when the file says none of it."""
    parts = [resource.kind, None if resource.hours is None else hours_words(resource.hours)]
    parts.append(resource.access)
    return ", ".join(p.strip() for p in parts if p and p.strip())


def default_resources_path(framework_path: str | Path) -> Path:
    """The resources file beside a framework: same stem, ``.resources.toml`` (SPEC 9)."""
    return companion_path(framework_path, "resources")


def with_resources(framework: Framework, given: str | Path | None = None) -> Framework:
    """``framework`` carrying its learning resources (``given``, or the file beside it).

    Unchanged when there is no such file; a bad file is refused (``FrameworkError``).
    """
    path = companion_of(framework, "resources", given)
    if path is None:
        return framework
    return dataclasses.replace(framework, resources=load_resources(path, framework))


def load_resources(path: Path, framework: Framework) -> Resources:
    """Read a resources file and resolve it against ``framework``, or refuse it."""
    return resolve_resources(parse_resources(read_input(path), path), framework, str(path))


def parse_resources(data: bytes, path: Path) -> RawResourcesFile:
    """The file as written, or one line naming the file and the place."""
    from competency.framework.raw_resources import parse_resources as parse

    return parse(data, path)


def resolve_resources(raw: RawResourcesFile, framework: Framework, source: str) -> Resources:
    """Check every id in the file against ``framework`` and resolve what each helps with."""
    seen: set[str] = set()
    items = []
    for i, res in enumerate(raw.resources):
        where = f"resources.{i}"
        if res.id in seen:
            raise FrameworkError(
                f"resource id {res.id!r} is used twice", source=source, location=f"{where}.id"
            )
        seen.add(res.id)
        ids: set[str] = set()
        for j, sid in enumerate(res.statements):
            if sid not in framework.known_ids:
                raise FrameworkError(
                    f"unknown statement {sid!r}", source=source, location=f"{where}.statements.{j}"
                )
            ids.add(sid)
        for j, key in enumerate(res.levels):
            if key not in framework.level_by_key:
                known = ", ".join(lvl.key for lvl in framework.levels)
                raise FrameworkError(
                    f"unknown level {key!r} (the levels are {known})",
                    source=source,
                    location=f"{where}.levels.{j}",
                )
        levels = set(res.levels)
        for j, area_id in enumerate(res.areas):
            if area_id not in framework.area_by_id:
                raise FrameworkError(
                    f"unknown area {area_id!r}", source=source, location=f"{where}.areas.{j}"
                )
            for sid in framework.area_by_id[area_id].statement_ids:
                if not levels or framework.statement_by_id[sid].level in levels:
                    ids.add(sid)
        items.append(
            Resource(
                id=res.id,
                title=res.title,
                url=res.url,
                kind=res.kind,
                hours=res.hours,
                access=res.access,
                statement_ids=frozenset(ids),
            )
        )
    return Resources(tuple(items), source)
