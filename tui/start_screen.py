"""The short start screen of a new assessment: who, which framework, and where it is saved."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Select, Static

from competency.errors import CompetencyError
from competency.session import Session, start_new
from competency.storage import new_assessment_path
from competency.tui.app import FrameworkChoice
from competency.tui.text import plain


class StartScreen(Screen[None]):
    """Name (required), id, role and unit; a framework picker when there is a choice.

    Once the file exists, the app replaces this screen with the assessment's statements.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "start", "Start"),
        Binding("escape", "quit", "Quit"),
    ]

    def __init__(
        self,
        folder: Path,
        choices: Sequence[FrameworkChoice],
        *,
        threshold: float,
    ) -> None:
        super().__init__()
        if not choices:
            raise ValueError("the start screen needs at least one framework")
        self.folder = folder
        self.choices = list(choices)
        self.threshold = threshold

    def compose(self) -> ComposeResult:
        with Vertical(id="start-form"):
            yield Static(Text("New self-assessment", style="bold"), id="start-heading")
            if len(self.choices) > 1:
                yield Label("Framework")
                yield Select(
                    [(plain(c.label), i) for i, c in enumerate(self.choices)],
                    value=0,
                    allow_blank=False,
                    id="framework",
                )
            else:
                yield Static(plain(f"Framework: {self.choices[0].label}"), id="framework-name")
            yield Label("Your name (required)")
            yield Input(placeholder="e.g. Ada Example", id="name")
            yield Label("Staff id, role and unit (optional)")
            yield Input(placeholder="staff id", id="subject-id")
            yield Input(placeholder="role, e.g. Reference Librarian", id="role")
            yield Input(placeholder="unit, e.g. Main Library", id="unit")
            yield Static(id="where")
            yield Static(id="problem")
            yield Button("Start", id="start", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.show_where("")
        self.query_one("#name", Input).focus()

    def show_where(self, name: str) -> None:
        # The file name is built from the name and today's date; until there is a name
        # only the folder is shown.
        if name.strip():
            shown = f"Saved as {new_assessment_path(self.folder, name)}"
        else:
            shown = f"Saved in {self.folder}/"
        self.query_one("#where", Static).update(plain(shown, "dim"))

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "name":
            self.show_where(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_start()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "start":
            self.action_start()

    def _value(self, widget_id: str) -> str | None:
        return self.query_one(f"#{widget_id}", Input).value.strip() or None

    def action_start(self) -> None:
        name = self._value("name")
        if name is None:
            self.show_problem("Please type your name first.")
            self.query_one("#name", Input).focus()
            return
        index = 0
        if len(self.choices) > 1:
            value = self.query_one(Select).value
            index = value if isinstance(value, int) else 0
        try:
            framework = self.choices[index].load()
            session = start_new(
                framework,
                self.folder,
                name,
                subject_id=self._value("subject-id"),
                role=self._value("role"),
                unit=self._value("unit"),
                threshold=self.threshold,
            )
        except CompetencyError as exc:
            self.show_problem(exc.line)
            return
        self.app_open(session)

    def app_open(self, session: Session) -> None:
        from competency.tui.app import CompetencyApp

        app = self.app
        if isinstance(app, CompetencyApp):
            app.open_session(session)

    def show_problem(self, message: str) -> None:
        problem = self.query_one("#problem", Static)
        problem.update(plain(message))
        problem.display = True

    def action_quit(self) -> None:
        self.app.exit()
