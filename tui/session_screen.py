"""What every screen that changes the session shares: trying a change, saying why not."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, OptionList, Static

from competency.errors import CompetencyError
from competency.session import ReadOnly, Session
from competency.text import visible
from tui.text import plain


def show(widget: Static, text: Text, *, layout: bool = True) -> None:
    """Update a line only when what it shows changes: every update costs a redraw, and a
    layout pass unless ``layout`` is False (for a line of fixed height)."""
    if widget.content != text:
        widget.update(text, layout=layout)


def summary_layout(*below_areas: Widget) -> ComposeResult:
    """What the two summaries show, top to bottom: the title, the read-only and problem
    lines, the areas, then ``below_areas`` and the footer."""
    yield Static(id="summary-title")
    yield Static(id="read-only")
    yield Static(id="problem")
    yield OptionList(id="summary-areas")
    yield from below_areas
    yield Footer(compact=True)


def status_text(session: Session) -> Text:
    """The status in words, with how much of the review is done once there is one.

    A review signed off with statements left unrated says "partial" wherever it shows.
    """
    text = Text(session.status.replace("_", " ").capitalize(), style="bold")
    if session.assessment.review is None and session.status != "reviewed":
        return text
    done = session.review_result().overall
    if session.status == "reviewed" and done.answered < done.total:
        text.append(f" (partial: {done.answered} of {done.total} reviewed)", style="bold")
    elif session.status != "reviewed":
        text.append(f" (review {done.answered} of {done.total})")
    return text


class SessionScreen(Screen[str | None]):
    """A screen with a ``Static#problem`` line, where refused changes are explained.

    Its ``Static#read-only`` line says why nothing can change, when that is so: a line of
    its own that wraps, so the whole reason is readable in 80 columns.
    """

    session: Session

    def action_export(self) -> None:
        """Offer every report format, written beside the assessment file."""
        from competency.outputs import formats
        from competency.outputs.report import export_path
        from tui.choice_screen import ChoiceScreen

        path = self.session.store.path
        # The names the export will write now: an earlier report is never replaced, so a
        # second export of a format goes to NAME.2.report.FMT, and the list says so.
        choices = [
            (fmt, f"{fmt} \u2192 {export_path(path, fmt).name}") for fmt in formats("report")
        ]
        self.app.push_screen(
            ChoiceScreen(
                "Export a report",
                choices,
                explanation="Written beside the assessment file; earlier reports are kept.",
            ),
            lambda fmt: self.export(fmt) if fmt else None,
        )

    def export(self, fmt: str) -> None:
        try:
            target = self.session.export_report(fmt)
        except (CompetencyError, OSError) as exc:
            self.show_problem(f"Export failed: {exc}")
            return
        self.show_problem(None)
        self.notify(visible(f"Report written to {target}"), title="Exported", markup=False)

    def refresh_read_only(self, reason: str | None) -> None:
        """Show (or, with None, hide) why the assessment is read-only."""
        line = self.query_one("#read-only", Static)
        text = Text("Read-only: ", style="bold")
        text.append_text(plain(reason or ""))
        show(line, text)
        line.display = bool(reason)

    def say_read_only(self, reason: str) -> None:
        """A refused key: the reason again, as a notification."""
        self.notify(visible(reason), title="Read-only", severity="warning", markup=False)

    def show_problem(self, message: str | None) -> None:
        """Show (or, with None, hide) the line under the screen's title."""
        problem = self.query_one("#problem", Static)
        show(problem, plain(message or ""))
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
