"""How fast the 10,000-person team summary page opens, against a trivial page, in Chromium.

The bench writes N realistic assessment files (``bench_score.generate``), runs the real
command line to make the page::

    competency summary DIR --format html --output team.html

then opens it in headless Chromium (Debian's ``chromium`` driven by playwright) and times
the first render: from navigation until the table of people has its first page of rows
and the next frame is painted. A trivial page (a title and a paragraph) is timed the same
way in the same browser, alternating with the big one, so the machine's load counts for
both. It then sorts by Overall and filters by a name, and times those too.

Bar (issue 14): the median ratio first render / trivial page is at most 5.

    apt-get install -y chromium && pip install playwright
    python bench/bench_summary_page.py [--n 10000] [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_score import clean_env, generate  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TRIVIAL = '<!DOCTYPE html><html lang="en"><title>Trivial</title><p>Hello.</p></html>\n'
NEXT_FRAME = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
SHOWN = "document.getElementById('heatmap-shown')"
ROWS_SHOWN = f"() => {SHOWN}.textContent.length > 0"


def first_render(browser: Any, url: str, ready: str | None) -> float:
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    try:
        start = time.perf_counter()
        page.goto(url, wait_until="load")
        if ready:
            page.wait_for_function(ready)
        page.evaluate(NEXT_FRAME)
        return time.perf_counter() - start
    finally:
        page.close()


SORT_BY_OVERALL = """() => new Promise(done => {
  const start = performance.now();
  document.querySelector("#heatmap thead th:nth-child(5) button").click();
  requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - start)));
})"""
FILTER = """() => new Promise(done => {
  const shown = document.getElementById("heatmap-shown");
  const before = shown.textContent;
  const box = document.getElementById("heatmap-filter");
  const start = performance.now();
  box.value = "Okafor 42";
  box.dispatchEvent(new Event("input"));
  const wait = () => shown.textContent === before ? setTimeout(wait, 1) :
    requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - start)));
  wait();
})"""


def interactions(browser: Any, url: str) -> dict[str, float]:
    """Seconds, measured in the page, to sort by Overall and to filter by a name, each
    until the next frame is painted. The filter waits 120 ms for typing to pause; that
    wait is taken off."""
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    try:
        page.goto(url, wait_until="load")
        page.wait_for_function(ROWS_SHOWN)
        sort_ms = page.evaluate(SORT_BY_OVERALL)
        filter_ms = page.evaluate(FILTER) - 120
        return {"sort_s": sort_ms / 1000, "filter_s": filter_ms / 1000}
    finally:
        page.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if not os.path.exists(CHROMIUM):
        sys.exit(f"{CHROMIUM} is missing: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="competency-summary-bench-") as tmp:
        folder = Path(tmp) / "team"
        generate(folder, args.n)
        page_path = Path(tmp) / "team.html"
        command = [sys.executable, "-m", "competency", "summary", str(folder)]
        command += ["--format", "html", "--output", str(page_path)]
        subprocess.run(command, check=True, env=clean_env(), cwd=ROOT)
        page_bytes = page_path.stat().st_size
        trivial = Path(tmp) / "trivial.html"
        trivial.write_text(TRIVIAL, "utf-8")
        big_times, small_times = [], []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            first_render(browser, trivial.as_uri(), None)  # warm the browser up
            for _ in range(args.runs):
                big_times.append(first_render(browser, page_path.as_uri(), ROWS_SHOWN))
                small_times.append(first_render(browser, trivial.as_uri(), None))
            acted = interactions(browser, page_path.as_uri())
            browser.close()
    ratios = [big / small for big, small in zip(big_times, small_times, strict=True)]
    result = {
        "people": args.n,
        "page_bytes": page_bytes,
        "first_render_s": round(statistics.median(big_times), 3),
        "trivial_s": round(statistics.median(small_times), 3),
        "ratio_median": round(statistics.median(ratios), 2),
        "ratio_runs": [round(r, 2) for r in ratios],
        **{key: round(value, 3) for key, value in acted.items()},
        "bar": 5,
    }
    print(json.dumps(result))
    return 0 if result["ratio_median"] <= 5 else 1


if __name__ == "__main__":
    raise SystemExit(main())
