"""The summary lists what helps with the plan; a note's web address is shown whole.

Maya opens her assessment with the example resources file: each area's entry on the
summary names the resources for the statements she still has to work on, with hours,
access and the address. A long address in a note wraps in the detail pane; it is never cut.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from competency.assessment import Person
from competency.framework.model import Framework
from competency.framework.resources import with_resources
from competency.scoring import score
from tests.conftest import EXAMPLES, REPO
from tests.tui.conftest import OpenApp, write_assessment
from tui.explain import help_text
from tui.rating_screen import RatingScreen
from tui.review_summary_screen import ReviewSummaryScreen
from tui.statement_detail import StatementDetail, note_text
from tui.summary_screen import SummaryScreen

RESOURCES = REPO / "examples" / "librarians-25-4022.00.resources.toml"


async def test_the_summary_lists_the_resources_of_each_areas_plan(
    open_app: OpenApp, tmp_path: Path, librarians: Framework
) -> None:
    path = tmp_path / "maya.json"
    shutil.copy(EXAMPLES / "maya-okafor-2026-11-02.json", path)
    app = open_app(path, with_resources(librarians, RESOURCES))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("s")
        screen = app.screen
        assert isinstance(screen, SummaryScreen)
        collection = str(screen.area_text(0))
        top = str(screen.area_text(1))  # Information Services: at the top, no plan
    assert (
        "\n     resources for Strategic collection management: Collection development in practice "
        "(course, 6 hours, staff intranet; ask your supervisor for a place) "
        "https://learning.example.org/courses/collection-development"
    ) in collection
    assert "resources for" not in top


def test_without_a_resources_file_the_summary_says_nothing_of_resources(
    librarians: Framework,
) -> None:
    result = score(librarians, {}).area(librarians.areas[0].id)
    assert help_text(result, {}, librarians) is None


LONG = "https://library.example.org/" + "certificates/" * 12 + "maya-okafor.pdf"


def test_a_web_address_in_a_note_is_underlined_and_nothing_else_is() -> None:
    text = note_text(f"Certificate at {LONG}, and javascript:alert(1).")
    underlined = [text.plain[s.start : s.end] for s in text.spans if s.style == "underline"]
    assert underlined == [LONG]
    assert text.plain == f"Certificate at {LONG}, and javascript:alert(1)."


async def test_a_long_address_in_a_note_is_shown_whole_in_the_detail_pane(
    open_app: OpenApp, tmp_path: Path, librarians: Framework
) -> None:
    # Whichever statement the screen opens on has the note.
    notes = {s.id: f"See {LONG}" for s in librarians.statements}
    path = write_assessment(tmp_path / "ada.json", librarians, notes=notes)
    app = open_app(path)
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RatingScreen)
        pane = app.screen.query_one(StatementDetail)
        width = pane.scrollable_content_region.width
        assert width < len(LONG)  # it has to wrap
        assert pane.scroll_offset.y == 0
        # Every wrapped line the pane holds, scrolled into view or not.
        drawn = "".join(pane.render_line(y).text.strip() for y in range(pane.virtual_size.height))
    assert LONG in drawn.replace(" ", "")


async def test_the_review_summary_lists_what_helps_with_the_reviewers_plan(
    open_app: OpenApp, tmp_path: Path, librarians: Framework
) -> None:
    # Priya's file as Grace reviews it: she agrees with some ratings and rates one lower.
    framework = with_resources(librarians, RESOURCES)
    doc = json.loads((EXAMPLES / "priya-raman-2026-10-12.json").read_text("utf-8"))
    doc.pop("review", None)
    doc["status"] = "submitted"
    area = framework.areas[0]
    doc["review"] = {
        "reviewer": {"name": "Grace Hopper"},
        "started_at": "2026-11-01T09:00:00Z",
        "ratings": {sid: 1 for sid in area.statement_ids},
    }
    path = tmp_path / "priya.json"
    path.write_text(json.dumps(doc), "utf-8")
    app = open_app(path, framework, role="review", reviewer=Person(name="Grace Hopper"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")
        screen = app.screen
        assert isinstance(screen, ReviewSummaryScreen)
        shown = str(screen.area_text(0))
        session = screen.session
        expected = help_text(
            session.review_result().area(area.id), session.review_ratings, framework
        )
    assert expected is not None and "resources for" in str(expected)
    assert shown.endswith("\n" + str(expected))
