"""The supervisor's review (``competency review``): their rating beside the person's.

The same walk as the self-assessment, with the person's rating and note shown read-only
and the reviewer's own rating and note edited with the same keys. ``a`` takes the person's
own rating as the reviewer's (SPEC 7) and moves on; ``A`` does so for every statement of
the area the reviewer has not rated yet, after a question. ``c`` writes the overall
comment; ``S`` signs off, which locks the file.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType

from competency.outputs.words import apart as apart_words
from tui.choice_screen import ChoiceScreen
from tui.commands import PaletteCommand
from tui.help_screen import REVIEW_KEYS
from tui.note_editor import NoteEditor
from tui.session_screen import status_text
from tui.statement_detail import detail_text
from tui.text import plain
from tui.walk_screen import WalkScreen


class ReviewScreen(WalkScreen):
    """Edits ``review.ratings`` and ``review.notes``; never the person's answers."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Out of the footer, which has 80 columns for the reviewer's own keys (? lists them).
        Binding("u", "clear", "Clear", show=False),
        Binding("ctrl+z", "undo", "Undo", show=False),
        Binding("q", "quit", "Quit", show=False),
        # Out of the footer too (80 columns): the detail says "a: take it as yours".
        Binding("a", "agree", "Agree", show=False),
        Binding("A", "agree_area", "Agree with the rest of the area", show=False),
        Binding("c", "comment", "Comment"),
        Binding("d", "disagreement(1)", "Apart", key_display="d D"),
        Binding("D", "disagreement(-1)", "Previous disagreement", show=False),
        Binding("s", "summary", "Summary"),
        Binding("x", "export", "Export", show=False),
        Binding("S", "sign_off", "Sign off", key_display="S"),
        Binding("c,S,a,A", "refused", "Read-only", show=False),
    ]

    EDITING = WalkScreen.EDITING | {"comment", "sign_off", "agree", "agree_area"}

    HELP_KEYS = REVIEW_KEYS
    RATING_COLUMN = "Reviewer"
    OTHER_COLUMN = "Self"
    DONE_WORDS = "reviewed \u2014 press S to sign off"

    def other_ratings(self) -> Mapping[str, int | str]:
        return self.session.self_ratings

    def detail_for(self, statement_id: str) -> Text:
        session = self.session
        text = detail_text(
            session.framework,
            statement_id,
            session.ratings.get(statement_id),
            session.notes.get(statement_id, ""),
            other=(
                "Self",
                session.self_ratings.get(statement_id),
                session.assessment.notes.get(statement_id, ""),
            ),
            you="Reviewer",
            editable=not session.read_only,
        )
        if session.disagrees(statement_id):
            own = session.self_ratings.get(statement_id)
            theirs = session.review_ratings.get(statement_id)
            text.append(
                f"\n\u2260 Disagreement: {apart_words(own, theirs)} (d: the next one)", "bold"
            )
        return text

    def title_text(self) -> Text:
        session = self.session
        assessment = session.assessment
        text = Text("Review of ", style="bold", no_wrap=True, overflow="ellipsis")
        text.append_text(plain(assessment.subject.name, "bold"))
        text.append(" by ")
        # The review's own reviewer: someone else opening it only reads it.
        review = assessment.review
        recorded = review.reviewer if review is not None else session.reviewer
        reviewer = recorded.name if recorded is not None else ""
        text.append_text(plain(reviewer))
        text.append(" \u00b7 ")
        text.append_text(plain(session.store.path.name))
        mine = session.review_result().overall
        theirs = session.self_result().overall
        # Levels and disagreements on a line of their own: at 80 columns, after the status
        # and how much is reviewed, the count of disagreements was cut off.
        text.append("\nOverall: ", style="bold")
        text.append("self ")
        text.append_text(plain(theirs.level))
        text.append(", you " if session.review_is_theirs else ", reviewer ")
        text.append_text(plain(mine.level))
        apart = len(session.disagreements())
        if apart:
            text.append(f" \u00b7 {apart} disagreement{'s' if apart != 1 else ''} (d)")
        comment = assessment.review.comment if assessment.review is not None else None
        text.append("\n")
        text.append_text(status_text(session))
        text.append(" \u00b7 Comment: ", style="bold")
        text.append_text(plain(comment) if comment else Text("none yet (c)", style="dim"))
        return text

    def note_title(self) -> str:
        return "Your note as reviewer"

    def action_comment(self) -> None:
        session = self.session
        if session.read_only_reason:
            self.say_read_only(session.read_only_reason)
            return
        review = session.assessment.review
        current = (review.comment if review is not None else None) or ""

        def done(text: str | None) -> None:
            if text is not None and self.attempt(lambda: session.set_comment(text)):
                self.refresh_title()

        self.app.push_screen(
            NoteEditor("Overall comment", plain(session.assessment.subject.name), current), done
        )

    def noted(self) -> set[str]:
        return set(self.session.notes) | set(self.session.self_notes)

    def palette_commands(self) -> list[PaletteCommand]:
        return [
            (
                "Next disagreement",
                "d: self and reviewer apart",
                partial(self.action_disagreement, 1),
            ),
            ("Previous disagreement", "D", partial(self.action_disagreement, -1)),
            ("Review summary", "s: both views per area, the disagreements", self.action_summary),
            ("Export a report", "x: written beside the assessment", self.action_export),
            ("Sign off", "S: locks the file", self.action_sign_off),
            (
                "Agree with this rating",
                "a: the person's own rating becomes yours",
                self.action_agree,
            ),
            (
                "Agree with the rest of the area",
                "A: every rating of this area you have not given yet, after a question",
                self.action_agree_area,
            ),
            *super().palette_commands(),
        ]

    def action_agree(self) -> None:
        """The person's own rating (a number or n/a) becomes the reviewer's; then on."""
        sid = self.table.highlighted_id
        if sid is None:
            return
        was_answered = sid in self.session.ratings
        if not self.attempt(partial(self._agree, sid)):
            return
        self.after_change(sid, detail=False)
        self.move_on_from(sid, completed=not was_answered)
        self.refresh_detail()

    def _agree(self, statement_id: str) -> None:
        self.session.agree(statement_id)

    def action_agree_area(self) -> None:
        """Agree with every statement of this area that the person rated and the reviewer
        has not: asked first, since it may be many ratings at once."""
        session = self.session
        area = session.areas[self.area_index]
        todo = [
            s.id
            for s in session.statements_in(area.id)
            if s.id in session.self_ratings and s.id not in session.ratings
        ]
        if not todo:
            self.notify(
                f"Nothing to agree with in {area.title}: every statement the person rated "
                "has your rating already.",
                markup=False,
            )
            return

        def chosen(value: str | None) -> None:
            if value != "agree":
                return
            for sid in todo:
                if not self.attempt(partial(self._agree, sid)):
                    break
                self.after_change(sid, detail=False)
            self.refresh_detail()
            self.notify(f"Agreed with {len(todo)} ratings in {area.title}.", markup=False)

        self.app.push_screen(
            ChoiceScreen(
                f"Agree with {len(todo)} ratings in {area.title}?",
                [("agree", f"Yes: take the person's {len(todo)} ratings as yours"), ("", "No")],
                explanation="Each is saved as your own rating; ctrl+z undoes one at a time. "
                "Statements you rated already are left as they are.",
                selected="",
            ),
            chosen,
        )

    def action_disagreement(self, step: int) -> None:
        session = self.session
        self.jump(
            session.next_disagreement(self.table.highlighted_id, step),
            "No disagreement: self and reviewer are never two or more apart, nor n/a "
            "against a rating.",
        )

    def action_summary(self) -> None:
        from tui.review_summary_screen import ReviewSummaryScreen

        self.app.push_screen(ReviewSummaryScreen(self.session), self.on_summary_closed)

    def on_summary_closed(self, statement_id: str | None) -> None:
        self.refresh_title()
        self.refresh_areas()
        if statement_id is not None and statement_id in self.session.framework.area_by_id:
            self.open_area(statement_id)
        elif statement_id is not None:
            self.jump(statement_id, "")
        self.refresh_detail()

    def action_sign_off(self) -> None:
        session = self.session
        if session.read_only_reason:
            self.say_read_only(session.read_only_reason)
            return
        done = session.review_result().overall
        left = done.total - done.answered

        def chosen(value: str | None) -> None:
            if value != "sign" or not self.attempt(session.sign_off):
                return
            self.refresh_title()
            self.refresh_detail()  # read-only now: no "e: add a note"
            partial_words = f" (partial: {done.answered} of {done.total})" if left else ""
            self.notify(f"Signed off{partial_words}. The file is now locked.", markup=False)

        unlock = "Sets the status to reviewed; only competency review FILE --reopen unlocks it."
        if left:
            # A partial review is allowed, never by accident: enter alone keeps it open.
            dialog = ChoiceScreen(
                f"Sign off a partial review? {done.answered} of {done.total} reviewed",
                [
                    ("", f"Not yet: {left} statements still have no reviewer rating"),
                    ("sign", f"Sign off as partial ({done.answered} of {done.total} reviewed)"),
                ],
                explanation=f"{unlock} Your overall level comes from the {done.answered} "
                "statements you rated, and every screen shows the review as partial.",
                selected="",
            )
        else:
            dialog = ChoiceScreen(
                "Sign this review off?",
                [("sign", "Sign off: the file becomes read-only"), ("", "Not yet")],
                explanation=unlock,
            )
        self.app.push_screen(dialog, chosen)
