"""The self-assessment: rate each statement, area by area (``competency assess``)."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType

from competency.tui.walk_screen import WalkScreen


class RatingScreen(WalkScreen):
    """The person's own ratings and notes; ``s`` opens the summary."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("s", "summary", "Summary")]

    def action_summary(self) -> None:
        from competency.tui.summary_screen import SummaryScreen

        self.app.push_screen(SummaryScreen(self.session), self.on_summary_closed)

    def on_summary_closed(self, area_id: str | None) -> None:
        # Submitting or reopening on the summary changes what this screen may do.
        self.refresh_title()
        self.refresh_areas()
        self.refresh_detail()
        if area_id is not None:
            self.open_area(area_id)
