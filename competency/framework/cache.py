"""A cache of frameworks already checked, so `assess` can show one without loading pydantic.

``load_framework_cached`` reads the framework file and its area map, and looks for the
resolved ``Framework`` that those exact bytes gave the last time they were checked: a JSON
file named by a sha256 of both files' bytes and the tool's version, under
``$XDG_CACHE_HOME/competency`` (or ``~/.cache/competency``). Only a framework that passed
every check is ever written there, so a hit shows exactly what checking the same bytes
would show; a miss, or a cache file that is unreadable, malformed or inconsistent, falls
back to ``load_framework`` and its checks. The cache is plain JSON, never pickle: reading
it runs no code.

The cache is the user's own: it is used only when its folder belongs to them and no one
else may write in it, and an entry only when it is a regular file (never a link) they own
and no one else may write. An entry is also checked against the files themselves: its
levels and statements against the framework's (by their fingerprint), its areas against
the area map, its id, title and the rest against the framework's fields; anything else is
ignored. Entries are written beside, then renamed into place, never through a link.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import stat
from pathlib import Path
from typing import Any

from competency import portable
from competency.files import read_input
from competency.framework.model import (
    ALL_AREA_ID,
    ALL_AREA_TITLE,
    Area,
    Framework,
    Level,
    Statement,
    _fingerprint,
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


def load_framework_cached(
    path: str | Path, areas: str | Path | None = None, profiles: str | Path | None = None
) -> Framework:
    """``load_framework(path, areas, profiles)``, answered from the cache when the bytes
    were checked. Role profiles are read afresh each time (they need no pydantic)."""
    from competency.framework.profiles import with_profiles

    path = Path(path)
    found = _cached(path, areas)
    if found is None:
        # Let the real loader name what is wrong, in its own words.
        return load_framework(path, areas, profiles)
    return with_profiles(found, profiles)


def _cached(path: Path, areas: str | Path | None) -> Framework | None:
    """The framework and its area map, from the cache when it can; None when a file
    cannot be read."""
    areas_path = areas_path_for(path, areas)
    try:
        framework_bytes = read_input(path)
        areas_bytes = read_input(areas_path) if areas_path is not None else None
    except Exception:
        return None
    key = cache_key(framework_bytes, areas_bytes)
    folder = cache_folder()
    if not _own_folder(folder):  # someone else's folder: never trusted
        return framework_from_bytes(path, framework_bytes, areas_path, areas_bytes)
    entry = folder / f"framework-{key}.json"
    sources = (str(path), str(areas_path) if areas_path is not None else None)
    found = _read_entry(entry, *sources)
    if found is not None and _matches(found, framework_bytes, areas_bytes):
        return found
    framework = framework_from_bytes(path, framework_bytes, areas_path, areas_bytes)
    with contextlib.suppress(OSError, ValueError, TypeError):
        _write_entry(entry, framework)
    return framework


def _private(info: os.stat_result) -> bool:
    """Owned by this user, and no one else may write it."""
    getuid = getattr(os, "getuid", None)
    if getuid is None:
        return True  # Windows: a profile's folders are kept private by their ACLs
    return bool(info.st_uid == getuid() and not info.st_mode & 0o022)


def _own_folder(folder: Path) -> bool:
    """The cache folder is the user's own (made so when missing)."""
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=0o700)
        info = os.lstat(folder)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and _private(info)


def _matches(framework: Framework, framework_bytes: bytes, areas_bytes: bytes | None) -> bool:
    """The entry says what the files say: fields, levels and statements, and areas."""
    import tomllib

    try:
        doc = json.loads(framework_bytes)
        occupation, body = doc["occupation"], doc["framework"]
        levels = body["levels"]
        fingerprint = _fingerprint(
            [(key, level["label"], list(level["statements"])) for key, level in levels.items()]
        )
        fields = (
            occupation["soc"],
            occupation["title"],
            body.get("version"),
            doc.get("attribution"),
            dict(doc.get("sources") or {}),
            body.get("description") or body.get("contextCovered") or "",
        )
        if fingerprint != framework.fingerprint or fields != (
            framework.id,
            framework.title,
            framework.version,
            framework.attribution,
            dict(framework.sources),
            framework.description,
        ):
            return False
        if areas_bytes is None:
            expected = [(ALL_AREA_ID, ALL_AREA_TITLE, "", sorted(framework.statement_by_id))]
        else:
            raw = tomllib.loads(areas_bytes.decode("utf-8-sig"))["areas"]
            expected = [
                (a["id"], a["title"], a.get("description") or "", sorted(a["statements"]))
                for a in raw
            ]
        found = [(a.id, a.title, a.description, sorted(a.statement_ids)) for a in framework.areas]
        return found == expected
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return False


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
    by_level: dict[str, list[int]] = {}
    for statement in framework.statements:
        by_level.setdefault(statement.level, []).append(statement.position)
    for key in level_keys:
        positions = by_level.get(key, [])
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


MAX_ENTRY_BYTES = 64 * 1024 * 1024


def _read_entry(entry: Path, source: str, areas_source: str | None) -> Framework | None:
    try:
        fd = portable.open_no_follow(entry, os.O_RDONLY)
    except OSError:
        return None  # missing, or a link: never followed
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or not _private(info):
            return None
        if info.st_size > MAX_ENTRY_BYTES:
            return None
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(MAX_ENTRY_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    try:
        return from_json(json.loads(data), source, areas_source)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError):
        return None  # damaged or from another version: check the files again


def _write_entry(entry: Path, framework: Framework) -> None:
    """Written beside and renamed over the entry's name: a link planted there is replaced
    itself, never the file it points to."""
    doc = {"format": FORMAT, **to_json(framework)}
    data = json.dumps(doc, ensure_ascii=False).encode("utf-8")
    tmp = entry.with_name(f".{entry.name}.{secrets.token_hex(6)}.tmp")
    fd = portable.open_no_follow(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, entry)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


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
