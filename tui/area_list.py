"""The list of areas beside the statements, each with its live level and completion."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from competency.framework import Area
from competency.scoring import AreaResult
from tui.text import plain


def area_prompt(
    area: Area, mine: AreaResult, theirs: AreaResult | None = None, *, current: bool = False
) -> Text:
    """Two lines: the area's title, then its level(s) and how much is answered."""
    text = Text()
    text.append("\u25b6 " if current else "  ", style="bold")
    text.append_text(plain(area.title, "bold"))
    text.append("\n    ")
    if theirs is None:
        text.append(mine.level)
    else:
        text.append(f"self {theirs.level} / you {mine.level}")
    text.append(f" \u00b7 {mine.answered}/{mine.total}", style="dim")
    return text


class AreaList(OptionList):
    """Areas in area-map order. Selecting one (enter or a click) posts ``OptionSelected``.

    Only the prompt of the area that changed is replaced after a keypress; the list is
    built once.
    """

    DEFAULT_CSS = """
    AreaList {
        width: 30;
        height: 1fr;
    }
    """

    def __init__(self, areas: tuple[Area, ...], *, id: str | None = None) -> None:
        self.areas = areas
        super().__init__(*(Option(plain(a.title), id=a.id) for a in areas), id=id)
        self._shown: dict[str, Text] = {}

    def show_area(
        self,
        index: int,
        mine: AreaResult,
        theirs: AreaResult | None = None,
        *,
        current: bool = False,
    ) -> None:
        """Refresh one area's prompt, only when what it shows has changed."""
        area = self.areas[index]
        prompt = area_prompt(area, mine, theirs, current=current)
        if self._shown.get(area.id) != prompt:
            self._shown[area.id] = prompt
            self.replace_option_prompt_at_index(index, prompt)
