"""The resolved framework: levels, statements and areas, as the rest of the tool uses them.

The file as written is ``competency.framework.raw`` (the JSON that LER.me / skillscrosswalk
export, SPEC 1, and the area map). ``Framework`` is what the rest of the tool works with:
the ladder of levels in order, every statement with its id, topic, description, level and
area, and the areas from the area map (SPEC 2). ``load_framework`` goes from a path to a
``Framework``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from competency.errors import FrameworkError
from competency.files import read_input

if TYPE_CHECKING:
    # The file's models need pydantic; they are imported only when a file is read.
    from competency.framework.profiles import Profile
    from competency.framework.raw import RawAreaMap, RawFrameworkFile, RawLevel
    from competency.framework.resources import Resources

TOPIC_DASH = " \u2014 "
"""A statement reads ``Topic — description``: an em dash with a space on each side."""


@dataclass(frozen=True, slots=True)
class Level:
    key: str
    """The level's key in the file, e.g. ``proficient``."""
    label: str
    """The level's name, e.g. ``Proficient``."""
    rank: int
    """The 1-based place in the ladder."""


@dataclass(frozen=True, slots=True)
class Statement:
    id: str
    """``<level key>.<1-based position>``, e.g. ``emerging.1``."""
    level: str
    """The key of the level the statement belongs to."""
    position: int
    """The 1-based position within its level."""
    text: str
    """The statement exactly as the framework wrote it."""
    area: str
    """The id of the area the statement belongs to."""

    @property
    def topic(self) -> str:
        """The part before the em dash, or the whole text when there is none."""
        return self.text.split(TOPIC_DASH, 1)[0].strip()

    @property
    def description(self) -> str:
        """The part after the em dash, or ``""`` when there is none."""
        parts = self.text.split(TOPIC_DASH, 1)
        return parts[1].strip() if len(parts) == 2 else ""


@dataclass(frozen=True, slots=True)
class Area:
    id: str
    """A slug such as ``information-services``; ``all`` when there is no area map."""
    title: str
    """The area's name as people read it."""
    description: str
    """What the area covers; may be empty."""
    statement_ids: tuple[str, ...]
    """The area's statements, lowest level first, then in framework order."""


MAX_STATEMENTS = 20_000
"""The most statements a framework may hold. Real ones hold tens to a few thousand; the
memory a command takes grows with the statements (README, Security), so this bounds it."""
MAX_AREA_LEVELS = 50_000
"""The most areas x levels a framework and its area map may make: a report explains every
area at every level, so this product, not the statements, bounds a report's size."""

ALL_AREA_ID = "all"
ALL_AREA_TITLE = "All statements"


@dataclass(frozen=True)
class Framework:
    """A framework resolved with its area map: what scoring, screens and reports use."""

    id: str
    """``occupation.soc``, e.g. ``25-4022.00``."""
    title: str
    """``occupation.title``."""
    version: str | None
    """``framework.version``."""
    levels: tuple[Level, ...]
    """The ladder, lowest first."""
    statements: tuple[Statement, ...]
    """Every statement, in ladder order and then framework order."""
    areas: tuple[Area, ...]
    """The areas in area-map order; one area ``all`` when there is no map."""
    fingerprint: str
    """``sha256:...`` of the level keys, labels and statements (not the formatting)."""
    attribution: str | None = None
    """The credit line that CC BY 4.0 requires us to show."""
    sources: Mapping[str, Any] = field(default_factory=dict)
    """Where the data came from."""
    description: str = ""
    """The framework's description, or its ``contextCovered`` text."""
    source_path: str | None = None
    """The file it was loaded from."""
    areas_path: str | None = None
    """The area map it was resolved with, or ``None`` for the single ``all`` area."""
    profiles: tuple[Profile, ...] = ()
    """Its role profiles (SPEC 9), in file order; none without a profiles file."""
    profiles_path: str | None = None
    """The profiles file they were read from."""
    resources: Resources | None = None
    """The learning resources read with it (SPEC 9), or ``None`` without a resources file:
    see ``competency.framework.resources.with_resources``."""

    @cached_property
    def statement_by_id(self) -> dict[str, Statement]:
        """Look up a statement by its id."""
        return {s.id: s for s in self.statements}

    @cached_property
    def known_ids(self) -> frozenset[str]:
        """Every statement's id (a set: checking a file's ids against it is one C call)."""
        return frozenset(self.statement_by_id)

    @cached_property
    def level_by_key(self) -> dict[str, Level]:
        """Look up a level by its key."""
        return {lvl.key: lvl for lvl in self.levels}

    @cached_property
    def area_by_id(self) -> dict[str, Area]:
        """Look up an area by its id."""
        return {a.id: a for a in self.areas}

    @cached_property
    def area_index(self) -> dict[str, int]:
        """Area id -> its place in ``areas``, the order screens and reports show them in."""
        return {area.id: i for i, area in enumerate(self.areas)}

    @cached_property
    def profile_by_id(self) -> dict[str, Profile]:
        """Look up a role profile by its id."""
        return {p.id: p for p in self.profiles}

    def profile(self, profile_id: str | None) -> Profile | None:
        """The profile an assessment names (checked by ``check_against``), or None."""
        return None if profile_id is None else self.profile_by_id[profile_id]

    @property
    def has_area_map(self) -> bool:
        """False when every statement sits in the single fallback area ``all``."""
        return self.areas_path is not None

    def statements_in(self, area_id: str) -> list[Statement]:
        """The statements of one area in walk order: lowest level first, then framework order."""
        return [self.statement_by_id[sid] for sid in self.area_by_id[area_id].statement_ids]


