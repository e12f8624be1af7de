"""A cache of frameworks already checked, so `assess` can show one without loading pydantic.

``load_framework_cached`` reads the framework file and its area map, and looks for the
resolved ``Framework`` that those exact bytes gave the last time they were checked: a JSON
file named by a sha256 of both files' bytes and the tool's version, under
``$XDG_CACHE_HOME/competency`` (or ``~/.cache/competency``). Only a framework that passed
every check is ever written there, so a hit shows exactly what checking the same bytes
would show; a miss, or a cache file that is unreadable, malformed or inconsistent, falls
back to ``load_framework`` and its checks. The cache is plain JSON, never pickle: reading
it runs no code.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from competency.files import read_input
from competency.framework.model import (
    Area,
    Framework,
    Level,
    Statement,
    areas_path_for,
    fingerprint_of,
    framework_from_bytes,
    load_framework,
)

FORMAT = 1
"""Bumped when the cache file's shape changes; part of the key."""


def cache_folder() -> Path:
    """``$XDG_CACHE_HOME/competency``, or ``~/.cache/competency``."""
    base = os.environ.get("XDG_CACHE_HOME") or ""
    root = Path(base) if os.path.isabs(base) else Path.home() / ".cache"
    return root / "competency"


def cache_key(framework_bytes: bytes, areas_bytes: bytes | None) -> str:
    """A sha256 of both files' bytes, the tool's version and the cache format."""
    from competency import __version__

    digest = hashlib.sha256()
    for part in (
        f"competency {__version__} cache {FORMAT}".encode(),
        framework_bytes,
        b"no area map" if areas_bytes is None else b"area map:" + areas_bytes,
    ):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def load_framework_cached(path: str | Path, areas: str | Path | None = None) -> Framework:
    """``load_framework(path, areas)``, answered from the cache when the bytes were checked."""
    path = Path(path)
    areas_path = areas_path_for(path, areas)
    try:
        framework_bytes = read_input(path)
        areas_bytes = read_input(areas_path) if areas_path is not None else None
    except Exception:
        # Let the real loader name what is wrong, in its own words.
        return load_framework(path, areas)
    key = cache_key(framework_bytes, areas_bytes)
    entry = cache_folder() / f"framework-{key}.json"
    sources = (str(path), str(areas_path) if areas_path is not None else None)
    found = _read_entry(entry, *sources)
    if found is not None:
        return found
    framework = framework_from_bytes(path, framework_bytes, areas_path, areas_bytes)
    with contextlib.suppress(OSError, ValueError, TypeError):
        _write_entry(entry, framework)
    return framework


def to_json(framework: Framework) -> dict[str, Any]:
    """The resolved framework as JSON (without the paths it was loaded from)."""
    return {
        "id": framework.id,
        "title": framework.title,
        "version": framework.version,
        "levels": [[lvl.key, lvl.label] for lvl in framework.levels],
        "statements": [[s.id, s.level, s.position, s.text, s.area] for s in framework.statements],
        "areas": [[a.id, a.title, a.description, list(a.statement_ids)] for a in framework.areas],
        "fingerprint": framework.fingerprint,
        "attribution": framework.attribution,
        "sources": dict(framework.sources),
        "description": framework.description,
    }


def from_json(doc: Any, source: str, areas_source: str | None) -> Framework:
    """Rebuild a ``Framework`` from ``to_json``'s output; ``ValueError`` when it does not fit.

    A framework that passed its checks has these shapes exactly; anything else means the
    cache file is damaged, and it is ignored.
    """
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ValueError("not a cache entry")
    levels = tuple(
        Level(key=_text(key), label=_text(label), rank=rank)
        for rank, (key, label) in enumerate(_list(doc["levels"]), start=1)
    )
    statements = tuple(
        Statement(
            id=_text(sid), level=_text(level), position=_int(pos), text=_text(text), area=_text(a)
        )
        for sid, level, pos, text, a in _list(doc["statements"])
    )
    areas = tuple(
        Area(
            id=_text(aid),
            title=_text(title),
            description=_text(description),
            statement_ids=tuple(_text(sid) for sid in _list(ids)),
        )
        for aid, title, description, ids in _list(doc["areas"])
    )
    framework = Framework(
        id=_text(doc["id"]),
        title=_text(doc["title"]),
        version=_optional_text(doc["version"]),
        levels=levels,
        statements=statements,
        areas=areas,
        fingerprint=_text(doc["fingerprint"]),
        attribution=_optional_text(doc["attribution"]),
        sources=_dict(doc["sources"]),
        description=_text(doc["description"]),
        source_path=source,
        areas_path=areas_source,
    )
    _check_consistent(framework)
    return framework


def _check_consistent(framework: Framework) -> None:
    """Refuse an entry whose parts disagree: a damaged file, not what a check produced."""
    level_keys = [lvl.key for lvl in framework.levels]
    if not _levels_ok(level_keys) or not framework.statements or not framework.areas:
        raise ValueError("no levels, statements or areas")
    expected_ids = []
    for key in level_keys:
        positions = [s.position for s in framework.statements if s.level == key]
        if positions != list(range(1, len(positions) + 1)) or not positions:
            raise ValueError("statement positions out of order")
        expected_ids += [f"{key}.{p}" for p in positions]
    if [s.id for s in framework.statements] != expected_ids:
        raise ValueError("statements out of ladder order")
    area_ids = [a.id for a in framework.areas]
    if len(set(area_ids)) != len(area_ids):
        raise ValueError("an area twice")
    walked = [sid for a in framework.areas for sid in a.statement_ids]
    if sorted(walked) != sorted(expected_ids) or len(set(walked)) != len(walked):
        raise ValueError("areas do not cover every statement once")
    for area in framework.areas:
        for sid in area.statement_ids:
            if framework.statement_by_id[sid].area != area.id:
                raise ValueError("a statement's area disagrees with the areas")
    if fingerprint_of(framework) != framework.fingerprint:
        raise ValueError("the fingerprint does not match the statements")


def _levels_ok(keys: list[str]) -> bool:
    """Level keys are non-blank and distinct, as a checked file's are."""
    return bool(keys) and all(k.strip() for k in keys) and len(set(keys)) == len(keys)


def _read_entry(entry: Path, source: str, areas_source: str | None) -> Framework | None:
    try:
        data = entry.read_bytes()
    except OSError:
        return None
    try:
        return from_json(json.loads(data), source, areas_source)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError):
        return None  # damaged or from another version: check the files again


def _write_entry(entry: Path, framework: Framework) -> None:
    from competency.files import write_atomic

    entry.parent.mkdir(parents=True, exist_ok=True)
    doc = {"format": FORMAT, **to_json(framework)}
    write_atomic(entry, json.dumps(doc, ensure_ascii=False).encode("utf-8"))


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError("expected a list")
    return value


def _dict(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError("expected an object")
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("expected text")
    return value


def _optional_text(value: Any) -> str | None:
    return None if value is None else _text(value)


def _int(value: Any) -> int:
    if type(value) is not int:
        raise ValueError("expected a whole number")
    return value
