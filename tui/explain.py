"""The core's explanations of a level (``competency.explain``), styled for the screens.

Only styling lives here: the words, and every decision behind them, come from the core,
which the plain assessment (``competency.plain``) reads out too.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text

from competency.explain import Listing, area_words, overall_words, plan_help
from competency.framework.model import Framework
from competency.framework.resources import facts
from competency.outputs.words import rating_label as rating_words
from competency.scoring import AreaResult, ScoreResult
from tui.text import plain


def why_text(result: AreaResult, ratings: Mapping[str, int | str], framework: Framework) -> Text:
    """The walk level by level, then the statements that held the area back."""
    words = area_words(result, ratings, framework)
    text = Text()
    text.append("Why: ", style="bold")
    text.append_text(plain(words.why))
    if words.held_back is not None:
        text.append("\n     held back by: ", style="bold")
        text.append_text(_listing(words.held_back))
    if words.unanswered is not None:
        text.append(f"\n     {words.unanswered_count} still unanswered there: ", style="bold")
        text.append_text(_listing(words.unanswered))
    return text


def next_text(result: AreaResult, framework: Framework) -> Text:
    """What the next level asks for: its statements in this area."""
    words = area_words(result, {}, framework)
    text = Text()
    text.append("Next: ", style="bold")
    if words.next_asks is None:
        text.append(words.next_words)
        return text
    text.append_text(plain(words.next_words + " "))
    text.append_text(_listing(words.next_asks))
    return text


def help_text(
    result: AreaResult, ratings: Mapping[str, int | str], framework: Framework
) -> Text | None:
    """The learning resources that help with the area's plan, each address whole; None
    when none does (or there is no resources file)."""
    helped = plan_help(result, ratings, framework)
    if not helped:
        return None
    text = Text()
    for n, (topic, resources) in enumerate(helped):
        text.append("\n     " if n else "     ")
        text.append("resources for ", style="bold")
        text.append_text(plain(topic, "bold"))
        text.append(": ", style="bold")
        for i, r in enumerate(resources):
            if i:
                text.append("; ")
            text.append_text(plain(r.title))
            about = facts(r)
            if about:
                text.append_text(plain(f" ({about})", "dim"))
            if r.url:
                text.append(" ")
                text.append_text(plain(r.url, "underline"))
    return text


def _listing(listed: Listing) -> Text:
    text = Text()
    for i, (topic, rating) in enumerate(listed.items):
        if i:
            text.append("; ")
        text.append_text(plain(topic))
        if rating is not None:
            text.append(f" ({rating_words(rating)})", style="dim")
    if listed.more:
        text.append(f"; and {listed.more} more", style="dim")
    return text


def overall_text(result: ScoreResult, whose: str = "overall") -> Text:
    """Why the overall level is what it is, and why a higher area does not lift it.

    ``whose`` names the level explained ("the reviewer's overall" on the review's summary).
    """
    why, not_lifted = overall_words(result)
    text = Text()
    text.append(f"Why {whose}: ", style="bold")
    text.append_text(plain(why))
    if not_lifted is not None:
        text.append("\n")
        text.append_text(plain(not_lifted))
    return text
