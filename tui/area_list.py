"""The list of areas beside the statements, each with its live level and completion."""

from __future__ import annotations

import textwrap

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from competency.framework.model import Area
from competency.scoring import AreaResult
from tui.text import plain


def area_prompt(
    area: Area,
    mine: AreaResult,
    theirs: AreaResult | None = None,
    *,
    current: bool = False,
    width: int = 24,
    mine_label: str = "you",
) -> Text:
    """The area's title (wrapped under itself), then its level(s) and how much is answered.

    ``theirs`` is the person's own result when a reviewer (``mine``) is looking;
    ``mine_label`` (at most four letters, to keep the levels aligned) names that reviewer.
    """
    text = Text()
    lines = textwrap.wrap(area.title, max(8, width - 2)) or [""]
    for i, line in enumerate(lines):
        if i:
            text.append("\n  ")
        else:
            text.append("\u25b6 " if current else "  ", style="bold")
        text.append_text(plain(line, "bold"))
    if theirs is not None:
        text.append("\n  self ")
        text.append_text(plain(theirs.level))
    label = f"{mine_label:<4} " if theirs is not None else ""
    text.append(f"\n  {label}")
    text.append_text(plain(mine.level))
    text.append(f" \u00b7 {mine.answered}/{mine.total}", style="dim")
    return text


class AreaList(OptionList):
    """Areas in area-map order. Selecting one (enter or a click) posts ``OptionSelected``.

    Only the prompt of the area that changed is replaced after a keypress; the list is
    built once.
    """

    DEFAULT_CSS = """
    AreaList {
        width: 28;
        height: 1fr;
    }
    """

    def __init__(self, areas: tuple[Area, ...], *, id: str | None = None) -> None:
        self.areas = areas
        super().__init__(*(Option(plain(a.title), id=a.id) for a in areas), id=id)
        self._shown: dict[str, Text] = {}
        self._results: dict[int, tuple[AreaResult, AreaResult | None, bool, str]] = {}
        self._width = 0

    def on_resize(self) -> None:
        # Prompts are wrapped to the list's width, known only once it is laid out: wrap
        # them again then, not at the first key.
        if self.scrollable_content_region.width != self._width:
            for index, (mine, theirs, current, label) in list(self._results.items()):
                self.show_area(index, mine, theirs, current=current, mine_label=label)

    def show_area(
        self,
        index: int,
        mine: AreaResult,
        theirs: AreaResult | None = None,
        *,
        current: bool = False,
        mine_label: str = "you",
    ) -> None:
        """Refresh one area's prompt, only when what it shows has changed."""
        area = self.areas[index]
        self._results[index] = (mine, theirs, current, mine_label)
        self._width = self.scrollable_content_region.width
        width = self._width or 24
        prompt = area_prompt(
            area, mine, theirs, current=current, width=width, mine_label=mine_label
        )
        if self._shown.get(area.id) != prompt:
            self._shown[area.id] = prompt
            self.replace_option_prompt_at_index(index, prompt)
