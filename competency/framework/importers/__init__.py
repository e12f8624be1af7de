"""Frameworks from other sources: a spreadsheet, a CASE package, a Moodle CSV.

Every importer turns its source into one ``ImportedFramework`` through a
``FrameworkBuilder``, which keeps SPEC 1's rules in one place (levels in order, statement
ids ``<level key>.<position>``, no duplicate statement in a level). ``framework_json`` and
``area_map_toml`` then write it in SPEC 1 and SPEC 2 shape, deterministically: the same
input gives the same bytes. Provenance (the source's format, file name, rights statement
and each statement's source identifier) goes under the extension key ``provenance``,
which SPEC 1 allows. What could not be carried over is kept in ``not_carried``, one line
each, for the command to show.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from competency.errors import FrameworkError
from competency.files import slug as slug  # one slug for ids and file names
from competency.framework.model import MAX_STATEMENTS, TOPIC_DASH
from competency.text import first_unsafe

FORMATS = ("csv", "xlsx", "case", "moodle")
"""The formats ``competency import`` reads, as ``--format`` takes them."""

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
"""A framework id is also a file name (``<id>.json``): no folders, no hidden files."""

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

_SPACE = re.compile(r"\s+")


class ImportRefused(FrameworkError):
    """The source cannot be imported; the line names the file and the place in it."""


def clean(text: str, *, source: str, location: str) -> str:
    """A cell's text as one line: runs of whitespace become one space.

    Control characters (ESC, bidi overrides) are refused: they have no meaning in a
    statement and could attack the terminal that shows it.
    """
    found = first_unsafe(text)
    if found:
        raise ImportRefused(
            f"holds the control or invisible character {found}",
            source=source,
            location=location,
        )
    return _SPACE.sub(" ", text).strip()


def join_topic(topic: str, description: str) -> str:
    """``Topic — description`` (SPEC 1), or the topic alone when there is no description."""
    return f"{topic}{TOPIC_DASH}{description}" if description else topic


@dataclass
class ImportedLevel:
    key: str
    label: str
    statements: list[str] = field(default_factory=list)


@dataclass
class ImportedArea:
    id: str
    title: str
    description: str = ""
    statements: list[str] = field(default_factory=list)


@dataclass
class ImportedFramework:
    """A framework read from another source, ready to be written as SPEC 1 and SPEC 2."""

    id: str
    title: str
    version: str | None
    description: str
    levels: list[ImportedLevel]
    areas: list[ImportedArea] | None
    """``None`` when the source names no areas: the framework is scored as one area."""
    provenance: dict[str, Any]
    attribution: str | None = None
    sources: dict[str, str] = field(default_factory=dict)
    not_carried: list[str] = field(default_factory=list)
    """What the source held that the framework cannot, one line each."""

    @property
    def statement_count(self) -> int:
        return sum(len(level.statements) for level in self.levels)


class FrameworkBuilder:
    """Collects levels, statements and areas in source order, refusing what SPEC 1 and 2 do.

    ``source`` names the file in every refusal; each ``add_*`` takes the place in it.
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self.levels: dict[str, ImportedLevel] = {}
        self.areas: dict[str, ImportedArea] = {}
        self.statement_sources: dict[str, dict[str, str]] = {}
        self._where: dict[tuple[str, str], str] = {}
        # Looked up by label and title, not searched: a source of 80,000 levels took minutes.
        self._level_of_label: dict[str, ImportedLevel] = {}
        self._area_of_title: dict[str, ImportedArea] = {}

    def refuse(self, message: str, location: str) -> ImportRefused:
        return ImportRefused(message, source=self.source, location=location)

    def level(self, label: str, location: str, key: str | None = None) -> str:
        """The key of the level labelled ``label``, adding it to the ladder's top if new."""
        key = key if key is not None else (slug(label) or f"level-{len(self.levels) + 1}")
        if not SLUG_PATTERN.match(key):
            raise self.refuse(
                f"level key {key!r} is not a slug (lower-case letters, digits and hyphens)",
                location,
            )
        known = self.levels.get(key)
        if known is None:
            other = self._level_of_label.get(label)
            if other is not None:
                raise self.refuse(
                    f"level {label!r} already has the key {other.key!r}, not {key!r}",
                    location,
                )
            self.levels[key] = self._level_of_label[label] = ImportedLevel(key, label)
        elif known.label != label:
            raise self.refuse(
                f"level key {key!r} is already the level {known.label!r}, not {label!r}",
                location,
            )
        return key

    def area(
        self, title: str, location: str, description: str = "", area_id: str | None = None
    ) -> str:
        """The id of the area titled ``title`` (``area_id``, or a slug of the title)."""
        area_id = area_id if area_id is not None else slug(title)
        if area_id and not SLUG_PATTERN.match(area_id):
            raise self.refuse(
                f"area id {area_id!r} is not a slug (lower-case letters, digits and hyphens)",
                location,
            )
        if not area_id:
            raise self.refuse(f"area {title!r} has no letters or digits to make an id", location)
        if area_id == "overall":
            raise self.refuse(
                "area id 'overall' is reserved for the level over every statement; rename the area",
                location,
            )
        known = self.areas.get(area_id)
        if known is None:
            twin = self._area_of_title.get(title)
            if twin is not None:
                raise self.refuse(
                    f"area {title!r} already has the id {twin.id!r}, not {area_id!r}",
                    location,
                )
            self.areas[area_id] = self._area_of_title[title] = ImportedArea(
                area_id, title, description
            )
        elif known.title != title:
            raise self.refuse(
                f"area {title!r} makes the id {area_id!r}, as area {known.title!r} does",
                location,
            )
        elif description and known.description and description != known.description:
            raise self.refuse(f"area {title!r} already has another description", location)
        elif description:
            known.description = description
        return area_id

    def statement(
        self,
        level_key: str,
        text: str,
        location: str,
        *,
        area_id: str | None = None,
        origin: dict[str, str] | None = None,
    ) -> str:
        """Add a statement at the end of its level; returns its id (SPEC 1)."""
        if not text:
            raise self.refuse("a statement must not be empty", location)
        if len(self._where) >= MAX_STATEMENTS:
            raise self.refuse(
                f"holds more than {MAX_STATEMENTS:,} statements, the most a framework may hold",
                location,
            )
        level = self.levels[level_key]
        first = self._where.get((level_key, text))
        if first is not None:
            raise self.refuse(
                f"the same statement is already in level {level.label!r} ({first})", location
            )
        self._where[(level_key, text)] = location
        level.statements.append(text)
        sid = f"{level_key}.{len(level.statements)}"
        if area_id is not None:
            self.areas[area_id].statements.append(sid)
        if origin:
            self.statement_sources[sid] = origin
        return sid

    def ordered_levels(self, ranks: dict[str, int] | None = None) -> list[ImportedLevel]:
        """The ladder: first appearance, or by ``ranks`` (1 = lowest) when given."""
        levels = [lvl for lvl in self.levels.values() if lvl.statements]
        if ranks:
            levels.sort(key=lambda lvl: ranks[lvl.key])
        return levels


