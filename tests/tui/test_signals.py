"""Issue 10, case 15: TERM or HUP give the terminal back as it was, and keep every answer."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from competency.framework.model import Framework
from tests.conftest import REPO
from tests.tui.conftest import saved, write_assessment

ALTERNATE_SCREEN_ON = b"\x1b[?1049h"
ALTERNATE_SCREEN_OFF = b"\x1b[?1049l"
MOUSE_OFF = b"\x1b[?1000l"


def read_until(fd: int, wanted: bytes, seen: bytes, seconds: float) -> bytes:
    end = time.monotonic() + seconds
    while wanted not in seen and time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    return seen


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_restores_the_terminal_and_keeps_the_file(
    tmp_path: Path, librarians: Framework, signum: int
) -> None:
    import pty

    first = librarians.statements[0].id
    path = write_assessment(tmp_path / "ada.json", librarians, ratings={first: 3})
    before = path.read_bytes()
    controller, terminal = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
    child = subprocess.Popen(
        [sys.executable, "-m", "competency", "assess", str(path)],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        cwd=REPO,
        env=env,
        start_new_session=True,
    )
    os.close(terminal)
    try:
        seen = read_until(controller, ALTERNATE_SCREEN_ON, b"", 60)
        assert ALTERNATE_SCREEN_ON in seen, seen[-500:]
        seen = read_until(controller, b"Ada Example", seen, 30)  # the first frame is drawn
        child.send_signal(signum)
        # Keep reading while it exits: a terminal nobody reads fills up, and the app's
        # last writes (the ones that restore the terminal) would wait for ever.
        end = time.monotonic() + 60
        while child.poll() is None and time.monotonic() < end:
            seen = read_until(controller, b"\xff", seen, 0.5)  # never sent: read for 0.5 s
        code = child.wait(timeout=5)
        seen = read_until(controller, ALTERNATE_SCREEN_OFF + b"\xff", seen, 2)
    finally:
        if child.poll() is None:
            child.kill()
        os.close(controller)
    after_on = seen[seen.rindex(ALTERNATE_SCREEN_ON) :]
    assert ALTERNATE_SCREEN_OFF in after_on
    assert MOUSE_OFF in after_on
    assert code == 128 + signum
    assert saved(path).ratings == {first: 3}
    assert path.read_bytes() == before
    assert not (tmp_path / ".ada.json.lock").exists()
