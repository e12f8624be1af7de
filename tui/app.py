"""The Textual app and the one factory that builds it, for the CLI and the tests alike."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.screen import Screen

from competency.errors import CompetencyError
from competency.session import Session
from tui.framework_choice import FrameworkChoice, StartOptions

if TYPE_CHECKING:
    from tui.start_screen import StartScreen

__all__ = ["CompetencyApp", "FrameworkChoice", "StartOptions", "make_app"]


class CompetencyApp(App[None]):
    """Opens on the start screen (no session yet) or straight on the statements."""

    CSS_PATH = "competency.tcss"
    TITLE = "competency"

    def __init__(self, session: Session | None, start: StartOptions | None = None) -> None:
        super().__init__()
        self.session = session
        """The open assessment; set when the start screen creates or resumes one."""
        self.start = start
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
            from tui.start_screen import StartScreen

            assert self.start is not None
            return StartScreen(self.start)
        return self.session_screen(self.session)

    def session_screen(self, session: Session) -> Screen[Any]:
        if session.role == "review":
            from tui.review_screen import ReviewScreen

            return ReviewScreen(session)
        from tui.rating_screen import RatingScreen

        return RatingScreen(session)

    def on_start_screen_opened(self, message: StartScreen.Opened) -> None:
        """Show the statements of the assessment the start screen created or resumed.

        Pushed over the start screen (a default screen cannot be switched away); nothing
        on the statements' screen leads back to the form.
        """
        self.session = message.session
        self.push_screen(self.session_screen(message.session))


def make_app(session: Session | None = None, *, start: StartOptions | None = None) -> CompetencyApp:
    """Build the app on an open ``session``, or on the start screen described by ``start``.

    A session's store must already hold the file's lock; a new one (``begin_new``'s) has
    its file written right after the first frame.
    """
    if (session is None) == (start is None):
        raise ValueError("make_app needs a session or start options, not both")
    if start is not None and not start.choices:
        raise ValueError("the start screen needs at least one framework")
    return CompetencyApp(session, start)
