"""'Next' on the summary: the top of the ladder only when the top level was reached."""

from __future__ import annotations

from pathlib import Path

from competency.assessment import NA
from competency.framework.model import Framework
from competency.scoring import score
from tests.tui.conftest import OpenApp, write_assessment
from tui.explain import next_text
from tui.summary_screen import SummaryScreen

TOP = "Next: the top of the ladder is reached"
SKIPPED = (
    "Next: as far as this area goes: the levels above are not applicable or have no statements here"
)


def _area_ratings(framework: Framework, top: int | str) -> dict[str, int | str]:
    """The first area rated 3 throughout, its top level's statements rated ``top``."""
    area = framework.areas[0]
    highest = framework.levels[-1].key
    return {
        sid: top if framework.statement_by_id[sid].level == highest else 3
        for sid in area.statement_ids
    }


def test_next_says_top_of_the_ladder_only_when_the_top_was_reached(
    librarians: Framework,
) -> None:
    area = librarians.areas[0].id
    reached = score(librarians, _area_ratings(librarians, 4)).area(area)
    assert reached.reached_top
    assert str(next_text(reached, librarians)) == TOP

    skipped = score(librarians, _area_ratings(librarians, NA)).area(area)
    assert not skipped.reached_top and skipped.next_level is None
    assert str(next_text(skipped, librarians)) == SKIPPED


async def test_the_summary_does_not_call_skipped_levels_the_top(
    open_app: OpenApp, tmp_path: Path, librarians: Framework
) -> None:
    path = write_assessment(
        tmp_path / "ada.json", librarians, ratings=_area_ratings(librarians, NA)
    )
    before = path.read_bytes()
    app = open_app(path)
    async with app.run_test() as pilot:
        await pilot.press("s")
        screen = app.screen
        assert isinstance(screen, SummaryScreen)
        first_area = str(screen.area_text(0))
    assert SKIPPED in first_area
    assert TOP not in first_area
    assert path.read_bytes() == before, "looking at the summary changes nothing"
