"""A small modal that asks one question and returns the chosen value, or None."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.text import plain


class ChoiceScreen(ModalScreen[str | None]):
    """Pick one of ``choices`` (value, label) with the arrows and enter, or a click."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        question: str,
        choices: Sequence[tuple[str, str]],
        *,
        explanation: str = "",
        selected: str | None = None,
    ) -> None:
        super().__init__()
        self.question = question
        self.choices = list(choices)
        self.explanation = explanation
        self.selected = selected

    def compose(self) -> ComposeResult:
        with Vertical(id="choice-dialog"):
            yield Static(plain(self.question, "bold"), id="choice-question")
            if self.explanation:
                yield Static(plain(self.explanation), id="choice-explanation")
            yield OptionList(
                *(
                    Option(plain(label), id=f"choice-{i}")
                    for i, (_, label) in enumerate(self.choices)
                ),
                id="choice-options",
            )
            yield Static(Text("enter choose \u00b7 escape cancel", style="dim"))

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        values = [value for value, _ in self.choices]
        if self.selected in values:
            options.highlighted = values.index(self.selected)
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.choices[event.option_index][0])

    def action_cancel(self) -> None:
        self.dismiss(None)
