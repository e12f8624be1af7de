"""The one module that decides what text is safe where: each policy, as a reader meets it."""

from __future__ import annotations

import pytest

from competency.text import (
    FORMULA_STARTS,
    cell,
    editable,
    first_unsafe,
    markdown,
    strip,
    terminal,
    uncell,
    visible,
)

ATTACK = "a\x1b]2;HACKED\x07\x1b[2Jb\x9bc\u202ed"


def test_terminal_shows_every_unsafe_character_escaped_on_one_line() -> None:
    assert terminal(ATTACK) == "a\\x1b]2;HACKED\\x07\\x1b[2Jb\\x9bc\\u202ed"
    assert terminal("two\nlines") == "two\\x0alines"
    assert terminal("Jürgen Søren — café") == "Jürgen Søren — café"


def test_screens_show_stand_ins_and_editors_drop_only_attacks() -> None:
    assert visible(ATTACK) == "a\u241b]2;HACKED\u2407\u241b[2Jb\ufffdc\ufffdd"
    assert editable("tab\there\r\nnext\x1b") == "tab\there\nnext"


def test_reports_lose_controls_but_keep_layout() -> None:
    assert strip(ATTACK) == "a]2;HACKED[2Jbcd"
    assert strip("line one\n\tline two") == "line one\n\tline two"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Cataloging & Organization", "Cataloging & Organization"),
        ("version 2027.1", "version 2027.1"),
        ("2027.1", "2027.1"),
        ("snake_case_name", "snake_case_name"),
        ("a < b > c", "a < b > c"),
        ("x * y", "x \\* y"),
        ("_emphasis_", "\\_emphasis\\_"),
        ("<script>", "\\<script>"),
        ("&amp; &#60;", "\\&amp; \\&#60;"),
        ("[link](javascript:x)", "\\[link\\](javascript:x)"),
        ("a | b", "a \\| b"),
        ("# heading", "\\# heading"),
        ("1. item", "1\\. item"),
        ("- item", "\\- item"),
        ("> quote", "\\> quote"),
        ("two\nlines\x1b", "two lines"),
    ],
)
def test_markdown_escapes_only_what_would_become_markup(text: str, shown: str) -> None:
    assert markdown(text) == shown


@pytest.mark.parametrize(
    "text",
    ["=1+1", "+1", "-1", "@SUM(A1)", "\t=x", "\r=x", "\n=x", "  =x", "\u3000=x", "＝1", "＠x"],
)
def test_spreadsheet_cells_that_could_be_formulas_become_text(text: str) -> None:
    # A tab is a separator too: the part after it is marked as well.
    assert cell(text) == "'" + text.replace("\t=", "\t'=")


def test_ordinary_cells_are_left_alone() -> None:
    assert cell("Maya Okafor") == "Maya Okafor"
    assert cell("") == ""


# Issue 24, item 11: four files all read "Maya Okafor" in the summary.
INVISIBLE_NAMES = [
    "Maya\u200bOkafor",
    "Maya Okafor\u2060",
    "Maya Okafor\U000e0041\U000e007f",
    "Maya\u2028Okafor",
    "\ufeffMaya Okafor",
    "Maya\u3164Okafor",
]


@pytest.mark.parametrize("name", INVISIBLE_NAMES)
def test_invisible_characters_are_shown_everywhere(name: str) -> None:
    shown = terminal(name)
    assert "\\u" in shown or "\\U" in shown
    assert visible(name) != name and "\ufffd" in visible(name)
    assert "\ufffd" in strip(name)
    assert "\ufffd" in markdown(name)
    assert first_unsafe(name) is not None


def test_joiners_that_scripts_need_stay() -> None:
    for text in ("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", "\U0001f469\u200d\U0001f4bb"):
        assert strip(text) == text and visible(text) == text and first_unsafe(text) is None


# Issue 24, item 3: a spreadsheet that splits at ";" (European locales) showed a formula.
@pytest.mark.parametrize(
    "text",
    ["Maya;=1+1", "Maya, =HYPERLINK(1)", "a\t@SUM(A1)", "a|+1", "a ; \u200b-1", "a;\uff1d1"],
)
def test_no_part_of_a_cell_split_at_a_separator_starts_a_formula(text: str) -> None:
    import re

    written = cell(text)
    for part in re.split(r"[;,\t|]", written)[1:]:
        assert part.lstrip().lstrip("\u200b")[:1] not in FORMULA_STARTS, (text, written)
    assert uncell(written) == text  # an exported sheet imports back as it was
