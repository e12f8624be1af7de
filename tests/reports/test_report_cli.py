"""``competency report`` as a user runs it: stdout, --output, and one-line refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from competency.cli import main
from tests.conftest import EXAMPLES, LIBRARIANS

MAYA = EXAMPLES / "maya-okafor-2026-11-02.json"


def test_the_report_goes_to_stdout_without_output(capsys: pytest.CaptureFixture[bytes]) -> None:
    assert main(["report", str(MAYA), "--format", "md"]) == 0
    out = capsys.readouterr().out
    assert "# Competency report: Maya Okafor" in str(out)


def test_output_is_written_whole_and_nothing_else_is_left_behind(tmp_path: Path) -> None:
    out = tmp_path / "maya.html"
    assert main(["report", str(MAYA), "--format", "html", "--output", str(out)]) == 0
    assert out.read_text("utf-8").rstrip().endswith("</html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["maya.html"]


def test_threshold_changes_the_levels(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(MAYA), "--format", "json", "--threshold", "2"]) == 0
    lenient = json.loads(capsys.readouterr().out)
    assert main(["report", str(MAYA), "--format", "json"]) == 0
    strict = json.loads(capsys.readouterr().out)
    assert lenient["threshold"] == 2.0
    assert lenient["overall"]["rank"] > strict["overall"]["rank"]


def test_an_explicit_framework_and_area_map_are_used(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    areas = tmp_path / "one.areas.toml"
    ids = [
        f"{lvl}.{i}"
        for lvl in ("emerging", "developing", "proficient", "advanced")
        for i in range(1, 11)
    ]
    areas.write_text(
        f'[[areas]]\nid = "everything"\ntitle = "Everything"\nstatements = {json.dumps(ids)}\n',
        "utf-8",
    )
    doc = json.loads(MAYA.read_bytes())
    del doc["targets"]  # they name areas of the bundled map, which this map does not have
    maya = tmp_path / "maya.json"
    maya.write_text(json.dumps(doc), "utf-8")
    argv = [
        "report",
        str(maya),
        "--format",
        "json",
        "--framework",
        str(LIBRARIANS),
        "--areas",
        str(areas),
    ]
    assert main(argv) == 0
    assert [a["title"] for a in json.loads(capsys.readouterr().out)["areas"]] == ["Everything"]


def test_a_bad_assessment_is_one_line_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    doc = json.loads(MAYA.read_bytes())
    doc["ratings"]["emerging.99"] = 3
    bad.write_text(json.dumps(doc), "utf-8")
    out = tmp_path / "r.md"
    assert main(["report", str(bad), "--format", "md", "--output", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "ratings.emerging.99: unknown statement" in err
    assert not out.exists()


def test_an_unknown_framework_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = json.loads(MAYA.read_bytes())
    doc["framework"] = {"id": "99-9999.99"}
    other = tmp_path / "other.json"
    other.write_text(json.dumps(doc), "utf-8")
    assert main(["report", str(other), "--format", "md"]) == 2
    assert "no bundled framework has id '99-9999.99'" in capsys.readouterr().err
    assert main(["report", str(MAYA), "--format", "md", "--framework", "missing.json"]) == 2


def test_an_unwritable_output_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "no-such-folder" / "r.md"
    assert main(["report", str(MAYA), "--format", "md", "--output", str(target)]) == 2
    assert "cannot write it" in capsys.readouterr().err
