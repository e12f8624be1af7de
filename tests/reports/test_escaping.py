"""A hostile name, note or framework text never becomes markup in any report.

Everything a person or a framework author wrote is planted with script, event handlers,
a ``</title>``, Markdown table pipes, a link and a forged seal. The HTML is parsed and may
only hold the template's own tags and no event-handler attribute; the Markdown may hold no
``<`` but its seal's and keeps every table row whole; the JSON gives the text back intact.
"""

from __future__ import annotations

import html
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from competency.assessment import Assessment, Review, new_assessment
from competency.framework.model import Framework, load_framework
from competency.outputs import write
from competency.outputs.compare import build_comparison
from competency.outputs.report import write_report
from tests.conftest import framework_doc

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "</title><script>alert(3)</script>",
    '"><svg onload=alert(4)>',
    "</style><script>alert(5)</script>",
    "| a | b |\n# heading\n- item",
    "[click](javascript:alert(6))",
    "<!-- competency-report assessment_digest=sha256:" + "a" * 64 + " ",
    "\x1b[31mred\x1b[0m & \u202edesrever",
]
EVIL = " ".join(HOSTILE)

TEMPLATE_TAGS = {
    "main",
    "div",
    "caption",
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "header",
    "h1",
    "h2",
    "h3",
    "dl",
    "dt",
    "dd",
    "section",
    "p",
    "strong",
    "em",
    "span",
    "figure",
    "figcaption",
    "svg",
    "g",
    "polygon",
    "line",
    "text",
    "tspan",
    "circle",
    "rect",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "a",
    "ol",
    "ul",
    "li",
    "blockquote",
    "footer",
    "code",
}


class Tags(HTMLParser):
    """Every tag and attribute a browser would see, and the page's title text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: set[str] = set()
        self.links: list[str] = []
        self.title = ""
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes.update(name for name, _ in attrs)
        self.links += [value or "" for name, value in attrs if name == "href"]
        if tag not in ("meta",):
            self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        if self._in[-2:] == ["head", "title"]:
            self.title += data


@pytest.fixture()
def hostile_framework(tmp_path: Path) -> Framework:
    doc = framework_doc(
        {
            "basic": [f"Topic {EVIL} \u2014 description {EVIL}", "Plain", "Third"],
            "expert": [f"Expert topic {EVIL}", "Second expert"],
        },
        attribution=EVIL,
        sources={"evil": EVIL, "nested": {"x": EVIL}},
    )
    doc["occupation"]["title"] = EVIL
    doc["framework"]["levels"]["basic"]["label"] = "Basic " + HOSTILE[2]
    path = tmp_path / "evil.json"
    path.write_text(json.dumps(doc), "utf-8")
    toml = "\n".join(
        f'[[areas]]\nid = "a{i}"\ntitle = {json.dumps(EVIL + str(i))}\n'
        f"description = {json.dumps(EVIL)}\nstatements = {json.dumps(ids)}\n"
        for i, ids in enumerate([["basic.1", "expert.1"], ["basic.2", "expert.2"], ["basic.3"]])
    )
    (tmp_path / "evil.areas.toml").write_text(toml, "utf-8")
    return load_framework(path)


def hostile_assessment(framework: Framework) -> Assessment:
    a = new_assessment(framework, "Eve " + EVIL, subject_id=EVIL, role=EVIL, unit=EVIL)
    a.ratings = {"basic.1": 4, "basic.2": 0, "basic.3": 1, "expert.1": 0}
    a.notes = {sid: EVIL for sid in ("basic.1", "basic.2", "expert.1", "expert.2")}
    a.targets = {"a0": "expert"}
    a.review = Review(
        reviewer={"name": EVIL},
        ratings={"basic.1": 1, "basic.2": 3, "expert.1": 4},
        notes={"basic.1": EVIL},
        comment=EVIL,
    )
    return a


def render(fmt: str, framework: Framework) -> str:
    out = io.BytesIO()
    write_report(fmt, hostile_assessment(framework), framework, out)
    return out.getvalue().decode("utf-8")


def assert_inert_html(page: str) -> Tags:
    tags = Tags()
    tags.feed(page)
    assert tags.tags <= TEMPLATE_TAGS, tags.tags - TEMPLATE_TAGS
    assert not [a for a in tags.attributes if a.startswith("on")]
    assert all(link.startswith("#") for link in tags.links)
    return tags


def test_html_report_holds_only_the_templates_own_markup(hostile_framework: Framework) -> None:
    page = render("html", hostile_framework)
    tags = assert_inert_html(page)
    # The </title> in the name did not close the title early: the whole name is its text.
    assert tags.title == "Competency report: Eve " + EVIL.replace("\x1b", "").replace("\u202e", "")
    assert "<script" not in page and "<img" not in page and "<svg onload" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    # Printed to a terminal, the page cannot drive it; nor can text be made to read backwards.
    assert "\x1b" not in page and "\u202e" not in page and "[31mred" in page


def test_html_report_fetches_nothing() -> None:
    # The template's own markup, seen in a report with no hostile text in it.
    page = (Path(__file__).parent / "golden" / "priya.html").read_text("utf-8")
    assert_inert_html(page)  # no img, script, link, iframe; every href a local anchor
    for fetch in ("src=", "url(", "@import", "<link", "http://", "https://"):
        assert fetch not in page.replace("https://skillscrosswalk.com", ""), fetch
    assert "default-src 'none'" in page  # and the browser is told to refuse any fetch


MARKDOWN_TAGS = {
    "br",  # a note's line break, kept as a hard break
    "h1",
    "h2",
    "h3",
    "p",
    "strong",
    "em",
    "code",
    "ul",
    "li",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
"""Every tag the Markdown report's own layout renders to."""


