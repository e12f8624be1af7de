"""A development plan with the learning resources that help with it, and notes with links.

Maya has gaps in six areas; the example resources file (``examples/``) helps with most of
them. Each plan entry of her report lists exactly the resources the file says help with
that statement (worked out here from the TOML, not by the tool's resolver), in every
format; HTML and Markdown link them, and an http(s) URL in a note becomes a link while
every other scheme stays text.
"""

from __future__ import annotations

import io
import json
import os
import tomllib
from pathlib import Path
from typing import Any

import pytest

from competency.assessment import Assessment
from competency.cli import main
from competency.framework.model import Framework
from competency.framework.resources import with_resources
from competency.outputs import formats
from competency.outputs.report import write_report
from competency.storage import parse_assessment
from tests.conftest import EXAMPLES, REPO
from tests.reports.test_escaping import MARKDOWN_TAGS, Tags, rendered

RESOURCES = REPO / "examples" / "librarians-25-4022.00.resources.toml"
GOLDEN = Path(__file__).parent / "golden"
MAYA = EXAMPLES / "maya-okafor-2026-11-02.json"


def expected_help(framework: Framework, statement_id: str) -> list[str]:
    """The resources the file says help with a statement, read straight from the TOML."""
    statement = framework.statement_by_id[statement_id]
    found = []
    for r in tomllib.loads(RESOURCES.read_text("utf-8"))["resources"]:
        by_area = statement.area in r.get("areas", []) and (
            not r.get("levels") or statement.level in r["levels"]
        )
        if statement_id in r.get("statements", []) or by_area:
            found.append(r["id"])
    return found


def render(fmt: str, framework: Framework, assessment: Assessment | None = None) -> bytes:
    data = MAYA.read_bytes()
    out = io.BytesIO()
    write_report(
        fmt,
        assessment or parse_assessment(data, str(MAYA)),
        with_resources(framework, RESOURCES),
        out,
        source_bytes=data,
    )
    return out.getvalue()


@pytest.mark.parametrize("fmt", formats("report"))
def test_a_plan_with_resources_matches_its_golden_file(fmt: str, librarians: Framework) -> None:
    produced = render(fmt, librarians)
    golden = GOLDEN / f"maya-resources.{fmt}"
    if os.environ.get("COMPETENCY_REGENERATE_GOLDEN") == "1":
        golden.write_bytes(produced)
    assert produced == golden.read_bytes(), f"{golden.name} differs; see test_golden.py"


def test_each_plan_entry_carries_the_resources_that_help_with_it(librarians: Framework) -> None:
    data = json.loads(render("json", librarians))
    plan = [entry for area in data["areas"] for entry in area["plan"]]
    assert len(plan) == 7
    for entry in plan:
        assert [r["id"] for r in entry["resources"]] == expected_help(librarians, entry["id"])
    assert all(entry["resources"] for entry in plan)  # the example helps with every gap
    first = plan[0]["resources"][0]
    assert first == {
        "id": "collection-development-in-practice",
        "title": "Collection development in practice",
        "url": "https://learning.example.org/courses/collection-development",
        "kind": "course",
        "hours": 6,
        "access": "staff intranet; ask your supervisor for a place",
    }
    used = {r["id"] for entry in plan for r in entry["resources"]}
    assert {r["id"] for r in data["resources"]} == used


def test_html_and_markdown_link_the_same_resources(librarians: Framework) -> None:
    data = json.loads(render("json", librarians))
    urls = {r["url"] for r in data["resources"] if r["url"]}
    page = Tags()
    page.feed(render("html", librarians).decode("utf-8"))
    assert {link for link in page.links if not link.startswith("#")} == urls
    md = Tags()
    md.feed(rendered(render("md", librarians).decode("utf-8")))
    assert set(md.links) == urls


def test_the_command_line_reads_resources_given_or_beside_the_framework(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], librarians: Framework
) -> None:
    assert main(["report", str(MAYA), "--format", "json", "--resources", str(RESOURCES)]) == 0
    given = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in given["areas"][0]["plan"][0]["resources"]] == expected_help(
        librarians, "proficient.2"
    )
    # Beside a framework of one's own, the same file is read without --resources.
    framework = tmp_path / "lib.json"
    framework.write_bytes(Path(librarians.source_path or "").read_bytes())
    (tmp_path / "lib.areas.toml").write_bytes(Path(librarians.areas_path or "").read_bytes())
    (tmp_path / "lib.resources.toml").write_bytes(RESOURCES.read_bytes())
    assert main(["report", str(MAYA), "--format", "json", "--framework", str(framework)]) == 0
    beside = json.loads(capsys.readouterr().out)
    assert beside["resources"] == given["resources"]
    assert main(["report", str(MAYA), "--format", "json"]) == 0
    assert "resources" not in json.loads(capsys.readouterr().out)


