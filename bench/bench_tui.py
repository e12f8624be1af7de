"""How fast `competency assess` feels, as ratios against baselines measured in the same run.

1. Start-up: the time from `competency assess --name X` starting to its first statement
   appearing on a (pseudo-)terminal, against the time a hello-world Textual app takes to
   appear on the same terminal. The bar is 1.5x.
2. Per keypress: the mean time of a keypress (rate, move, clear: each one saves the file)
   on a generated framework of 2,000 statements in a single area (the whole table in one
   DataTable), against the bundled 40-statement framework.
3. The anchor a user feels: a rating keypress (with its atomic save) on the 40 statements,
   against a keypress in a hello-world Textual app that updates one label, both measured
   the same way (``pilot.press`` on an 80x24 headless screen) in the same run, the two
   alternated ``--repeat`` times. The bar is 1.3x, on the means; the medians are printed
   too, as a load spike on the machine moves them less.

Run it with bytecode caching on (`unset PYTHONDONTWRITEBYTECODE`), or both sides pay for
compiling on every start:

    python bench/bench_tui.py [--runs 7] [--keys 10] [--repeat 3]
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import json
import os
import pty
import re
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path
from typing import ClassVar

REPO = Path(__file__).resolve().parent.parent
LIBRARIANS = REPO / "frameworks" / "librarians-25-4022.00.json"
ANSI = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07]*\x07|[@-Z\\-_])")

HELLO = """\
from textual.app import App
from textual.widgets import Static

class Hello(App):
    def compose(self):
        yield Static("Hello, world")

Hello().run()
"""


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ, **(extra or {}))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["TERM"] = "xterm-256color"
    env["COLUMNS"], env["LINES"] = "80", "24"
    return env


def time_to_marker(
    argv: list[str],
    marker: bytes,
    cwd: Path,
    timeout: float = 30.0,
    env: dict[str, str] | None = None,
) -> float:
    """Seconds from starting ``argv`` on an 80x24 pty until ``marker`` is on its screen."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        cwd=cwd,
        env=child_env(env),
        start_new_session=True,
    )
    os.close(slave)
    seen = b""
    try:
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([master], [], [], 0.05)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            seen += chunk
            if marker in ANSI.sub(b"", seen):
                return time.perf_counter() - start
        raise RuntimeError(f"{argv[:3]}... never showed {marker!r}: {ANSI.sub(b'', seen)[-400:]!r}")
    finally:
        with _suppress():
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        os.close(master)


class _suppress:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> bool:
        return True


def bench_startup(runs: int, work: Path) -> tuple[float, float, float]:
    """Median start-up times: assess (framework cache warm), hello-world, assess (cache cold).

    `assess` keeps the frameworks it has checked in a cache (``$XDG_CACHE_HOME``); the
    first start after a framework file changes checks it again, which the cold figure shows.
    """
    hello = work / "hello.py"
    hello.write_text(HELLO, "utf-8")
    # `python -m competency` from the repository this script lives in runs this checkout's
    # code (an installed `competency` script may point at another one); the hello-world is
    # started the same way, `python FILE`, from the same folder, so both pay the same.
    assess = [sys.executable, "-m", "competency"]
    first_topic = b"Circulation procedures"

    def ours(i: int, cache: Path = work / "cache") -> float:
        folder = work / f"run{i}"
        argv = [
            *assess,
            "assess",
            "--framework",
            str(LIBRARIANS),
            "--name",
            "Bench Person",
            "--dir",
            str(folder),
        ]
        return time_to_marker(argv, first_topic, REPO, env={"XDG_CACHE_HOME": str(cache)})

    def theirs() -> float:
        return time_to_marker([sys.executable, str(hello)], b"Hello, world", REPO)

    ours(-1), theirs()  # warm the bytecode and file caches for both
    mine, baseline, cold = [], [], []
    for i in range(runs):  # interleaved, so drift in machine load hits all alike
        mine.append(ours(i))
        baseline.append(theirs())
        cold.append(ours(runs + i, cache=work / f"cold{i}"))
    return statistics.median(mine), statistics.median(baseline), statistics.median(cold)


def generate_framework(folder: Path, statements: int) -> Path:
    """A framework of ``statements`` statements over four levels, with no area map."""
    per_level = statements // 4
    levels = {
        key: {
            "label": key.title(),
            "statements": [
                f"Topic {key} {i} \u2014 a description long enough to need the full width of "
                f"the table, as real statements do ({i})"
                for i in range(1, per_level + 1)
            ],
        }
        for key in ("emerging", "developing", "proficient", "advanced")
    }
    doc = {
        "schemaVersion": "1.0",
        "occupation": {"soc": "99-9999.00", "title": "Generated"},
        "framework": {"version": "bench", "levels": levels},
    }
    path = folder / f"generated-{statements}.json"
    path.write_text(json.dumps(doc), "utf-8")
    return path


