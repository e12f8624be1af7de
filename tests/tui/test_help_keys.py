"""The ? help lists the keys in words, beside the bindings that make them work.

The help's rows are written for a reader (``e / enter``, ``tab / ] / a``), so they are not
made from ``BINDINGS``; these tests keep the two from drifting apart: every key the help
names is bound, and every key a screen binds is in its help.
"""

from __future__ import annotations

import pytest
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable

from competency.ratings import NUMBERS, NUMBERS_TEXT
from tui.help_screen import ASSESS_KEYS, REVIEW_KEYS
from tui.rating_screen import RatingScreen
from tui.review_screen import ReviewScreen

SYMBOLS = {
    "\u2191": "up",
    "\u2193": "down",
    "]": "right_square_bracket",
    "[": "left_square_bracket",
    "?": "question_mark",
}

SHOWN_AS_ONE = {"shift+tab": "tab"}
"""Keys a help row names together with another: the review's "tab / ] / [ / a"."""


def help_keys(rows: tuple[tuple[str, str], ...]) -> set[str]:
    """Every key the help's rows name, as Textual names them."""
    keys: set[str] = set()
    for shown, _ in rows:
        for part in shown.replace(",", " ").replace("/", " ").split():
            if part == NUMBERS_TEXT:
                keys.update(str(n) for n in NUMBERS)
            else:
                keys.add(SYMBOLS.get(part, part))
    return keys


def bound_keys(screen: type[Screen[object]]) -> set[str]:
    """The keys ``screen`` and its bases of this tool bind (not the read-only refusal)."""
    keys: set[str] = set()
    for cls in screen.__mro__:
        if not cls.__module__.startswith("tui."):
            continue  # Textual's Screen binds copying (ctrl+c) for every app
        for binding in cls.__dict__.get("BINDINGS", ()):
            assert isinstance(binding, Binding)
            if binding.action != "refused":
                keys.update(binding.key.split(","))
    return keys


ALSO_BOUND = {
    *(b.key for b in DataTable.BINDINGS if isinstance(b, Binding)),
    App.COMMAND_PALETTE_BINDING,
}
"""What the statement table and the app bind, which the help names too (enter, arrows)."""


@pytest.mark.parametrize(
    ("screen", "rows"), [(RatingScreen, ASSESS_KEYS), (ReviewScreen, REVIEW_KEYS)]
)
def test_every_key_the_help_names_is_bound(
    screen: type[Screen[object]], rows: tuple[tuple[str, str], ...]
) -> None:
    assert help_keys(rows) - bound_keys(screen) - ALSO_BOUND == set()


@pytest.mark.parametrize(
    ("screen", "rows"), [(RatingScreen, ASSESS_KEYS), (ReviewScreen, REVIEW_KEYS)]
)
def test_every_key_a_screen_binds_is_in_its_help(
    screen: type[Screen[object]], rows: tuple[tuple[str, str], ...]
) -> None:
    named = help_keys(rows)
    missing = {key for key in bound_keys(screen) if SHOWN_AS_ONE.get(key, key) not in named}
    assert missing == set()
