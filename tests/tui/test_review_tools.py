"""The reviewer's tools: disagreements to jump between, a summary of both views, export."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from textual.widgets import OptionList, Static

from competency.assessment import NA, Person, Review
from competency.framework.model import Framework
from tests.tui.conftest import FIXED, OpenApp, notices, saved, write_assessment
from tui.choice_screen import ChoiceScreen
from tui.help_screen import HelpScreen
from tui.rating_screen import RatingScreen
from tui.review_screen import ReviewScreen
from tui.review_summary_screen import ReviewSummaryScreen
from tui.statement_detail import StatementDetail
from tui.statement_table import StatementTable
from tui.summary_screen import SummaryScreen

GRACE = Person(name="Grace Example")


def order_of(framework: Framework) -> list[str]:
    return [sid for area in framework.areas for sid in area.statement_ids]


def reviewed_file(tmp_path: Path, librarians: Framework, **fields: object) -> Path:
    """Ada said n/a to the first statement and 3 elsewhere; Grace rated the first two."""
    order = order_of(librarians)
    ratings: dict[str, int | str] = dict.fromkeys(order, 3)
    ratings[order[0]] = NA
    review = Review(
        reviewer=GRACE, started_at=FIXED, ratings={order[0]: 2, order[1]: 3, order[8]: 1}
    )
    return write_assessment(
        tmp_path / "ada.json",
        librarians,
        ratings=ratings,
        notes={order[0]: "Not on my desk.\nWe have no archive.\nAsk Sam."},
        status="submitted",
        review=review,
        **fields,
    )


async def test_a_self_na_against_a_reviewer_number_is_a_disagreement_to_jump_to(
    open_app: OpenApp, tmp_path: Path, librarians: Framework
) -> None:
    order = order_of(librarians)
    path = reviewed_file(tmp_path, librarians)
    app = open_app(path, role="review", reviewer=GRACE)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert "2 disagreements (d)" in str(screen.query_one("#title").render())
        table = screen.query_one(StatementTable)
        await pilot.press("d")
        assert table.highlighted_id == order[8]
        await pilot.press("d")
        assert table.highlighted_id == order[0], "n/a against 2, and it wraps round"
        detail = screen.query_one(StatementDetail).shown.plain
        assert "\u2260 Disagreement: n/a vs 2" in detail, "the detail says so in words"
        await pilot.press("D")
        assert table.highlighted_id == order[8]
        await pilot.press("3")
    assert saved(path).review.ratings[order[8]] == 3  # type: ignore[union-attr]


async def test_the_detail_shows_the_whole_self_note_and_the_reviewers_line_at_80x24(
    open_app: OpenApp, tmp_path: Path, librarians: Framework
) -> None:
    path = reviewed_file(tmp_path, librarians)
    app = open_app(path, role="review", reviewer=GRACE)
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.query_one(StatementTable).move_cursor(row=0)
        await pilot.pause()
        await pilot.press("e", *"Seen it", "enter", *"at the desk", "ctrl+s")
        shown = app.screen.query_one(StatementDetail).shown.plain
        for line in ("Not on my desk.", "We have no archive.", "Ask Sam.", "Reviewer: "):
            assert line in shown
        assert "Seen it\nat the desk" in shown


async def test_the_review_summary_shows_both_views_and_goes_to_a_disagreement(
    open_app: OpenApp, tmp_path: Path, librarians: Framework
) -> None:
    order = order_of(librarians)
    path = reviewed_file(tmp_path, librarians)
    app = open_app(path, role="review", reviewer=GRACE)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")
        summary = app.screen
        assert isinstance(summary, ReviewSummaryScreen)
        title = str(summary.query_one("#summary-title", Static).render())
        assert "(review 3 of 40)" in title and "2 disagreements" in title
        assert "Why the reviewer's overall:" in title
        options = summary.query_one(OptionList)
        first = str(options.get_option_at_index(0).prompt)
        assert "self " in first and "reviewer " in first and "reviewed" in first
        assert options.get_option_at_index(1).id == order[0], "its disagreement, listed below"
        listed = str(options.get_option_at_index(1).prompt)
        assert listed.endswith(": self n/a, reviewer 2")
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.query_one(StatementTable).highlighted_id == order[0]

        await pilot.press("s", "x")
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("enter")
        assert any(n.startswith("Report written to") for n in notices(app))
    assert [p.name for p in tmp_path.glob("ada*.html")], "the report is beside the file"


async def test_a_partial_sign_off_asks_clearly_and_every_screen_says_it_was_partial(
    open_app: OpenApp, tmp_path: Path, librarians: Framework
) -> None:
    path = reviewed_file(tmp_path, librarians)
    app = open_app(path, role="review", reviewer=GRACE)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("S")
        dialog = app.screen
        assert isinstance(dialog, ChoiceScreen)
        question = str(dialog.query_one("#choice-question", Static).render())
        assert question == "Sign off a partial review? 3 of 40 reviewed"
        explanation = str(dialog.query_one("#choice-explanation", Static).render())
        assert "`" not in explanation
        await pilot.press("down", "enter")
        assert saved(path).status == "reviewed"
        assert "Signed off (partial: 3 of 40). The file is now locked." in notices(app)
    assert app.session is not None
    app.session.store.release()

    person = open_app(path)
    async with person.run_test(size=(120, 40)) as pilot:
        assert isinstance(person.screen, RatingScreen)
        await pilot.press("s")
        assert isinstance(person.screen, SummaryScreen)
        title = str(person.screen.query_one("#summary-title", Static).render())
        assert "Reviewed (partial: 3 of 40 reviewed)" in title


async def test_the_reviewers_help_words_the_scale_about_the_person(
    open_app: OpenApp, tmp_path: Path, librarians: Framework
) -> None:
    path = reviewed_file(tmp_path, librarians)
    app = open_app(path, role="review", reviewer=GRACE)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        console = Console(width=120, record=True)
        for widget in app.screen.query(Static):
            console.print(widget.content)
        shown = console.export_text()
        assert "not part of their role" in shown
        assert "I have not done this" not in shown


async def test_the_review_summary_shows_the_whole_comment_at_80x24(
    open_app: OpenApp, tmp_path: Path, librarians: Framework
) -> None:
    path = reviewed_file(tmp_path, librarians)
    app = open_app(path, role="review", reviewer=GRACE)
    comment = (
        "A solid year at the desk; we disagree on the evening work and on the archive, "
        "which we will talk through in January with Sam."
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c", *comment, "ctrl+s", "s")
        assert isinstance(app.screen, ReviewSummaryScreen)
        title = app.screen.query_one("#summary-title", Static)
        assert comment in str(title.render()).replace("\n", " ")
        assert title.size.height >= 5, "wrapped, not cut off"
    review = saved(path).review
    assert review is not None and review.comment == comment
