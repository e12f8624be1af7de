"""The rating scale with every value's label, always on screen (SPEC 3)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from competency.ratings import RATING_SCALE, rating_key
from tui.text import RATING_STYLES


def scale_text() -> Text:
    """``0 Not yet  1 With support ... n Not applicable``: each key on its colour."""
    text = Text()
    for i, (value, label, _meaning) in enumerate(RATING_SCALE):
        if i:
            text.append(" ")
        # One cell per key, on its colour, so the whole scale fits in 80 columns.
        text.append(rating_key(value), style=RATING_STYLES[value])
        text.append(f" {label}")
    return text


class RatingScale(Static):
    """One line (two when narrow) naming each rating key and what it means."""

    DEFAULT_CSS = """
    RatingScale {
        height: auto;
        padding: 0 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(scale_text(), id=id)
