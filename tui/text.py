"""Showing user and framework text safely on the screens.

Names, notes and statements come from people and from frameworks nobody here wrote. They
are always shown as plain ``rich.text.Text`` (never parsed as markup), through
``competency.text.visible``: any control character or escape sequence is replaced by a
visible stand-in before it can reach the terminal.
"""

from __future__ import annotations

from rich.text import Text

from competency.ratings import NA
from competency.text import visible


def plain(text: str, style: str = "", *, keep_newlines: bool = False) -> Text:
    """User or framework text as inert ``Text``: no markup, no escape sequences.

    ``style`` covers only this text, not whatever is appended to the result later.
    """
    shown = Text()
    shown.append(visible(text, keep_newlines=keep_newlines), style=style or None)
    return shown


def rating_mark(rating: int | str | None) -> str:
    """The short form in a table cell: ``3``, ``n/a`` or ``·`` (not rated)."""
    if rating is None:
        return "\u00b7"
    return "n/a" if rating == NA else str(rating)
