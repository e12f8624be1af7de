"""A person assesses themselves with the keyboard; every step is checked in the saved file."""

from __future__ import annotations

from pathlib import Path

from competency.assessment import NA
from competency.framework.model import Framework
from competency.session import Session
from tests.tui.conftest import (
    OpenApp,
    notices,
    saved,
    saved_json,
    start_app,
    write_assessment,
)
from tui.app import CompetencyApp, FrameworkChoice, StartOptions, make_app
from tui.rating_screen import RatingScreen
from tui.start_screen import StartScreen
from tui.statement_table import StatementTable
from tui.summary_screen import SummaryScreen


def walk(app_session: Session | None) -> tuple[str, ...]:
    assert app_session is not None
    return app_session.walk


async def test_start_screen_creates_the_file_in_the_folder(
    tmp_path: Path, librarians: Framework
) -> None:
    folder = tmp_path / "new" / "folder"
    app = start_app(librarians, folder)
    async with app.run_test() as pilot:
        assert isinstance(app.screen, StartScreen)
        await pilot.press(*"Ada", "space", *"Example", "tab", *"E1234", "enter")
        await pilot.pause()
        assert isinstance(app.screen, RatingScreen)
        await pilot.press("3")
    files = list(folder.glob("*.json"))
    assert len(files) == 1
    assert files[0].name.startswith("ada-example-")
    assessment = saved(files[0])
    assert assessment.subject.name == "Ada Example"
    assert assessment.subject.id == "E1234"
    assert assessment.ratings == {walk(app.session)[0]: 3}
    assert [e.action for e in assessment.history] == ["created"]


async def test_start_screen_needs_a_name_and_never_leaves_the_folder(
    tmp_path: Path, librarians: Framework
) -> None:
    folder = tmp_path / "out"
    app = start_app(librarians, folder)
    async with app.run_test() as pilot:
        await pilot.press("enter")
        assert isinstance(app.screen, StartScreen)
        assert not folder.exists()
        await pilot.press(*"../../etc/passwd", "enter")
        await pilot.pause()
        assert isinstance(app.screen, RatingScreen)
    [created] = folder.glob("*.json")
    assert all(path.parent == folder for path in folder.rglob("*"))
    assert created.name.startswith("etc-passwd-")


async def test_keys_rate_in_walk_order_and_every_answer_is_saved(
    open_app: OpenApp, ada_file: Path
) -> None:
    app = open_app(ada_file)
    async with app.run_test() as pilot:
        order = walk(app.session)
        await pilot.press("4", "4", "3", "n", "2")
        # Saved after each key, not at exit.
        assert saved(ada_file).ratings == {
            order[0]: 4,
            order[1]: 4,
            order[2]: 3,
            order[3]: NA,
            order[4]: 2,
        }
        assert app.screen.query_one(StatementTable).highlighted_id == order[5]


async def test_the_walk_goes_lowest_level_first_and_crosses_into_the_next_area(
    open_app: OpenApp, ada_file: Path, librarians: Framework
) -> None:
    app = open_app(ada_file)
    first, second = librarians.areas[0], librarians.areas[1]
    async with app.run_test() as pilot:
        await pilot.press(*["3"] * len(first.statement_ids))
        table = app.screen.query_one(StatementTable)
        assert table.highlighted_id == second.statement_ids[0]
    ranks = [
        librarians.level_by_key[librarians.statement_by_id[s].level].rank
        for s in first.statement_ids
    ]
    assert ranks == sorted(ranks)
    assert set(saved(ada_file).ratings) == set(first.statement_ids)


async def test_arrows_and_jk_move_and_u_clears(open_app: OpenApp, ada_file: Path) -> None:
    app = open_app(ada_file)
    async with app.run_test() as pilot:
        order = walk(app.session)
        await pilot.press("j", "j", "k", "down", "1")
        assert saved(ada_file).ratings == {order[2]: 1}
        await pilot.press("up", "u")
        assert saved(ada_file).ratings == {}


async def test_a_note_is_written_in_the_editor_and_saved(open_app: OpenApp, ada_file: Path) -> None:
    app = open_app(ada_file)
    async with app.run_test() as pilot:
        order = walk(app.session)
        await pilot.press("e", *"Ran", "space", *"desk", "ctrl+s")
        assert saved(ada_file).notes == {order[0]: "Ran desk"}
        await pilot.press("enter", "backspace", "backspace", "escape")
        assert saved(ada_file).notes == {order[0]: "Ran desk"}, "escape cancels"
        await pilot.press("enter", *["backspace"] * 8, "ctrl+s")
        assert saved(ada_file).notes == {}, "an emptied note is removed"