def check_id(framework_id: str, source: str, option: str = "--id") -> str:
    if not ID_PATTERN.match(framework_id):
        raise ImportRefused(
            f"{option} {framework_id!r} cannot be a file name: use letters, digits, '.', '_' "
            "and '-'",
            source=source,
        )
    return framework_id


def id_from_path(path: Path) -> str:
    """A framework id from a file name when nothing better is given: ``My Sheet.csv`` ->
    ``my-sheet``."""
    return slug(path.stem) or "framework"


def framework_json(fw: ImportedFramework) -> bytes:
    """The framework file (SPEC 1), two-space indented, keys in a fixed order."""
    body: dict[str, Any] = {}
    if fw.version is not None:
        body["version"] = fw.version
    body["description"] = fw.description
    body["levels"] = {
        lvl.key: {"label": lvl.label, "statements": list(lvl.statements)} for lvl in fw.levels
    }
    doc: dict[str, Any] = {
        "schemaVersion": "1.0",
        "occupation": {"soc": fw.id, "title": fw.title},
        "framework": body,
    }
    if fw.sources:
        doc["sources"] = dict(fw.sources)
    if fw.attribution:
        doc["attribution"] = fw.attribution
    doc["provenance"] = fw.provenance
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def toml_string(text: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's, plus DEL, which TOML also forbids."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def area_map_toml(fw: ImportedFramework) -> bytes | None:
    """The area map (SPEC 2), or ``None`` when the source names no areas."""
    if fw.areas is None:
        return None
    lines = [
        f"# Competency areas of framework {toml_string(fw.id)}, written by `competency import`.",
        "# Every statement is in exactly one area (SPEC 2); ids are <level key>.<position>.",
    ]
    # Framework order within each area (ladder, then position), whatever the source's order.
    order = {
        f"{lvl.key}.{pos}": (rank, pos)
        for rank, lvl in enumerate(fw.levels)
        for pos in range(1, len(lvl.statements) + 1)
    }
    for area in fw.areas:
        lines += ["", "[[areas]]", f"id = {toml_string(area.id)}"]
        lines.append(f"title = {toml_string(area.title)}")
        if area.description:
            lines.append(f"description = {toml_string(area.description)}")
        lines.append("statements = [")
        lines += [
            f"  {toml_string(sid)}," for sid in sorted(area.statements, key=lambda s: order[s])
        ]
        lines.append("]")
    return ("\n".join(lines) + "\n").encode("utf-8")


def walk_tree(
    roots: list[int],
    kids: Callable[[int], list[int]],
    area_depth: int,
    *,
    new_area: Callable[[int], str],
    add_statement: Callable[[int, str], None],
    label: Callable[[int], str],
    not_carried: list[str],
) -> set[int]:
    """Areas and statements from a tree of nodes (CASE items, Moodle competencies).

    The nodes at ``area_depth`` (1: the roots) are the areas, and the leaves below each
    are its statements; a leaf above that depth is an area of one statement. The text of
    a node between (or above) is not carried, and each such node is listed. Returns the
    nodes reached; a node met twice (a cycle, or a second parent) is walked once.
    """
    reached: set[int] = set()
    end = -1  # no node's number
    # Both walks keep their own stack: a chain of parents thousands deep is a long list,
    # never a deep recursion.

    def leaves(below: list[int]) -> list[int]:
        found: list[int] = []
        stack = [iter(below)]
        while stack:
            node = next(stack[-1], end)
            if node == end:
                stack.pop()
                continue
            if node in reached:
                continue
            reached.add(node)
            under = kids(node)
            if not under:
                found.append(node)
                continue
            not_carried.append(
                f"{label(node)} groups statements inside an area; its text is not carried"
            )
            stack.append(iter(under))
        return found

    stack = [(iter(roots), 1)]
    while stack:
        node = next(stack[-1][0], end)
        depth = stack[-1][1]
        if node == end:
            stack.pop()
            continue
        if node in reached:
            continue
        reached.add(node)
        below = kids(node)
        if depth == area_depth or not below:
            area_id = new_area(node)
            for leaf in leaves(below) or [node]:
                add_statement(leaf, area_id)
            continue
        not_carried.append(f"{label(node)} is above the area depth; its text is not carried")
        stack.append((iter(below), depth + 1))
    return reached
