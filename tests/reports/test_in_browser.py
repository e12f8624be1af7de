"""The pages as people meet them: in real Chromium, checked by axe-core, and on paper.

Every HTML page (a person's report, a comparison, the team summary) must pass every rule
of axe-core, best practices included, with no violation; printed to PDF, the team summary
must keep every column and every name below target, and each bundled example report must
fit on four Letter (and A4) pages. Playwright drives Debian's chromium (its own browser
download does not work here). Without a browser the tests skip, saying how to enable them.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from competency.cli import main
from competency.framework.model import Framework
from competency.outputs import write
from competency.outputs.compare import build_comparison
from competency.outputs.report import write_report
from competency.storage import parse_assessment
from tests.conftest import EXAMPLES, assessment_doc
from tests.reports.test_golden import CASES, next_cycle_bytes

CHROMIUM = Path("/usr/bin/chromium")
ENABLE = (
    "no browser: apt-get install -y chromium && pip install playwright axe-playwright-python "
    "pypdf (the test extra) to run the browser checks"
)
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAPER = {"Letter": 816 - 2 * 45, "A4": 794 - 2 * 45}
"""Paper width in CSS pixels less the reports' 12 mm margins (about 45 px each side)."""

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(ENABLE)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip(ENABLE)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory, librarians: Framework) -> dict[str, Path]:
    """Every kind of page, written as the tool writes it."""
    folder = tmp_path_factory.mktemp("pages")
    made: dict[str, Path] = {}
    for name, example in CASES.items():
        data = (EXAMPLES / example).read_bytes()
        path = folder / f"{name}.html"
        with path.open("wb") as out:
            write_report(
                "html", parse_assessment(data, example), librarians, out, source_bytes=data
            )
        made[f"report-{name}"] = path
    old, new = (EXAMPLES / CASES["maya"]).read_bytes(), next_cycle_bytes()
    before, after = parse_assessment(old, "old"), parse_assessment(new, "new")
    comparison = build_comparison(before, after, librarians, old_bytes=old, new_bytes=new)
    buffer = io.BytesIO()
    write("compare", "html", comparison, buffer)
    made["compare"] = folder / "compare.html"
    made["compare"].write_bytes(buffer.getvalue())
    for name, people in (("summary", 40), ("summary-large", 700)):
        now, then = team(folder / name, librarians, people, 0), team(folder, librarians, 30, 1)
        made[name] = folder / f"{name}.html"
        args = [str(now), "--since", str(then), "--format", "html", "--output", str(made[name])]
        assert main(["summary", *args]) == 0
    return made


UNITS = ("Branch 1", "Branch 2", "Branch 10", "Main")


def team(folder: Path, librarians: Framework, people: int, cycle: int) -> Path:
    """``people`` librarians with targets; some below them. ``cycle`` 1 is a year earlier."""
    folder = folder / f"cycle-{cycle}"
    folder.mkdir(parents=True, exist_ok=True)
    ids = [s.id for s in librarians.statements]
    for i in range(people):
        ratings = {sid: (i + j + cycle) % 5 for j, sid in enumerate(ids) if (i + j) % 7}
        targets = {"information-services": "proficient", "user-education": "developing"}
        doc = assessment_doc(librarians, ratings, targets=targets, status="submitted")
        doc["subject"] = {"name": f"Person {i:03d}", "id": f"P{i:03d}", "unit": UNITS[i % 4]}
        # Two reviewers, one rating a step lower: the calibration chart and its note show.
        lower = i % 2
        reviewer = {"name": "Olu Banks" if lower else "Rhea Lind", "id": f"S{lower}"}
        review = {sid: max(0, v - lower) for sid, v in ratings.items()}
        doc["review"] = {"reviewer": reviewer, "ratings": review}
        (folder / f"p{i:03d}.json").write_text(json.dumps(doc), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    "name", ["report-maya", "report-priya", "report-sam", "compare", "summary", "summary-large"]
)
def test_axe_finds_nothing(browser: Any, pages: dict[str, Path], name: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    for width in (1200, 390):  # a desktop and a phone
        page = browser.new_page(viewport={"width": width, "height": 900})
        try:
            page.goto(pages[name].as_uri(), wait_until="load")
            # Every rule axe-core has, best practices included: no runOnly filter.
            results = Axe().run(page)
        finally:
            page.close()
        print(f"axe-core {name} at {width} px: {results.violations_count} violations")
        assert results.violations_count == 0, results.generate_report()


def pdf(browser: Any, path: Path, paper: str) -> bytes:
    page = browser.new_page()
    try:
        page.goto(path.as_uri(), wait_until="load")
        data: bytes = page.pdf(format=paper)
        return data
    finally:
        page.close()


def pdf_text(data: bytes) -> tuple[int, str]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    # NFKC: the PDF's fonts draw "fi" as one ligature glyph.
    return len(reader.pages), " ".join(unicodedata.normalize("NFKC", text).split())


@pytest.mark.parametrize("paper", list(PAPER))
def test_each_example_report_prints_on_four_pages_at_most(
    browser: Any, pages: dict[str, Path], paper: str, librarians: Framework
) -> None:
    counts = {}
    for name in CASES:
        count, text = pdf_text(pdf(browser, pages[f"report-{name}"], paper))
        counts[name] = count
        for area in librarians.areas:  # nothing dropped: every area is on paper
            assert area.title in text, (name, area.title)
        assert "Rating scale" in text and "What to work on next" in text
    print(f"report pages on {paper}: {counts}")
    assert max(counts.values()) <= 4, counts


@pytest.mark.parametrize("paper", list(PAPER))
def test_printed_summary_keeps_every_column_and_who_is_below_target(
    browser: Any, pages: dict[str, Path], paper: str, librarians: Framework
) -> None:
    count, text = pdf_text(pdf(browser, pages["summary"], paper))
    print(f"summary pages on {paper}: {count}")
    heads = ["Area", "Not assessed", "Median", "Below target", "Person", "Unit", "Done"]
    heads += [level.label for level in librarians.levels] + ["Overall"]
    for head in heads:
        assert head in text, head
    below = re.findall(r"Person \d{3} P\d{3}", text)
    assert len(below) > 10
    for unit in UNITS:  # folded units print open
        assert f"{unit} (10 people)" in text
    assert "Progress since the earlier cycle" in text and "Who moved" in text


@pytest.mark.parametrize(
    "name", ["report-maya", "report-priya", "report-sam", "compare", "summary"]
)
def test_nothing_is_cut_at_the_right_edge_of_the_paper(
    browser: Any, pages: dict[str, Path], name: str
) -> None:
    for paper, width in PAPER.items():
        page = browser.new_page(viewport={"width": width, "height": 1000})
        try:
            page.emulate_media(media="print")
            page.goto(pages[name].as_uri(), wait_until="load")
            wider = page.evaluate(
                """() => [...document.querySelectorAll("body *")]
                .filter(e => e.getBoundingClientRect().right > innerWidth + 1)
                .map(e => e.tagName + "." + e.className).slice(0, 5)"""
            )
        finally:
            page.close()
        assert wider == [], (paper, wider)
