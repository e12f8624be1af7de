"""The start screen: typing at any speed, and resuming what is already in the folder."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from textual import events
from textual.widgets import Input, OptionList, Select, Static

from competency.cli import assess
from competency.framework.model import Framework
from competency.storage import AssessmentStore, save_assessment
from tests.conftest import LIBRARIANS
from tests.tui.conftest import saved, start_app, write_assessment
from tui.app import CompetencyApp
from tui.rating_screen import RatingScreen
from tui.start_screen import StartScreen
from tui.statement_table import StatementTable


def key(name: str) -> events.Key:
    special = {"space": " ", "tab": "\t", "enter": "\r"}
    return events.Key(name, special.get(name, name if len(name) == 1 else None))


async def test_text_typed_at_machine_speed_lands_in_the_fields_it_was_typed_for(
    tmp_path: Path, librarians: Framework
) -> None:
    app = start_app(librarians, tmp_path)
    async with app.run_test() as pilot:
        # Every key queued at once, as a paste or a fast typist delivers them.
        for name in [*"Rosa", "space", *"Start", "tab", *"S123"]:
            app.post_message(key(name))
        await pilot.pause()
        fields = {field.id: field.value for field in app.screen.query(Input)}
    assert fields["name"] == "Rosa Start"
    assert fields["subject-id"] == "S123"


def cli_app(monkeypatch: pytest.MonkeyPatch, *argv: str) -> CompetencyApp:
    """The app ``competency assess ARGV`` would run, without running it."""
    built: list[CompetencyApp] = []
    monkeypatch.setattr(assess, "run_app", lambda app: built.append(app) or 0)
    parser = argparse.ArgumentParser()
    assess.register(parser.add_subparsers())
    args = parser.parse_args(["assess", *argv])
    assert args.run(args) == 0
    [app] = built
    return app


async def test_assess_name_of_someone_with_an_assessment_offers_to_resume_the_latest(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, librarians: Framework
) -> None:
    order = [sid for area in librarians.areas for sid in area.statement_ids]
    older = write_assessment(tmp_path / "ada-old.json", librarians, ratings={order[0]: 1})
    latest = write_assessment(
        tmp_path / "ada-example-2026-11-22.json", librarians, ratings={order[0]: 2, order[1]: 3}
    )
    bumped = saved(latest)
    bumped.updated_at = bumped.updated_at.replace(year=2027) if bumped.updated_at else None
    save_assessment(bumped, latest)
    write_assessment(tmp_path / "bo.json", librarians, name="Bo Other")
    (tmp_path / "notes.json").write_text("not an assessment", "utf-8")

    app = cli_app(
        monkeypatch,
        "--framework",
        str(LIBRARIANS),
        "--name",
        "ada  example",
        "--dir",
        str(tmp_path),
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StartScreen)
        assert "already has an assessment here" in str(
            screen.query_one("#problem", Static).render()
        )
        options = screen.query_one("#resume", OptionList)
        assert options.has_focus
        assert options.option_count == 3, "every assessment in the folder, not the stray file"
        assert screen.saved[options.highlighted or 0].path == latest
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RatingScreen)
        assert app.screen.query_one(StatementTable).highlighted_id == order[2]
        await pilot.press("4")
    assert saved(latest).ratings[order[2]] == 4
    assert saved(older).ratings == {order[0]: 1}
    assert sorted(p.name for p in tmp_path.glob("*.json")) == [
        "ada-example-2026-11-22.json",
        "ada-old.json",
        "bo.json",
        "notes.json",
    ], "no second blank file"


async def test_ctrl_s_still_starts_a_second_assessment_beside_the_first(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, librarians: Framework
) -> None:
    write_assessment(tmp_path / "ada.json", librarians)
    app = cli_app(
        monkeypatch, "--framework", str(LIBRARIANS), "--name", "Ada Example", "--dir", str(tmp_path)
    )
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, RatingScreen)
    assert len(list(tmp_path.glob("*.json"))) == 2


async def test_a_new_name_skips_the_start_screen(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    app = cli_app(
        monkeypatch, "--framework", str(LIBRARIANS), "--name", "Cy", "--dir", str(tmp_path)
    )
    assert app.session is not None
    app.session.store.release()


async def test_the_start_screen_lists_the_folder_and_a_locked_file_is_refused_in_a_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, librarians: Framework
) -> None:
    path = write_assessment(tmp_path / "ada.json", librarians)
    app = cli_app(monkeypatch, "--framework", str(LIBRARIANS), "--dir", str(tmp_path))
    async with app.run_test() as pilot:
        await pilot.pause()
        screen = app.screen
        heading = str(screen.query_one("#resume-heading", Static).render())
        assert "resume one of the 1 in" in heading
        assert screen.query_one("#name", Input).has_focus, "a new one is still the default"
        with AssessmentStore(path):  # open in another session
            screen.query_one("#resume", OptionList).focus()
            await pilot.press("enter")
            await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        problem = str(screen.query_one("#problem", Static).render())
        assert "already open in another session" in problem


async def test_a_note_typed_at_machine_speed_after_e_goes_into_the_note(
    tmp_path: Path, librarians: Framework
) -> None:
    from tests.tui.conftest import open_session_app

    path = write_assessment(tmp_path / "ada.json", librarians)
    app = open_session_app(path, librarians)
    async with app.run_test() as pilot:
        for name in ["e", *"Ran 3 desks", "enter", *"alone", "ctrl+s"]:
            app.post_message(key(name))
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, RatingScreen)
    assert app.session is not None
    app.session.store.release()
    first = app.session.walk[0]
    assert saved(path).notes == {first: "Ran 3 desks\nalone"}
    assert saved(path).ratings == {}, "no key of the note rated a statement"


async def test_assess_name_with_two_frameworks_opens_the_start_screen_to_choose_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The README's `competency assess --name "Ada Example"` with a second framework
    installed: the start screen opens with Ada's name filled in and both frameworks to
    choose from, instead of an exit with 'pick one with --framework'."""
    from competency.cli import main
    from tests.cli.test_installed_frameworks import made_framework

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert main(["frameworks", "install", str(made_framework(tmp_path))]) == 0
    app = cli_app(monkeypatch, "--name", "Ada Example", "--dir", str(tmp_path / "out"))
    async with app.run_test() as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StartScreen)
        assert {f.id: f.value for f in screen.query(Input)}["name"] == "Ada Example"
        frameworks = screen.query_one("#framework", Select)
        assert [str(label) for label, _ in frameworks._options] == [
            "Librarians and Media Collections Specialists (25-4022.00, v.26.05)",
            "Test Occupation (99-0001.00, t.1)",
        ]
        assert app.focused is frameworks, "the choice comes first"


