"""`competency migrate` and `compare` across framework versions: a story of a new version.

The librarians' framework gets a new version: a statement is added at the top of Emerging
(so the ids below it move), one is reworded only in its dashes and spaces, one is
rewritten and one removed. Maya's submitted assessment of the old version is migrated, and
compared with its successor and with a later assessment of the new version.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from competency.cli import main
from competency.framework.model import load_framework
from competency.migrate import normalised
from competency.schemas import schema
from tests.conftest import EXAMPLES, LIBRARIANS

MAYA = EXAMPLES / "maya-okafor-2026-11-02.json"


def exported_rows(tmp_path: Path) -> list[list[str]]:
    """The librarians' framework as the rows of its exported sheet, header first."""
    sheet = tmp_path / "lib.csv"
    assert (
        main(["export-framework", str(LIBRARIANS), "--format", "csv", "--output", str(sheet)]) == 0
    )
    return list(csv.reader(io.StringIO(sheet.read_text(encoding="utf-8-sig"), newline="")))


def imported_v27(tmp_path: Path, rows: list[list[str]]) -> Path:
    """The edited rows imported as version v.27.01 of the same framework."""
    edited = tmp_path / "lib-v27.csv"
    with edited.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    out = tmp_path / "v27"
    out.mkdir()
    options = ["--id", "25-4022.00", "--title", "Librarians", "--version", "v.27.01"]
    assert main(["import", str(edited), "--output", str(out), *options]) == 0
    return out / "25-4022.00.json"


@pytest.fixture
def new_version(tmp_path: Path) -> Path:
    """An edited copy of the librarians' framework, v.27.01, made by export, edit, import."""
    rows = exported_rows(tmp_path)
    col = rows[0].index("statement")
    added = list(rows[1])
    added[col] = "Library safety — follow evacuation and incident procedures."
    added[rows[0].index("area_description")] = ""
    rows.insert(2, added)
    for row in rows[1:]:
        if row[col].startswith("Reference materials and online databases"):
            row[col] = row[col].replace(" — ", "  –  ", 1)  # only dashes and spaces differ
        if row[col].startswith("Basic computer instruction"):
            row[col] = "Basic computer instruction — assist patrons with devices and e-books."
    rows = [r for r in rows if not r[col].startswith("Library catalog records")]
    return imported_v27(tmp_path, rows)


def test_text_is_compared_without_dash_and_space_differences() -> None:
    assert normalised("A  –  b\u00a0c") == normalised("A - b c")