async def test_tab_and_brackets_change_area(
    open_app: OpenApp, ada_file: Path, librarians: Framework
) -> None:
    app = open_app(ada_file)
    areas = librarians.areas
    async with app.run_test() as pilot:
        screen = app.screen
        assert isinstance(screen, RatingScreen)
        await pilot.press("tab")
        assert screen.area_index == 1
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert screen.area_index == 3
        await pilot.press("left_square_bracket")
        assert screen.area_index == 2
        await pilot.press("shift+tab", "shift+tab")
        assert screen.area_index == 0
        await pilot.press("left_square_bracket", "n")
        assert screen.area_index == len(areas) - 1
    assert saved(ada_file).ratings == {areas[-1].statement_ids[0]: NA}


async def test_clicking_an_area_shows_its_statements(
    open_app: OpenApp, ada_file: Path, librarians: Framework
) -> None:
    app = open_app(ada_file)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, RatingScreen)
        await pilot.click("#areas", offset=(4, 3))
        await pilot.pause()
        assert screen.area_index == 1
        assert screen.table.highlighted_id == librarians.areas[1].statement_ids[0]


async def test_resuming_a_file_opens_on_its_first_unanswered_statement(
    tmp_path: Path, open_app: OpenApp, librarians: Framework
) -> None:
    order = [sid for area in librarians.areas for sid in area.statement_ids]
    path = write_assessment(
        tmp_path / "sam.json", librarians, ratings={sid: 3 for sid in order[:8]}
    )
    app = open_app(path)
    async with app.run_test() as pilot:
        assert app.screen.query_one(StatementTable).highlighted_id == order[8]
        await pilot.press("2")
    ratings = saved(path).ratings
    assert ratings[order[8]] == 2
    assert len(ratings) == 9


async def test_submit_makes_ratings_read_only_until_reopened(
    open_app: OpenApp, ada_file: Path
) -> None:
    app = open_app(ada_file)
    async with app.run_test() as pilot:
        order = walk(app.session)
        await pilot.press("3", "s")
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("s", "enter")
        assert saved_json(ada_file)["status"] == "in_progress", "with gaps, enter keeps it open"
        await pilot.press("s", "up", "enter")
        on_disk = saved_json(ada_file)
        assert on_disk["status"] == "submitted"
        assert [e["action"] for e in on_disk["history"]] == ["created", "submitted"]
        assert on_disk["history"][-1]["by"] == "Ada Example"

        await pilot.press("escape", "4", "u", "e")
        assert isinstance(app.screen, RatingScreen)
        assert saved(ada_file).ratings == {order[0]: 3}, "read-only after submitting"

        await pilot.press("s", "r", "escape", "4")
    after = saved(ada_file)
    assert after.status == "in_progress"
    assert [e.action for e in after.history] == ["created", "submitted", "reopened"]
    assert after.ratings == {order[0]: 3, order[1]: 4}


async def test_the_summary_footer_offers_submit_or_reopen_whichever_can_be_done(
    open_app: OpenApp, ada_file: Path
) -> None:
    app = open_app(ada_file)
    async with app.run_test(size=(80, 24)) as pilot:

        def offered() -> set[str]:
            return {b.binding.action for b in app.active_bindings.values() if b.binding.show}

        await pilot.press("3", "s")
        assert {"submit", "target"} <= offered() and "reopen" not in offered()
        await pilot.press("s", "up", "enter")
        assert saved_json(ada_file)["status"] == "submitted"
        await pilot.pause()
        assert "reopen" in offered() and not {"submit", "target"} & offered()
        await pilot.press("s", "t")  # refused, with the reason, and no dialog
        assert isinstance(app.screen, SummaryScreen)
        assert any("submitted; reopen it" in notice for notice in notices(app))
    assert saved_json(ada_file)["status"] == "submitted"


async def test_a_target_level_is_set_on_the_summary(
    open_app: OpenApp, ada_file: Path, librarians: Framework
) -> None:
    app = open_app(ada_file)
    async with app.run_test() as pilot:
        await pilot.press("s", "down", "t", "down", "down", "enter")
        assert saved(ada_file).targets == {librarians.areas[1].id: librarians.levels[1].key}
        await pilot.press("t", "up", "up", "enter")
    assert saved(ada_file).targets == {}


