"""The highlighted statement in full: level, topic, description, rating(s) and note(s)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from competency.framework.model import Framework
from competency.outputs.words import rating_label as rating_words
from competency.tui.statement_table import statement_text
from competency.tui.text import plain


def detail_text(
    framework: Framework,
    statement_id: str,
    rating: int | str | None,
    note: str,
    *,
    other: tuple[str, int | str | None, str] | None = None,
    you: str = "Your rating",
) -> Text:
    """The statement's full text with its answer; ``other`` is (whose, rating, note)."""
    statement = framework.statement_by_id[statement_id]
    level = framework.level_by_key[statement.level]
    text = Text()
    text.append_text(plain(f"{level.label} (level {level.rank})", "bold"))
    text.append_text(plain(f"  {statement.id}\n", "dim", keep_newlines=True))  # a level key
    text.append_text(statement_text(statement))
    if other is not None:
        whose, their_rating, their_note = other
        text.append(f"\n{whose}: ", style="bold")
        text.append(rating_words(their_rating))
        if their_note:
            text.append(" \u2014 ")
            text.append_text(plain(their_note, "italic", keep_newlines=True))
    text.append(f"\n{you}: ", style="bold")
    text.append(rating_words(rating))
    if note:
        text.append(" \u2014 note: ")
        text.append_text(plain(note, "italic", keep_newlines=True))
    else:
        text.append("  (e: add a note)", style="dim")
    return text


class StatementDetail(VerticalScroll, can_focus=False):
    """Updated when the highlight moves; the table rows stay one line each.

    A fixed share of the column (so moving between statements never resizes the table, a
    full redraw), scrolling beyond that (``J``, ``K`` or the wheel): every word a person
    wrote stays readable, however small the terminal.
    """

    DEFAULT_CSS = """
    StatementDetail {
        height: 40%;
        min-height: 5;
        padding: 0 1;
        scrollbar-size-vertical: 1;
        scrollbar-gutter: stable;
    }
    StatementDetail > Static {
        height: auto;
    }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="detail-text")

    def update(self, text: Text) -> None:
        """Show another statement, from its top (nothing to do when it is the same)."""
        shown = self.query_one("#detail-text", Static)
        if shown.content == text:
            return
        shown.update(text)
        self.scroll_home(animate=False)

    @property
    def shown(self) -> Text:
        """What it shows now (for tests and the palette)."""
        content = self.query_one("#detail-text", Static).content
        return content if isinstance(content, Text) else Text(str(content))