def fingerprint_levels(levels: Mapping[str, RawLevel]) -> str:
    """A digest of the level keys, labels and statements, independent of JSON formatting.

    Two files that differ only in whitespace, key order outside ``levels`` or extra fields
    have the same fingerprint; changing a statement's wording or a level changes it.
    """
    return _fingerprint([(key, lvl.label, list(lvl.statements)) for key, lvl in levels.items()])


def fingerprint_of(framework: Framework) -> str:
    """``fingerprint_levels`` recomputed from a resolved framework's levels and statements."""
    return _fingerprint(
        [
            (lvl.key, lvl.label, [s.text for s in framework.statements if s.level == lvl.key])
            for lvl in framework.levels
        ]
    )


def _fingerprint(levels: list[tuple[str, str, list[str]]]) -> str:
    canonical = [[key, label, statements] for key, label, statements in levels]
    data = json.dumps(canonical, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(data.encode("utf-8")).hexdigest()


def parse_framework(data: bytes | str, source: str) -> RawFrameworkFile:
    """Parse a framework file's bytes, or refuse them with one line naming the place."""
    from competency.framework.raw import parse_framework as parse

    return parse(data, source)


def default_areas_path(framework_path: Path) -> Path:
    """The area map beside a framework: same stem, ``.areas.toml`` (SPEC 2)."""
    from competency.framework.companions import companion_path

    return companion_path(framework_path, "areas")


def areas_path_for(path: Path, areas: str | Path | None = None) -> Path | None:
    """The area map a framework is read with: ``areas``, else the one beside it, else none."""
    if areas is not None:
        return Path(areas)
    beside = default_areas_path(path)
    return beside if beside.is_file() else None  # none: one area, "all" (SPEC 2)


def load_framework(
    path: str | Path, areas: str | Path | None = None, profiles: str | Path | None = None
) -> Framework:
    """Load a framework, its area map and its role profiles (each: the file given, or the
    one beside the framework, or none)."""
    from competency.framework.profiles import with_profiles

    path = Path(path)
    loaded = framework_from_bytes(path, read_input(path), areas_path_for(path, areas))
    return with_profiles(loaded, profiles)


def framework_from_bytes(
    path: Path, data: bytes, areas_path: Path | None, areas_data: bytes | None = None
) -> Framework:
    """The framework in ``data`` (read from ``path``) with the area map at ``areas_path``.

    The map is read only when its bytes are not given, and after the framework is parsed,
    so a broken framework is named first.
    """
    raw = parse_framework(data, str(path))
    area_map = None
    if areas_path is not None:
        from competency.framework.raw import parse_area_map

        map_data = areas_data if areas_data is not None else read_input(areas_path)
        area_map = parse_area_map(map_data, areas_path)
    return resolve_framework(
        raw,
        area_map,
        source=str(path),
        areas_source=str(areas_path) if areas_path is not None else None,
    )


def load_area_map(path: Path) -> RawAreaMap:
    """Read an area map TOML file, or refuse it with one line."""
    from competency.framework.raw import load_area_map as load

    return load(path)


def resolve_framework(
    raw: RawFrameworkFile,
    area_map: RawAreaMap | None,
    *,
    source: str | None = None,
    areas_source: str | None = None,
) -> Framework:
    """Join a framework file and its area map into one ``Framework``.

    Every statement must sit in exactly one area; an unknown id, an id in two areas, an
    unmapped statement or a duplicate area id is refused with a line that names it.
    """
    ladder = tuple(
        Level(key=key, label=lvl.label, rank=rank)
        for rank, (key, lvl) in enumerate(raw.framework.levels.items(), start=1)
    )
    count = sum(len(lvl.statements) for lvl in raw.framework.levels.values())
    if count > MAX_STATEMENTS:
        raise FrameworkError(
            f"holds {count:,} statements; a framework may hold at most {MAX_STATEMENTS:,}",
            source=source,
            location="framework.levels",
        )
    areas_count = len(area_map.areas) if area_map is not None else 1
    if areas_count * len(ladder) > MAX_AREA_LEVELS:
        raise FrameworkError(
            f"{areas_count:,} areas x {len(ladder):,} levels is more than a report can "
            f"explain (at most {MAX_AREA_LEVELS:,} area-levels)",
            source=areas_source or source,
        )
    texts: dict[str, tuple[str, int, str]] = {}
    for key, lvl in raw.framework.levels.items():
        for pos, text in enumerate(lvl.statements, start=1):
            texts[f"{key}.{pos}"] = (key, pos, text)

    area_of: dict[str, str] = {}
    areas: list[Area] = []
    if area_map is None:
        areas.append(Area(ALL_AREA_ID, ALL_AREA_TITLE, "", tuple(texts)))
        area_of = dict.fromkeys(texts, ALL_AREA_ID)
    else:
        seen_areas: set[str] = set()
        for i, raw_area in enumerate(area_map.areas):
            where = f"areas.{i}"
            if raw_area.id in seen_areas:
                raise FrameworkError(
                    f"area id {raw_area.id!r} is used twice", source=areas_source, location=where
                )
            seen_areas.add(raw_area.id)
            for j, sid in enumerate(raw_area.statements):
                here = f"{where}.statements.{j}"
                if sid not in texts:
                    raise FrameworkError(
                        f"unknown statement {sid!r}", source=areas_source, location=here
                    )
                if sid in area_of:
                    raise FrameworkError(
                        f"statement {sid!r} is already in area {area_of[sid]!r}",
                        source=areas_source,
                        location=here,
                    )
                area_of[sid] = raw_area.id
        # Walk order: lowest level first, then framework order, whatever order the map used
        # (one pass over the statements: per area, it was areas x statements).
        members: dict[str, list[str]] = {raw_area.id: [] for raw_area in area_map.areas}
        for sid in texts:
            if sid in area_of:
                members[area_of[sid]].append(sid)
        for raw_area in area_map.areas:
            areas.append(
                Area(
                    raw_area.id,
                    raw_area.title,
                    raw_area.description or "",
                    tuple(members[raw_area.id]),
                )
            )
        unmapped = [sid for sid in texts if sid not in area_of]
        if unmapped:
            more = f" (and {len(unmapped) - 1} more)" if len(unmapped) > 1 else ""
            raise FrameworkError(
                f"statement {unmapped[0]!r} is in no area{more}", source=areas_source
            )

    statements = tuple(
        Statement(id=sid, level=key, position=pos, text=text, area=area_of[sid])
        for sid, (key, pos, text) in texts.items()
    )
    body = raw.framework
    return Framework(
        id=raw.occupation.soc,
        title=raw.occupation.title,
        version=body.version,
        levels=ladder,
        statements=statements,
        areas=tuple(areas),
        fingerprint=fingerprint_levels(body.levels),
        attribution=raw.attribution,
        sources=dict(raw.sources or {}),
        description=body.description or body.contextCovered or "",
        source_path=source,
        areas_path=areas_source,
    )
