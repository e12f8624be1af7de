"""`competency assess` from the shell: the refusals happen before any screen appears."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from competency.framework.model import Framework
from competency.storage import AssessmentStore
from tests.conftest import REPO
from tests.tui.conftest import write_assessment


def assess(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "competency", "assess", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def test_a_second_session_on_an_open_file_is_refused(tmp_path: Path, librarians: Framework) -> None:
    path = write_assessment(tmp_path / "ada.json", librarians, ratings={"emerging.1": 3})
    before = path.read_bytes()
    with AssessmentStore(path):  # the first session, still open
        result = assess(str(path))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "already open in another session" in result.stderr
    assert str(path) in result.stderr
    assert path.read_bytes() == before


def test_a_broken_file_is_refused_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"schema": "competency-assessment/1", "ratings": {}}', "utf-8")
    result = assess(str(path))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    assert not list(tmp_path.glob(".*.lock")), "a refused file leaves no lock behind"


def test_a_missing_framework_cannot_run(tmp_path: Path) -> None:
    result = assess("--framework", str(tmp_path / "nope.json"), "--name", "Ada")
    assert result.returncode == 2
    assert "no such file" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_blank_name_is_refused(tmp_path: Path) -> None:
    result = assess("--name", "  ", "--dir", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "a name is needed" in result.stderr
    assert not (tmp_path / "out").exists()


def test_resuming_a_file_takes_no_new_person_details(tmp_path: Path, librarians: Framework) -> None:
    path = write_assessment(tmp_path / "ada.json", librarians)
    result = assess(str(path), "--name", "Someone Else")
    assert result.returncode == 2
    assert "leave them out to resume" in result.stderr
    assert not list(tmp_path.glob(".*.lock"))
