"""A supervisor reviews a submitted assessment, signs it off, and the file stays locked."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.coordinate import Coordinate
from textual.geometry import Region
from textual.widget import Widget

from competency.assessment import Person
from competency.cli import main
from competency.framework.model import Framework
from tests.tui.conftest import OpenApp, notices, saved, saved_json, write_assessment
from tui.app import CompetencyApp
from tui.review_screen import ReviewScreen
from tui.statement_detail import StatementDetail
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
        assert str(table.get_cell_at(Coordinate(0, 0))).strip() == "3", (
            "the person's rating, read-only"
        )
        detail = app.screen.query_one(StatementDetail).shown.plain
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
        assert saved_json(submitted)["status"] == "submitted", "enter alone: not a partial one"
        await pilot.press("S", "down", "enter")
        on_disk = saved_json(submitted)
        assert on_disk["status"] == "reviewed"
        title = str(app.screen.query_one("#title").render())
        assert "Reviewed (partial: 1 of 40 reviewed)" in title
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
        await pilot.press("S", "down", "enter")
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


def _rendered(widget: Widget) -> list[str]:
    """The lines a widget shows on screen now."""
    region = Region(0, 0, widget.size.width, widget.size.height)
    return [strip.text.rstrip() for strip in widget.render_lines(region)]


async def test_another_reviewer_reopens_but_never_takes_the_review_over(
    submitted: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[CompetencyApp] = []
    monkeypatch.setattr(CompetencyApp, "run", lambda self, **_: shown.append(self))
    grace = ["--reviewer", "Grace Example", "--id", "S77"]
    assert main(["review", str(submitted), *grace]) == 0
    async with shown[0].run_test() as pilot:
        await pilot.press(
            "1", "e", *"Audit", "ctrl+s", "c", *"Solid", "ctrl+s", "S", "down", "enter"
        )
    assert shown[0].session is not None
    shown[0].session.store.release()
    signed = saved(submitted).review
    assert signed is not None and signed.completed_at is not None

    hr = ["--reviewer", "HR Person"]
    assert main(["review", str(submitted), *hr, "--reopen"]) == 0
    on_disk = saved(submitted)
    assert on_disk.status == "submitted"
    assert on_disk.review is not None
    assert on_disk.review.reviewer == GRACE
    assert on_disk.review.ratings == signed.ratings
    assert on_disk.review.notes == signed.notes
    assert on_disk.review.comment == "Solid"
    assert (on_disk.history[-1].action, on_disk.history[-1].by) == ("reopened", "HR Person")

    # --reopen only reopens; HR Person's app, opened after it, is read-only and says
    # whose the review is.
    assert len(shown) == 1
    assert main(["review", str(submitted), *hr]) == 0
    app = shown[1]
    before = submitted.read_bytes()
    async with app.run_test() as pilot:
        title = str(app.screen.query_one("#title").render())
        assert "by Grace Example" in title
        assert ", reviewer " in title and ", you " not in title, "HR Person is not 'you'"
        line = app.screen.query_one("#read-only")
        assert line.display
        assert "this review is Grace Example's" in str(line.render())
        await pilot.press("4", "u", "e", "c", "S")
        assert isinstance(app.screen, ReviewScreen), "no editor or dialog opens"
        assert any("Grace Example's" in notice for notice in notices(app))
    assert submitted.read_bytes() == before


async def test_a_review_of_an_assessment_in_progress_only_looks(
    open_app: OpenApp, tmp_path: Path, librarians: Framework
) -> None:
    path = write_assessment(tmp_path / "ada.json", librarians, ratings={"emerging.1": 3})
    before = path.read_bytes()
    app = open_app(path, role="review", reviewer=GRACE)
    async with app.run_test() as pilot:
        line = app.screen.query_one("#read-only")
        assert line.display
        assert "not submitted yet: Ada Example submits it from the summary screen" in str(
            line.render()
        )
        detail = app.screen.query_one(StatementDetail).shown.plain
        assert "Self: 3 Consistently" in detail, "the supervisor can still look"
        await pilot.press("2", "S", "enter", "c", "e")
        assert isinstance(app.screen, ReviewScreen), "no sign-off dialog, no editor"
    assert path.read_bytes() == before
    assert saved(path).status == "in_progress"


async def test_the_read_only_reason_wraps_at_80_columns(open_app: OpenApp, submitted: Path) -> None:
    app = open_app(submitted, role="review", reviewer=GRACE)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("S", "down", "enter")
        await pilot.pause()
        lines = _rendered(app.screen.query_one("#read-only"))
    assert len(lines) == 2
    shown = " ".join(line.strip() for line in lines)
    assert shown == (
        "Read-only: signed off by Grace Example; only competency review FILE --reopen unlocks it"
    )
    assert saved_json(submitted)["status"] == "reviewed"


async def test_a_takes_the_persons_rating_and_moves_on_and_A_agrees_with_the_area(
    open_app: OpenApp, tmp_path: Path, librarians: Framework
) -> None:
    """The supervisor agrees instead of re-typing: `a` on one statement (a number, then an
    n/a), and `A` for the rest of the area after saying yes; each saved at once."""
    first_area = librarians.areas[0].statement_ids
    ratings: dict[str, int | str] = dict.fromkeys(first_area, 3)
    ratings[first_area[1]] = "na"
    path = write_assessment(tmp_path / "ada.json", librarians, ratings=ratings, status="submitted")
    app = open_app(path, role="review", reviewer=GRACE)
    async with app.run_test() as pilot:
        table = app.screen.query_one(StatementTable)
        assert table.highlighted_id == first_area[0]
        await pilot.press("a")
        review = saved(path).review
        assert review is not None and review.ratings == {first_area[0]: 3}
        assert table.highlighted_id == first_area[1], "moved on, as a rating does"
        await pilot.press("a")
        review = saved(path).review
        assert review is not None and review.ratings[first_area[1]] == "na"
        await pilot.press("A")
        await pilot.pause()
        await pilot.press("up", "enter")  # the question defaults to No: choose Yes
        await pilot.pause()
    review = saved(path).review
    assert review is not None
    assert review.ratings == {sid: ratings[sid] for sid in first_area}
    assert saved(path).ratings == ratings, "the person's own ratings never change"


async def test_agreeing_with_an_unanswered_statement_says_why_not(
    open_app: OpenApp, tmp_path: Path, librarians: Framework
) -> None:
    path = write_assessment(tmp_path / "ada.json", librarians, ratings={}, status="submitted")
    app = open_app(path, role="review", reviewer=GRACE)
    async with app.run_test() as pilot:
        await pilot.press("a")
        await pilot.pause()
        assert any("nothing to agree with" in n for n in notices(app))
    review = saved(path).review
    assert review is None or review.ratings == {}
