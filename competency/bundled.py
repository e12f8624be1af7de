"""The frameworks that ship inside the package, found with ``importlib.resources``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from competency.errors import AssessmentError
from competency.framework import Framework, default_areas_path, load_area_map, load_framework


@dataclass(frozen=True, slots=True)
class BundledFramework:
    """A framework file shipped with the tool."""

    id: str
    title: str
    version: str | None
    path: Path

    @property
    def areas_path(self) -> Path | None:
        """Its area map, when one ships beside it."""
        path = default_areas_path(self.path)
        return path if path.is_file() else None


def bundled_folder() -> Path:
    """Where the bundled frameworks are: inside the installed package, or the source tree."""
    from importlib.resources import files

    try:
        folder = files("competency.frameworks")
    except ModuleNotFoundError:
        pass
    else:
        if isinstance(folder, Path) and folder.is_dir():
            return folder
    # Running from a source checkout that was never installed.
    return Path(__file__).resolve().parent.parent / "frameworks"


@cache
def bundled_frameworks() -> tuple[BundledFramework, ...]:
    """Every bundled framework, sorted by id. Reads only each file's header fields."""
    found = []
    for path in sorted(bundled_folder().glob("*.json")):
        try:
            doc = json.loads(path.read_bytes())
            occupation = doc["occupation"]
            found.append(
                BundledFramework(
                    id=str(occupation["soc"]),
                    title=str(occupation["title"]),
                    version=doc.get("framework", {}).get("version"),
                    path=path,
                )
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            continue  # `competency validate` names what is wrong with a broken one
    return tuple(sorted(found, key=lambda b: b.id))


def find_bundled(framework_id: str) -> BundledFramework | None:
    """The bundled framework with this id, if there is one."""
    return next((b for b in bundled_frameworks() if b.id == framework_id), None)


class FrameworkCache:
    """Resolves the framework an assessment is scored against, loading each one once.

    With an explicit ``--framework`` every assessment is scored against it; otherwise
    against the bundled framework whose id equals the assessment's ``framework.id``
    (SPEC 5).
    """

    def __init__(self, framework: str | Path | None = None, areas: str | Path | None = None):
        self._explicit = load_framework(framework, areas) if framework is not None else None
        if framework is None and areas is not None:
            # Read the map now: a missing or malformed --areas stops the command (exit 2)
            # instead of refusing every file one by one.
            load_area_map(Path(areas))
        self._areas = areas
        self._by_id: dict[str, Framework] = {}

    @property
    def explicit(self) -> Framework | None:
        """The framework named on the command line, if any."""
        return self._explicit

    def for_id(self, framework_id: str, source: str) -> Framework:
        """The framework to score an assessment of ``framework_id`` against."""
        if self._explicit is not None:
            return self._explicit
        if framework_id not in self._by_id:
            bundled = find_bundled(framework_id)
            if bundled is None:
                raise AssessmentError(
                    f"no bundled framework has id {framework_id!r}; pass --framework FILE",
                    source=source,
                    location="framework.id",
                )
            # The checked-framework cache: a bundled framework's bytes rarely change, and a
            # hit skips the framework's pydantic models (each batch worker loads its own).
            from competency.framework_cache import load_framework_cached

            self._by_id[framework_id] = load_framework_cached(bundled.path, self._areas)
        return self._by_id[framework_id]
