"""Golden files: every format of ``score`` and ``summary`` over the example team, byte for byte.

The team is the three bundled examples plus one refused file, so every golden shows the
scored rows and the refusal. A change to an output's layout shows up as a diff of the
``.csv``, ``.md``, ``.jsonl`` or ``.txt`` file itself. When a change is deliberate,
regenerate them and read the diff before committing:

    pytest --regenerate-golden  (every golden file of the suite: see tests/conftest.py)

The workbook cannot be compared byte for byte (xlsxwriter stamps the time of writing), so
``score.xlsx`` is compared sheet by sheet, cell by cell; it is a real workbook to open.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from competency.cli import main
from competency.outputs import formats
from tests.conftest import EXAMPLES, example_variant

GOLDEN = Path(__file__).parent / "golden"
REGENERATE = os.environ.get("COMPETENCY_REGENERATE_GOLDEN") == "1"
EXTENSIONS = {"table": ".txt", "jsonl": ".jsonl", "csv": ".csv", "md": ".md", "json": ".json"}


@pytest.fixture
def team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """``team/`` with the examples and a truncated file, as a relative path (records name it)."""
    folder = tmp_path / "team"
    folder.mkdir()
    for example in sorted(EXAMPLES.glob("*.json")):
        shutil.copy(example, folder / example.name)
    (folder / "zz-truncated.json").write_text('{"schema": "competency-assessment/1", "fra')
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "120")  # the rich tables' width, as on a wide terminal
    return "team"


def produce(command: str, fmt: str, team: str, tmp_path: Path) -> Path:
    out = tmp_path / f"out{EXTENSIONS.get(fmt, '.' + fmt)}"
    status = main([command, team, "--format", fmt, "--output", str(out), "--jobs", "1"])
    assert status == 1, "the truncated file is refused, the rest scored"
    return out


def compare_bytes(produced: Path, golden: Path) -> None:
    if REGENERATE:
        shutil.copy(produced, golden)
    assert golden.is_file(), f"missing {golden}; see this module's docstring"
    assert produced.read_bytes() == golden.read_bytes(), f"{golden.name} differs; see docstring"


@pytest.mark.parametrize("fmt", [f for f in formats("score") if f != "xlsx"])
def test_score_matches_golden_file(fmt: str, team: str, tmp_path: Path) -> None:
    produced = produce("score", fmt, team, tmp_path)
    compare_bytes(produced, GOLDEN / f"score{EXTENSIONS[fmt]}")


@pytest.mark.parametrize("fmt", formats("summary"))
def test_summary_matches_golden_file(fmt: str, team: str, tmp_path: Path) -> None:
    produced = produce("summary", fmt, team, tmp_path)
    compare_bytes(produced, GOLDEN / f"summary{EXTENSIONS.get(fmt, '.' + fmt)}")


def sheets(path: Path) -> dict[str, list[tuple[object, ...]]]:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def test_score_workbook_matches_golden_file(team: str, tmp_path: Path) -> None:
    produced = produce("score", "xlsx", team, tmp_path)
    golden = GOLDEN / "score.xlsx"
    # Only a changed workbook is copied: its bytes hold the time it was written.
    if REGENERATE and not (golden.is_file() and sheets(produced) == sheets(golden)):
        shutil.copy(produced, golden)
    assert golden.is_file(), f"missing {golden}; see this module's docstring"
    assert sheets(produced) == sheets(golden)


@pytest.fixture
def team_folder(team: str) -> str:
    """The team as a synced team folder holds it (SPEC 7): Maya has begun a newer draft
    since she submitted, and a conflict copy of her submitted file has other answers;
    Priya has an older draft beside her reviewed file, and a copy of it with the same
    answers; Sam has only drafts (the example, and an older one)."""
    folder = Path(team)
    example_variant(
        "maya-okafor-2026-11-02.json",
        folder / "maya-okafor-2026-11-02 (conflicted copy 2026-11-10).json",
        updated_at="2026-11-10T08:00:00Z",
        ratings={"emerging.1": 1},
    )
    example_variant("priya-raman-2026-10-12.json", folder / "priya-raman-2026-10-12-LAPTOP.json")
    example_variant(
        "maya-okafor-2026-11-02.json",
        folder / "maya-okafor-2026-12-01.json",
        status="in_progress",
        started_at="2026-12-01T09:00:00Z",
        updated_at="2026-12-01T09:30:00Z",
        ratings={"emerging.1": 4},
    )
    example_variant(
        "priya-raman-2026-10-12.json",
        folder / "priya-raman-2026-09-01.json",
        status="in_progress",
        started_at="2026-09-01T09:00:00Z",
        updated_at="2026-09-01T09:30:00Z",
        review=None,
    )
    example_variant(
        "sam-lindqvist-2026-11-20.json",
        folder / "sam-lindqvist-2026-11-01.json",
        started_at="2026-11-01T09:00:00Z",
        updated_at="2026-11-01T09:30:00Z",
    )
    return team


@pytest.mark.parametrize("fmt", formats("summary"))
def test_summary_of_a_team_folder_matches_golden_file(
    fmt: str, team_folder: str, tmp_path: Path
) -> None:
    """Drafts apart, statuses and conflict copies, in every format."""
    produced = produce("summary", fmt, team_folder, tmp_path)
    compare_bytes(produced, GOLDEN / f"summary-folder{EXTENSIONS.get(fmt, '.' + fmt)}")


@pytest.mark.parametrize("fmt", formats("status"))
def test_status_of_a_team_folder_matches_golden_file(
    fmt: str, team_folder: str, tmp_path: Path
) -> None:
    out = tmp_path / f"out{EXTENSIONS[fmt]}"
    assert main(["status", team_folder, "--format", fmt, "--output", str(out)]) == 1
    compare_bytes(out, GOLDEN / f"status-folder{EXTENSIONS[fmt]}")
