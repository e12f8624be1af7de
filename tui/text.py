"""Showing user and framework text safely, and the words the screens share.

Names, notes and statements come from people and from frameworks nobody here wrote. They
are always shown as plain ``rich.text.Text`` (never parsed as markup), and any control
character or escape sequence is replaced by a visible stand-in before it can reach the
terminal.
"""

from __future__ import annotations

import re

from rich.text import Text

from competency.ratings import NA, RATING_LABELS

# DEL, C1 controls, and the bidirectional overrides that can reorder what is shown.
_UNSAFE_ABOVE_C0 = "\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069"
# All of those and every C0 control.
_UNSAFE = re.compile(f"[\x00-\x1f{_UNSAFE_ABOVE_C0}]")
# The same, less the tab and newline a note may hold (CR is made a newline first).
_UNSAFE_IN_NOTE = re.compile(f"[\x00-\x08\x0b-\x1f{_UNSAFE_ABOVE_C0}]")


def _stand_in(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control picture", e.g. ␛ for ESC
    if code == 0x7F:
        return "\u2421"
    return "\ufffd"


def visible(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with every control character replaced by something you can see."""
    if keep_newlines:
        return "\n".join(_UNSAFE.sub(_stand_in, line) for line in text.split("\n"))
    text = text.replace("\r\n", "\n").replace("\n", " \u23ce ").replace("\t", " ")
    return _UNSAFE.sub(_stand_in, text)


def editable(text: str) -> str:
    """``text`` as a note editor may hold it: CRLF and CR become LF, tabs stay.

    Only what could attack a terminal (ESC and the other controls, bidi overrides) is
    removed: an editor saves what it holds, so it never holds display stand-ins.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _UNSAFE_IN_NOTE.sub("", text)


def plain(text: str, style: str = "", *, keep_newlines: bool = False) -> Text:
    """User or framework text as inert ``Text``: no markup, no escape sequences.

    ``style`` covers only this text, not whatever is appended to the result later.
    """
    shown = Text()
    shown.append(visible(text, keep_newlines=keep_newlines), style=style or None)
    return shown


def rating_words(rating: int | str | None) -> str:
    """``3 Consistently``, ``n/a Not applicable`` or ``not rated``."""
    if rating is None:
        return "not rated"
    if rating == NA:
        return f"n/a {RATING_LABELS[NA]}"
    return f"{rating} {RATING_LABELS[rating]}"


def rating_mark(rating: int | str | None) -> str:
    """The short form in a table cell: ``3``, ``n/a`` or ``·`` (not rated)."""
    if rating is None:
        return "\u00b7"
    return "n/a" if rating == NA else str(rating)
