"""Saving and opening assessment files: atomic, locked, and safe with names."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from competency.assessment import new_assessment
from competency.errors import AssessmentError
from competency.framework.model import Framework
from competency.storage import (
    AssessmentChanged,
    AssessmentLocked,
    AssessmentStore,
    load_assessment,
    new_assessment_path,
    read_assessment_bytes,
    safe_file_stem,
    save_assessment,
)

DAY = date(2026, 11, 22)


def test_save_leaves_no_temporary_files(tmp_path: Path, librarians: Framework) -> None:
    path = tmp_path / "ada.json"
    a = new_assessment(librarians, "Ada")
    for value in range(5):
        a.ratings["emerging.1"] = value
        save_assessment(a, path)
    assert [p.name for p in tmp_path.iterdir()] == ["ada.json"]
    assert load_assessment(path).ratings == {"emerging.1": 4}


def test_a_failed_save_keeps_the_old_file(tmp_path: Path, librarians: Framework) -> None:
    path = tmp_path / "ada.json"
    a = new_assessment(librarians, "Ada")
    save_assessment(a, path)
    before = path.read_bytes()
    a.notes["emerging.1"] = "\ud800"  # a lone surrogate cannot be encoded as UTF-8
    with pytest.raises(UnicodeEncodeError):
        save_assessment(a, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["ada.json"]


def test_saving_keeps_the_files_permissions(tmp_path: Path, librarians: Framework) -> None:
    path = tmp_path / "ada.json"
    save_assessment(new_assessment(librarians, "Ada"), path)
    os.chmod(path, 0o640)
    save_assessment(new_assessment(librarians, "Ada"), path)
    assert path.stat().st_mode & 0o777 == 0o640


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("Ada Example", "ada-example-2026-11-22"),
        ("../../x/evil", "x-evil-2026-11-22"),
        ("/etc/passwd", "etc-passwd-2026-11-22"),
        ("Zoë O'Brien-Ñúñez", "zoe-o-brien-nunez-2026-11-22"),
        ("..", "assessment-2026-11-22"),
        ("\x1b[31mred\x1b[0m", "31mred-0m-2026-11-22"),
        ("李小龍", "李小龍-2026-11-22"),
        ("Мария Иванова", "мария-иванова-2026-11-22"),
        ("प्रिया शर्मा", "प्रिया-शर्मा-2026-11-22"),
        ("a\u202eb\u200f c", "a-b-c-2026-11-22"),
        ("CON", "con-2026-11-22"),
    ],
)
def test_file_names_from_names_stay_inside_the_folder(name: str, stem: str) -> None:
    assert safe_file_stem(name, DAY) == stem


def test_new_paths_never_differ_from_another_file_by_case_alone(tmp_path: Path) -> None:
    # Ada.json beside ada.json is one file on Windows and macOS (and after a sync).
    (tmp_path / "ADA-2026-11-22.json").write_text("{}")
    assert new_assessment_path(tmp_path, "Ada", DAY).name == "ada-2026-11-22-2.json"


def test_names_windows_keeps_for_devices_are_never_made(tmp_path: Path) -> None:
    from competency.files import free_path, is_reserved_name, report_path

    assert (
        is_reserved_name("CON.report.html")
        and is_reserved_name("nul")
        and is_reserved_name("com1.json")
    )
    assert not is_reserved_name("console.json") and not is_reserved_name("con-2026-11-22.json")
    assert free_path(tmp_path, "aux", ".json").name == "aux-2.json"
    assert report_path(tmp_path / "con.json", ".html").name == "con_.report.html"
    assert report_path(tmp_path / "ada.json", ".html").name == "ada.report.html"


def test_new_paths_never_overwrite(tmp_path: Path) -> None:
    first = new_assessment_path(tmp_path, "../../x/evil", DAY)
    assert first.parent == tmp_path
    first.write_text("{}")
    second = new_assessment_path(tmp_path, "../../x/evil", DAY)
    assert second == tmp_path / "x-evil-2026-11-22-2.json"


def test_files_over_the_limit_are_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_bytes(b" " * 2048)
    with pytest.raises(AssessmentError) as caught:
        read_assessment_bytes(path, max_bytes=1024)
    assert "over the 1,024-byte limit" in caught.value.message
    assert caught.value.source == str(path)


def test_a_folder_is_not_an_assessment(tmp_path: Path) -> None:
    with pytest.raises(AssessmentError, match="folder"):
        read_assessment_bytes(tmp_path)


def test_second_session_on_one_file_is_refused(tmp_path: Path, librarians: Framework) -> None:
    path = tmp_path / "ada.json"
    save_assessment(new_assessment(librarians, "Ada"), path)
    with AssessmentStore(path):
        with pytest.raises(AssessmentLocked) as caught:
            AssessmentStore(path).acquire()
        assert "already open in another session" in caught.value.line
    # released: a new session can open it
    with AssessmentStore(path) as store:
        assert store.load().subject.name == "Ada"


def test_a_dead_sessions_lock_does_not_stick(tmp_path: Path, librarians: Framework) -> None:
    path = tmp_path / "ada.json"
    save_assessment(new_assessment(librarians, "Ada"), path)
    holder = (
        "import sys, time\n"
        "from competency.storage import AssessmentStore\n"
        "AssessmentStore(sys.argv[1]).acquire()\n"
        "print('locked', flush=True)\n"
        "time.sleep(60)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", holder, str(path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline() == "locked\n"
        with pytest.raises(AssessmentLocked) as caught:
            AssessmentStore(path).acquire()
        assert f"process {proc.pid}" in caught.value.line
    finally:
        proc.kill()  # SIGKILL: no chance to clean up
        proc.wait()
    store = AssessmentStore(path)
    store.acquire()  # the process that held it is gone
    assert store.holds_lock
    assert store.lock_path.read_text().split()[0] == str(os.getpid())
    store.release()
    assert not store.lock_path.exists()


def test_of_many_sessions_starting_at_once_exactly_one_gets_the_file(
    tmp_path: Path, librarians: Framework
) -> None:
    path = tmp_path / "ada.json"
    save_assessment(new_assessment(librarians, "Ada"), path)
    racer = (
        "import sys, time\n"
        "from competency.storage import AssessmentStore, AssessmentLocked\n"
        "time.sleep(max(0.0, float(sys.argv[2]) - time.time()))\n"
        "try:\n"
        "    AssessmentStore(sys.argv[1]).acquire()\n"
        "    print('won', flush=True)\n"
        "    time.sleep(1)\n"
        "except AssessmentLocked:\n"
        "    print('refused', flush=True)\n"
    )
    start = str(time.time() + 1.5)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", racer, str(path), start], stdout=subprocess.PIPE, text=True
        )
        for _ in range(6)
    ]
    outcomes = sorted(p.communicate(timeout=30)[0].strip() for p in procs)
    assert outcomes == ["refused"] * 5 + ["won"]


def test_a_change_behind_the_sessions_back_is_not_overwritten(
    tmp_path: Path, librarians: Framework
) -> None:
    path = tmp_path / "ada.json"
    save_assessment(new_assessment(librarians, "Ada"), path)
    with AssessmentStore(path) as store:
        mine = store.load()
        doc = json.loads(path.read_text())
        doc["ratings"]["emerging.1"] = 2  # someone else edits the file
        path.write_text(json.dumps(doc))
        mine.ratings["emerging.2"] = 4
        with pytest.raises(AssessmentChanged):
            store.save(mine)
    assert load_assessment(path).ratings == {"emerging.1": 2}


def test_store_saves_stamp_updated_at(tmp_path: Path, librarians: Framework) -> None:
    path = tmp_path / "ada.json"
    a = new_assessment(librarians, "Ada")
    a.updated_at = None
    with AssessmentStore(path) as store:
        store.save(a)
        a.ratings["emerging.1"] = 3
        store.save(a)
    saved = load_assessment(path)
    assert saved.updated_at is not None
    assert saved.ratings == {"emerging.1": 3}


def test_a_planted_lock_symlink_is_refused_and_its_target_untouched(
    tmp_path: Path, librarians: Framework
) -> None:
    # Regression: the lock was opened through symlinks and truncated, so anyone able to
    # write in a shared folder could make a reviewer overwrite any file of theirs.
    path = tmp_path / "ada.json"
    save_assessment(new_assessment(librarians, "Ada"), path)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious data")
    (tmp_path / ".ada.json.lock").symlink_to(victim)
    with pytest.raises(AssessmentError) as caught:
        AssessmentStore(path).acquire()
    assert "cannot lock it" in caught.value.line
    assert victim.read_text() == "precious data"


def test_a_lock_in_a_missing_folder_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(AssessmentError) as caught:
        AssessmentStore(tmp_path / "typo" / "ada.json").acquire()
    assert caught.value.line.startswith(f"{tmp_path / 'typo' / 'ada.json'}: cannot lock it")


def test_a_pipe_is_refused_instead_of_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    with pytest.raises(AssessmentError, match="not a regular file"):
        read_assessment_bytes(fifo)


def test_a_new_file_is_readable_by_its_owner_only_whatever_the_umask(
    tmp_path: Path, librarians: Framework
) -> None:
    old = os.umask(0o002)
    try:
        save_assessment(new_assessment(librarians, "Ada"), tmp_path / "ada.json")
    finally:
        os.umask(old)
    assert (tmp_path / "ada.json").stat().st_mode & 0o777 == 0o600


def test_an_existing_file_keeps_its_mode(tmp_path: Path, librarians: Framework) -> None:
    path = tmp_path / "ada.json"
    save_assessment(new_assessment(librarians, "Ada"), path)
    path.chmod(0o640)
    save_assessment(new_assessment(librarians, "Ada"), path)
    assert path.stat().st_mode & 0o777 == 0o640
