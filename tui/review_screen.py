"""The supervisor's review (``competency review``): their rating beside the person's.

The same walk as the self-assessment, with the person's rating and note shown read-only
and the reviewer's own rating and note edited with the same keys. ``c`` writes the
overall comment; ``S`` signs off, which locks the file.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType

from competency.tui.choice_screen import ChoiceScreen
from competency.tui.help_screen import REVIEW_KEYS
from competency.tui.note_editor import NoteEditor
from competency.tui.statement_detail import detail_text
from competency.tui.text import plain
from competency.tui.walk_screen import WalkScreen


class ReviewScreen(WalkScreen):
    """Edits ``review.ratings`` and ``review.notes``; never the person's answers."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "comment", "Comment"),
        Binding("S", "sign_off", "Sign off", key_display="S"),
    ]

    HELP_KEYS = REVIEW_KEYS
    RATING_COLUMN = "Reviewer"
    OTHER_COLUMN = "Self"
    DONE_WORDS = "reviewed \u2014 press S to sign off"

    def other_ratings(self) -> Mapping[str, int | str]:
        return self.session.self_ratings

    def detail_for(self, statement_id: str) -> Text:
        session = self.session
        return detail_text(
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
        )

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
        text.append("\n")
        text.append(assessment.status.replace("_", " ").capitalize(), style="bold")
        text.append(" \u00b7 overall: self ")
        text.append_text(plain(theirs.level))
        text.append(", you " if session.review_is_theirs else ", reviewer ")
        text.append_text(plain(mine.level))
        text.append(f" \u00b7 {mine.answered}/{mine.total} reviewed")
        comment = assessment.review.comment if assessment.review is not None else None
        text.append("\nComment: ", style="bold")
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

    def action_sign_off(self) -> None:
        session = self.session
        if session.read_only_reason:
            self.say_read_only(session.read_only_reason)
            return
        left = len(session.walk) - len(session.review_ratings)
        warning = f" {left} statements have no reviewer rating." if left else ""

        def chosen(value: str | None) -> None:
            if value != "sign" or not self.attempt(session.sign_off):
                return
            self.refresh_title()
            self.notify("Signed off. The file is now locked.", markup=False)

        self.app.push_screen(
            ChoiceScreen(
                "Sign this review off?",
                [("sign", "Sign off: the file becomes read-only"), ("", "Not yet")],
                explanation="Sets the status to reviewed. Only `competency review FILE "
                "--reopen` unlocks it." + warning,
            ),
            chosen,
        )
