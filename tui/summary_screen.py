"""The summary: each area's level, why, what comes next; targets, export and submit."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from competency.ratings import meets_target
from competency.session import Session
from competency.settings import remember_team_folder, team_folder
from tui.choice_screen import ChoiceScreen
from tui.explain import help_text, next_text, overall_text, why_text
from tui.folder_screen import FolderScreen
from tui.help_screen import ASSESS_KEYS, HelpScreen
from tui.rating_scale import RatingScale
from tui.session_screen import SessionScreen, status_text, summary_layout
from tui.text import plain


class SummaryScreen(SessionScreen):
    """One entry per area; ``t`` sets the highlighted area's target level.

    Enter on an area closes the summary on that area's statements (the result is its id).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back to ratings"),
        Binding("t", "target", "Target"),
        Binding("x", "export", "Export"),
        Binding("s", "submit", "Submit"),
        Binding("r", "reopen", "Reopen"),
        Binding("question_mark", "help", "Help"),
        Binding("q", "quit", "Quit"),
        # Reached only when the bindings above are disabled (read-only): say why.
        Binding("s,t", "refused", "Read-only", show=False),
    ]

    def __init__(self, session: Session, then: str | None = None) -> None:
        super().__init__()
        self.session = session
        self.then = then
        """An action to start once shown (``submit``, ``target``), as the palette asks."""

    def compose(self) -> ComposeResult:
        yield from summary_layout(RatingScale(id="scale"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # The footer offers what can be done now (80 columns are few): submit while in
        # progress, reopen once submitted (a signed-off file only the reviewer reopens).
        status = self.session.status
        if action == "submit":
            return status == "in_progress"
        if action == "target":
            return not self.session.read_only
        if action == "refused":
            return self.session.read_only
        if action == "reopen":
            return status == "submitted"
        return True

    def on_mount(self) -> None:
        self.refresh_summary()
        self.query_one(OptionList).focus()
        if self.then is not None:
            self.call_after_refresh(self.run_action, self.then)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    # -- drawing -----------------------------------------------------------------------------
    def title_text(self) -> Text:
        session = self.session
        assessment = session.assessment
        overall = session.self_result().overall
        text = plain(assessment.subject.name, "bold")
        text.append(" \u2014 ")
        text.append_text(plain(session.framework.title))
        if session.profile is not None:
            text.append(" \u00b7 role profile: ")
            text.append_text(plain(session.profile.title))
        text.append("\nOverall: ", style="bold")
        text.append_text(plain(overall.level, "bold"))
        if overall.rank is not None:
            text.append(f" (level {overall.rank} of {len(session.framework.levels)})")
        text.append(f" \u00b7 {overall.answered}/{overall.total} answered \u00b7 ")
        text.append_text(status_text(session))
        if assessment.review is not None:
            review = session.review_result().overall
            text.append(" \u00b7 reviewer's overall: ")
            text.append_text(plain(review.level))
        text.append("\n")
        text.append_text(overall_text(session.self_result()))
        return text

    def area_text(self, index: int) -> Text:
        session = self.session
        framework = session.framework
        area = framework.areas[index]
        result = session.self_result().area(area.id)
        text = plain(area.title, "bold")
        text.append(" \u2014 ")
        text.append_text(plain(result.level, "bold"))
        if result.rank is not None:
            text.append(f" (level {result.rank})")
        if not result.in_role:
            text.append("\n")
            text.append_text(why_text(result, session.self_ratings, framework))
            return text
        text.append(f" \u00b7 {result.answered}/{result.total} answered")
        target_key = session.targets().get(area.id)
        if target_key is not None:
            target = framework.level_by_key[target_key]
            met = meets_target(result.rank, target.rank)
            text.append(" \u00b7 target ")
            text.append_text(plain(target.label))
            text.append({True: " (met)", False: " (not yet)", None: " (not assessed)"}[met])
        if session.assessment.review is not None:
            theirs = session.review_result().area(area.id)
            text.append(" \u00b7 reviewer: ")
            text.append_text(plain(theirs.level))
        text.append("\n")
        text.append_text(why_text(result, session.self_ratings, framework))
        text.append("\n")
        text.append_text(next_text(result, framework))
        helped = help_text(result, session.self_ratings, framework)
        if helped is not None:
            text.append("\n")
            text.append_text(helped)
        return text

    def refresh_summary(self) -> None:
        self.refresh_bindings()
        self.query_one("#summary-title", Static).update(self.title_text())
        self.refresh_read_only(self.session.read_only_reason)
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        entries: list[Option | None] = []
        for i, area in enumerate(self.session.framework.areas):
            if i:
                entries.append(None)  # a rule between areas
            entries.append(Option(self.area_text(i), id=area.id))
        options.set_options(entries)
        options.highlighted = highlighted if highlighted is not None else 0

    def attempt(self, change: Callable[[], None]) -> bool:
        if not super().attempt(change):
            return False
        self.refresh_summary()
        self.refresh_bindings()  # submitting or reopening changes what the footer offers
        return True

    def action_refused(self) -> None:
        self.say_read_only(self.session.read_only_reason or "read-only")

    # -- actions -------------------------------------------------------------------------------
    def action_back(self) -> None:
        self.dismiss(None)

    def action_target(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is None:
            return
        framework = self.session.framework
        area = framework.areas[options.highlighted]
        if area.id not in self.session.area_index:
            self.notify(f"{area.title} is not in this role: it has no target.", markup=False)
            return
        choices = [("", "No target")] + [
            (lvl.key, f"{lvl.label} (level {lvl.rank})") for lvl in framework.levels
        ]

        def chosen(value: str | None) -> None:
            if value is not None:
                self.attempt(lambda: self.session.set_target(area.id, value or None))

        self.app.push_screen(
            ChoiceScreen(
                f"Target level for {area.title}",
                choices,
                selected=self.session.targets().get(area.id, ""),
            ),
            chosen,
        )

    def action_submit(self) -> None:
        session = self.session
        if session.read_only_reason:
            self.say_read_only(session.read_only_reason)
            return
        overall = session.self_result().overall
        unanswered = overall.total - overall.answered
        warning = f" {unanswered} statements are still unanswered." if unanswered else ""
        folder = team_folder()
        other = "another team folder" if folder is not None else "a team folder"
        # "Not yet" last and "here only" just above it, as before there was a team folder:
        # up and enter from "Not yet" submits here, whatever else is offered.
        choices = [("other", f"Submit to {other}\u2026")]
        if folder is not None:
            choices.append(("team", f"Submit to the team folder {folder}"))
        choices += [("submit", "Submit here only: ratings become read-only"), ("", "Not yet")]

        def chosen(value: str | None) -> None:
            if value == "submit" and self.attempt(session.submit):
                self.notify("Submitted. Ratings are now read-only.", markup=False)
            elif value == "team" and folder is not None:
                self.send_to(folder)
            elif value == "other":
                self.app.push_screen(
                    FolderScreen(
                        "Which is your team's shared folder?",
                        explanation="A network drive, a synced folder or a group folder "
                        "your supervisor reads. It is remembered for next time.",
                        value=str(folder or ""),
                    ),
                    self.send_to,
                )

        self.app.push_screen(
            ChoiceScreen(
                "Submit this assessment?",
                choices,
                explanation="Your supervisor can then review it. You can reopen it "
                "here (r) until it is signed off." + warning,
                # With gaps, enter alone keeps it open: "s s enter" must not submit it.
                selected="" if unanswered else "team" if folder is not None else "submit",
            ),
            chosen,
        )

    def send_to(self, folder: Path | None) -> None:
        """Submit into the team ``folder`` (``competency.team.send``) and remember it."""
        from competency.errors import CompetencyError

        if folder is None:
            return
        from competency.team import send

        session = self.session
        try:
            sent = send(session.store, session.assessment, session.framework, folder, partial=True)
        except (CompetencyError, OSError) as exc:
            line = exc.line if isinstance(exc, CompetencyError) else f"{folder}: {exc}"
            self.notify(line, severity="error", markup=False, timeout=10)
            self.refresh_summary()
            return
        try:
            remember_team_folder(folder)
        except OSError as exc:
            self.notify(f"Not remembered: {exc}", severity="warning", markup=False)
        self.refresh_summary()
        self.notify(f"Submitted to {sent.path}. Ratings are now read-only.", markup=False)

    def action_reopen(self) -> None:
        if self.session.assessment.status == "in_progress":
            self.notify("Already open for changes.", markup=False)
            return
        if self.attempt(self.session.reopen):
            self.notify("Reopened: ratings can change again.", markup=False)

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(ASSESS_KEYS))

    async def action_quit(self) -> None:
        self.app.exit()
