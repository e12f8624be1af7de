"""The Textual app and the one factory that builds it, for the CLI and the tests alike."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.screen import Screen

from competency.errors import CompetencyError
from competency.framework.model import Framework
from competency.scoring import DEFAULT_THRESHOLD
from competency.session import Role, Session
from competency.storage import AssessmentStore

if TYPE_CHECKING:
    from competency.assessment import Assessment, Person


@dataclass(frozen=True)
class FrameworkChoice:
    """A framework the start screen offers, loaded only once it is picked."""

    label: str
    load: Callable[[], Framework]


class CompetencyApp(App[None]):
    """Opens on the start screen (no session yet) or straight on the statements."""

    CSS_PATH = "competency.tcss"
    ENABLE_COMMAND_PALETTE = False
    TITLE = "competency"

    def __init__(
        self,
        session: Session | None,
        *,
        folder: Path = Path("assessments"),
        choices: Sequence[FrameworkChoice] = (),
        threshold: float = DEFAULT_THRESHOLD,
    ) -> None:
        super().__init__()
        self.session = session
        """The open assessment; set by the start screen when the app began without one."""
        self.folder = folder
        self.choices = list(choices)
        self.threshold = threshold
        self.refusal: CompetencyError | None = None
        """Why a new assessment's file could not be written; the app has exited."""

    def on_mount(self) -> None:
        if self.session is not None and not self.session.created:
            # A new assessment's first screen is drawn from the framework and the name
            # alone; its file is written right after that first frame. A key pressed
            # before then writes it first (every change goes through Session.create).
            self.call_after_refresh(self.create_file)

    def create_file(self) -> None:
        """Write a new assessment's file; when that fails, leave with the reason."""
        if self.session is None:
            return
        try:
            self.session.create()
        except CompetencyError as exc:
            self.refusal = exc
            self.exit(return_code=1)

    def get_default_screen(self) -> Screen[Any]:
        # The first screen is the one the person works on: no empty screen beneath it
        # to build and style at start-up.
        if self.session is None:
            # Imported here: the form's widgets are not needed when a file is open.
            from competency.tui.start_screen import StartScreen

            return StartScreen(self.folder, self.choices, threshold=self.threshold)
        return self.session_screen(self.session)

    def session_screen(self, session: Session) -> Screen[Any]:
        if session.role == "review":
            from competency.tui.review_screen import ReviewScreen

            return ReviewScreen(session)
        from competency.tui.rating_screen import RatingScreen

        return RatingScreen(session)

    def open_session(self, session: Session) -> None:
        """Show the statements of the assessment the start screen created.

        Pushed over the start screen (a default screen cannot be switched away); nothing
        on the statements' screen leads back to the form.
        """
        self.session = session
        self.push_screen(self.session_screen(session))


def make_app(
    framework: Framework | None,
    assessment: Assessment | None = None,
    store: AssessmentStore | None = None,
    *,
    role: Role = "self",
    reviewer: Person | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    folder: Path = Path("assessments"),
    choices: Sequence[FrameworkChoice] = (),
    session: Session | None = None,
) -> CompetencyApp:
    """Build the app for an open assessment, or for the start screen of a new one.

    With ``assessment`` and ``store`` the app opens on the statements (``store`` must
    already hold the file's lock); so it does with ``session`` (such as ``begin_new``'s,
    whose file is written right after the first frame). Without them it opens on the start
    screen, which offers ``framework`` or else ``choices`` and creates the file in ``folder``.
    """
    if session is not None:
        return CompetencyApp(session, threshold=session.threshold)
    if assessment is not None:
        if store is None or framework is None:
            raise ValueError("an open assessment needs its framework and store")
        session = Session(
            framework, assessment, store, role=role, reviewer=reviewer, threshold=threshold
        )
        return CompetencyApp(session, threshold=threshold)
    if framework is not None:
        fixed = framework
        choices = [FrameworkChoice(framework.title, lambda: fixed)]
    return CompetencyApp(None, folder=folder, choices=choices, threshold=threshold)
