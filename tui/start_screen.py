"""The short start screen: who, which framework, where it is saved; or resume one saved."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from competency.errors import CompetencyError
from competency.framework.model import Framework
from competency.framework.profiles import WHOLE_FRAMEWORK
from competency.session import SavedAssessment, Session, same_name, saved_in, start_new
from competency.storage import new_assessment_path
from tui.framework_choice import StartOptions
from tui.text import plain


def saved_text(saved: SavedAssessment) -> Text:
    """One file to resume: whose, how far, when, and its name."""
    text = plain(saved.name, "bold")
    text.append(f" \u00b7 {saved.status.replace('_', ' ')} \u00b7 {saved.answered} rated")
    if saved.updated is not None:
        text.append(f" \u00b7 {saved.updated:%Y-%m-%d %H:%M}")
    text.append(" \u00b7 ")
    text.append_text(plain(saved.path.name, "dim"))
    return text


class StartScreen(Screen[None]):
    """Name (required), id, role and unit; a framework picker when there is a choice, and a
    role-profile picker when the framework has profiles (SPEC 9).

    Below the form, the assessments already in the folder, to resume one instead. Once a
    file is open the screen posts ``Opened`` and the app shows its statements.
    """

    # Focus set while the screen is activated, not deferred: keys typed before the first
    # frame (text, tab, text) land in the fields they were typed for.
    AUTO_FOCUS = "#name"

    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: the app moves the focus as it reads the key, before the keys typed
        # after it are handed to a field (a plain binding runs only once the key has
        # bubbled up from the field, by when "Rosa<tab>S123" has all gone into the name).
        Binding("tab", "app.focus_next", "Next field", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", "Previous field", show=False, priority=True),
        Binding("ctrl+s", "start", "Start new"),
        Binding("escape", "quit", "Quit"),
    ]

    class Opened(Message):
        """An assessment was created or resumed; its statements come next."""

        def __init__(self, session: Session) -> None:
            super().__init__()
            self.session = session

    def __init__(self, options: StartOptions) -> None:
        super().__init__()
        self.options = options
        self.folder = options.folder
        self.choices = list(options.choices)
        self.saved: list[SavedAssessment] = []
        self._loaded: dict[int, Framework] = {}

    def compose(self) -> ComposeResult:
        subject = self.options.subject
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
            # Filled once the framework is read (after the first frame), if it has profiles.
            yield Label("Role profile: only its statements are asked", id="profile-label")
            yield Select(
                [(plain(WHOLE_FRAMEWORK), "")],
                value="",
                allow_blank=False,
                id="profile",
                compact=True,
            )
            yield Label("Your name (required)")
            yield Input(
                subject.name if subject else "",
                placeholder="e.g. Ada Example",
                id="name",
                compact=True,
            )
            yield Label("Staff id, role and unit (optional)")
            yield Input(
                (subject.subject_id or "") if subject else "",
                placeholder="staff id",
                id="subject-id",
                compact=True,
            )
            yield Input(
                (subject.role or "") if subject else "",
                placeholder="role, e.g. Reference Librarian",
                id="role",
                compact=True,
            )
            yield Input(
                (subject.unit or "") if subject else "",
                placeholder="unit, e.g. Main Library",
                id="unit",
                compact=True,
            )
            yield Static(id="where")
            yield Static(id="problem")
            yield Button("Start", id="start", variant="primary", compact=True)
            yield Static(id="resume-heading")
            yield OptionList(id="resume")
        yield Footer()

    def on_mount(self) -> None:
        if self.options.subject is not None and len(self.choices) > 1:
            # ``assess --name`` with several frameworks: the name is given, the choice not.
            self.query_one("#framework", Select).focus()
        self.show_where(self.options.subject.name if self.options.subject else "")
        self.query_one("#resume-heading").display = False
        self.query_one("#resume", OptionList).display = False
        self.query_one("#profile-label").display = False
        self.query_one("#profile", Select).display = False
        # Reading the saved files needs the models: after the first frame, not before it.
        self.call_after_refresh(self.list_saved)
        self.call_after_refresh(self.show_profiles)

    def _framework_index(self) -> int:
        if len(self.choices) < 2:
            return 0
        value = self.query_one("#framework", Select).value
        return value if isinstance(value, int) else 0

    def _framework(self, index: int) -> Framework:
        """The chosen framework, read once (with its area map and role profiles)."""
        if index not in self._loaded:
            self._loaded[index] = self.choices[index].load()
        return self._loaded[index]

    def show_profiles(self) -> None:
        """Offer the chosen framework's role profiles; hide the picker when it has none."""
        label = self.query_one("#profile-label")
        picker = self.query_one("#profile", Select)
        try:
            framework = self._framework(self._framework_index())
        except CompetencyError as exc:
            label.display = picker.display = False
            self.show_problem(exc.line)
            return
        profiles = framework.profiles
        label.display = picker.display = bool(profiles)
        if not profiles:
            return
        picker.set_options(
            [(plain(WHOLE_FRAMEWORK), ""), *((plain(p.title), p.id) for p in profiles)]
        )
        wanted = self.options.profile
        if wanted is None:
            picker.value = ""
        elif wanted in framework.profile_by_id:
            picker.value = wanted
        else:
            from competency.assessment import unknown_profile

            self.show_problem(unknown_profile(wanted, framework))

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "framework":
            self.show_profiles()

    def _profile(self, framework: Framework) -> str | None:
        picker = self.query_one("#profile", Select)
        value = picker.value
        if not picker.display or not isinstance(value, str) or not value:
            return None
        return value if value in framework.profile_by_id else None

    def list_saved(self) -> None:
        if self.options.resume is None:
            return
        self.saved = saved_in(self.folder)
        if not self.saved:
            return
        heading = self.query_one("#resume-heading", Static)
        heading.update(
            plain(f"Or resume one of the {len(self.saved)} in {self.folder}/ (enter):", "bold")
        )
        heading.display = True
        options = self.query_one("#resume", OptionList)
        options.set_options(Option(saved_text(s), id=str(i)) for i, s in enumerate(self.saved))
        options.highlighted = 0
        options.display = True
        subject = self.options.subject
        if subject is None:
            return
        theirs = [i for i, s in enumerate(self.saved) if same_name(s.name, subject.name)]
        if theirs:
            # ``assess --name`` of someone who has an assessment here: the newest is offered.
            options.highlighted = theirs[0]
            options.focus()
            self.show_problem(
                f"{subject.name} already has an assessment here. Enter resumes the "
                "highlighted one; ctrl+s starts a new one beside it."
            )

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

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        resume = self.options.resume
        if resume is None or event.option_list.id != "resume":
            return
        try:
            session = resume(self.saved[event.option_index].path)
        except CompetencyError as exc:
            self.show_problem(exc.line)
            return
        self.post_message(self.Opened(session))

    def _value(self, widget_id: str) -> str | None:
        return self.query_one(f"#{widget_id}", Input).value.strip() or None

    def action_start(self) -> None:
        name = self._value("name")
        if name is None:
            self.show_problem("Please type your name first.")
            self.query_one("#name", Input).focus()
            return
        try:
            framework = self._framework(self._framework_index())
            profile = self._profile(framework)
            # The job title, unless typed: the role profile's title says it.
            role = self._value("role") or (
                framework.profile_by_id[profile].title if profile is not None else None
            )
            session = start_new(
                framework,
                self.folder,
                name,
                subject_id=self._value("subject-id"),
                role=role,
                unit=self._value("unit"),
                profile=profile,
                threshold=self.options.threshold,
            )
        except CompetencyError as exc:
            self.show_problem(exc.line)
            return
        self.post_message(self.Opened(session))

    def show_problem(self, message: str) -> None:
        problem = self.query_one("#problem", Static)
        problem.update(plain(message))
        problem.display = True

    def action_quit(self) -> None:
        self.app.exit()
