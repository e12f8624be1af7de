"""Apps built the way the CLI builds them, on files in a temporary folder."""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from competency.assessment import Assessment, new_assessment
from competency.framework.model import Framework
from competency.storage import AssessmentStore, load_assessment, save_assessment
from competency.tui.app import CompetencyApp, make_app


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run ``async def`` tests (Pilot needs a loop) without an extra plugin."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    asyncio.run(pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names}))
    return True


FIXED = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)

OpenApp = Callable[..., CompetencyApp]


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


def saved_json(path: Path) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return result


@pytest.fixture
def open_app(librarians: Framework) -> Iterator[OpenApp]:
    """Open an existing file as ``competency assess FILE`` does: lock, load, build the app."""
    stores: list[AssessmentStore] = []

    def build(path: Path, framework: Framework = librarians, **options: Any) -> CompetencyApp:
        store = AssessmentStore(path)
        store.acquire()
        stores.append(store)
        return make_app(framework, store.load(), store, **options)

    yield build
    for store in stores:
        store.release()


@pytest.fixture
def ada_file(tmp_path: Path, librarians: Framework) -> Path:
    """A fresh, empty assessment of Ada Example."""
    return write_assessment(tmp_path / "ada.json", librarians)


def notices(app: CompetencyApp) -> list[str]:
    """The notifications the app is showing now."""
    return [notification.message for notification in app._notifications]
