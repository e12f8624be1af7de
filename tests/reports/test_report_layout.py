"""A supervisor reads the report: the whole story first, each thing said once, and print."""

from __future__ import annotations

import io
import re

import markupsafe

from competency.assessment import Review
from competency.framework.model import Framework
from competency.outputs import write
from competency.outputs.report import build_report
from competency.storage import parse_assessment
from tests.conftest import EXAMPLES
from tests.reports.test_golden import CASES


def report_text(fmt: str, example: str, framework: Framework, **changes: object) -> str:
    data = (EXAMPLES / example).read_bytes()
    assessment = parse_assessment(data, example)
    for name, value in changes.items():
        setattr(assessment, name, value)
    out = io.BytesIO()
    write("report", fmt, build_report(assessment, framework), out)
    return out.getvalue().decode("utf-8")


def test_the_walk_says_once_where_it_stopped(librarians: Framework) -> None:
    # Regression: "not reached yet: the walk stopped at a lower level" up to three times
    # per area. Now the levels above the stop share one line.
    for example in CASES.values():
        for fmt in ("html", "md"):
            text = report_text(fmt, example, librarians)
            assert "the walk stopped at a lower level" not in text
            # At most one "not reached" line per area (7 areas).
            assert text.count("not reached, as the walk stopped below") <= 7


def test_the_first_markdown_table_has_a_real_header(librarians: Framework) -> None:
    # Regression: the facts were a table whose header row was empty ("|  |  |").
    text = report_text("md", CASES["maya"], librarians)
    assert not re.search(r"^\|\s+\|\s+\|", text, re.M)
    assert "- **Person:** Maya Okafor (E2041)" in text
    first_table = next(line for line in text.splitlines() if line.startswith("|"))
    assert first_table.startswith("| Area | Self-assessed level |")


def test_the_story_comes_before_the_reference(librarians: Framework) -> None:
    page = report_text("html", CASES["priya"], librarians)
    order = [
        "Overall level:",
        "<svg",
        "<caption>Levels per area</caption>",
        "<h3>What to work on next</h3>",
        "<h3>Where self and reviewer disagree",
        "Each area in detail",
        "Evidence notes",
        "Rating scale",
    ]
    places = [page.index(mark) for mark in order]
    assert places == sorted(places)


def test_each_note_is_printed_once_with_its_line_breaks(librarians: Framework) -> None:
    data = (EXAMPLES / CASES["maya"]).read_bytes()
    assessment = parse_assessment(data, "maya")
    assessment.notes["proficient.2"] = "Weeded the 600s.\nWrote the policy."
    assessment.notes["emerging.1"] = "Ran the desk.\nTrained two pages."
    out = io.BytesIO()
    write("report", "html", build_report(assessment, librarians), out)
    page = out.getvalue().decode("utf-8")
    for note in assessment.notes.values():
        first_line = str(markupsafe.escape(note.split("\n", 1)[0]))
        assert page.count(first_line) == 1, note  # in an area's table or in the list
    assert "Weeded the 600s.\nWrote the policy." in page  # the break is in the page ...
    assert ".note { white-space: pre-line; }" in page  # ... and the page shows it
    out = io.BytesIO()
    write("report", "md", build_report(assessment, librarians), out)
    assert "Ran the desk.\\\n  Trained two pages." in out.getvalue().decode("utf-8")


def test_print_rules_keep_headings_with_text_and_the_scale_whole(
    librarians: Framework,
) -> None:
    page = report_text("html", CASES["sam"], librarians)
    css = page[page.index("@media print") :]
    assert "h2 { break-after: avoid" in css and "h3, caption { break-after: avoid" in css
    assert re.search(r"\.keep,[^{]*#scale table \{ break-inside: avoid", css)
    assert '<section class="area" id="area-1"' in page
    area = page[page.index('id="area-1"') :]
    assert area.index('<div class="keep">') < area.index("<h3")


def test_a_partial_review_says_it_is_partial(librarians: Framework) -> None:
    data = (EXAMPLES / CASES["maya"]).read_bytes()
    assessment = parse_assessment(data, "maya")
    rated = dict(list(assessment.ratings.items())[:10])
    assessment.review = Review(reviewer={"name": "Grace Example"}, ratings=rated)
    report = build_report(assessment, librarians)
    assert report.review is not None and report.review.partial
    assert (report.review.answered, report.review.total) == (10, 40)
    said = "The review is partial: the reviewer rated 10 of 40 statements (25%)"
    for fmt in ("html", "md"):
        out = io.BytesIO()
        write("report", fmt, report, out)
        assert said in out.getvalue().decode("utf-8"), fmt
    full = build_report(parse_assessment((EXAMPLES / CASES["priya"]).read_bytes(), "p"), librarians)
    assert full.review is not None and not full.review.partial
    assert full.review.extent == "The reviewer rated all 40 statements."