def test_migrate_carries_by_text_lists_what_it_cannot_and_never_changes_the_old_file(
    tmp_path: Path, new_version: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = tmp_path / "maya.json"
    old.write_bytes(MAYA.read_bytes())
    before = old.read_bytes()
    capsys.readouterr()
    assert main(["migrate", str(old), "--to", str(new_version)]) == 0
    out = capsys.readouterr().out
    assert old.read_bytes() == before
    migrated = json.loads((tmp_path / "maya.migrated.json").read_text())
    original = json.loads(before)
    assert "38 of 40 statements paired: 38 by the same text, 0 by the map" in out
    assert "not carried: rating of emerging.3 (Library catalog records): no statement" in out
    assert "not carried: rating of emerging.4 (Basic computer instruction)" in out
    # The reference statement moved from emerging.2 to emerging.3, its rating with it.
    assert migrated["ratings"]["emerging.3"] == original["ratings"]["emerging.2"]
    assert migrated["framework"]["version"] == "v.27.01"
    assert migrated["migrated_from"]["framework"]["version"] == "v.26.05"
    assert migrated["migrated_from"]["statements"]["emerging.2"] == "emerging.3"
    assert migrated["subject"] == original["subject"] and migrated["status"] == original["status"]
    fw = load_framework(new_version)
    assert (
        main(["validate", str(tmp_path / "maya.migrated.json"), "--framework", str(new_version)])
        == 0
    )
    assert len(migrated["ratings"]) == len(original["ratings"]) - 2
    assert set(migrated["ratings"]) <= set(fw.statement_by_id)


def test_a_map_carries_what_the_text_cannot(
    tmp_path: Path, new_version: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = tmp_path / "map.toml"
    rules.write_text('[statements]\n"emerging.4" = "emerging.4"\n"emerging.3" = ""\n')
    out = tmp_path / "maya-v27.json"
    args = [
        "migrate",
        str(MAYA),
        "--to",
        str(new_version),
        "--map",
        str(rules),
        "--output",
        str(out),
    ]
    assert main(args) == 0
    text = capsys.readouterr().out
    assert "39 of 40 statements paired: 38 by the same text, 1 by the map" in text
    assert "rating of emerging.3 (Library catalog records): dropped by the map" in text
    bad = tmp_path / "bad.toml"
    bad.write_text('[statements]\n"emerging.99" = "emerging.1"\n')
    assert (
        main(
            [
                "migrate",
                str(MAYA),
                "--to",
                str(new_version),
                "--map",
                str(bad),
                "--output",
                str(tmp_path / "x.json"),
            ]
        )
        == 1
    )
    assert "bad.toml: statements.emerging.99: framework '25-4022.00'" in capsys.readouterr().err


def test_compare_sets_an_old_assessment_beside_its_successor_and_says_what_was_paired(
    tmp_path: Path, new_version: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    successor = tmp_path / "maya-v27.json"
    assert main(["migrate", str(MAYA), "--to", str(new_version), "--output", str(successor)]) == 0
    capsys.readouterr()
    args = [
        "compare",
        str(MAYA),
        str(successor),
        "--framework",
        str(new_version),
        "--format",
        "json",
    ]
    assert main(args) == 0
    captured = capsys.readouterr()
    comparison = json.loads(captured.out)
    assert comparison["framework"]["version"] == "v.27.01"
    assert "by the map" in captured.err and "38 of 40 paired, 1 under a new id" in captured.err
    assert "note: emerging.2 is compared as emerging.3" in captured.err
    # The comparison itself says so too, in every format: stderr is gone once it is filed.
    assert "emerging.2 is compared as emerging.3" in comparison["pairing"]
    assert any("38 of 40 paired" in line for line in comparison["pairing"])
    assert list(Draft202012Validator(schema("comparison")).iter_errors(comparison)) == []
    for fmt in ("md", "html"):
        assert main([*args[:-1], fmt]) == 0
        shown = capsys.readouterr().out
        assert "paired across framework versions" in shown, fmt
        assert "emerging.2 is compared as emerging.3" in shown, fmt
    # Nothing changed between the two but the framework: every area is the same.
    assert {a["change"] for a in comparison["areas"]} == {"same"}

    # A later assessment of the new version, with one rating raised, compares by text.
    later = json.loads(successor.read_text())
    del later["migrated_from"]
    later["ratings"]["emerging.3"] = 4 if later["ratings"]["emerging.3"] != 4 else 3
    later_path = tmp_path / "maya-2027.json"
    later_path.write_text(json.dumps(later))
    args = [
        "compare",
        str(MAYA),
        str(later_path),
        "--framework",
        str(new_version),
        "--format",
        "json",
    ]
    assert main(args) == 0
    captured = capsys.readouterr()
    assert "by the same text" in captured.err
    changes = json.loads(captured.out)["changes"]
    assert [c["id"] for c in changes] == ["emerging.3"]


def test_compare_still_refuses_two_versions_it_cannot_pair(
    tmp_path: Path, new_version: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    successor = tmp_path / "maya-v27.json"
    assert main(["migrate", str(MAYA), "--to", str(new_version), "--output", str(successor)]) == 0
    # Without --framework the new file is checked against the bundled, older version.
    assert main(["compare", str(MAYA), str(successor)]) == 1
    assert "different versions of framework '25-4022.00'" in capsys.readouterr().err


def test_a_reviewed_assessment_keeps_its_review_notes_and_targets(
    tmp_path: Path, new_version: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    priya = EXAMPLES / "priya-raman-2026-10-12.json"
    out = tmp_path / "priya-v27.json"
    assert main(["migrate", str(priya), "--to", str(new_version), "--output", str(out)]) == 0
    text = capsys.readouterr().out
    old, new = json.loads(priya.read_text()), json.loads(out.read_text())
    assert "review rating of emerging.3 (Library catalog records)" in text
    assert len(new["review"]["ratings"]) == len(old["review"]["ratings"]) - 2
    assert new["review"]["ratings"]["emerging.3"] == old["review"]["ratings"]["emerging.2"]
    assert new["review"]["reviewer"] == old["review"]["reviewer"]
    assert new["review"]["completed_at"] == old["review"]["completed_at"]
    assert new["targets"] == old["targets"] and new["status"] == "reviewed"
    assert new["history"] == old["history"]
    kept = {k: v for k, v in old["notes"].items() if k not in ("emerging.3", "emerging.4")}
    moved = {("emerging.3" if k == "emerging.2" else k): v for k, v in kept.items()}
    assert new["notes"] == moved


def test_three_words_added_to_a_statement_keep_its_rating_and_are_listed_to_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A new version adds three words to one statement: Maya's rating of it is carried, and
    the pairing is printed for her to check, with both texts."""
    from competency.migrate import pair_statements

    old = load_framework(LIBRARIANS)
    rows = exported_rows(tmp_path)
    col = rows[0].index("statement")
    target = old.statement_by_id["developing.3"]
    for row in rows[1:]:
        if row[col] == target.text:
            row[col] = target.text.rstrip(".") + " in every branch."
    new_path = imported_v27(tmp_path, rows)
    new = load_framework(new_path)
    mapped, how, unpaired = pair_statements(old, new)
    assert (mapped["developing.3"], how["developing.3"]) == ("developing.3", "similar")
    assert unpaired == [] and sum(h == "similar" for h in how.values()) == 1
    capsys.readouterr()
    maya = tmp_path / "maya.json"
    maya.write_bytes(MAYA.read_bytes())
    assert main(["migrate", str(maya), "--to", str(new_path)]) == 0
    printed = capsys.readouterr().out
    assert "40 of 40 statements paired" in printed and "1 by nearly the same text" in printed
    check = [line for line in printed.splitlines() if line.startswith("check: ")]
    assert len(check) == 1 and "developing.3" in check[0] and "in every branch" in check[0]
    migrated = json.loads((tmp_path / "maya.migrated.json").read_text())
    assert migrated["ratings"]["developing.3"] == json.loads(MAYA.read_text())["ratings"].get(
        "developing.3"
    )


def test_near_twins_are_never_guessed_between(tmp_path: Path) -> None:
    """Two new statements equally close to an old one: no pairing is better than a guess."""
    from competency.migrate import pair_statements
    from tests.conftest import write_framework

    old = load_framework(write_framework(tmp_path, {"basic": ["Shelve returned books daily."]}))
    twins = ["Shelve returned books daily, north.", "Shelve returned books daily, south."]
    new = load_framework(write_framework(tmp_path, {"basic": twins}, name="new"))
    mapped, _, unpaired = pair_statements(old, new)
    assert mapped == {} and unpaired == ["basic.1"]
