"""A supervisor reviews a submitted assessment, signs it off, and the file stays locked."""

from __future__ import annotations

from pathlib import Path

import pytest

from competency.assessment import Person
from competency.cli import main
from competency.framework import Framework
from tests.tui.conftest import OpenApp, saved, saved_json, write_assessment
from tui.app import CompetencyApp
from tui.review_screen import ReviewScreen
from tui.statement_table import StatementTable

GRACE = Person(name="Grace Example", id="S77")


@pytest.fixture
def submitted(tmp_path: Path, librarians: Framework) -> Path:
    """Ada's submitted assessment: every statement rated 3, one note."""
    order = [sid for area in librarians.areas for sid in area.statement_ids]
    return write_assessment(
        tmp_path / "ada.json",
        librarians,
        ratings=dict.fromkeys(order, 3),
        notes={order[0]: "Ran the evening desk alone."},
        status="submitted",
    )


async def test_the_reviewer_rates_beside_the_self_rating_never_over_it(
    open_app: OpenApp, submitted: Path
) -> None:
    before = saved(submitted)
    app = open_app(submitted, role="review", reviewer=GRACE)
    async with app.run_test() as pilot:
        assert isinstance(app.screen, ReviewScreen)
        table = app.screen.query_one(StatementTable)
        first = table.highlighted_id
        assert first is not None
        assert str(table.get_cell_at((0, 0))) == "3", "the person's rating, read-only"
        detail = str(app.screen.query_one("#detail").render())
        assert "Ran the evening desk alone." in detail

        await pilot.press("1", "n", "e", *"Audit", "ctrl+s")
        await pilot.press("c", *"Solid", "ctrl+s")
    after = saved(submitted)
    assert after.ratings == before.ratings
    assert after.notes == before.notes
    assert after.review is not None
    assert after.review.reviewer.name == "Grace Example"
    assert after.review.reviewer.id == "S77"
    order = list(after.ratings)
    assert after.review.ratings == {first: 1, order[1]: "na"}
    assert after.review.notes == {order[2]: "Audit"}
    assert after.review.comment == "Solid"
    assert after.status == "submitted"


async def test_sign_off_sets_reviewed_and_locks_the_file(
    open_app: OpenApp, submitted: Path
) -> None:
    app = open_app(submitted, role="review", reviewer=GRACE)
    async with app.run_test() as pilot:
        await pilot.press("2", "S", "enter")
        on_disk = saved_json(submitted)
        assert on_disk["status"] == "reviewed"
        assert on_disk["review"]["completed_at"]
        assert on_disk["history"][-1]["action"] == "reviewed"
        assert on_disk["history"][-1]["by"] == "Grace Example"
        locked = submitted.read_bytes()
        await pilot.press("4", "u", "c", "e")
        assert isinstance(app.screen, ReviewScreen), "no editor opens on a locked file"
    assert submitted.read_bytes() == locked


async def test_assess_opens_a_signed_off_file_read_only(open_app: OpenApp, submitted: Path) -> None:
    review = open_app(submitted, role="review", reviewer=GRACE)
    async with review.run_test() as pilot:
        await pilot.press("S", "enter")
    assert review.session is not None
    review.session.store.release()
    locked = submitted.read_bytes()

    app = open_app(submitted)
    async with app.run_test() as pilot:
        await pilot.press("1", "u", "s", "r", "s", "enter", "escape")
        line = app.screen.query_one("#read-only")
        assert line.display
        assert "signed off by Grace Example" in str(line.render())
    assert submitted.read_bytes() == locked


def test_reopen_unlocks_and_records_who_and_when(
    submitted: Path, monkeypatch: pytest.MonkeyPatch, librarians: Framework
) -> None:
    shown: list[CompetencyApp] = []
    monkeypatch.setattr(CompetencyApp, "run", lambda self, **_: shown.append(self))
    assert main(["review", str(submitted), "--reviewer", "Grace Example"]) == 0
    # Sign off as the screen would, then reopen from the command line.
    session = shown[0].session
    assert session is not None
    session.store.acquire()
    session.sign_off()
    session.store.release()

    assert main(["review", str(submitted), "--reviewer", "Hal Other", "--reopen"]) == 0
    on_disk = saved(submitted)
    assert on_disk.status == "submitted"
    assert on_disk.review is not None and on_disk.review.completed_at is None
    last = on_disk.history[-1]
    assert (last.action, last.by) == ("reopened", "Hal Other")
    assert not list(submitted.parent.glob(".*.lock")), "the lock is let go afterwards"


def test_review_needs_a_reviewer_name(submitted: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["review", str(submitted), "--reviewer", "  "]) == 2
    assert "a name is needed" in capsys.readouterr().err
