"""The frameworks the tool knows by id: those that ship inside the package (found with
``importlib.resources``) and those installed with ``competency frameworks install`` in the
user's data folder (``$XDG_DATA_HOME/competency/frameworks``)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from competency.errors import AssessmentError
from competency.files import json_files
from competency.framework.model import Framework, default_areas_path, load_area_map, load_framework


@dataclass(frozen=True, slots=True)
class BundledFramework:
    """A framework file shipped with the tool."""

    id: str
    title: str
    version: str | None
    path: Path
    installed: bool = False
    """True for a framework installed in the user's data folder, False for a bundled one."""

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
    # Running from a source checkout that was never installed (this file is
    # competency/framework/bundled.py; the frameworks are beside competency/).
    return source_frameworks_folder()


def source_frameworks_folder() -> Path:
    """The ``frameworks/`` folder of the source tree this module was loaded from."""
    return Path(__file__).resolve().parents[2] / "frameworks"


def installed_folder() -> Path:
    """Where ``competency frameworks install`` puts frameworks (XDG base directories)."""
    data_home = os.environ.get("XDG_DATA_HOME") or ""
    base = Path(data_home) if os.path.isabs(data_home) else Path.home() / ".local" / "share"
    return base / "competency" / "frameworks"


def _scan(folder: Path, installed: bool) -> list[BundledFramework]:
    found = []
    try:
        paths = json_files(folder)
    except OSError:
        return []
    for path in paths:
        try:
            doc = json.loads(path.read_bytes())
            occupation = doc["occupation"]
            found.append(
                BundledFramework(
                    id=str(occupation["soc"]),
                    title=str(occupation["title"]),
                    version=doc.get("framework", {}).get("version"),
                    path=path,
                    installed=installed,
                )
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            continue  # `competency validate` names what is wrong with a broken one
    return found


@cache
def _shipped() -> tuple[BundledFramework, ...]:
    return tuple(_scan(bundled_folder(), installed=False))


def bundled_frameworks() -> tuple[BundledFramework, ...]:
    """Every bundled and installed framework, sorted by id; a bundled one first when an
    installed one has its id. Reads only each file's header fields.

    The installed folder is read on every call (it holds a few small files): a framework
    installed or removed while the tool runs is seen at once.
    """
    shipped = _shipped()
    ids = {b.id for b in shipped}
    installed = [b for b in _scan(installed_folder(), installed=True) if b.id not in ids]
    return tuple(sorted([*shipped, *installed], key=lambda b: (b.id, b.installed)))


def find_bundled(framework_id: str) -> BundledFramework | None:
    """The bundled or installed framework with this id, if there is one."""
    return next((b for b in bundled_frameworks() if b.id == framework_id), None)


def framework_path(name: str | Path) -> Path:
    """A framework named on the command line: a file, else a known framework's id.

    A name that is neither is returned as a path, so that loading it says "no such file".
    """
    path = Path(name)
    if path.exists():
        return path
    known = find_bundled(str(name))
    return known.path if known is not None else path


class FrameworkResolver:
    """Resolves the framework an assessment is scored against, loading each one once.

    With an explicit ``--framework`` every assessment is scored against it; otherwise
    against the bundled framework whose id equals the assessment's ``framework.id``
    (SPEC 5).
    """

    def __init__(
        self,
        framework: str | Path | None = None,
        areas: str | Path | None = None,
        profiles: str | Path | None = None,
    ):
        self._explicit = (
            load_framework(framework_path(framework), areas, profiles)
            if framework is not None
            else None
        )
        if framework is None and areas is not None:
            # Read the map now: a missing or malformed --areas stops the command (exit 2)
            # instead of refusing every file one by one.
            load_area_map(Path(areas))
        self._areas = areas
        self._profiles = profiles
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
                    f"no bundled framework has id {framework_id!r} (nor an installed one); "
                    "pass --framework FILE, or `competency frameworks install` it",
                    source=source,
                    location="framework.id",
                )
            # The checked-framework cache: a bundled framework's bytes rarely change, and a
            # hit skips the framework's pydantic models (each batch worker loads its own).
            from competency.framework.cache import load_framework_cached

            self._by_id[framework_id] = load_framework_cached(
                bundled.path, self._areas, self._profiles
            )
        return self._by_id[framework_id]
