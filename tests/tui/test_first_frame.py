"""`assess --name` draws its first screen before the models load, and loses no key doing so.

The new file is locked before the app starts and written right after the first frame; a
key pressed before then writes it first, then its rating.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from competency.cli.assess import run_app
from competency.errors import AssessmentError
from competency.framework.model import Framework
from competency.session import SaveFailed, begin_new
from tests.conftest import LIBRARIANS, REPO
from tests.tui.conftest import saved
from tui.app import make_app
from tui.rating_screen import RatingScreen


def test_the_first_screen_of_assess_name_needs_no_pydantic() -> None:
    warm = (
        f"from competency.framework.cache import load_framework_cached as L; L({str(LIBRARIANS)!r})"
    )
    subprocess.run([sys.executable, "-c", warm], check=True, cwd=REPO)
    code = (
        "import sys\n"
        "import competency.cli.assess, competency.session\n"
        "import tui.app, tui.rating_screen\n"
        "from competency.framework.cache import load_framework_cached\n"
        f"framework = load_framework_cached({str(LIBRARIANS)!r})\n"
        "assert framework.statements, 'no statements'\n"
        "assert 'pydantic' not in sys.modules, 'pydantic'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)


def test_a_new_session_locks_its_file_and_writes_it_on_create(
    tmp_path: Path, librarians: Framework
) -> None:
    session = begin_new(librarians, tmp_path / "a", " Ada Example ", subject_id="E1234")
    try:
        assert session.store.holds_lock
        assert not session.store.path.exists()
        assert not session.created
        assert dict(session.ratings) == {}
        assert dict(session.notes) == {}
        assert session.status == "in_progress"
        assert session.subject_name == "Ada Example"
        assert session.read_only_reason is None
        assert session.first_unanswered() == session.walk[0]
        session.create()
        on_disk = saved(session.store.path)
        assert on_disk.subject.name == "Ada Example"
        assert on_disk.subject.id == "E1234"
        assert on_disk.ratings == {}
        assert [event.action for event in on_disk.history] == ["created"]
        assert session.assessment.to_json_dict() == on_disk.to_json_dict()
    finally:
        session.store.release()


def test_a_first_rating_writes_the_new_file_then_the_rating(
    tmp_path: Path, librarians: Framework
) -> None:
    session = begin_new(librarians, tmp_path, "Ada Example")
    try:
        first = session.walk[0]
        session.rate(first, 4)
        on_disk = saved(session.store.path)
        assert on_disk.ratings == {first: 4}
        assert [event.action for event in on_disk.history] == ["created"]
    finally:
        session.store.release()


async def test_the_file_is_written_right_after_the_first_frame(
    tmp_path: Path, librarians: Framework
) -> None:
    session = begin_new(librarians, tmp_path, "Ada Example")
    try:
        app = make_app(session)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, RatingScreen)
            assert session.created
            assert saved(session.store.path).ratings == {}
    finally:
        session.store.release()


async def test_keys_typed_at_start_up_are_all_saved(tmp_path: Path, librarians: Framework) -> None:
    session = begin_new(librarians, tmp_path, "Ada Example")
    try:
        app = make_app(session)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("4", "4", "3", "n", "2")
        walk = session.walk
        assert saved(session.store.path).ratings == {
            walk[0]: 4,
            walk[1]: 4,
            walk[2]: 3,
            walk[3]: "na",
            walk[4]: 2,
        }
    finally:
        session.store.release()


async def test_a_file_that_cannot_be_written_ends_the_app_with_the_reason(
    tmp_path: Path, librarians: Framework, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = begin_new(librarians, tmp_path, "Ada Example")

    def disk_full(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(session.store, "save", disk_full)
    try:
        app = make_app(session)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
        assert app.return_code == 1
        assert app.refusal is not None
        assert (
            app.refusal.line == f"{session.store.path}: cannot write it (No space left on device)"
        )
        with pytest.raises(SaveFailed):
            session.rate(session.walk[0], 3)
        assert not session.store.path.exists()
    finally:
        session.store.release()


def test_assess_exits_1_with_the_line_when_the_new_file_could_not_be_written(
    capsys: pytest.CaptureFixture[str],
) -> None:
    class EndedApp:
        session = None
        refusal = AssessmentError("cannot write it (No space left on device)", source="a.json")

        def run(self) -> None:
            return None

    assert run_app(EndedApp()) == 1
    assert (
        capsys.readouterr()
        .err.strip()
        .endswith("a.json: cannot write it (No space left on device)")
    )


def test_assess_writes_the_new_file_even_when_left_before_the_first_frame(
    tmp_path: Path, librarians: Framework
) -> None:
    session = begin_new(librarians, tmp_path, "Ada Example")

    class LeftAtOnce:
        refusal = None

        def __init__(self) -> None:
            self.session = session

        def run(self) -> None:
            return None

    assert run_app(LeftAtOnce()) == 0
    assert saved(session.store.path).subject.name == "Ada Example"
    assert not session.store.holds_lock
