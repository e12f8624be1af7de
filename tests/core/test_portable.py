"""The OS-specific paths of competency.portable, each taken on this machine."""

from __future__ import annotations

import errno
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from competency import portable
from competency.files import write_new
from tests.conftest import REPO


def test_a_symlink_is_never_opened_with_or_without_o_nofollow(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "target"
    target.write_text("secret")
    (tmp_path / "link").symlink_to(target)
    for flag in (portable.O_NOFOLLOW, 0):  # 0: as on Windows, checked with lstat instead
        monkeypatch.setattr(portable, "O_NOFOLLOW", flag)
        with pytest.raises(OSError) as caught:
            portable.open_no_follow(tmp_path / "link", os.O_RDWR)
        assert caught.value.errno == errno.ELOOP
        fd = portable.open_no_follow(tmp_path / "new", os.O_WRONLY | os.O_CREAT | os.O_EXCL)
        os.close(fd)
        (tmp_path / "new").unlink()
    assert target.read_text() == "secret"


def test_a_new_file_never_replaces_one_even_without_hard_links(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = tmp_path / "key.pem"
    write_new(key, b"first", mode=0o600)
    with pytest.raises(FileExistsError):
        write_new(key, b"second")
    assert key.read_bytes() == b"first"

    def no_links(*args: object) -> None:  # FAT, some network shares
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    other = tmp_path / "other.pem"
    write_new(other, b"whole", mode=0o600)
    assert other.read_bytes() == b"whole"
    if sys.platform != "win32":
        assert other.stat().st_mode & 0o777 == 0o600
    with pytest.raises(FileExistsError):
        write_new(other, b"again")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["key.pem", "other.pem"]


def test_the_exclusive_file_lock_refuses_a_second_holder_and_outlives_no_dead_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(portable, "LOCKING", "exclusive file")
    lock = tmp_path / ".a.json.lock"
    fd = portable.take_lock(lock)
    with pytest.raises(portable.LockHeld) as held:
        portable.take_lock(lock)
    assert held.value.holder.split()[0] == str(os.getpid())
    portable.release_lock(lock, fd)
    assert not lock.exists()
    # A holder that died without letting go: its process is gone from this host.
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        text=True,
        capture_output=True,
        check=True,
    ).stdout.strip()
    lock.write_text(f"{dead} {socket.gethostname()}\n")
    fd = portable.take_lock(lock)
    assert lock.read_text().split()[0] == str(os.getpid())
    portable.release_lock(lock, fd)
    # One from another host cannot be checked from here: it holds.
    lock.write_text("1 another-host\n")
    with pytest.raises(portable.LockHeld):
        portable.take_lock(lock)
    assert not portable.is_abandoned(lock)  # nothing tells: a temporary file is kept


def test_stop_signals_are_ones_this_os_has() -> None:
    assert signal.SIGTERM in portable.STOP_SIGNALS
    expected = "SIGBREAK" if sys.platform == "win32" else "SIGHUP"
    assert expected in {s.name for s in portable.STOP_SIGNALS}


def test_without_fcntl_sessions_still_lock_save_and_refuse_a_second_one(tmp_path: Path) -> None:
    # As on Windows: no fcntl module at all (tests/no_fcntl/sitecustomize.py removes it).
    code = (
        "import sys\n"
        "from competency import portable\n"
        "from competency.assessment import new_assessment\n"
        "from competency.framework.model import load_framework\n"
        "from competency.storage import AssessmentLocked, AssessmentStore, save_assessment\n"
        "assert 'fcntl' not in sys.modules or sys.modules['fcntl'] is None\n"
        "assert portable.LOCKING == 'exclusive file', portable.LOCKING\n"
        f"framework = load_framework({str(REPO / 'frameworks/librarians-25-4022.00.json')!r})\n"
        "path = sys.argv[1]\n"
        "save_assessment(new_assessment(framework, 'Ada'), path)\n"
        "with AssessmentStore(path) as store:\n"
        "    a = store.load()\n"
        "    try:\n"
        "        AssessmentStore(path).acquire()\n"
        "    except AssessmentLocked as exc:\n"
        "        assert 'already open in another session' in exc.line\n"
        "    else:\n"
        "        raise AssertionError('a second session got the file')\n"
        "    a.ratings['emerging.1'] = 3\n"
        "    store.save(a)\n"
        "with AssessmentStore(path) as store:\n"
        "    assert store.load().ratings['emerging.1'] == 3\n"
        "print('ok')\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO / "tests" / "no_fcntl")}
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "ada.json")],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        check=False,
    )
    assert done.stdout == "ok\n", done.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["ada.json"]  # no lock file left behind


@pytest.mark.parametrize(
    ("platform", "wanted", "started"),
    [
        ("linux", None, "fork"),
        ("linux", "spawn", "spawn"),
        ("darwin", None, "spawn"),
        ("darwin", "fork", "spawn"),  # fork is unsafe on macOS: never, even when asked
        ("win32", "fork", "spawn"),
        ("linux", "forkserver", "fork"),  # not a choice: the OS's own
    ],
)
def test_workers_fork_on_linux_and_spawn_elsewhere(
    monkeypatch: pytest.MonkeyPatch, platform: str, wanted: str | None, started: str
) -> None:
    from competency import portable

    monkeypatch.setattr(portable.sys, "platform", platform)
    if wanted is None:
        monkeypatch.delenv("COMPETENCY_START_METHOD", raising=False)
    else:
        monkeypatch.setenv("COMPETENCY_START_METHOD", wanted)
    assert portable.start_method() == started
