"""Fixtures shared by every test folder: the bundled framework and small made-up ones."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from competency.assessment import Assessment, new_assessment
from competency.framework.model import Framework, load_framework
from competency.storage import load_assessment, save_assessment

REPO = Path(__file__).resolve().parent.parent
LIBRARIANS = REPO / "frameworks" / "librarians-25-4022.00.json"
EXAMPLES = REPO / "assessments"
DATA = REPO / "tests" / "data"
"""Real files from other projects, with their sources and licences (tests/data/README.md)."""


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regenerate-golden",
        action="store_true",
        help="rewrite every golden file (reports, batch formats, TUI snapshots) from the "
        "current code; then read the diff before committing it",
    )


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--regenerate-golden"):
        # Read by tests/reports/test_golden.py and tests/batch/test_golden_formats.py when
        # imported (after this hook); the TUI snapshots are syrupy's --snapshot-update.
        os.environ["COMPETENCY_REGENERATE_GOLDEN"] = "1"
        if hasattr(config.option, "update_snapshots"):
            config.option.update_snapshots = True


@pytest.fixture(scope="session")
def librarians() -> Framework:
    """The bundled O*NET librarians framework with its area map."""
    return load_framework(LIBRARIANS)


def framework_doc(levels: dict[str, list[str]], **extra: Any) -> dict[str, Any]:
    """A framework file's JSON object with these levels (labels are the keys, titled)."""
    doc: dict[str, Any] = {
        "schemaVersion": "1.0",
        "occupation": {"soc": "00-0000.00", "title": "Test Occupation"},
        "framework": {
            "version": "t.1",
            "levels": {
                key: {"label": key.title(), "statements": statements}
                for key, statements in levels.items()
            },
        },
        "attribution": "Test data",
    }
    doc.update(extra)
    return doc


def write_framework(
    folder: Path, levels: dict[str, list[str]], areas: str | None = None, name: str = "fw"
) -> Path:
    """Write a framework (and optionally its area map beside it); return the JSON path."""
    path = folder / f"{name}.json"
    path.write_text(json.dumps(framework_doc(levels)), encoding="utf-8")
    if areas is not None:
        (folder / f"{name}.areas.toml").write_text(areas, encoding="utf-8")
    return path


def assessment_doc(framework: Framework, ratings: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """An assessment file's JSON object for ``framework``."""
    doc: dict[str, Any] = {
        "schema": "competency-assessment/1",
        "framework": {
            "id": framework.id,
            "version": framework.version,
            "fingerprint": framework.fingerprint,
        },
        "subject": {"name": "Ada Example", "id": "E1234"},
        "ratings": ratings,
    }
    doc.update(extra)
    return doc


def example_variant(example: str, to: Path, **fields: Any) -> Path:
    """A copy of a bundled example assessment at ``to``, with some fields changed (a later
    draft, an older one, a synced folder's conflict copy)."""
    doc = json.loads((EXAMPLES / example).read_text(encoding="utf-8"))
    doc.update(fields)
    to.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return to


FIXED = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


def write_assessment(
    path: Path, framework: Framework, name: str = "Ada Example", **fields: Any
) -> Path:
    """An assessment file at ``path`` (a fixed clock keeps it the same in every run)."""
    assessment = new_assessment(framework, name, subject_id="E1234", now=FIXED)
    for key, value in fields.items():
        setattr(assessment, key, value)
    save_assessment(assessment, path)
    return path


def saved(path: Path) -> Assessment:
    """What is on disk now."""
    return load_assessment(path)


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The framework cache of every test (and of the commands they start) in a temp folder."""
    import os

    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))
    # Installed frameworks too: a framework the developer installed must not change a test.
    os.environ["XDG_DATA_HOME"] = str(tmp_path_factory.mktemp("data"))
    # And what the tool remembers for a user (the team folder): never the developer's own.
    os.environ["XDG_CONFIG_HOME"] = str(tmp_path_factory.mktemp("config"))


_BESIDE = os.path.dirname(str(REPO)) + os.sep
_INSIDE = str(REPO) + os.sep


def _python_folders() -> tuple[str, ...]:
    """Where Python itself and its packages live: a virtual environment made inside or
    beside the clone (``python -m venv ../venv``) is opened from all the time, and is not
    a file a test leans on."""
    import site

    folders = {sys.prefix, sys.exec_prefix, sys.base_prefix, *site.getsitepackages()}
    folders.update(entry for entry in sys.path if entry)
    spelled = {os.path.normpath(os.path.abspath(folder)) + os.sep for folder in folders}
    # The clone's parent itself (a path entry of some runners) would allow everything.
    return tuple(folder for folder in spelled if folder != _BESIDE)


_PYTHON = _python_folders()


def _refuse_opens_beside_the_clone(event: str, args: tuple[Any, ...]) -> None:
    """Fail a test that opens a file beside the repository (a sibling folder of the clone).

    A fresh clone has nothing beside it, so such a test passes on our machines and fails
    for everyone else; here it fails for us too. Only the path's spelling is checked (no
    system call), so the hook costs nothing measurable.
    """
    if event != "open" or not args or not isinstance(args[0], str | bytes | os.PathLike):
        return
    path = os.path.normpath(os.path.join(os.getcwd(), os.fsdecode(args[0])))
    if (
        path.startswith(_BESIDE)
        and not (path + os.sep).startswith(_INSIDE)
        and not path.startswith(_PYTHON)
    ):
        raise PermissionError(f"a test opened {path}, outside the repository")


# Where the repository itself sits in the temporary folder, everything a test writes is
# "beside" it, so the check cannot tell; .ci/run's copy has a parent of its own.
if not Path(tempfile.gettempdir()).resolve().is_relative_to(REPO.parent):
    sys.addaudithook(_refuse_opens_beside_the_clone)


def remove_tree(root: Path) -> None:
    """Remove a folder tree of any depth, without recursion.

    ``shutil.rmtree`` (and so pytest's own clean-up of old temporary folders) recurses once
    per level and runs out of stack on the 1,000-deep trees the hardening tests make.
    """
    stack = [str(root)]
    while stack:
        folder = stack[-1]
        subfolders = []
        with os.scandir(folder) as listing:
            for entry in listing:
                if entry.is_dir(follow_symlinks=False):
                    subfolders.append(entry.path)
                else:
                    os.unlink(entry.path)
        if subfolders:
            stack.extend(subfolders)
        else:
            os.rmdir(stack.pop())
