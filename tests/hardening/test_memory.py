"""What one hostile file can cost in memory: a stated multiple of its size, whatever its shape.

Each case is the largest file of its shape that ``--max-bytes`` (10 MB) lets through, and
the peak resident size of ``score --jobs 1`` (and ``report``) on it is compared with the
same command on an ordinary assessment, in the same run. README's Security section states
the figure: the extra is at most ``PER_BYTE`` times the file's size.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, REPO

PER_BYTE = 5
"""The most memory parsing one file may take, as a multiple of its size (measured: ~4)."""

PEAK = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024)
"""

MAYA = EXAMPLES / "maya-okafor-2026-11-02.json"
LIMIT = 10 * 1024 * 1024

pytestmark = pytest.mark.slow


def peak(*command: str) -> int:
    """The peak resident bytes of ``competency COMMAND`` run in a fresh process."""
    args = [sys.executable, "-c", PEAK, sys.executable, "-m", "competency", *command]
    done = subprocess.run(args, capture_output=True, text=True, check=True, cwd=REPO)
    return int(done.stdout)


def padded(tmp_path: Path, name: str, extra: str) -> Path:
    """Maya's assessment with one unknown field holding ``extra`` (JSON), near 10 MB."""
    text = MAYA.read_text("utf-8").rstrip().removesuffix("}") + f', "x": {extra}}}'
    path = tmp_path / f"{name}.json"
    path.write_text(text, encoding="utf-8")
    assert len(text.encode()) < LIMIT
    return path


SHAPES = {
    # 190,000 short strings: the most values allowed, each an object of its own.
    "strings": lambda: "[" + ",".join(['"' + "a" * 48 + '"'] * 190_000) + "]",
    # One note-sized string of 9.5 MB of two-byte characters.
    "one-string": lambda: json.dumps("é" * 4_750_000, ensure_ascii=False),
    # Escapes that expand as they are decoded.
    "escapes": lambda: '"' + "\\u00e9" * 1_650_000 + '"',
    # Three million empty objects would be 350 MB: refused by count, unread by the parser.
    "objects": lambda: "[" + ",".join(["{}"] * 3_000_000) + "]",
}


@pytest.mark.parametrize("command", ["score", "report"])
@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_a_file_costs_a_bounded_multiple_of_its_size(
    tmp_path: Path, shape: str, command: str
) -> None:
    hostile = padded(tmp_path, shape, SHAPES[shape]())
    tail = ["--jobs", "1", "--format", "jsonl"] if command == "score" else ["--format", "json"]
    ordinary = peak(command, str(MAYA), *tail)
    extra = peak(command, str(hostile), *tail) - ordinary
    size = hostile.stat().st_size
    assert extra <= PER_BYTE * size, f"{shape}: {extra:,} bytes for a {size:,}-byte file"


# -- what a framework costs, by its shape (issue 24, item 2) ------------------------------

PER_STATEMENT = 6 * 1024
"""The most a framework's statement may add to ``score``'s peak (measured: ~4.6 KB at the
limit of 20,000 statements; README, Security). Before, the scoring table grew with
statements x (areas + levels): 4,000 areas cost 1.1 GB."""


def shaped(tmp_path: Path, levels: int, per_level: int, areas: int) -> tuple[Path, Path, int]:
    """A framework of ``levels`` x ``per_level`` statements in ``areas`` areas (0: no
    map), and an assessment rating every statement; the paths and the statement count."""
    from competency.framework.model import MAX_STATEMENTS

    doc = {
        "schemaVersion": "1.0",
        "occupation": {"soc": "x-1", "title": "X"},
        "framework": {
            "levels": {
                f"l{i}": {"label": f"L{i}", "statements": ["s"] * per_level} for i in range(levels)
            }
        },
    }
    ids = [f"l{i}.{j}" for i in range(levels) for j in range(1, per_level + 1)]
    assert len(ids) <= MAX_STATEMENTS
    framework = tmp_path / "fw.json"
    framework.write_text(json.dumps(doc))
    if areas:
        (tmp_path / "fw.areas.toml").write_text(
            "".join(
                f'[[areas]]\nid = "a{k}"\ntitle = "A"\nstatements = {json.dumps(ids[k::areas])}\n'
                for k in range(areas)
            )
        )
    ratings = {sid: 3 if n % 5 else "na" for n, sid in enumerate(ids)}
    assessment = tmp_path / "a.json"
    assessment.write_text(
        json.dumps(
            {
                "schema": "competency-assessment/1",
                "framework": {"id": "x-1"},
                "subject": {"name": "Maya"},
                "ratings": ratings,
            }
        )
    )
    return framework, assessment, len(ids)


FRAMEWORK_SHAPES = {
    "many levels, no area map": (20_000, 1, 0),
    "many areas": (4, 3_000, 12_000),
    "levels and areas": (200, 100, 250),
}


@pytest.mark.parametrize("shape", sorted(FRAMEWORK_SHAPES))
def test_a_framework_costs_a_bounded_amount_per_statement(tmp_path: Path, shape: str) -> None:
    framework, assessment, statements = shaped(tmp_path, *FRAMEWORK_SHAPES[shape])
    tail = ["--jobs", "1", "--format", "jsonl"]
    ordinary = peak("score", str(MAYA), *tail)
    extra = peak("score", str(assessment), "--framework", str(framework), *tail) - ordinary
    assert extra <= PER_STATEMENT * statements, f"{shape}: {extra:,} bytes"
