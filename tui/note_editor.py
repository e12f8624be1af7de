"""A modal editor for one note: evidence for a statement, or a reviewer's comment."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static, TextArea

from competency.text import editable
from tui.text import plain


class NoteEditor(ModalScreen[str | None]):
    """Returns the edited text on ctrl+s, or None when cancelled or saved unchanged.

    Escape with changes asks first: a note is often the longest thing a person types.

    The editor holds the note itself (see ``tui.text.editable``), never display
    stand-ins, so saving a note keeps the tabs and line breaks another tool wrote. A save
    without an edit returns None: the file must not change because a note was looked at.
    """

    # Focused as the screen is activated, not later: text typed or pasted right after
    # ``e`` goes into the note, not to the statements below.
    AUTO_FOCUS = "#note-text"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save note"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, title: str, heading: Text, text: str) -> None:
        super().__init__()
        self.title_text = title
        self.heading = heading
        self.initial = editable(text)

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog"):
            yield Static(plain(self.title_text, "bold"), id="note-title")
            yield Static(self.heading, id="note-heading")
            yield TextArea(self.initial, id="note-text", soft_wrap=True, show_line_numbers=False)
            with Horizontal(id="note-buttons"):
                yield Button("Save (ctrl+s)", id="note-save", variant="primary", compact=True)
                yield Button("Cancel (escape)", id="note-cancel", compact=True)

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.move_cursor(area.document.end)

    def on_key(self, event: events.Key) -> None:
        """Keys that reach the dialog before its text area has the focus go into the note."""
        area = self.query_one(TextArea)
        if area.has_focus:
            return
        if event.key == "enter":
            typed = "\n"
        elif event.is_printable and event.character:
            typed = event.character
        else:
            return
        event.stop()
        event.prevent_default()
        area.insert(typed)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "note-save":
            self.action_save()
        else:
            self.action_cancel()

    def action_save(self) -> None:
        text = self.query_one(TextArea).text
        # A paste can bring escape sequences in too: they go, like those in the note.
        self.dismiss(None if text == self.initial else editable(text))

    def action_cancel(self) -> None:
        """Close; when something was typed, only after asking (keeping it is the default)."""
        if self.query_one(TextArea).text == self.initial:
            self.dismiss(None)
            return
        from tui.choice_screen import ChoiceScreen

        def chosen(value: str | None) -> None:
            if value == "discard":
                self.dismiss(None)
            else:
                self.query_one(TextArea).focus()

        self.app.push_screen(
            ChoiceScreen(
                "Discard what you typed?",
                [("keep", "Keep editing"), ("discard", "Discard the changes to this note")],
                explanation="Nothing is saved until ctrl+s.",
                selected="keep",
            ),
            chosen,
        )
