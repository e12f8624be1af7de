"""Finding, jumping and taking back: the palette, undo, jumps, and the detail pane."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.text import Text
from textual.command import CommandPalette
from textual.coordinate import Coordinate
from textual.filter import Monochrome

from competency.assessment import NA
from competency.framework.model import Framework
from tests.tui.conftest import OpenApp, notices, saved, write_assessment
from tui.choice_screen import ChoiceScreen
from tui.note_editor import NoteEditor
from tui.rating_screen import RatingScreen
from tui.statement_detail import StatementDetail
from tui.statement_table import NOTE_MARK, StatementTable
from tui.summary_screen import SummaryScreen
from tui.walk_screen import WalkScreen


def order_of(framework: Framework) -> list[str]:
    return [sid for area in framework.areas for sid in area.statement_ids]


def walk_screen(screen: object) -> WalkScreen:
    assert isinstance(screen, WalkScreen)
    return screen


async def test_ctrl_z_undoes_the_last_rating_and_note_and_saves(
    open_app: OpenApp, ada_file: Path, librarians: Framework
) -> None:
    order = order_of(librarians)
    app = open_app(ada_file)
    async with app.run_test() as pilot:
        await pilot.press("3", "4", "e", *"Desk", "ctrl+s")
        assert saved(ada_file).notes == {order[2]: "Desk"}
        await pilot.press("ctrl+z")
        assert saved(ada_file).notes == {}, "the note is taken back, on disk"
        await pilot.press("ctrl+z")
        assert saved(ada_file).ratings == {order[0]: 3}
        table = app.screen.query_one(StatementTable)
        assert table.highlighted_id == order[1], "the cursor goes to what was undone"
        assert any("Undone: the rating of" in n for n in notices(app))
        await pilot.press("ctrl+z", "ctrl+z")
        assert saved(ada_file).ratings == {}
        assert "Nothing to undo in this session." in notices(app)


async def test_g_jumps_to_the_next_unanswered_and_k_at_the_top_goes_to_the_previous_area(
    open_app: OpenApp, tmp_path: Path, librarians: Framework
) -> None:
    order = order_of(librarians)
    gaps = {order[3], order[20]}
    path = write_assessment(
        tmp_path / "ada.json",
        librarians,
        ratings={sid: 3 for sid in order if sid not in gaps},
    )
    app = open_app(path)
    async with app.run_test() as pilot:
        screen = walk_screen(app.screen)
        table = screen.query_one(StatementTable)
        assert table.highlighted_id == order[3]
        await pilot.press("g")
        assert table.highlighted_id == order[20]
        await pilot.press("g")
        assert table.highlighted_id == order[3], "wraps round"
        screen.go_to(librarians.areas[1].statement_ids[0])
        await pilot.press("k")
        assert screen.area_index == 0
        assert table.highlighted_id == librarians.areas[0].statement_ids[-1]
        await pilot.press("j")
        assert table.highlighted_id == librarians.areas[1].statement_ids[0]


async def test_the_palette_finds_a_statement_by_its_topic_and_jumps_to_it(
    open_app: OpenApp, ada_file: Path, librarians: Framework
) -> None:
    app = open_app(ada_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"Cataloging quality")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        screen = walk_screen(app.screen)
        assert screen.query_one(StatementTable).highlighted_id == "developing.5"
        assert screen.area_index == 2
        await pilot.press("3")
    assert saved(ada_file).ratings == {"developing.5": 3}


async def test_the_palette_finds_a_statement_by_words_of_its_description(
    open_app: OpenApp, ada_file: Path, librarians: Framework
) -> None:
    wanted = next(s for s in librarians.statements if "faculty recommendations" in s.description)
    app = open_app(ada_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Faculty  Recommendations")  # any case, any spacing
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        screen = walk_screen(app.screen)
        assert screen.query_one(StatementTable).highlighted_id == wanted.id
        await pilot.press("4")
    assert saved(ada_file).ratings == {wanted.id: 4}


async def test_the_palette_goes_to_an_area(open_app: OpenApp, ada_file: Path) -> None:
    app = open_app(ada_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p", *"go to area 3")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert walk_screen(app.screen).area_index == 2


async def test_enter_on_a_summary_area_goes_to_its_first_gap(
    open_app: OpenApp, ada_file: Path, librarians: Framework
) -> None:
    app = open_app(ada_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RatingScreen)
        assert screen.area_index == 2
        assert (
            screen.query_one(StatementTable).highlighted_id == librarians.areas[2].statement_ids[0]
        )


async def test_statements_with_a_note_are_marked_in_the_table(
    open_app: OpenApp, tmp_path: Path, librarians: Framework
) -> None:
    order = order_of(librarians)
    path = write_assessment(tmp_path / "ada.json", librarians, notes={order[1]: "Evening desk"})
    app = open_app(path)
    async with app.run_test() as pilot:
        table = app.screen.query_one(StatementTable)
        column = table.get_column_index("note")
        marks = [str(table.get_cell_at(Coordinate(row, column))) for row in range(3)]
        assert marks == ["", NOTE_MARK, ""]
        await pilot.press("e", *"Shelving", "ctrl+s")
        assert str(table.get_cell_at(Coordinate(0, column))) == NOTE_MARK
    assert saved(path).notes == {order[0]: "Shelving", order[1]: "Evening desk"}


async def test_a_six_line_note_is_all_there_and_scrolls_at_80x24(
    open_app: OpenApp, tmp_path: Path, librarians: Framework
) -> None:
    order = order_of(librarians)
    note = "\n".join(f"Line {i}: evidence from the evening desk." for i in range(1, 7))
    path = write_assessment(tmp_path / "ada.json", librarians, notes={order[0]: note})
    app = open_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        detail = app.screen.query_one(StatementDetail)
        for i in range(1, 7):
            assert f"Line {i}:" in detail.shown.plain
        assert detail.size.height >= 8, "the pane grows with what it shows"
        assert detail.max_scroll_y > 0, "and scrolls for the rest"
        await pilot.press(*"J" * 10)
        assert detail.scroll_y == detail.max_scroll_y, "J scrolls the rest into view"
        await pilot.press("down")
        assert detail.scroll_y == 0, "the next statement shows from its top"


async def test_escape_in_the_note_editor_asks_before_throwing_the_note_away(
    open_app: OpenApp, ada_file: Path
) -> None:
    app = open_app(ada_file)
    async with app.run_test() as pilot:
        await pilot.press("e", *"Long evidence", "escape")
        assert isinstance(app.screen, ChoiceScreen), "asks first"
        await pilot.press("enter")
        assert isinstance(app.screen, NoteEditor), "keeping it is the default"
        await pilot.press(*" kept", "ctrl+s")
        assert list(saved(ada_file).notes.values()) == ["Long evidence kept"]
        await pilot.press("e", *" more", "escape", "down", "enter")
        assert isinstance(app.screen, RatingScreen)
        await pilot.press("e", "escape")
        assert isinstance(app.screen, RatingScreen), "nothing typed: closes at once"
    assert list(saved(ada_file).notes.values()) == ["Long evidence kept"]


async def test_a_read_only_footer_offers_no_rating_keys_and_the_keys_say_why(
    open_app: OpenApp, tmp_path: Path, librarians: Framework
) -> None:
    path = write_assessment(tmp_path / "ada.json", librarians, status="submitted")
    app = open_app(path)
    async with app.run_test() as pilot:
        shown = {b.binding.description for b in app.screen.active_bindings.values() if b.enabled}
        assert "Rate" not in shown and "Undo" not in shown and "Summary" in shown
        await pilot.press("3")
        assert any(n.startswith("submitted;") for n in notices(app))
    assert saved(path).ratings == {}


async def test_the_sidebar_is_wrapped_once_not_again_at_the_first_key(
    open_app: OpenApp, ada_file: Path
) -> None:
    app = open_app(ada_file)
    async with app.run_test(size=(120, 40)) as pilot:
        areas = walk_screen(app.screen).area_list
        before = [areas.get_option_at_index(i).prompt for i in range(1, 4)]
        await pilot.press("3")
        after = [areas.get_option_at_index(i).prompt for i in range(1, 4)]
        assert [str(p) for p in after] == [str(p) for p in before]


async def test_ratings_have_a_colour_each_and_keep_their_value_in_text(
    open_app: OpenApp, ada_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = open_app(ada_file)
    async with app.run_test() as pilot:
        await pilot.press("0", "4", "n")
        table = app.screen.query_one(StatementTable)
        column = table.get_column_index("rating")
        cells = [table.get_cell_at(Coordinate(row, column)) for row in range(3)]
        assert all(isinstance(c, Text) for c in cells)
        assert [c.plain.strip() for c in cells] == ["0", "4", "n/a"]
        assert len({str(c.style) for c in cells}) == 3
    assert list(saved(ada_file).ratings.values()) == [0, 4, NA]

    monkeypatch.setenv("NO_COLOR", "1")
    copy = tmp_path / "copy.json"
    copy.write_bytes(ada_file.read_bytes())
    plain_app = open_app(copy)
    async with plain_app.run_test():
        assert any(isinstance(f, Monochrome) for f in plain_app._filters)


async def test_at_80_columns_the_statements_get_the_room(open_app: OpenApp, ada_file: Path) -> None:
    app = open_app(ada_file)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = walk_screen(app.screen)
        assert not screen.area_list.display or not screen.area_list.region.width
        line = screen.query_one("#area-line")
        assert "Area 1 of 7: Collection Management" in str(line.render())
        width = next(c.width for k, c in screen.table.columns.items() if k == "statement")
        assert width >= 50
        await pilot.press("a")
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("down", "enter")
        assert screen.area_index == 1
    assert app.session is not None
    app.session.store.release()
    wide = open_app(ada_file)
    async with wide.run_test(size=(120, 40)):
        screen = walk_screen(wide.screen)
        assert screen.area_list.region.width > 0


async def test_at_160_columns_every_area_title_but_the_longest_keeps_to_one_line(
    open_app: OpenApp, ada_file: Path
) -> None:
    app = open_app(ada_file)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        screen = walk_screen(app.screen)
        titles = [area.title for area in screen.session.framework.areas]
        width = screen.area_list.scrollable_content_region.width
        assert width >= 34, "the list widens beyond its 80-column size"
        prompts = [str(screen.area_list.get_option_at_index(i).prompt) for i in range(7)]
        for title, prompt in zip(titles, prompts, strict=True):
            if len(title) <= width - 2:
                assert title in prompt.splitlines()[0], "kept to one line"


@pytest.mark.parametrize(
    ("typed", "opens"),
    [("summary", SummaryScreen), ("export", ChoiceScreen), ("submit", ChoiceScreen)],
)
async def test_the_palette_finds_what_its_help_promises(
    open_app: OpenApp, ada_file: Path, typed: str, opens: type
) -> None:
    """The help says ctrl+p finds the summary, export and submit: typing each word finds it."""
    app = open_app(ada_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p", *typed)
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, opens), app.screen
        if typed == "submit":
            assert app.screen.question == "Submit this assessment?"
            await pilot.press("escape")  # not yet: nothing changes
            assert saved(ada_file).status == "in_progress"