async def test_a_file_changed_behind_the_app_is_not_overwritten(
    open_app: OpenApp, ada_file: Path
) -> None:
    app = open_app(ada_file)
    async with app.run_test() as pilot:
        await pilot.press("3")
        edited = ada_file.read_bytes().replace(b'"Ada Example"', b'"Ada Edited"')
        ada_file.write_bytes(edited)
        await pilot.press("4")
        problem = app.screen.query_one("#problem")
        assert problem.display
        assert "changed outside this session" in str(problem.render())
        assert app.session is not None
        assert len(app.session.assessment.ratings) == 1, "the refused change is undone"
    assert ada_file.read_bytes() == edited


async def test_quitting_with_q_leaves_everything_saved(open_app: OpenApp, ada_file: Path) -> None:
    app = open_app(ada_file)
    async with app.run_test() as pilot:
        await pilot.press("1", "q")
        await pilot.pause()
    assert len(saved(ada_file).ratings) == 1


async def test_export_writes_the_core_report_beside_the_file(
    open_app: OpenApp, ada_file: Path
) -> None:
    from competency.outputs import formats

    REPORT_FORMATS = formats("report")

    app = open_app(ada_file)
    async with app.run_test() as pilot:
        await pilot.press("3", "s", "x")
        await pilot.press(*["down"] * REPORT_FORMATS.index("md"), "enter")
        await pilot.press("x")
        await pilot.press(*["down"] * REPORT_FORMATS.index("json"), "enter")
    markdown = ada_file.with_name("ada.report.md").read_text("utf-8")
    assert "Ada Example" in markdown
    assert '"Ada Example"' in ada_file.with_name("ada.report.json").read_text("utf-8")
    assert sorted(p.name for p in ada_file.parent.iterdir() if not p.name.startswith(".")) == [
        "ada.json",
        "ada.report.json",
        "ada.report.md",
    ]


async def test_a_second_export_lists_and_writes_the_next_free_name(
    open_app: OpenApp, ada_file: Path
) -> None:
    from textual.widgets import OptionList

    from competency.outputs import formats
    from tui.choice_screen import ChoiceScreen

    md_row = formats("report").index("md")

    def offered(app: CompetencyApp) -> str:
        assert isinstance(app.screen, ChoiceScreen)
        option = app.screen.query_one(OptionList).get_option_at_index(md_row)
        return str(option.prompt)

    app = open_app(ada_file)
    async with app.run_test() as pilot:
        await pilot.press("3", "s", "x")
        assert offered(app) == "md \u2192 ada.report.md"
        await pilot.press(*["down"] * md_row, "enter")
        await pilot.press("x")
        assert offered(app) == "md \u2192 ada.2.report.md", "the first report is kept"
        await pilot.press(*["down"] * md_row, "enter")
        await pilot.pause()
        assert any("ada.2.report.md" in notice for notice in notices(app))
    assert sorted(p.name for p in ada_file.parent.glob("*.md")) == [
        "ada.2.report.md",
        "ada.report.md",
    ]


async def test_the_start_screen_offers_a_choice_of_frameworks(
    tmp_path: Path, librarians: Framework
) -> None:
    from textual.widgets import Select

    from competency.framework.model import load_framework
    from tests.conftest import write_framework

    other = load_framework(write_framework(tmp_path, {"basic": ["Filing", "Sorting"]}))
    choices = [
        FrameworkChoice("Librarians", lambda: librarians),
        FrameworkChoice("Test Occupation", lambda: other),
    ]
    folder = tmp_path / "out"
    app = make_app(start=StartOptions(folder, choices))
    async with app.run_test() as pilot:
        picker = app.screen.query_one(Select)
        picker.focus()
        await pilot.press("enter", "down", "enter")
        assert picker.value == 1
        app.screen.query_one("#name").focus()
        await pilot.press(*"Bo", "ctrl+s", "n")
    [created] = folder.glob("*.json")
    assessment = saved(created)
    assert assessment.framework.id == other.id
    assert assessment.ratings == {"basic.1": NA}


async def test_the_mouse_picks_a_statement_and_saves_a_note(
    open_app: OpenApp, ada_file: Path
) -> None:
    app = open_app(ada_file)
    async with app.run_test() as pilot:
        order = walk(app.session)
        table = app.screen.query_one(StatementTable)
        await pilot.click(StatementTable, offset=(12, 3))  # the header, then row 3
        assert table.highlighted_id == order[2]
        await pilot.click(StatementTable, offset=(12, 3))  # a second click opens the note
        await pilot.press(*"Shelved")
        await pilot.click("#note-save")
    assert saved(ada_file).notes == {order[2]: "Shelved"}
