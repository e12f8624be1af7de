"""A rating keypress redraws what it changed, once: the row, the detail, the title.

``bench/bench_tui.py`` measures the time; these tests keep the work it measures small
(one frame, no layout pass) and check that the shortcuts taken for it still draw the
right thing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.screen import Screen

from competency.framework.model import Framework
from tests.tui.conftest import OpenApp, saved, write_assessment
from tui.statement_detail import StatementDetail
from tui.statement_table import StatementTable


class Frames:
    """Counts the screen updates (frames) and the layout passes among them."""

    def __init__(self) -> None:
        self.frames = 0
        self.layouts = 0


@pytest.fixture
def frames(monkeypatch: pytest.MonkeyPatch) -> Iterator[Frames]:
    counted = Frames()
    update = Screen._on_timer_update
    layout = Screen._refresh_layout

    def counting_update(self: Screen[object]) -> None:
        counted.frames += 1
        update(self)

    def counting_layout(self: Screen[object], *args: object, **kwargs: object) -> None:
        counted.layouts += 1
        layout(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Screen, "_on_timer_update", counting_update)
    monkeypatch.setattr(Screen, "_refresh_layout", counting_layout)
    yield counted


async def test_a_rating_keypress_is_one_frame_without_a_layout_pass(
    open_app: OpenApp, ada_file: Path, frames: Frames
) -> None:
    app = open_app(ada_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3", "k")  # the first frames and a first rating are done
        frames.frames = frames.layouts = 0
        await pilot.press("4")
        assert frames.frames == 1, "the row, the detail and the title in one frame"
        assert frames.layouts == 0, "nothing on screen changes size"
        detail = app.screen.query_one(StatementDetail)
        table = app.screen.query_one(StatementTable)
        assert table.highlighted_id is not None and app.session is not None
        topic = app.session.framework.statement_by_id[table.highlighted_id].topic
        assert topic in detail.shown.plain, "the detail shows the statement moved to"


async def test_a_changed_rating_is_drawn_in_its_row_and_the_others_stay(
    open_app: OpenApp, tmp_path: Path, librarians: Framework
) -> None:
    order = [sid for area in librarians.areas for sid in area.statement_ids]
    path = write_assessment(tmp_path / "ada.json", librarians, ratings={order[1]: 2})
    app = open_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.screen.query_one(StatementTable)

        def shown_rating(row: int) -> str:
            return table.render_line(row + 1).text.split()[0]  # line 0 is the header

        assert [shown_rating(row) for row in range(3)] == ["\u00b7", "2", "\u00b7"]
        await pilot.press("3", "k", "4", "k", "1")  # the first row rated three times
        await pilot.pause()
        assert shown_rating(0) == "1", "the last rating, not one drawn before"
        assert [shown_rating(row) for row in (1, 2)] == ["2", "\u00b7"], "the rest as they were"
    assert saved(path).ratings == {order[0]: 1, order[1]: 2}


@pytest.mark.parametrize("change", ["renamed", "keyed otherwise"])
async def test_a_textual_whose_private_caches_changed_still_draws_the_new_rating(
    open_app: OpenApp,
    tmp_path: Path,
    librarians: Framework,
    change: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The one-row redraw reaches into DataTable's private caches (Textual 8.2). Should a
    # Textual release rename them or key them otherwise, the table takes the public,
    # slower way, and the rating shown is still the one saved.
    from textual.cache import LRUCache

    order = [sid for area in librarians.areas for sid in area.statement_ids]
    path = write_assessment(tmp_path / "ada.json", librarians)
    app = open_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.screen.query_one(StatementTable)
        await pilot.pause()
        if change == "renamed":

            def gone(*args: object) -> None:
                raise AttributeError("'StatementTable' object has no attribute '_row_cache'")

            monkeypatch.setattr(table, "_forget_row", gone)
        else:
            other: LRUCache[object, object] = LRUCache(100)
            other.set(("not", "a row key"), None)
            table._cell_render_cache = other  # type: ignore[assignment]
        await pilot.press("3", "k", "4")
        await pilot.pause()
        assert table.render_line(1).text.split()[0] == "4"
    assert saved(path).ratings == {order[0]: 4}


async def test_a_long_note_still_scrolls_in_the_redrawn_detail(
    open_app: OpenApp, tmp_path: Path, librarians: Framework
) -> None:
    order = [sid for area in librarians.areas for sid in area.statement_ids]
    note = "\n".join(f"Line {i}: evidence from the evening desk." for i in range(1, 13))
    path = write_assessment(tmp_path / "ada.json", librarians, notes={order[1]: note})
    app = open_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        detail = app.screen.query_one(StatementDetail)
        assert detail.max_scroll_y == 0, "the first statement fits"
        await pilot.press("3")  # rated, and on to the statement with the long note
        await pilot.pause()
        assert "Line 12:" in detail.shown.plain
        assert detail.max_scroll_y > 0, "the pane scrolls for the rest"
        await pilot.press(*"J" * 20)
        last = detail.render_line(detail.scrollable_content_region.height - 1).text
        assert "Line 12:" in last, "the end of the note is drawn at the bottom"