async def test_a_level_label_longer_than_ten_is_shown_whole(tmp_path: Path) -> None:
    """The technicians' 'Independent' read 'Independen' in the statements' Level column."""
    from competency.framework.model import load_framework
    from tests.conftest import write_framework
    from tests.tui.conftest import open_session_app
    from tui.statement_table import StatementTable

    fw = load_framework(write_framework(tmp_path, {"independent": ["Desk — one"]}))
    path = write_assessment(tmp_path / "ada.json", fw)
    app = open_session_app(path, fw)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(StatementTable)
        assert table.columns["level"].width >= len("Independent")


async def test_a_role_profile_chosen_on_the_start_screen_asks_only_its_statements(
    tmp_path: Path, librarians: Framework
) -> None:
    from competency.scoring import NOT_IN_ROLE
    from tui.summary_screen import SummaryScreen

    app = start_app(librarians, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        picker = app.screen.query_one("#profile", Select)
        assert picker.display
        assert picker.value == ""
        picker.value = "catalog-librarian"
        await pilot.press(*"Cat", "enter")
        await pilot.pause()
        assert isinstance(app.screen, RatingScreen)
        session = app.screen.session
        assert session.profile is not None and session.profile.id == "catalog-librarian"
        assert len(session.walk) == 11
        assert "Catalog Librarian" in str(app.screen.query_one("#title", Static).render())
        first = session.walk[0]
        await pilot.press("3")
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        shown = str(app.screen.query_one(OptionList).get_option("program-administration").prompt)
        assert NOT_IN_ROLE in shown and "none of its statements is part of this role" in shown
        assert "Not assessed" not in shown
        # The role's default target shows beside an area in it.
        cataloging = str(
            app.screen.query_one(OptionList).get_option("cataloging-organization").prompt
        )
        assert "target Proficient" in cataloging
    (path,) = tmp_path.glob("cat-*.json")
    on_disk = saved(path)
    assert on_disk.profile == "catalog-librarian"
    assert on_disk.subject.role == "Catalog Librarian"
    assert on_disk.ratings == {first: 3}


async def test_assess_profile_picks_the_profile_on_the_start_screen(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    app = cli_app(monkeypatch, "--profile", "media-technician", "--dir", str(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#profile", Select).value == "media-technician"
