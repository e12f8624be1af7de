"""The self-assessment: rate each statement, area by area (``competency assess``)."""

from __future__ import annotations

from functools import partial
from typing import ClassVar

from textual.binding import Binding, BindingType

from tui.commands import PaletteCommand
from tui.walk_screen import WalkScreen


class RatingScreen(WalkScreen):
    """The person's own ratings and notes; ``s`` opens the summary."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("s", "summary", "Summary")]

    def action_summary(self, then: str | None = None) -> None:
        """Open the summary; ``then`` names one of its actions to start at once (the
        palette's "Submit" opens the summary's own confirmation)."""
        from tui.summary_screen import SummaryScreen

        self.app.push_screen(SummaryScreen(self.session, then=then), self.on_summary_closed)

    def palette_commands(self) -> list[PaletteCommand]:
        return [
            (
                "Summary",
                "s: each area's level, why, and what the next level asks",
                self.action_summary,
            ),
            (
                "Export a report",
                "x on the summary: written beside the assessment",
                self.action_export,
            ),
            (
                "Submit for review",
                "s on the summary: ratings become read-only until reopened",
                partial(self.action_summary, "submit"),
            ),
            ("Set a target level", "t on the summary", partial(self.action_summary, "target")),
            *super().palette_commands(),
        ]

    def on_summary_closed(self, area_id: str | None) -> None:
        # Submitting or reopening on the summary changes what this screen may do.
        self.refresh_title()
        self.refresh_areas()
        self.refresh_detail()
        if area_id is not None:
            self.open_area(area_id)