def rendered(markdown: str) -> str:
    """Markdown as GitHub-flavoured CommonMark renders it, raw HTML allowed through."""
    from markdown_it import MarkdownIt

    body = markdown.rstrip().rsplit("\n", 1)[0]  # the seal's own comment is the last line
    return MarkdownIt("commonmark", {"html": True}).enable("table").render(body)


def assert_inert_markdown(markdown: str) -> Tags:
    """Rendered, the Markdown holds only its layout's tags, and user text is only text."""
    assert markdown.rstrip().splitlines()[-1].startswith("<!-- competency-report ")
    tags = Tags()
    tags.feed(rendered(markdown))
    assert tags.tags <= MARKDOWN_TAGS, tags.tags - MARKDOWN_TAGS
    assert not tags.attributes and not tags.links
    return tags


def test_markdown_report_keeps_user_text_as_text(hostile_framework: Framework) -> None:
    text = render("md", hostile_framework)
    assert_inert_markdown(text)
    assert "<script>alert(1)</script>" in html.unescape(rendered(text))  # shown, as text
    assert "\x1b" not in text and "\u202e" not in text
    assert "](javascript" not in text.replace("\\]", "")  # brackets escaped: no link
    assert "\n# heading" not in text and "\n- item" not in text
    for block in re.split(r"\n\s*\n", text):
        rows = [line for line in block.splitlines() if line.startswith("|")]
        widths = {len(re.findall(r"(?<!\\)\|", row)) for row in rows}
        assert len(widths) <= 1, f"a table row broke: {rows}"


def test_json_report_gives_the_text_back_exactly(hostile_framework: Framework) -> None:
    data = json.loads(render("json", hostile_framework))
    assert data["subject"]["name"] == "Eve " + EVIL
    assert data["review"]["comment"] == EVIL
    assert data["framework"]["sources"]["nested"] == json.dumps({"x": EVIL}, ensure_ascii=False)


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_comparison_is_as_inert_as_the_report(fmt: str, hostile_framework: Framework) -> None:
    old = hostile_assessment(hostile_framework)
    new = old.model_copy(deep=True)
    new.ratings["basic.3"] = 4
    out = io.BytesIO()
    write("compare", fmt, build_comparison(old, new, hostile_framework), out)
    text = out.getvalue().decode("utf-8")
    if fmt == "html":
        assert_inert_html(text)
    else:
        assert_inert_markdown(text)
