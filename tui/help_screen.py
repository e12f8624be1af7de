"""The key reference, shown with ``?``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from competency.ratings import NA, RATING_SCALE

ASSESS_KEYS: tuple[tuple[str, str], ...] = (
    ("0-4", "rate the highlighted statement, then move to the next one"),
    ("n", "not applicable: not part of the role"),
    ("u", "clear the rating"),
    ("e / enter", "write a note: the evidence for this statement"),
    ("\u2191 \u2193 / j k", "move between statements (a click works too)"),
    ("tab / ]", "next area"),
    ("shift+tab / [", "previous area"),
    ("s", "summary: levels, why, targets, export, submit"),
    ("?", "this help"),
    ("q", "quit (everything is already saved)"),
)

REVIEW_KEYS: tuple[tuple[str, str], ...] = (
    ("0-4, n", "your rating as reviewer, then move on"),
    ("u", "clear your rating"),
    ("e / enter", "your note on this statement"),
    ("c", "your overall comment"),
    ("\u2191 \u2193 / j k", "move between statements"),
    ("tab / ] / [", "change area"),
    ("S", "sign the review off (locks the file)"),
    ("?", "this help"),
    ("q", "quit (everything is already saved)"),
)


def help_text(keys: Sequence[tuple[str, str]]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    for key, what in keys:
        table.add_row(key, what)
    table.add_row("", "")
    for value, label, meaning in RATING_SCALE:
        table.add_row("n" if value == NA else str(value), Text(f"{label}: {meaning}"))
    return table


class HelpScreen(ModalScreen[None]):
    """Keys and the rating scale. Any of escape, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("question_mark", "close", "Close", show=False),
        Binding("q", "close", "Close", show=False),
    ]

    def __init__(self, keys: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self.keys = keys

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-dialog"):
            yield Static(Text("Keys", style="bold"))
            yield Static(help_text(self.keys))
            yield Static(Text("Every change is saved at once.", style="dim"))

    def action_close(self) -> None:
        self.dismiss(None)
