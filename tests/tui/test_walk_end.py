"""The end of the walk: the last answer is never overwritten by the next key unnoticed."""

from __future__ import annotations

from pathlib import Path

from competency.assessment import Person, Review
from competency.framework.model import Framework
from tests.tui.conftest import FIXED, OpenApp, notices, saved, write_assessment
from tui.statement_table import StatementTable
from tui.walk_screen import WalkScreen


def order_of(framework: Framework) -> list[str]:
    return [sid for area in framework.areas for sid in area.statement_ids]


async def test_rating_the_last_statement_says_the_walk_is_complete(
    open_app: OpenApp, tmp_path: Path, librarians: Framework
) -> None:
    order = order_of(librarians)
    path = write_assessment(tmp_path / "ada.json", librarians, ratings=dict.fromkeys(order[:-1], 3))
    app = open_app(path)
    async with app.run_test() as pilot:
        table = app.screen.query_one(StatementTable)
        assert table.highlighted_id == order[-1], "resumes on the one statement left"
        await pilot.press("2")
        assert saved(path).ratings[order[-1]] == 2
        assert f"All {len(order)} statements answered \u2014 press s for the summary" in (
            notices(app)
        )
        assert table.highlighted_id == order[-1]


async def test_at_the_end_of_a_walk_with_gaps_the_cursor_goes_back_to_the_first_gap(
    open_app: OpenApp, tmp_path: Path, librarians: Framework
) -> None:
    order = order_of(librarians)
    path = write_assessment(
        tmp_path / "ada.json", librarians, ratings=dict.fromkeys(order[1:-1], 3)
    )
    app = open_app(path)
    async with app.run_test() as pilot:
        screen = app.screen
        assert isinstance(screen, WalkScreen)
        screen.go_to(order[-1])
        await pilot.press("2")
        table = screen.query_one(StatementTable)
        assert table.highlighted_id == order[0], "back to the statement still unanswered"
        assert any("1 still unanswered" in notice for notice in notices(app))

        # The next key answers the gap, not the last statement again.
        await pilot.press("4")
        ratings = saved(path).ratings
        assert (ratings[order[0]], ratings[order[-1]]) == (4, 2)
        assert table.highlighted_id == order[0], "complete: stays, and says so"
        assert any(notice.startswith(f"All {len(order)} statements") for notice in notices(app))


async def test_revising_a_complete_walk_moves_on_as_usual(
    open_app: OpenApp, tmp_path: Path, librarians: Framework
) -> None:
    order = order_of(librarians)
    path = write_assessment(tmp_path / "ada.json", librarians, ratings=dict.fromkeys(order, 3))
    app = open_app(path)
    async with app.run_test() as pilot:
        table = app.screen.query_one(StatementTable)
        assert table.highlighted_id == order[0]
        await pilot.press("1")
        assert table.highlighted_id == order[1]
        assert notices(app) == []
    assert saved(path).ratings[order[0]] == 1


async def test_the_reviewer_is_told_when_every_statement_is_reviewed(
    open_app: OpenApp, tmp_path: Path, librarians: Framework
) -> None:
    order = order_of(librarians)
    grace = Person(name="Grace Example")
    # All but the last two reviewed already: the keys below finish the walk, and no test
    # waits for forty saves to say that.
    review = Review(reviewer=grace, started_at=FIXED, ratings=dict.fromkeys(order[:-2], 3))
    path = write_assessment(
        tmp_path / "ada.json",
        librarians,
        ratings=dict.fromkeys(order, 3),
        status="submitted",
        review=review,
    )
    app = open_app(path, role="review", reviewer=grace)
    async with app.run_test() as pilot:
        screen = app.screen
        assert isinstance(screen, WalkScreen)
        assert screen.query_one(StatementTable).highlighted_id == order[-2]
        await pilot.press("3")
        assert notices(app) == []
        await pilot.press("2")
        assert f"All {len(order)} statements reviewed \u2014 press S to sign off" in notices(app)
        assert screen.query_one(StatementTable).highlighted_id == order[-1]
    review = saved(path).review
    assert review is not None
    assert review.ratings == {**dict.fromkeys(order[:-1], 3), order[-1]: 2}
