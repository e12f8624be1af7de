"""The reviewer's summary: both views per area, how much is reviewed, the disagreements."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from competency.session import Session
from tui.explain import help_text, overall_text
from tui.help_screen import REVIEW_KEYS, HelpScreen
from tui.session_screen import SessionScreen, status_text, summary_layout
from tui.text import plain, rating_mark

_MAX_LISTED = 6


class ReviewSummaryScreen(SessionScreen):
    """One entry per area, then one per disagreement; enter goes to it.

    The result is the chosen area's id or statement's id (None: back where it was).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back to the review"),
        Binding("x", "export", "Export"),
        Binding("question_mark", "help", "Help"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        yield from summary_layout()

    def on_mount(self) -> None:
        self.refresh_summary()
        self.query_one(OptionList).focus()

    def title_text(self) -> Text:
        session = self.session
        mine = session.review_result()
        theirs = session.self_result()
        text = Text("Review summary: ", style="bold")
        text.append_text(plain(session.assessment.subject.name, "bold"))
        text.append(" \u00b7 ")
        text.append_text(status_text(session))
        text.append("\nOverall: self ")
        text.append_text(plain(theirs.overall.level, "bold"))
        text.append(" \u00b7 reviewer ")
        text.append_text(plain(mine.overall.level, "bold"))
        # How much is reviewed is in the status above; the count of disagreements here.
        apart = len(session.disagreements())
        text.append(f" \u00b7 {apart} disagreement{'s' if apart != 1 else ''}\n")
        text.append_text(overall_text(mine, "the reviewer's overall"))
        # The review screen's title has one line for the comment; here it is read whole.
        review = session.assessment.review
        if review is not None and review.comment:
            text.append("\nComment: ", style="bold")
            text.append_text(plain(review.comment, keep_newlines=True))
        return text

    def area_text(self, index: int) -> Text:
        session = self.session
        area = session.framework.areas[index]
        mine = session.review_result().area(area.id)
        theirs = session.self_result().area(area.id)
        text = plain(area.title, "bold")
        text.append("\n  self ")
        text.append_text(plain(theirs.level, "bold"))
        text.append(" \u00b7 reviewer ")
        text.append_text(plain(mine.level, "bold"))
        # The disagreements follow, one line each: no count to wrap the line at 80 columns.
        if mine.in_role:
            text.append(f" \u00b7 {mine.answered}/{mine.total} reviewed")
        # What helps with the plan as the reviewer rates it (with a resources file): the
        # supervisor agrees the next steps with the person here.
        helped = help_text(mine, session.review_ratings, session.framework)
        if helped is not None:
            text.append("\n")
            text.append_text(helped)
        return text

    def disagreement_text(self, statement_id: str) -> Text:
        session = self.session
        statement = session.framework.statement_by_id[statement_id]
        text = Text()
        text.append("  \u2260 ", style="bold")
        text.append_text(plain(statement.topic))
        # The values alone (the scale is on the review screen): one line at 80 columns.
        text.append(f": self {rating_mark(session.self_ratings.get(statement_id))}")
        text.append(f", reviewer {rating_mark(session.review_ratings.get(statement_id))}")
        return text

    def refresh_summary(self) -> None:
        self.query_one("#summary-title", Static).update(self.title_text())
        self.refresh_read_only(self.session.read_only_reason)
        entries: list[Option | None] = []
        disagreements = self.session.disagreements()
        for i, area in enumerate(self.session.framework.areas):
            if i:
                entries.append(None)
            entries.append(Option(self.area_text(i), id=area.id))
            apart = [sid for sid in disagreements if sid in area.statement_ids]
            for sid in apart[:_MAX_LISTED]:
                entries.append(Option(self.disagreement_text(sid), id=sid))
            if len(apart) > _MAX_LISTED:
                more = Text(f"  and {len(apart) - _MAX_LISTED} more (d on the review)")
                entries.append(Option(more, disabled=True))
        options = self.query_one(OptionList)
        options.set_options(entries)
        options.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_back(self) -> None:
        self.dismiss(None)

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(REVIEW_KEYS))

    async def action_quit(self) -> None:
        self.app.exit()
