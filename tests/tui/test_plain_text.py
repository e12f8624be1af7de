"""Names, notes and statements are shown as they were typed: never as markup or escapes."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.coordinate import Coordinate

from competency.framework.model import load_framework
from competency.text import visible
from tests.conftest import write_framework
from tests.tui.conftest import OpenApp, write_assessment
from tui.statement_table import StatementTable
from tui.text import plain


def test_control_characters_become_visible_stand_ins() -> None:
    assert visible("a\x1b[31mb\x07") == "a\u241b[31mb\u2407"
    assert visible("left\u202eright") == "left\ufffdright"
    assert visible("two\nlines") == "two \u23ce lines"
    assert visible("two\nlines", keep_newlines=True) == "two\nlines"


def test_markup_in_text_is_not_interpreted() -> None:
    shown = plain("[bold red]Ada[/] [link=http://x]y[/link]")
    assert shown.plain == "[bold red]Ada[/] [link=http://x]y[/link]"
    assert shown.spans == []


async def test_hostile_framework_and_name_reach_the_screen_as_plain_text(
    tmp_path: Path, open_app: OpenApp
) -> None:
    framework = load_framework(
        write_framework(
            tmp_path,
            {"one": ["[red]Topic[/red] \u2014 clears the screen \x1b[2J now", "Plain"]},
        )
    )
    path = write_assessment(tmp_path / "a.json", framework, name="[b]Eve[/b]\x1b]0;pwn\x07")
    app = open_app(path, framework)
    async with app.run_test() as pilot:
        await pilot.press("e", *"x", "ctrl+s")
        table = app.screen.query_one(StatementTable)
        cell = table.get_cell_at(Coordinate(0, table.get_column_index("statement")))
        assert isinstance(cell, Text)
        assert cell.plain == "[red]Topic[/red] \u2014 clears the screen \u241b[2J now"
        title = str(app.screen.query_one("#title").render())
        assert "[b]Eve[/b]\u241b]0;pwn\u2407" in title
        assert "\x1b" not in title


async def test_a_hostile_level_label_and_key_reach_the_walk_screen_as_plain_text(
    tmp_path: Path, open_app: OpenApp
) -> None:
    import json

    from tui.statement_detail import detail_text

    hostile = "\x1b]2;HACKED\x07\x1b[2J"
    fw_path = write_framework(tmp_path, {"one": ["Reads \u2014 well"], "two": ["Writes"]})
    doc = json.loads(fw_path.read_text(encoding="utf-8"))
    levels = doc["framework"]["levels"]
    levels["one"]["label"] = hostile  # the overall level, once reached
    levels[hostile] = levels.pop("two")  # a level key: part of each statement id
    fw_path.write_text(json.dumps(doc), encoding="utf-8")
    framework = load_framework(fw_path)
    path = write_assessment(tmp_path / "a.json", framework, ratings={"one.1": 4})
    app = open_app(path, framework)
    async with app.run_test():
        title = str(app.screen.query_one("#title").render())
        assert "Overall \u241b]2;HACKED\u2407\u241b[2J" in title
        assert "\x1b" not in title
    detail = detail_text(framework, f"{hostile}.1", None, "")
    assert "\x1b" not in detail.plain and "\u241b[2J.1" in detail.plain
