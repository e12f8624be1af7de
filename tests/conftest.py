"""Fixtures shared by every test folder: the bundled framework and small made-up ones."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from competency.framework import Framework, load_framework

REPO = Path(__file__).resolve().parent.parent
LIBRARIANS = REPO / "frameworks" / "librarians-25-4022.00.json"
EXAMPLES = REPO / "assessments"
SHARED = REPO.parent / "shared"


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


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The framework cache of every test (and of the commands they start) in a temp folder."""
    import os

    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))
