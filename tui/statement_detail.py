"""The highlighted statement in full: level, topic, description, rating(s) and note(s)."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from competency.framework.model import Framework
from competency.outputs.words import rating_label as rating_words
from competency.text import link_parts
from tui.statement_table import statement_text
from tui.text import plain


def detail_text(
    framework: Framework,
    statement_id: str,
    rating: int | str | None,
    note: str,
    *,
    other: tuple[str, int | str | None, str] | None = None,
    you: str = "Your rating",
    editable: bool = True,
) -> Text:
    """The statement's full text with its answer; ``other`` is (whose, rating, note).

    ``editable`` False (a read-only file) leaves out the hint to add a note.
    """
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
        if editable and rating is None and their_rating is not None:
            text.append("  (a: take it as yours)", style="dim")
        if their_note:
            text.append(" \u2014 ")
            text.append_text(note_text(their_note))
    text.append(f"\n{you}: ", style="bold")
    text.append(rating_words(rating))
    if note:
        text.append(" \u2014 note: ")
        text.append_text(note_text(note))
    elif editable:
        text.append("  (e: add a note)", style="dim")
    return text


def note_text(note: str) -> Text:
    """A note in full, its line breaks kept; an http(s) address in it is underlined and
    shown whole (the pane wraps it, never cuts it), to be copied from the screen."""
    text = Text()
    for words, target in link_parts(note):
        text.append_text(
            plain(words, "italic" if target is None else "underline", keep_newlines=True)
        )
    return text


class StatementDetail(ScrollView, can_focus=False):
    """Updated when the highlight moves; the table rows stay one line each.

    A fixed share of the column (so moving between statements never resizes the table, a
    full redraw), scrolling beyond that (``J``, ``K`` or the wheel): every word a person
    wrote stays readable, however small the terminal.

    It draws its own wrapped lines (Textual's line API) instead of holding a ``Static``:
    a ``Static`` of changing height costs two full layout passes of the screen on every
    keypress; here a new statement costs one repaint of the pane, and a layout pass only
    when the scroll bar has to appear or go.
    """

    DEFAULT_CSS = """
    StatementDetail {
        height: 40%;
        min-height: 5;
        padding: 0 1;
        overflow-x: hidden;
        scrollbar-size-vertical: 1;
        scrollbar-gutter: stable;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._text = Text()
        self._lines: list[Strip] = []
        self._wrapped_to = -1
        self._styled_with = Style()

    def update(self, text: Text) -> None:
        """Show another statement, from its top (nothing to do when it is the same)."""
        if text == self._text:
            return
        self._text = text
        self._wrap()
        self.scroll_to(y=0, animate=False)
        self.refresh()

    def on_resize(self) -> None:
        if self.scrollable_content_region.width != self._wrapped_to:
            self._wrap()
            self.refresh()

    def render_lines(self, crop: Region) -> list[Strip]:
        # The first frame can come before the first Resize: wrap to the width drawn (and
        # again in a new style, a theme's).
        if (
            self.scrollable_content_region.width != self._wrapped_to
            or self.rich_style != self._styled_with
        ):
            self._wrap()
        return super().render_lines(crop)

    def _wrap(self) -> None:
        width = self.scrollable_content_region.width
        self._wrapped_to = width
        if width <= 0:
            self._lines = []
            return
        console = self.app.console
        # Drawn once in the pane's own style, padded to its width: a frame only copies.
        self._styled_with = style = self.rich_style
        options = console.options.update_width(width)
        lines = console.render_lines(self._text, options, style=style, pad=True)
        self._lines = [Strip(line, width) for line in lines]
        size = Size(width, len(self._lines))
        if (size.height > self.scrollable_content_region.height) == (
            self.virtual_size.height > self.scrollable_content_region.height
        ):
            # The scroll bar stays as it is: no need to lay the screen out again.
            self.set_reactive(ScrollView.virtual_size, size)
            self._scroll_update(size)
        else:
            self.virtual_size = size

    def render_line(self, y: int) -> Strip:
        index = y + self.scroll_offset.y
        if 0 <= index < len(self._lines):
            return self._lines[index]
        return Strip.blank(self.scrollable_content_region.width, self._styled_with)

    @property
    def shown(self) -> Text:
        """What it shows now (for tests and the palette)."""
        return self._text
