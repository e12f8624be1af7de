"""What every screen that changes the session shares: trying a change, saying why not."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.screen import Screen
from textual.widgets import Static

from competency.errors import CompetencyError
from competency.session import ReadOnly
from competency.text import visible
from competency.tui.text import plain


class SessionScreen(Screen[None]):
    """A screen with a ``Static#problem`` line, where refused changes are explained.

    Its ``Static#read-only`` line says why nothing can change, when that is so: a line of
    its own that wraps, so the whole reason is readable in 80 columns.
    """

    def refresh_read_only(self, reason: str | None) -> None:
        """Show (or, with None, hide) why the assessment is read-only."""
        line = self.query_one("#read-only", Static)
        text = Text("Read-only: ", style="bold")
        text.append_text(plain(reason or ""))
        line.update(text)
        line.display = bool(reason)

    def say_read_only(self, reason: str) -> None:
        """A refused key: the reason again, as a notification."""
        self.notify(visible(reason), title="Read-only", severity="warning", markup=False)

    def show_problem(self, message: str | None) -> None:
        """Show (or, with None, hide) the line under the screen's title."""
        problem = self.query_one("#problem", Static)
        problem.update(plain(message or ""))
        problem.display = bool(message)

    def attempt(self, change: Callable[[], None]) -> bool:
        """Run a session change; show why it was refused instead of crashing."""
        try:
            change()
        except ReadOnly as exc:
            self.say_read_only(exc.message)
            return False
        except CompetencyError as exc:
            self.show_problem(f"Not saved: {exc.line}")
            self.notify(exc.line, title="Not saved", severity="error", markup=False)
            return False
        self.show_problem(None)
        return True
