"""Ada submits from the summary into her team's shared folder (issue 20, SPEC 7).

The first time she names the folder; the tool remembers it in her config folder, and the
next time it is offered first. It goes through ``competency.team``'s submit: her own copy
and the team's say the same, and another person's file there is never written over.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from competency.settings import config_dir, team_folder
from tests.tui.conftest import OpenApp, notices, saved_json
from tui.choice_screen import ChoiceScreen
from tui.folder_screen import FolderScreen
from tui.summary_screen import SummaryScreen


@pytest.fixture
def remembered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Ada's own config folder, empty."""
    home = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    return home


async def test_the_first_time_she_names_the_folder_and_it_is_remembered(
    open_app: OpenApp, ada_file: Path, tmp_path: Path, remembered: Path
) -> None:
    team = tmp_path / "team"
    team.mkdir()
    app = open_app(ada_file)
    async with app.run_test() as pilot:
        await pilot.press("3", "s", "s")
        assert isinstance(app.screen, ChoiceScreen)
        # "Not yet" is chosen (statements are unanswered); the folder is at the top.
        await pilot.press("up", "up", "enter")
        assert isinstance(app.screen, FolderScreen)
        await pilot.press(*str(tmp_path / "nowhere"), "enter")
        assert isinstance(app.screen, FolderScreen), "a folder that does not exist is refused"
        app.screen.query_one("Input").value = ""  # type: ignore[attr-defined]
        await pilot.press(*str(team), "enter")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert any(n.startswith(f"Submitted to {team / 'ada.json'}") for n in notices(app))
    shared = team / "ada.json"
    assert saved_json(shared)["status"] == "submitted"
    assert shared.read_bytes() == ada_file.read_bytes(), "both copies say the same"
    assert team_folder() == team
    assert config_dir() == remembered / "competency"
    assert json.loads((remembered / "competency" / "settings.json").read_text())["team_folder"]


async def test_the_remembered_folder_is_offered_next_time(
    open_app: OpenApp, ada_file: Path, tmp_path: Path, remembered: Path
) -> None:
    from competency.settings import remember_team_folder

    team = tmp_path / "team"
    team.mkdir()
    remember_team_folder(team)
    app = open_app(ada_file)
    async with app.run_test() as pilot:
        await pilot.press("3", "s", "s")
        screen = app.screen
        assert isinstance(screen, ChoiceScreen)
        assert [value for value, _ in screen.choices] == ["other", "team", "submit", ""]
        await pilot.press("up", "up", "enter")  # from "Not yet": the team folder
        await pilot.pause()
    assert saved_json(team / "ada.json")["status"] == "submitted"
    assert saved_json(ada_file)["status"] == "submitted"


async def test_another_persons_file_there_is_never_written_over(
    open_app: OpenApp, ada_file: Path, tmp_path: Path, remembered: Path
) -> None:
    from competency.settings import remember_team_folder

    team = tmp_path / "team"
    team.mkdir()
    grace = json.loads(ada_file.read_text(encoding="utf-8"))
    grace["subject"] = {"name": "Grace Example", "id": "E9"}
    (team / "ada.json").write_text(json.dumps(grace), encoding="utf-8")
    before = (team / "ada.json").read_bytes()
    remember_team_folder(team)
    app = open_app(ada_file)
    async with app.run_test() as pilot:
        await pilot.press("3", "s", "s", "up", "up", "enter")
        await pilot.pause()
        assert any("Grace Example's assessment" in n for n in notices(app))
        assert isinstance(app.screen, SummaryScreen)
    assert (team / "ada.json").read_bytes() == before
    assert saved_json(ada_file)["status"] == "in_progress", "refused: her own copy unchanged"


@pytest.mark.skipif(os.name != "posix", reason="file modes")
def test_the_settings_file_is_private(tmp_path: Path, remembered: Path) -> None:
    from competency.settings import remember_team_folder

    remember_team_folder(tmp_path)
    assert (remembered / "competency" / "settings.json").stat().st_mode & 0o077 == 0
