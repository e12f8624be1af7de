"""Asks for the team folder to submit to (SPEC 7); returns it, or None."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tui.text import plain


class FolderScreen(ModalScreen[Path | None]):
    """One line for a folder's path; enter accepts a folder that exists, escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: str, *, explanation: str = "", value: str = "") -> None:
        super().__init__()
        self.question = question
        self.explanation = explanation
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(id="choice-dialog"):
            yield Static(plain(self.question, "bold"))
            if self.explanation:
                yield Static(plain(self.explanation))
            yield Input(self.value, placeholder="/path/to/the/team/folder", id="folder")
            yield Static("", id="folder-problem")
            yield Static(Text("enter choose \u00b7 escape cancel", style="dim"))

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        folder = Path(text).expanduser()
        if not text or not folder.is_dir():
            problem = "Give a folder that exists." if not text else f"No such folder: {text}"
            self.query_one("#folder-problem", Static).update(plain(problem, "bold red"))
            return
        self.dismiss(folder)

    def action_cancel(self) -> None:
        self.dismiss(None)
