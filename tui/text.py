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


# One colour per rating value, from the Okabe-Ito palette (told apart with the common
# kinds of colour blindness), running from vermillion to blue. The value is always written
# too; colour only helps the eye, and NO_COLOR (Textual turns the screen monochrome) loses
# nothing but the colour.
RATING_STYLES: dict[int | str, str] = {
    0: "bold #000000 on #d55e00",
    1: "bold #000000 on #e69f00",
    2: "bold #000000 on #f0e442",
    3: "bold #000000 on #56b4e9",
    4: "bold #ffffff on #0072b2",
    NA: "bold #000000 on #bbbbbb",
}


def rating_text(rating: int | str | None) -> Text:
    """The table's rating cell: the short form, on the value's colour (none unrated)."""
    mark = rating_mark(rating)
    if rating is None:
        return Text(mark, style="dim")
    return Text(f" {mark} ", style=RATING_STYLES.get(rating, ""))
