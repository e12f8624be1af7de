"""What every screen that changes the session shares: trying a change, saying why not."""

from __future__ import annotations

from collections.abc import Callable

from textual.screen import Screen
from textual.widgets import Static

from competency.errors import CompetencyError
from competency.session import ReadOnly
from tui.text import plain


class SessionScreen(Screen[None]):
    """A screen with a ``Static#problem`` line, where refused changes are explained."""

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
            self.notify(exc.message, title="Read-only", severity="warning", markup=False)
            return False
        except CompetencyError as exc:
            self.show_problem(f"Not saved: {exc.line}")
            self.notify(exc.line, title="Not saved", severity="error", markup=False)
            return False
        self.show_problem(None)
        return True
