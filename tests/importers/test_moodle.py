"""`competency import` of Moodle's own example competency framework CSV (OECD core)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from competency.cli import main
from competency.errors import CompetencyError
from competency.framework.importers import framework_json
from competency.framework.importers.moodle import import_moodle, plain
from competency.framework.model import load_framework
from tests.conftest import DATA

OECD = DATA / "moodle" / "example-core-OECD-14col.csv"


def rows() -> list[list[str]]:
    with OECD.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.reader(handle))


def expected_tree() -> dict[str, list[str]]:
    """Top-level Id numbers -> the Id numbers of the leaves below them, in file order."""
    body = [r for r in rows()[1:] if r[12] != "1"]
    kids: dict[str, list[str]] = {}
    for r in body:
        kids.setdefault(r[0], []).append(r[1])

    def leaves(node: str) -> list[str]:
        return [x for c in kids[node] for x in leaves(c)] if node in kids else [node]

    return {top: leaves(top) for top in kids[""]}


def test_the_oecd_example_imports_with_its_tree_counts_and_order() -> None:
    fw = import_moodle(OECD, OECD.read_bytes())
    want = expected_tree()
    assert fw.id == "OECD-CORE" and fw.title == "OECD"
    assert [(lvl.key, lvl.label) for lvl in fw.levels] == [("competent", "Competent")]
    assert [a.title for a in fw.areas] == ["Levels", "Competencies"]
    assert fw.statement_count == sum(len(v) for v in want.values()) == 44
    origins = fw.provenance["statements"]
    assert [[origins[sid]["id"] for sid in a.statements] for a in fw.areas] == list(want.values())
    assert (
        fw.levels[0].statements[5]
        == "Distinguishes between critical and irrelevant pieces of information"
    )
    assert "<" not in fw.description and "OECD’s overall success" in fw.description
    assert "row 4: 'level-1' has 39 cross-references" in fw.not_carried
    assert fw.not_carried[-1] == "row 2: the taxonomy (the name of each depth's competencies)"


def test_area_depth_3_gives_the_fifteen_competencies_and_the_five_levels() -> None:
    fw = import_moodle(OECD, OECD.read_bytes(), area_depth=3)
    assert len(fw.areas) == 5 + 15
    assert fw.statement_count == 44


def test_the_import_validates_and_is_deterministic(tmp_path: Path) -> None:
    assert main(["import", str(OECD), "--output", str(tmp_path)]) == 0  # detected as Moodle
    loaded = load_framework(tmp_path / "OECD-CORE.json")
    assert len(loaded.statements) == 44 and len(loaded.areas) == 2
    again = framework_json(import_moodle(OECD, OECD.read_bytes()))
    assert (tmp_path / "OECD-CORE.json").read_bytes() == again


def test_html_descriptions_become_plain_text() -> None:
    assert plain("<p>A &amp; B<br>C</p>", "1").split() == ["A", "&", "B", "C"]
    assert plain("<b>kept</b>", "2") == "<b>kept</b>"


def old_layout() -> bytes:
    """The older 12-column layout: no cross references, no exported id, JSON taxonomy."""
    head = [
        "Parent id number",
        "Id number",
        "Shortname",
        "Description",
        "Description format",
        "Scale values",
        "Scale configuration",
        "Rule type (optional)",
        "Rule outcome (optional)",
        "Rule config (optional)",
        "Is framework",
        "Taxonomy",
    ]
    body = [
        [
            "",
            "FW",
            "Old framework",
            "",
            "0",
            "Novice,Expert",
            '[{"scaleid":"3"},{"id":1,"scaledefault":1,"proficient":1}]',
            "",
            "",
            "",
            "1",
            '{"1":"domain","2":"competency"}',
        ],
        ["", "d1", "Domain one", "", "0", "", "", "", "", "", "", ""],
        ["d1", "c1", "Catalogues", "<p>Describes items</p>", "1", "", "", "", "", "", "", ""],
    ]
    return as_csv([head, *body])


def as_csv(table: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(table)
    return buffer.getvalue().encode("utf-8")


def test_the_older_12_column_layout_imports() -> None:
    fw = import_moodle(Path("old.csv"), old_layout())
    assert [lvl.label for lvl in fw.levels] == ["Novice"]  # the scale's proficient value
    assert fw.levels[0].statements == ["Catalogues — Describes items"]


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda r: r[1].__setitem__(12, ""), "no row has Is framework = 1"),
        (lambda r: r[5].__setitem__(0, "nowhere"), "row 6: Parent id number 'nowhere' is no"),
        (lambda r: r[6].__setitem__(1, "level-1"), "row 7: Id number 'level-1' is already row 4"),
        (lambda r: r[3].__setitem__(12, "1"), "row 4: a second framework row"),
        (lambda r: r[0].__setitem__(1, "Identifier"), "row 1: not a Moodle competency framework"),
        (lambda r: r[1].__setitem__(6, "[{"), "row 2: Scale configuration is not valid JSON"),
    ],
)
def test_a_broken_file_is_one_line_naming_the_row(mutate: Any, expected: str) -> None:
    table = rows()
    mutate(table)
    with pytest.raises(CompetencyError) as caught:
        import_moodle(Path("m.csv"), as_csv(table))
    assert caught.value.line.startswith("m.csv") and expected in caught.value.line
