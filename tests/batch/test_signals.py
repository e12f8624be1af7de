"""HR closes the terminal (HUP) or a job scheduler stops the run (TERM) mid-batch."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, REPO


def running_with(marker: str) -> list[str]:
    """Processes whose command line names ``marker`` (forked workers keep the parent's)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if marker in cmdline and "Z" not in _state(proc):
            found.append(f"{proc.name}: {cmdline}")
    return found


def _state(proc: Path) -> str:
    """A process's state letter (Z: a zombie, already dead, waiting to be reaped)."""
    try:
        return (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return "Z"


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_stopped_batch_leaves_no_workers_and_no_temporary_file(
    tmp_path: Path, signum: signal.Signals
) -> None:
    team = tmp_path / f"team-stop-{signum.name}"
    team.mkdir()
    person = (EXAMPLES / "maya-okafor-2026-11-02.json").read_bytes()
    for i in range(20000):
        (team / f"p{i:05d}.json").write_bytes(person)
    out = tmp_path / "levels.csv"
    command = ["score", str(team), "--jobs", "2", "--format", "csv", "--output", str(out)]
    run = subprocess.Popen(
        [sys.executable, "-m", "competency", *command],
        cwd=REPO,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while not list(tmp_path.glob(".levels.csv.*.tmp")) and time.monotonic() < deadline:
        time.sleep(0.02)  # started writing: the workers are busy
    assert run.poll() is None, "the batch ended before it could be stopped"
    run.send_signal(signum)
    _, err = run.communicate(timeout=30)
    assert run.returncode == 128 + signum
    assert err.strip().splitlines()[-1] == (
        f"competency: stopped by {signum.name}; nothing was written"
    )
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [team.name]
    deadline = time.monotonic() + 10
    while running_with(team.name) and time.monotonic() < deadline:
        time.sleep(0.05)  # a worker may take a moment to die with its parent
    assert running_with(team.name) == []
