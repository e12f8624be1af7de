"""Apps built the way the CLI builds them, on files in a temporary folder."""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from competency.framework.model import Framework
from competency.session import Session
from competency.storage import AssessmentStore
from tests.conftest import FIXED, saved, write_assessment
from tui.app import CompetencyApp, FrameworkChoice, StartOptions, make_app

__all__ = ["FIXED", "saved", "write_assessment"]

OpenApp = Callable[..., CompetencyApp]


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run ``async def`` tests (Pilot needs a loop) without an extra plugin."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    asyncio.run(pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names}))
    return True


@pytest.fixture(autouse=True)
def a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI's screens run only in a terminal; these tests run the app in-process, with
    ``App.run`` replaced or under ``run_test``, wherever pytest's own stdin points."""
    monkeypatch.setattr("competency.cli.assess.has_terminal", lambda: True)


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
        return make_app(Session(framework, store.load(), store, **options))

    yield build
    for store in stores:
        store.release()


def open_session_app(path: Path, framework: Framework, **options: Any) -> CompetencyApp:
    """``competency assess FILE`` without the fixture: the caller releases the lock."""
    store = AssessmentStore(path)
    store.acquire()
    return make_app(Session(framework, store.load(), store, **options))


def start_app(framework: Framework, folder: Path, **options: Any) -> CompetencyApp:
    """The start screen as ``competency assess --framework FILE`` opens it."""
    return make_app(
        start=StartOptions(folder, [FrameworkChoice(framework.title, lambda: framework)], **options)
    )


@pytest.fixture
def ada_file(tmp_path: Path, librarians: Framework) -> Path:
    """A fresh, empty assessment of Ada Example."""
    return write_assessment(tmp_path / "ada.json", librarians)


def notices(app: CompetencyApp) -> list[str]:
    """The notifications the app is showing now."""
    return [notification.message for notification in app._notifications]