KEYS = ["3", "k", "n", "k", "j", "k", "u", "down", "up", "4"]


async def keypress_time(framework_path: Path, folder: Path, rounds: int) -> float:
    """Mean seconds per keypress on an 80x24 headless screen (each rating saves the file)."""
    sys.path.insert(0, str(REPO))
    from competency.framework.model import load_framework
    from competency.session import start_new
    from tui.app import make_app

    framework = load_framework(framework_path)
    session = start_new(framework, folder, "Bench Person")
    app = make_app(session)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press(*KEYS)  # warm up
            start = time.perf_counter()
            for _ in range(rounds):
                for key in KEYS:
                    await pilot.press(key)
            elapsed = time.perf_counter() - start
    finally:
        session.store.release()
    return elapsed / (rounds * len(KEYS))


async def rating_times(framework_path: Path, folder: Path, rounds: int) -> list[float]:
    """Seconds of each rating keypress, its save included (``k`` between, untimed)."""
    sys.path.insert(0, str(REPO))
    from competency.framework.model import load_framework
    from competency.session import start_new
    from tui.app import make_app

    framework = load_framework(framework_path)
    session = start_new(framework, folder, "Bench Person")
    app = make_app(session)
    timed: list[float] = []
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("3", "k", "4", "k")  # warm up
            for i in range(rounds * 10):
                start = time.perf_counter()
                await pilot.press("34"[i % 2])
                timed.append(time.perf_counter() - start)
                await pilot.press("k")
    finally:
        session.store.release()
    return timed


async def hello_keypress_times(rounds: int) -> list[float]:
    """Seconds of each keypress in a hello-world app whose binding updates one label."""
    from textual.app import App, ComposeResult
    from textual.binding import BindingType
    from textual.widgets import Label

    class Hello(App[None]):
        BINDINGS: ClassVar[list[BindingType]] = [("3", "bump", "Bump"), ("4", "bump", "Bump")]

        def __init__(self) -> None:
            super().__init__()
            self.count = 0

        def compose(self) -> ComposeResult:
            yield Label("Hello, world", id="label")

        def action_bump(self) -> None:
            self.count += 1
            self.query_one("#label", Label).update(f"Hello, world {self.count}")

    app = Hello()
    timed: list[float] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3", "4")  # warm up
        for i in range(rounds * 10):
            start = time.perf_counter()
            await pilot.press("34"[i % 2])
            timed.append(time.perf_counter() - start)
    return timed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="start-up runs per side")
    parser.add_argument("--keys", type=int, default=10, help="rounds of 10 keypresses")
    parser.add_argument(
        "--repeat", type=int, default=3, help="hello-world and rating runs, alternated"
    )
    args = parser.parse_args()
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print("note: PYTHONDONTWRITEBYTECODE is set here; the children run without it")

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        mine, hello, cold = bench_startup(args.runs, work)
        print(
            f"start-up: assess to first statement {mine * 1000:.0f} ms, "
            f"hello-world Textual app {hello * 1000:.0f} ms, "
            f"ratio {mine / hello:.2f}x (bar: 1.50x)"
        )
        print(
            f"  first start after the framework changed (nothing cached): "
            f"{cold * 1000:.0f} ms, ratio {cold / hello:.2f}x"
        )

        big = generate_framework(work, 2000)
        small_time = asyncio.run(keypress_time(LIBRARIANS, work / "small", args.keys))
        big_time = asyncio.run(keypress_time(big, work / "big", args.keys))
        print(
            f"keypress: 2,000 statements {big_time * 1000:.1f} ms, "
            f"40 statements {small_time * 1000:.1f} ms, "
            f"ratio {big_time / small_time:.2f}x"
        )
        # Alternated, so drift in the machine's load hits both sides alike.
        hello_keys: list[float] = []
        ratings: list[float] = []
        for i in range(args.repeat):
            hello_keys += asyncio.run(hello_keypress_times(args.keys))
            ratings += asyncio.run(rating_times(LIBRARIANS, work / f"rating{i}", args.keys))
        rating, hello_key = statistics.mean(ratings), statistics.mean(hello_keys)
        print(
            f"rating keypress with its save {rating * 1000:.1f} ms, hello-world keypress "
            f"{hello_key * 1000:.1f} ms, ratio {rating / hello_key:.2f}x (bar: 1.30x; "
            f"means of {len(ratings)} keys each)"
        )
        rating, hello_key = statistics.median(ratings), statistics.median(hello_keys)
        print(
            f"  medians: {rating * 1000:.1f} ms and {hello_key * 1000:.1f} ms, "
            f"ratio {rating / hello_key:.2f}x"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
