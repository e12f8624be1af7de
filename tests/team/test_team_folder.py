"""The team folder (SPEC 7): Ada submits, her supervisor sees it waiting, nothing is lost.

Ada's assessment goes from her own folder into the library's shared one; `status` lists
what awaits review; a file in a folder its group may write is shared with that group.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from competency.cli import main
from competency.framework.model import Framework
from tests.conftest import assessment_doc, write_assessment


def ada(folder: Path, librarians: Framework, answered: int = 40, **extra: Any) -> Path:
    ids = [s.id for s in librarians.statements]
    doc = assessment_doc(librarians, {sid: 3 for sid in ids[:answered]}, **extra)
    doc.setdefault("status", "in_progress")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "ada-example-2026-11-22.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


@pytest.fixture
def team(tmp_path: Path) -> Path:
    folder = tmp_path / "share"
    folder.mkdir()
    return folder


def test_submit_marks_both_copies_submitted_and_prints_where(
    tmp_path: Path, team: Path, librarians: Framework, capsys: pytest.CaptureFixture[str]
) -> None:
    own = ada(tmp_path / "mine", librarians)
    assert main(["submit", str(own), "--to", str(team)]) == 0
    written = team / own.name
    assert capsys.readouterr().out.strip() == f"submitted: {written}"
    shared = json.loads(written.read_text(encoding="utf-8"))
    assert shared["status"] == "submitted"
    assert [e["action"] for e in shared["history"]][-1] == "submitted"
    assert written.read_bytes() == own.read_bytes(), "the two copies never drift apart"


def test_unanswered_statements_need_partial(
    tmp_path: Path, team: Path, librarians: Framework, capsys: pytest.CaptureFixture[str]
) -> None:
    own = ada(tmp_path / "mine", librarians, answered=12)
    before = own.read_bytes()
    assert main(["submit", str(own), "--to", str(team)]) == 1
    err = capsys.readouterr().err
    assert "28 of 40 statements are unanswered" in err and "--partial" in err
    assert own.read_bytes() == before and not list(team.iterdir())
    assert main(["submit", str(own), "--to", str(team), "--partial"]) == 0
    assert "28 statements unanswered" in capsys.readouterr().out


def test_never_replaces_another_persons_file_or_a_reviewed_one(
    tmp_path: Path, team: Path, librarians: Framework, capsys: pytest.CaptureFixture[str]
) -> None:
    own = ada(tmp_path / "mine", librarians)
    other = ada(team, librarians, subject={"name": "Bea Other", "id": "E2"})
    before = other.read_bytes()
    assert main(["submit", str(own), "--to", str(team)]) == 1
    assert "holds Bea Other's assessment" in capsys.readouterr().err
    assert other.read_bytes() == before
    reviewed = ada(team, librarians, status="reviewed")
    before = reviewed.read_bytes()
    assert main(["submit", str(own), "--to", str(team)]) == 1
    assert "a reviewed file is never replaced" in capsys.readouterr().err
    assert reviewed.read_bytes() == before


def test_submitting_again_replaces_her_own_earlier_submission(
    tmp_path: Path, team: Path, librarians: Framework, capsys: pytest.CaptureFixture[str]
) -> None:
    own = ada(tmp_path / "mine", librarians)
    assert main(["submit", str(own), "--to", str(team)]) == 0
    assert main(["submit", str(own), "--to", str(team)]) == 0
    assert "replacing your earlier submission" in capsys.readouterr().out


@pytest.mark.skipif(os.name != "posix", reason="modes and groups are POSIX's")
def test_a_file_in_a_group_folder_is_shared_with_the_group_and_keeps_it_when_saved(
    tmp_path: Path, team: Path, librarians: Framework
) -> None:
    """A setgid folder its group may write: the file is 0660 in the folder's group,
    whatever the umask; elsewhere new files stay 0600; a save keeps mode and group."""
    group = 100 if os.geteuid() == 0 else os.getgid()  # "users" where root may choose
    os.chown(team, -1, group)
    os.chmod(team, 0o2770)
    own = ada(tmp_path / "mine", librarians)
    old = os.umask(0o077)
    try:
        assert main(["submit", str(own), "--to", str(team)]) == 0
    finally:
        os.umask(old)
    shared = (team / own.name).stat()
    assert stat.S_IMODE(shared.st_mode) == 0o660
    assert shared.st_gid == group
    # Someone with a stricter policy tightened it: a save keeps what they chose.
    os.chmod(team / own.name, 0o640)
    assert main(["submit", str(own), "--to", str(team)]) == 0
    again = (team / own.name).stat()
    assert stat.S_IMODE(again.st_mode) == 0o640 and again.st_gid == group


def test_status_lists_what_awaits_review_first_and_counts(
    tmp_path: Path, team: Path, librarians: Framework, capsys: pytest.CaptureFixture[str]
) -> None:
    ada(team / "a", librarians, status="reviewed")
    ada(team / "b", librarians, answered=5)
    waiting = ada(team / "c", librarians, status="submitted")
    (team / "broken.json").write_text("{", encoding="utf-8")
    assert main(["status", str(team), "--format", "json"]) == 1
    out = json.loads(capsys.readouterr().out)
    ok = [r for r in out["records"] if r["ok"]]
    assert [r["status"] for r in ok] == ["submitted", "in_progress", "reviewed"]
    assert ok[0]["file"] == str(waiting)
    assert ok[1]["answered"] == 5 and ok[1]["total"] == 40
    assert out["statuses"] == {
        "submitted": 1,
        "in_progress": 1,
        "reviewed": 1,
        "unreadable": 1,
        "in_conflict": 0,
    }
    assert main(["status", str(team)]) == 1
    table = capsys.readouterr().out
    assert "3 to review" not in table and "1 to review, 1 draft, 1 reviewed" in table
    assert "unreadable:" in table and "broken.json" in table


def test_review_of_a_folder_offers_what_awaits_review_and_opens_the_chosen_one(
    tmp_path: Path, team: Path, librarians: Framework
) -> None:
    """Grace points review at the team folder: the two waiting are listed by number (the
    draft and the reviewed one are not), she types 2, agrees with the first statement."""
    import subprocess
    import sys

    from tests.conftest import REPO

    ada(team / "a", librarians, status="submitted", subject={"name": "Ada One", "id": "E1"})
    second = ada(team / "b", librarians, status="submitted", subject={"name": "Bea Two"})
    ada(team / "c", librarians, subject={"name": "Cy Draft"})
    ada(team / "d", librarians, status="reviewed", subject={"name": "Di Done"})
    command = [sys.executable, "-m", "competency", "review", "--plain", str(team)]
    run = subprocess.run(
        [*command, "--reviewer", "Grace Example"],
        input="2\na\nq\n",
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    listed = run.stdout.splitlines()
    assert listed[0] == f"2 assessments await review in {team}:"
    assert listed[1].startswith("1. Ada One") and listed[2].startswith("2. Bea Two")
    assert "Cy Draft" not in run.stdout and "Di Done" not in run.stdout
    review = json.loads(second.read_text(encoding="utf-8"))["review"]
    first = librarians.areas[0].statement_ids[0]
    assert review["ratings"] == {first: 3}


def test_assess_team_names_the_folder_the_summary_submits_to(
    tmp_path: Path,
    librarians: Framework,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import io

    from competency.settings import team_folder

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert main(["assess", "--team", str(tmp_path / "nowhere"), "--plain"]) == 2
    assert "no such folder (--team)" in capsys.readouterr().err
    assert team_folder() is None
    team = tmp_path / "team"
    team.mkdir()
    ada = write_assessment(tmp_path / "ada.json", librarians)
    monkeypatch.setattr("sys.stdin", io.StringIO("q\n"))
    assert main(["assess", str(ada), "--team", str(team), "--plain"]) == 0
    assert team_folder() == team