HOSTILE_NOTE = (
    'Certificate: https://x.org/cert?a=1&b=2"><script>alert(1)</script> and '
    'javascript:alert(2) and [a](javascript:alert(3)) and <a href="javascript:alert(4)">x</a> '
    "and data:text/html,<b>5</b> and (see https://library.example.org/guide_(2024)). "
    "HTTPS://EXAMPLE.ORG/UP, ftp://example.org/f, xhttps://example.org/glued"
)
LINKS = [
    "https://x.org/cert?a=1&b=2",
    "https://library.example.org/guide_%282024%29",
    "HTTPS://EXAMPLE.ORG/UP",
]


def hostile(framework: Framework) -> Assessment:
    a = parse_assessment(MAYA.read_bytes(), str(MAYA))
    # A note in a plan table (proficient.2), one listed with the evidence (emerging.1).
    a.notes = {"proficient.2": HOSTILE_NOTE, "emerging.1": HOSTILE_NOTE}
    return a


def test_a_url_in_a_note_is_a_link_in_html_and_nothing_else_is(librarians: Framework) -> None:
    page = render("html", librarians, hostile(librarians)).decode("utf-8")
    tags = Tags()
    tags.feed(page)
    assert "<script" not in page and "<b>" not in page
    noted = [link for link in tags.links if not link.startswith("#")]
    assert sorted(set(noted) - {r for r in _resource_urls()}) == sorted(LINKS)
    assert noted.count("https://x.org/cert?a=1&b=2") == 2  # each note shown once, linked
    for anchor in page.split("<a ")[1:]:
        head = anchor.split(">", 1)[0]
        if 'href="#' not in head:
            assert 'rel="noopener noreferrer"' in head, head
    assert "javascript:" not in "".join(tags.links) and "data:" not in "".join(tags.links)


def test_a_url_in_a_note_is_a_link_in_markdown_and_nothing_else_is(
    librarians: Framework,
) -> None:
    text = render("md", librarians, hostile(librarians)).decode("utf-8")
    tags = Tags()
    tags.feed(rendered(text))
    assert tags.tags <= MARKDOWN_TAGS | {"a"}
    assert sorted(set(tags.links) - _resource_urls()) == sorted(LINKS)
    assert all(link.lower().startswith(("https://", "http://")) for link in tags.links)
    assert "<script>" not in rendered(text)


def _resource_urls() -> set[str]:
    return {
        r["url"] for r in tomllib.loads(RESOURCES.read_text("utf-8"))["resources"] if "url" in r
    }


def test_a_hostile_resources_file_stays_text(tmp_path: Path, librarians: Framework) -> None:
    path = tmp_path / "evil.resources.toml"
    evil: dict[str, Any] = {
        "id": "evil",
        "title": "<script>alert(1)</script> [x](javascript:alert(2)) | **b**",
        "url": 'https://example.org/a"onmouseover="alert(3)<b>|(x)',
        "kind": "<i>course</i>",
        "access": "| --- |",
        "hours": 2,
        "areas": ["collection-management"],
    }
    path.write_text(
        "[[resources]]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in evil.items()), "utf-8"
    )
    framework = with_resources(librarians, path)
    data = MAYA.read_bytes()
    assessment = parse_assessment(data, str(MAYA))
    out = io.BytesIO()
    write_report("html", assessment, framework, out)
    page = out.getvalue().decode("utf-8")
    tags = Tags()
    tags.feed(page)
    assert "<script" not in page and "<i>" not in page and "<b>" not in page
    assert not [a for a in tags.attributes if a.startswith("on")]
    address = "https://example.org/a%22onmouseover=%22alert%283%29%3Cb%3E%7C%28x%29"
    assert {link for link in tags.links if not link.startswith("#")} == {address}
    out = io.BytesIO()
    write_report("md", assessment, framework, out)
    text = out.getvalue().decode("utf-8")
    md = Tags()
    md.feed(rendered(text))
    assert set(md.links) == {address}
    assert not [a for a in md.attributes if a.startswith("on")]
    assert "<script>" not in rendered(text) and "<i>" not in rendered(text)
    # It helps with Collection Management only: the other entries say so with an empty list.
    out = io.BytesIO()
    write_report("json", assessment, framework, out)
    plan = {e["id"]: e["resources"] for a in json.loads(out.getvalue())["areas"] for e in a["plan"]}
    assert [r["id"] for r in plan.pop("proficient.2")] == ["evil"]
    assert set(map(len, plan.values())) == {0}
