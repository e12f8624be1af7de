"""What the start, rating and summary screens look like at 80x24 and 120x40.

The apps are built with the same factory as the CLI, on files written with a fixed clock
in a temporary folder whose path never reaches the screen, so the pictures are stable.
Update them with ``pytest --regenerate-golden`` (every golden file; or syrupy's
``--snapshot-update``) and look at the SVG files before committing them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from competency.assessment import Person, Review
from competency.framework.model import Framework
from tests.tui.conftest import FIXED, OpenApp, start_app, write_assessment

SIZES = [(80, 24), (120, 40)]
Compare = Callable[..., bool]


async def no_blink(pilot: Pilot[Any]) -> None:
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()
    # The start screen reads the framework's role profiles after its first frame, and
    # fills the picker a refresh later.
    await pilot.pause()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_start_screen(snap_compare: Compare, librarians: Framework, size: tuple[int, int]) -> None:
    app = start_app(librarians, Path("assessments"))
    assert snap_compare(app, terminal_size=size, run_before=no_blink)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_rating_screen(
    snap_compare: Compare, open_app: OpenApp, ada_file: Path, size: tuple[int, int]
) -> None:
    app = open_app(ada_file)
    assert snap_compare(app, press=["4", "4", "3", "n", "2"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_summary_screen(
    snap_compare: Compare, open_app: OpenApp, ada_file: Path, size: tuple[int, int]
) -> None:
    app = open_app(ada_file)
    keys = ["4", "4", "3", "n", "2", "3", "tab", "3", "3", "1", "s"]
    assert snap_compare(app, press=keys, terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_review_screen(
    snap_compare: Compare,
    open_app: OpenApp,
    tmp_path: Path,
    librarians: Framework,
    size: tuple[int, int],
) -> None:
    order = [sid for area in librarians.areas for sid in area.statement_ids]
    path = write_assessment(
        tmp_path / "ada.json",
        librarians,
        ratings=dict.fromkeys(order[:10], 3),
        notes={order[0]: "Ran the evening desk alone."},
        status="submitted",
    )
    app = open_app(path, role="review", reviewer=Person(name="Grace Example"))
    assert snap_compare(app, press=["2", "4"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_review_summary_screen(
    snap_compare: Compare,
    open_app: OpenApp,
    tmp_path: Path,
    librarians: Framework,
    size: tuple[int, int],
) -> None:
    """Both views per area and the disagreements, one a self n/a against a number."""
    order = [sid for area in librarians.areas for sid in area.statement_ids]
    ratings: dict[str, int | str] = dict.fromkeys(order, 3)
    ratings[order[1]] = "na"
    review = Review(
        reviewer=Person(name="Grace Example"),
        started_at=FIXED,
        ratings={**dict.fromkeys(order[:12], 3), order[0]: 1, order[1]: 2},
    )
    path = write_assessment(
        tmp_path / "ada.json", librarians, ratings=ratings, status="submitted", review=review
    )
    app = open_app(path, role="review", reviewer=Person(name="Grace Example"))
    assert snap_compare(app, press=["s"], terminal_size=size)


def test_review_screen_read_only(
    snap_compare: Compare, open_app: OpenApp, tmp_path: Path, librarians: Framework
) -> None:
    """Someone else opens Grace's signed-off review: the whole reason shows in 80 columns."""
    order = [sid for area in librarians.areas for sid in area.statement_ids]
    grace = Person(name="Grace Example")
    review = Review(
        reviewer=grace,
        started_at=FIXED,
        completed_at=FIXED,
        ratings=dict.fromkeys(order[:10], 2),
        comment="Solid year.",
    )
    path = write_assessment(
        tmp_path / "ada.json",
        librarians,
        ratings=dict.fromkeys(order, 3),
        status="reviewed",
        review=review,
    )
    app = open_app(path, role="review", reviewer=Person(name="HR Person"))
    assert snap_compare(app, terminal_size=(80, 24))
