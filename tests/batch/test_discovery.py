"""Which files a folder holds for `score`, `summary` and `validate`, and how they are named."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from competency.cli import main
from competency.framework.model import Framework
from tests.conftest import assessment_doc


def person(folder: Path, name: str, librarians: Framework) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(assessment_doc(librarians, {"emerging.1": 3})))
    return path


def scored_files(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    code = main(["score", *args, "--format", "jsonl", "--jobs", "1"])
    return code, [json.loads(line)["file"] for line in capsys.readouterr().out.splitlines()]


def test_exported_reports_beside_assessments_are_not_assessments(
    tmp_path: Path, librarians: Framework, capsys: pytest.CaptureFixture[str]
) -> None:
    # Regression: the TUI exports `<stem>.report.json` beside the assessment, and every
    # later `score` of that folder refused the report (exit 1).
    ada = person(tmp_path / "team", "ada.json", librarians)
    (tmp_path / "team" / "ada.report.json").write_text('{"schema": "competency-report/1"}')
    assert scored_files(capsys, str(tmp_path / "team")) == (0, [str(ada)])
    assert main(["validate", str(tmp_path / "team")]) == 0
    capsys.readouterr()
    # Named on the command line, it is read (and refused) like any other file.
    code, _ = scored_files(capsys, str(tmp_path / "team" / "ada.report.json"))
    assert code == 1


def test_upper_case_json_files_are_read_like_json_files(
    tmp_path: Path, librarians: Framework, capsys: pytest.CaptureFixture[str]
) -> None:
    # Windows and some exports write SAM.JSON; a folder of them is a team like any other.
    team = tmp_path / "team"
    sam = person(team, "SAM.JSON", librarians)
    ada = person(team, "ada.Json", librarians)
    (team / "ADA.REPORT.JSON").write_text('{"schema": "competency-report/1"}')
    assert scored_files(capsys, str(team)) == (0, [str(sam), str(ada)])
    assert main(["validate", str(team)]) == 0


def test_symlinked_folders_are_followed_once(
    tmp_path: Path, librarians: Framework, capsys: pytest.CaptureFixture[str]
) -> None:
    real = person(tmp_path / "real", "ada.json", librarians)
    team = tmp_path / "team"
    team.mkdir()
    (team / "linked").symlink_to(tmp_path / "real")
    (tmp_path / "real" / "loop").symlink_to(tmp_path / "real")  # a loop is walked once
    code, files = scored_files(capsys, str(team))
    assert code == 0
    assert files == [str(team / "linked" / real.name)]


def test_a_file_name_that_is_not_utf8_is_shown_escaped(
    tmp_path: Path, librarians: Framework, capsys: pytest.CaptureFixture[str]
) -> None:
    # Regression: such a name reached the output as lone surrogates and every --output
    # format crashed with UnicodeEncodeError.
    folder = tmp_path / "team"
    folder.mkdir()
    raw = os.path.join(os.fsencode(folder), b"\xff.json")
    with open(raw, "wb") as handle:
        handle.write(json.dumps(assessment_doc(librarians, {"emerging.1": 3})).encode())
    out = tmp_path / "out.jsonl"
    code = main(["score", str(folder), "--format", "jsonl", "--output", str(out)])
    record = json.loads(out.read_text(encoding="utf-8"))
    assert code == 0
    assert record["ok"] is True
    assert record["file"] == f"{folder}/\\xff.json"
    csv_out = tmp_path / "out.csv"
    assert main(["score", str(folder), "--format", "csv", "--output", str(csv_out)]) == 0
    assert "\\xff.json" in csv_out.read_text(encoding="utf-8")
