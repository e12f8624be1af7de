"""The files beside a framework (SPEC 2 and 9): ``<stem>.<kind>.toml``.

The area map (``areas``), the role profiles (``profiles``) and the learning resources
(``resources``) are each found the same way: the file given on the command line, else the
one beside the framework with its stem. Profiles and resources name the areas of the map
beside the framework, so when ``--areas`` names another map they are read only if given.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from competency.framework.model import Framework


def companion_path(framework_path: str | Path, kind: str) -> Path:
    """A file beside a framework with its stem: ``<stem>.<kind>.toml``."""
    path = Path(framework_path)
    return path.with_name(f"{path.stem}.{kind}.toml")


def companion_for(framework_path: str | Path, kind: str, given: str | Path | None) -> Path | None:
    """The companion file a framework is read with: ``given``, else the one beside it."""
    if given is not None:
        return Path(given)
    beside = companion_path(framework_path, kind)
    return beside if beside.is_file() else None


def companion_of(framework: Framework, kind: str, given: str | Path | None) -> Path | None:
    """The ``kind`` file a loaded framework is read with: ``given``; else the one beside it,
    unless the framework came from no file or was read with another area map (``--areas``),
    whose areas the file beside it does not name."""
    if given is not None:
        return Path(given)
    if framework.source_path is None or other_area_map(framework):
        return None
    return companion_for(framework.source_path, kind, None)


def other_area_map(framework: Framework) -> bool:
    """Whether the framework was read with an area map other than the one beside it."""
    if framework.areas_path is None or framework.source_path is None:
        return False
    beside = companion_path(framework.source_path, "areas")
    return Path(framework.areas_path).resolve() != beside.resolve()
