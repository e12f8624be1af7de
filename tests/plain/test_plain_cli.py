"""`competency assess --plain` and `review --plain` from the shell, as a script or a screen
reader drives them; and the screens, started without a terminal, saying so at once."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from competency.framework.model import Framework
from competency.ratings import NA
from competency.storage import AssessmentStore
from tests.conftest import LIBRARIANS, REPO, saved, write_assessment

COLOURFUL = {"TERM": "xterm-256color", "COLORTERM": "truecolor", "FORCE_COLOR": "1"}
"""A terminal that asks for colour: the plain mode still writes none."""


def competency(
    *args: str, typed: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "competency", *args],
        input=typed,
        stdin=None if typed is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


def test_a_new_assessment_typed_line_by_line(tmp_path: Path) -> None:
    folder = tmp_path / "a"
    args = ["assess", "--plain", "--name", "Ada Example", "--dir", str(folder)]
    # 1: the whole framework, not one of its role profiles.
    typed = "1\n3\n2\nn\nq\n"
    result = competency(*args, "--framework", str(LIBRARIANS), typed=typed, env=COLOURFUL)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "\x1b" not in result.stdout
    lines = result.stdout.splitlines()
    assert lines[:3] == [
        "Which role profile? Only its statements are asked.",
        "1: Whole framework (every statement).",
        "2: Catalog Librarian.",
    ]
    lines = lines[lines.index("Number:") + 1 :]
    assert lines[0] == (
        "Assessment of Ada Example against Librarians and Media Collections Specialists, "
        "version v.26.05."
    )
    assert "Saved: 3, Consistently. 1 of 40 answered." in lines
    assert "Saved: not applicable. 3 of 40 answered." in lines
    assert lines[-1] == "Goodbye. Everything is saved. 3 of 40 answered."
    assert all(line == line.strip() for line in lines), "no padding"
    (path,) = folder.glob("*.json")
    assert saved(path).ratings == {"emerging.1": 3, "emerging.5": 2, "developing.1": NA}
    assert not list(folder.glob(".*.lock")), "the lock is let go"

    # A second session on the same name offers the file to resume, at its first gap.
    result = competency(*args, typed="1\n4\n", env=COLOURFUL)
    assert result.returncode == 0, result.stderr
    assert "You have 1 assessment in" in result.stdout
    assert "2: Start a new assessment." in result.stdout
    assert "Statement 4 of 40." in result.stdout
    assert saved(path).ratings["developing.3"] == 4
    assert len(list(folder.glob("*.json"))) == 1


def test_the_name_is_asked_for_when_not_given(tmp_path: Path) -> None:
    folder = tmp_path / "a"
    result = competency(
        "assess", "--plain", "--dir", str(folder), "--framework", str(LIBRARIANS),
        typed="\nGrace Example\n1\n1\n",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:3] == [
        "Your name, for a new assessment or one to resume:",
        "A name is needed.",
        "Your name, for a new assessment or one to resume:",
    ]
    (path,) = folder.glob("grace-example-*.json")
    assert saved(path).ratings == {"emerging.1": 1}

    result = competency("assess", "--plain", "--dir", str(tmp_path / "b"), typed="")
    assert result.returncode == 0
    assert result.stdout.endswith("No name given; nothing was saved.\n")
    assert not (tmp_path / "b").exists()


def test_a_role_profile_is_chosen_or_given_and_only_its_statements_are_asked(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "a"
    args = ["assess", "--plain", "--name", "Cat Example", "--dir", str(folder)]
    result = competency(*args, typed="2\n3\ns\nq\n")
    assert result.returncode == 0, result.stderr
    assert "Role profile: Catalog Librarian: only its 11 statements are asked." in result.stdout
    assert "Statement 1 of 11." in result.stdout
    assert (
        "Area 6 of 7, Program Administration: Not in this role: none of its statements is "
        "part of this role, so none was asked." in result.stdout
    )
    (path,) = folder.glob("*.json")
    doc = saved(path)
    assert doc.profile == "catalog-librarian"
    assert doc.subject.role == "Catalog Librarian"

    result = competency(
        "assess", "--plain", "--name", "Ref Example", "--dir", str(folder),
        "--profile", "reference-librarian", typed="q\n",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Which role profile?" not in result.stdout
    assert "only its 10 statements are asked" in result.stdout

    result = competency(*args[:-2], "--dir", str(tmp_path / "b"), "--profile", "boss", typed="")
    assert result.returncode == 1
    assert "unknown profile 'boss'; the profiles are: catalog-librarian" in result.stderr
    assert result.stderr.count("\n") == 1
    assert not (tmp_path / "b").exists()


def test_a_review_agrees_through_stdin(tmp_path: Path, librarians: Framework) -> None:
    own: dict[str, int | str] = {"emerging.1": 3, "emerging.5": NA}
    path = write_assessment(tmp_path / "ada.json", librarians, ratings=own, status="submitted")
    result = competency(
        "review", "--plain", str(path), "--reviewer", "Grace Example",
        typed="a\na\n1\ne Needs the inventory audit\n", env=COLOURFUL,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout
    review = saved(path).review
    assert review is not None
    assert review.ratings == {"emerging.1": 3, "emerging.5": NA, "developing.1": 1}
    assert review.notes == {"developing.3": "Needs the inventory audit"}
    assert saved(path).ratings == own


def test_a_file_open_elsewhere_is_refused_in_one_line(
    tmp_path: Path, librarians: Framework
) -> None:
    path = write_assessment(tmp_path / "ada.json", librarians)
    before = path.read_bytes()
    with AssessmentStore(path):
        result = competency("assess", "--plain", str(path), typed="3\n")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "already open in another session" in result.stderr
    assert path.read_bytes() == before


class TypedAtATerminal(io.StringIO):
    """Lines typed at a terminal: stdin says it is one."""

    def isatty(self) -> bool:
        return True


def test_a_terminal_like_session_writes_no_escape_byte(
    tmp_path: Path,
    librarians: Framework,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """In-process, with stdin a terminal (as under a screen reader) and TERM asking for colour."""
    from competency.cli import main

    path = write_assessment(tmp_path / "ada.json", librarians)
    for name, value in COLOURFUL.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "stdin", TypedAtATerminal("4\nq\n"))
    assert main(["assess", "--plain", str(path)]) == 0
    heard = capsys.readouterr()
    assert "\x1b" not in heard.out and heard.err == ""
    assert "Rating: Saved: 4, Leading. 1 of 40 answered.\n" in heard.out, "prompt on the line"
    assert saved(path).ratings == {"emerging.1": 4}


@pytest.mark.parametrize("command", ["assess", "review"])
def test_the_screens_without_a_terminal_say_so_and_stop(
    command: str, tmp_path: Path, librarians: Framework
) -> None:
    path = write_assessment(tmp_path / "ada.json", librarians, status="submitted")
    before = path.read_bytes()
    args = [command, str(path)] + (["--reviewer", "Grace Example"] if command == "review" else [])
    started = time.monotonic()
    result = competency(*args, env=COLOURFUL)
    elapsed = time.monotonic() - started
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"competency: {command} needs a terminal for its screens; run it in one, or add "
        "--plain for plain lines of text (screen readers, scripts)\n"
    )
    assert elapsed < 30, "it stops instead of waiting for keys"
    assert path.read_bytes() == before
    assert not list(tmp_path.glob(".*.lock"))


def test_a_new_assessment_without_a_terminal_writes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "a"
    result = competency(
        "assess", "--name", "Ada Example", "--dir", str(folder), "--framework", str(LIBRARIANS)
    )
    assert result.returncode == 2
    assert "--plain" in result.stderr and result.stderr.count("\n") == 1
    assert not folder.exists()


def test_reopen_reopens_and_stops(tmp_path: Path, librarians: Framework) -> None:
    path = write_assessment(tmp_path / "ada.json", librarians, status="submitted")
    signed = competency(
        "review", "--plain", str(path), "--reviewer", "Grace Example",
        typed="2\nsign off\nsign off\n",
    )  # fmt: skip
    assert signed.returncode == 0, signed.stderr
    assert saved(path).status == "reviewed"
    result = competency("review", str(path), "--reviewer", "Hal Other", "--reopen")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{path}: reopened by Hal Other; the review can change again\n"
    after = saved(path)
    assert after.status == "submitted"
    assert (after.history[-1].action, after.history[-1].by) == ("reopened", "Hal Other")
    again = competency("review", str(path), "--reviewer", "Hal Other", "--reopen")
    assert again.returncode == 0
    assert again.stdout == f"{path}: not signed off (submitted); nothing to reopen\n"


def test_the_plain_summary_lists_the_resources_of_the_plan(tmp_path: Path) -> None:
    path = tmp_path / "maya.json"
    path.write_bytes((REPO / "assessments" / "maya-okafor-2026-11-02.json").read_bytes())
    resources = REPO / "examples" / "librarians-25-4022.00.resources.toml"
    result = competency("assess", str(path), "--plain", "--resources", str(resources), typed="s\n")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    area = lines.index(
        "Area 1 of 7, Collection Management: Developing, level 2 of 4. 6 of 6 answered."
    )
    assert lines[area + 4] == (
        "Resources for Strategic collection management: Collection development in practice "
        "(course, 6 hours, staff intranet; ask your supervisor for a place), at "
        "https://learning.example.org/courses/collection-development."
    )
    # Without the file, the summary is as it was: no resources line anywhere.
    result = competency("assess", str(path), "--plain", typed="s\n")
    assert "Resources for" not in result.stdout
