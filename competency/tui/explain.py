"""Words for what the core's scoring walk found: why a level, and what comes next.

Only wording lives here. The decisions (which level was reached, where the walk stopped,
which statements held it back) all come from ``competency.scoring``.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text

from competency.framework.model import Framework
from competency.outputs.words import area_explanation, fmt_mean
from competency.outputs.words import rating_label as rating_words
from competency.scoring import AreaResult, ScoreResult, Step
from competency.tui.text import plain

_MAX_LISTED = 4


def _mean(value: float | None) -> str:
    return "-" if value is None else fmt_mean(value)


def why_text(result: AreaResult, ratings: Mapping[str, int | str], framework: Framework) -> Text:
    """The walk level by level, then the statements that held the area back."""
    text = Text()
    parts = []
    for lvl in result.levels:
        if lvl.step is Step.REACHED:
            parts.append(f"{lvl.label} reached (mean {_mean(lvl.mean)})")
        elif lvl.step is Step.BELOW:
            parts.append(
                f"{lvl.label} not reached (mean {_mean(lvl.mean)}, needs {_mean(result.threshold)})"
            )
        elif lvl.step is Step.UNANSWERED:
            parts.append(f"{lvl.label}: nothing rated yet")
        elif lvl.step is Step.SKIPPED and lvl.statement_ids:
            parts.append(f"{lvl.label} skipped (all n/a)")
    text.append("Why: ", style="bold")
    text.append_text(plain("; ".join(parts) or "no statements"))
    held = result.held_back_by(ratings)
    if held:
        text.append("\n     held back by: ", style="bold")
        text.append_text(_listing(held, ratings, framework))
    stop = result.stopped_at
    missing = result.unanswered_at_stop(ratings)
    # When nothing at the stopping level is rated, "Next" below already lists it all.
    if missing and stop is not None and stop.step is not Step.UNANSWERED:
        text.append(f"\n     {len(missing)} still unanswered there: ", style="bold")
        text.append_text(_listing(missing, ratings, framework))
    return text


def next_text(result: AreaResult, framework: Framework) -> Text:
    """What the next level asks for: its statements in this area."""
    text = Text()
    nxt = result.next_level
    text.append("Next: ", style="bold")
    if nxt is None:
        if result.reached_top:
            text.append("the top of the ladder is reached")
        else:
            # Nothing stopped the walk, yet the top level was skipped, not reached.
            text.append(
                "as far as this area goes: the levels above are not applicable or have no "
                "statements here"
            )
        return text
    text.append_text(plain(f"{nxt.label} asks for a mean of {_mean(result.threshold)} on: "))
    text.append_text(_listing(list(nxt.statement_ids), {}, framework))
    return text


def _listing(ids: list[str], ratings: Mapping[str, int | str], framework: Framework) -> Text:
    text = Text()
    for i, sid in enumerate(ids[:_MAX_LISTED]):
        if i:
            text.append("; ")
        text.append_text(plain(framework.statement_by_id[sid].topic))
        if sid in ratings:
            text.append(f" ({rating_words(ratings[sid])})", style="dim")
    if len(ids) > _MAX_LISTED:
        text.append(f"; and {len(ids) - _MAX_LISTED} more", style="dim")
    return text


def overall_text(result: ScoreResult, whose: str = "overall") -> Text:
    """Why the overall level is what it is, and why a higher area does not lift it.

    The overall level walks every statement of every area together, level by level (the
    same rule as an area's, in ``competency.scoring``): an area far ahead counts for its
    statements at each level, not for its own level. ``whose`` names the level explained
    ("the reviewer's overall" on the review's summary).
    """
    overall = result.overall
    text = Text()
    text.append(f"Why {whose}: ", style="bold")
    text.append_text(plain(area_explanation(overall, result.threshold, "the framework")))
    higher = [
        area
        for area in result.areas
        if area.rank is not None and (overall.rank is None or area.rank > overall.rank)
    ]
    stop = overall.stopped_at
    if higher and stop is not None:
        names = ", ".join(f"{a.title} ({a.level})" for a in higher[:3])
        more = f" and {len(higher) - 3} more" if len(higher) > 3 else ""
        text.append("\n")
        text.append_text(
            plain(
                f"{names}{more} {'does' if len(higher) == 1 else 'do'} not lift it: overall "
                f"counts every area's statements at "
                f"{stop.label} together, and their mean stays below "
                f"{fmt_mean(result.threshold)}."
            )
        )
    return text
