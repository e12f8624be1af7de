"""The HTML report: one self-contained file, inline CSS and an inline SVG chart.

Jinja2 renders ``competency/templates/report.html.j2`` with autoescaping on, so every
name, note, comment and framework text is escaped where it is written; nothing in the
page is fetched from the network, and nothing in it changes from one run to the next.
"""

from __future__ import annotations

from functools import cache
from typing import IO, TYPE_CHECKING, Any

from competency.framework.resources import facts, hours_words
from competency.outputs.chart import Ladder, Radar, Series, chart
from competency.outputs.seal import PLACEHOLDER
from competency.outputs.words import (
    DISAGREEMENT_RULE,
    NO_DISAGREEMENT,
    apart,
    difference,
    disagreement_count,
    fmt_mean,
    percent,
    person_line,
    profile_words,
    walk_lines,
    when,
)
from competency.text import link_parts, link_target, strip

if TYPE_CHECKING:
    import jinja2

    from competency.outputs.report import Report

SERIES_NAMES = {"self": "Self-assessed", "reviewer": "Reviewer", "target": "Target"}


def linked(text: str | None) -> Any:
    """A note as HTML: escaped, each ``http`` or ``https`` URL in it a link (SPEC 9).

    The link opens no window that could reach back to the report, and sends no referrer;
    nothing but an http(s) URL ever becomes one.
    """
    import markupsafe

    pieces = []
    for words, target in link_parts(strip(text or "")):
        if target is None:
            pieces.append(markupsafe.escape(words))
        else:
            pieces.append(anchor(target, words))
    return markupsafe.Markup("").join(pieces)


def anchor(target: str, shown: str, css: str | None = None) -> Any:
    """``<a href="target" rel="noopener noreferrer">shown</a>``, both escaped."""
    import markupsafe

    extra = markupsafe.Markup(' class="{}"').format(css) if css else ""
    return markupsafe.Markup('<a href="{}"{} rel="noopener noreferrer">{}</a>').format(
        target, extra, strip(shown)
    )


def resource_link(resource: Any) -> Any:
    """A resource's title, a link when it has a web address."""
    import markupsafe

    target = link_target(resource.url) if resource.url else None
    if target is None:
        return markupsafe.escape(strip(resource.title))
    return anchor(target, resource.title, "resource")


def resource_address(resource: Any) -> Any:
    """A resource's web address written out (a printed page shows no link), linked."""
    import markupsafe

    target = link_target(resource.url) if resource.url else None
    return anchor(target, resource.url) if target else markupsafe.Markup("")


def _stripped(value: object) -> object:
    """Every value written into the page loses control characters and bidi overrides.

    Markup (a macro's output) was built from values that already went through here, and
    must stay Markup so autoescape does not escape it twice.
    """
    import markupsafe

    if isinstance(value, str) and not isinstance(value, markupsafe.Markup):
        return strip(value)
    return value


@cache
def environment() -> jinja2.Environment:
    """The template environment: templates shipped in the package, autoescape always on."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("competency", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_stripped,
    )
    env.filters.update(
        when=when,
        percent=percent,
        mean=fmt_mean,
        person=person_line,
        profile_words=profile_words,
        walk_lines=walk_lines,
        apart=lambda line: apart(line.rating, line.reviewer_rating),
        difference=lambda line: difference(line.rating, line.reviewer_rating),
        disagreements=disagreement_count,
        linked=linked,
        resource_link=resource_link,
        resource_address=resource_address,
        facts=facts,
        hours=hours_words,
    )
    env.globals.update(disagreement_rule=DISAGREEMENT_RULE, no_disagreement=NO_DISAGREEMENT)
    return env


def render(template: str, out: IO[bytes], **context: Any) -> None:
    """Render a template to ``out`` as UTF-8, with the seal's placeholder available."""
    page = environment().get_template(template).render(placeholder=PLACEHOLDER, **context)
    out.write(page.encode("utf-8"))


def report_chart(report: Report) -> Radar | Ladder:
    """The chart of a report: self-assessed levels, and the reviewer's and targets if any."""
    areas = report.areas
    series = [
        Series(
            "self",
            SERIES_NAMES["self"],
            tuple(a.rank for a in areas),
            tuple(a.level for a in areas),
        )
    ]
    if report.review is not None:
        series.append(
            Series(
                "reviewer",
                SERIES_NAMES["reviewer"],
                tuple(a.reviewer_rank for a in areas),
                tuple(a.reviewer_level or "" for a in areas),
            )
        )
    if any(a.target for a in areas):
        series.append(
            Series(
                "target",
                SERIES_NAMES["target"],
                tuple(a.target.rank if a.target else None for a in areas),
                tuple(a.target.label if a.target else "" for a in areas),
            )
        )
    ladder = [lvl.label for lvl in report.framework.levels]
    return chart([a.title for a in areas], ladder, series)


def write_html(report: Report, out: IO[bytes]) -> None:
    """One person's report as a self-contained HTML page."""
    graphic = report_chart(report)
    render(
        "report.html.j2",
        out,
        r=report,
        chart=graphic,
        radar=isinstance(graphic, Radar),
        series_names=SERIES_NAMES,
    )
