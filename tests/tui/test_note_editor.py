"""Notes written by other tools keep their tabs and line breaks through the editor."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import TextArea

from competency.assessment import Person, Review
from competency.framework.model import Framework
from competency.text import editable
from tests.tui.conftest import FIXED, OpenApp, saved, write_assessment
from tui.note_editor import NoteEditor

SPREADSHEET_NOTE = "Col A\tCol B\r\nnext line"


def test_the_editor_holds_the_note_itself_never_stand_ins() -> None:
    assert editable(SPREADSHEET_NOTE) == "Col A\tCol B\nnext line"
    assert editable("old\rmac") == "old\nmac"
    # Only what could attack a terminal goes: ESC, other controls, bidi overrides.
    assert editable("a\x1b]0;pwned\x07b\u202ec\x85d\x00e") == "a]0;pwnedbcde"
    assert editable("caf\u00e9 \u2014 \u2713") == "caf\u00e9 \u2014 \u2713"


async def test_saving_a_note_without_an_edit_leaves_the_file_alone(
    open_app: OpenApp, tmp_path: Path, librarians: Framework
) -> None:
    path = write_assessment(
        tmp_path / "ada.json", librarians, notes={"emerging.1": SPREADSHEET_NOTE}
    )
    before = path.read_bytes()
    app = open_app(path)
    async with app.run_test() as pilot:
        await pilot.press("e")
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.query_one(TextArea).text == "Col A\tCol B\nnext line"
        await pilot.press("ctrl+s")
        assert not isinstance(app.screen, NoteEditor)
    assert path.read_bytes() == before
    assert saved(path).notes == {"emerging.1": SPREADSHEET_NOTE}


async def test_an_edited_note_keeps_its_tabs_and_loses_only_escape_sequences(
    open_app: OpenApp, tmp_path: Path, librarians: Framework
) -> None:
    path = write_assessment(
        tmp_path / "ada.json",
        librarians,
        notes={"emerging.1": SPREADSHEET_NOTE, "emerging.5": "red\x1b[31m\u202etext"},
    )
    app = open_app(path)
    async with app.run_test() as pilot:
        await pilot.press("e", "end", *"!", "ctrl+s")
        await pilot.press("j", "e", "end", *"?", "ctrl+s")
    assert saved(path).notes == {
        "emerging.1": "Col A\tCol B\nnext line!",
        "emerging.5": "red[31mtext?",
    }


async def test_the_overall_comment_is_left_alone_when_saved_unchanged(
    open_app: OpenApp, tmp_path: Path, librarians: Framework
) -> None:
    grace = Person(name="Grace Example")
    review = Review(reviewer=grace, started_at=FIXED, comment="Strong\tyear\r\nkeep going")
    path = write_assessment(tmp_path / "ada.json", librarians, status="submitted", review=review)
    before = path.read_bytes()
    app = open_app(path, role="review", reviewer=grace)
    async with app.run_test() as pilot:
        await pilot.press("c")
        assert app.screen.query_one(TextArea).text == "Strong\tyear\nkeep going"
        await pilot.press("ctrl+s")
    assert path.read_bytes() == before
