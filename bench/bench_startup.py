"""How fast `competency --help` answers, as a ratio to a bare `python -c pass`.

Both are measured in the same run, alternately, so machine load affects them alike.
Bar (issue 2): the ratio is at most 12. Run: `python bench/bench_startup.py [--runs N]`.
Unset PYTHONDONTWRITEBYTECODE first: without cached bytecode every import compiles again.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

BAR = 12.0


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print("note: PYTHONDONTWRITEBYTECODE is set; figures include recompiling imports")
    script = shutil.which("competency") or ""
    tool = [script, "--help"] if script else [sys.executable, "-m", "competency", "--help"]
    base = [sys.executable, "-c", "pass"]
    for _ in range(3):  # warm the file cache and bytecode
        timed(tool)
        timed(base)
    tool_times, base_times = [], []
    for _ in range(args.runs):
        tool_times.append(timed(tool))
        base_times.append(timed(base))
    t, b = statistics.median(tool_times), statistics.median(base_times)
    ratio = t / b
    print(f"python -c pass      median {b * 1000:7.1f} ms")
    print(f"competency --help   median {t * 1000:7.1f} ms  ({' '.join(tool)})")
    print(
        f"ratio               {ratio:7.2f}x  (bar: <= {BAR:.0f}x) "
        f"{'PASS' if ratio <= BAR else 'FAIL'}"
    )
    return 0 if ratio <= BAR else 1


if __name__ == "__main__":
    raise SystemExit(main())
