"""The key reference, shown with ``?``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from competency.ratings import NA_KEY, NUMBERS_TEXT, RATING_SCALE, REVIEWER_MEANINGS, rating_key

ASSESS_KEYS: tuple[tuple[str, str], ...] = (
    (NUMBERS_TEXT, "rate the highlighted statement, then move to the next one"),
    (NA_KEY, "not applicable: not part of the role"),
    ("u", "clear the rating"),
    ("e / enter", "write a note: the evidence for this statement"),
    ("ctrl+z", "undo the last change to a rating or a note (saved at once)"),
    ("\u2191 \u2193 / j k", "move between statements; j k cross into the next area"),
    ("g", "next statement with no rating"),
    ("J K", "scroll the statement's detail (its whole note)"),
    ("tab / ] / a", "next area / pick an area"),
    ("shift+tab / [", "previous area"),
    ("ctrl+p", "command palette: find a statement, jump, summary, export, submit"),
    ("s", "summary: levels, why, targets, export, submit (enter: go to an area)"),
    ("?", "this help"),
    ("q", "quit (everything is already saved)"),
)

REVIEW_KEYS: tuple[tuple[str, str], ...] = (
    (f"{NUMBERS_TEXT}, {NA_KEY}", "your rating as reviewer, then move on"),
    ("a", "agree: the person's own rating (or n/a) becomes yours, then move on"),
    ("A", "agree with every rating of this area you have not given yet (asks first)"),
    ("u", "clear your rating"),
    ("e / enter", "your note on this statement"),
    ("c", "your overall comment"),
    ("ctrl+z", "undo your last change to a rating or a note"),
    ("d / D", "next / previous disagreement (2 or more apart, or n/a against a rating)"),
    ("\u2191 \u2193 / j k", "move between statements"),
    ("g", "next statement without your rating"),
    ("J K", "scroll the statement's detail"),
    ("tab / ] / [", "change area"),
    ("s", "review summary: both views per area, disagreements"),
    ("x", "export a report"),
    ("ctrl+p", "command palette"),
    ("S", "sign the review off (locks the file)"),
    ("?", "this help"),
    ("q", "quit (everything is already saved)"),
)


def help_text(
    keys: Sequence[tuple[str, str]], meanings: Mapping[int | str, str] | None = None
) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    for key, what in keys:
        table.add_row(key, what)
    table.add_row("", "")
    for value, label, meaning in RATING_SCALE:
        meaning = (meanings or {}).get(value, meaning)
        table.add_row(rating_key(value), Text(f"{label}: {meaning}"))
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
            meanings = REVIEWER_MEANINGS if self.keys is REVIEW_KEYS else None
            yield Static(help_text(self.keys, meanings))
            yield Static(Text("Every change is saved at once.", style="dim"))

    def action_close(self) -> None:
        self.dismiss(None)
