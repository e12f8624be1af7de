"""How many outside writes does a session overwrite without a word? (issue 10, case 3)

A session (``AssessmentStore``) saves one assessment every 10 ms; another program writes
the same file every 50 ms, each time with a new number in a field the tool does not know
(``outside_write``). The session keeps unknown fields, so once it has seen write N, every
later save it makes still says N. Before each write the outside program reads the file:
if it no longer says the number it last wrote, and no refusal told the session about it,
that write was overwritten without a word: "lost".

A save that finds the file changed raises ``AssessmentChanged``; the session then does
what the screen tells a person to do: reopen the file and carry on.

    PYTHONPATH=. python bench/save_race.py            # 200 outside writes, in place
    PYTHONPATH=. python bench/save_race.py --mode rename --writes 500

Prints one line: the outside writes, how many the session was told about, how many were
lost.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def session(path: str, stop: Any, told: Any) -> None:
    from competency.storage import AssessmentChanged, AssessmentStore

    store = AssessmentStore(path)
    store.acquire()
    assessment: Any = reopen(store)
    n = 0
    while not stop.is_set():
        n += 1
        assessment.ratings["emerging.1"] = n % 5
        try:
            store.save(assessment)
        except AssessmentChanged:
            told.put(1)
            assessment = reopen(store)
        time.sleep(0.010)
    store.release()


def reopen(store: object) -> object:
    """Load again; a half-written file (the outside program writes in place) is retried."""
    from competency.errors import AssessmentError

    while True:
        try:
            return store.load()  # type: ignore[attr-defined]
        except AssessmentError:
            time.sleep(0.001)


def outside(path: str, writes: int, mode: str) -> tuple[int, int]:
    """Write ``writes`` times; return (writes, how many were found overwritten)."""
    lost = 0
    last: int | None = None
    for n in range(1, writes + 1):
        time.sleep(0.050)
        doc = json.loads(Path(path).read_bytes())
        if last is not None and doc.get("outside_write") != last:
            lost += 1
        doc["outside_write"] = n
        data = json.dumps(doc, indent=2).encode() + b"\n"
        if mode == "rename":
            tmp = f"{path}.outside"
            Path(tmp).write_bytes(data)
            os.replace(tmp, path)
        else:
            with open(path, "r+b") as handle:
                handle.truncate(0)
                handle.write(data)
        last = n
    time.sleep(0.1)
    doc = json.loads(Path(path).read_bytes())
    if doc.get("outside_write") != last:
        lost += 1
    return writes, lost


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writes", type=int, default=200)
    parser.add_argument("--mode", choices=("inplace", "rename"), default="inplace")
    args = parser.parse_args()
    from competency.assessment import new_assessment
    from competency.framework.bundled import FrameworkResolver, bundled_frameworks
    from competency.storage import save_assessment

    framework = FrameworkResolver().for_id(bundled_frameworks()[0].id, "bench")
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "ada.json")
        save_assessment(new_assessment(framework, "Ada Example"), path)
        context = multiprocessing.get_context("fork")
        stop = context.Event()
        told: multiprocessing.Queue[int] = context.Queue()
        worker = context.Process(target=session, args=(path, stop, told))
        worker.start()
        time.sleep(0.2)
        writes, lost = outside(path, args.writes, args.mode)
        stop.set()
        worker.join()
        refusals = 0
        while not told.empty():
            refusals += told.get()
    print(
        f"{args.mode}: {writes} outside writes, session told {refusals} times, "
        f"{lost} overwritten without a word"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
