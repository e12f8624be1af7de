"""HR scores a folder of many files: every good one scored, every bad one named, in order."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from competency import batch
from competency.batch import FrameworkSheet, ScoreOptions, Scorer, discover, score_batches
from competency.cli import main
from competency.framework import bundled
from competency.framework.bundled import FrameworkResolver
from competency.framework.model import Framework, load_framework
from competency.scoring import score
from tests.batch.conftest import MixedFolder
from tests.batch.faults import BugInWorker, DiesInWorker
from tests.conftest import REPO, assessment_doc, write_framework
from tests.external.ft_framework import convert


def score_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[Any], str]:
    code = main(["score", *args])
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines()], err


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_every_good_file_scored_every_broken_one_named_in_order(
    mixed: MixedFolder, capsys: pytest.CaptureFixture[str], jobs: str
) -> None:
    code, records, err = score_cli(
        capsys, str(mixed.root), "--format", "jsonl", "--jobs", jobs, "--max-bytes", "30000"
    )
    assert [r["file"] for r in records] == mixed.in_order
    by_file = {r["file"]: r for r in records}
    assert all(by_file[f]["ok"] for f in mixed.good)
    for file, reason in mixed.broken.items():
        record = by_file[file]
        assert record["ok"] is False
        assert record["error"].startswith(file + ": ")
        assert reason in record["error"]
    # One line on stderr per refused file, in input order, and nothing else.
    assert err.splitlines() == [by_file[f]["error"] for f in mixed.in_order if f in mixed.broken]
    assert code == 1


def test_parallel_output_is_identical_to_serial(
    mixed: MixedFolder, capsys: pytest.CaptureFixture[str]
) -> None:
    outputs = []
    for jobs in ("1", "2", "3"):
        main(["score", str(mixed.root), "--format", "jsonl", "--jobs", jobs])
        outputs.append(capsys.readouterr())
    assert outputs[0] == outputs[1] == outputs[2]


def test_a_folder_of_good_files_exits_0(
    mixed: MixedFolder, capsys: pytest.CaptureFixture[str]
) -> None:
    code, records, err = score_cli(capsys, *mixed.good, "--format", "jsonl", "--jobs", "2")
    assert code == 0 and err == ""
    assert [r["subject"]["name"] for r in records] == [f"Person {i:03d}" for i in range(150)]
    assert records[7]["subject"] == {"name": "Person 007", "id": "E007", "unit": "U1"}


def test_explicit_framework_refuses_files_of_another(
    mixed: MixedFolder, capsys: pytest.CaptureFixture[str]
) -> None:
    some = mixed.good[:2]
    code, records, err = score_cli(
        capsys, *some, "--framework", str(mixed.other_framework), "--format", "jsonl"
    )
    assert [r["ok"] for r in records] == [False, False]
    assert "framework.id: is '25-4022.00', but it is being scored against framework" in err
    assert code == 1


def test_review_source_scores_the_reviewers_ratings_and_refuses_files_without_one(
    tmp_path: Path, librarians: Framework, capsys: pytest.CaptureFixture[str]
) -> None:
    reviewed = assessment_doc(
        librarians,
        {"emerging.1": 1},
        review={"reviewer": {"name": "Grace"}, "ratings": {"emerging.1": 4}},
    )
    (tmp_path / "a.json").write_text(json.dumps(reviewed))
    (tmp_path / "b.json").write_text(json.dumps(assessment_doc(librarians, {"emerging.1": 4})))
    code, records, err = score_cli(capsys, str(tmp_path), "--format", "jsonl", "--source", "review")
    assert records[0]["areas"]["collection-management"]["level"] == "Emerging"
    assert records[0]["source"] == "review"
    assert records[1] == {
        "file": str(tmp_path / "b.json"),
        "ok": False,
        "error": f"{tmp_path / 'b.json'}: has no review to score (--source review)",
    }
    assert code == 1 and err.count("\n") == 1


def test_max_bytes_takes_units_and_refuses_bad_sizes(
    mixed: MixedFolder, capsys: pytest.CaptureFixture[str]
) -> None:
    big = next(f for f in mixed.broken if f.endswith("too-big.json"))
    code, records, _ = score_cli(capsys, big, "--format", "jsonl", "--max-bytes", "29K")
    assert "over the 29,696-byte limit" in records[0]["error"]
    assert code == 1
    code, records, _ = score_cli(capsys, big, "--format", "jsonl", "--max-bytes", "1M")
    assert records[0]["ok"] is True and code == 0
    with pytest.raises(SystemExit) as caught:
        main(["score", big, "--max-bytes", "lots"])
    assert caught.value.code == 2
    assert "'lots' is not a size" in capsys.readouterr().err


def test_no_progress_bar_when_stderr_is_not_a_terminal(mixed: MixedFolder) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "competency", "score", str(mixed.root), "--format", "jsonl"],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert done.returncode == 1
    assert sorted(done.stderr.splitlines()) == sorted(
        json.loads(line)["error"] for line in done.stdout.splitlines() if not json.loads(line)["ok"]
    )


def test_folders_are_walked_in_path_order(tmp_path: Path) -> None:
    for name in ("b/z.json", "a.json", "b/a.json", "a/x.json", "c.txt", "b/sub/m.json"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("{}")
    found = [str(Path(f).relative_to(tmp_path)) for f in discover([str(tmp_path)])]
    assert found == ["a/x.json", "a.json", "b/a.json", "b/sub/m.json", "b/z.json"]
    assert found == [
        str(p.relative_to(tmp_path))
        for p in sorted(tmp_path.rglob("*.json"), key=lambda p: p.relative_to(tmp_path).parts)
    ]


def test_files_are_pulled_only_as_work_is_handed_out(
    mixed: MixedFolder, monkeypatch: pytest.MonkeyPatch
) -> None:
    pulled = 0

    def endless() -> Iterator[str]:
        nonlocal pulled
        while True:
            pulled += 1
            yield mixed.good[pulled % len(mixed.good)]

    monkeypatch.setattr(batch, "CHUNK", 8)
    batches = score_batches(endless(), FrameworkResolver(), ScoreOptions(), jobs=2, lines=True)
    for _ in range(5):
        assert next(batches).files == 8
    batches.close()
    # The source is endless, so getting here at all shows it is not read ahead. The bound:
    # the chunks yielded, two workers' chunks in flight and as many finished early, and the
    # chunk being assembled.
    assert pulled <= 8 * (5 + 2 * 2 * batch.IN_FLIGHT_PER_JOB + 1)


# -- the prepared framework gives exactly what scoring.score gives ---------------------------


RATING = st.one_of(st.none(), st.sampled_from([0, 1, 2, 3, 4, "na"]))


def frameworks_to_check(tmp: Path, librarians: Framework) -> list[Framework]:
    no_map = load_framework(write_framework(tmp, {"a": ["x", "y"], "b": ["z"]}, name="nomap"))
    ft = load_framework(convert(tmp))
    # Too many fields for one integer: the table sums them in chunks (issue 24, item 2).
    many_levels = load_framework(
        write_framework(tmp, {f"l{i}": ["x", "y"][: 1 + i % 2] for i in range(200)}, name="tall")
    )
    ids = [f"l{i}.{j}" for i in range(3) for j in range(1, 121)]
    areas = "".join(
        f'[[areas]]\nid = "a{k}"\ntitle = "A{k}"\nstatements = {json.dumps(ids[k::120])}\n'
        for k in range(120)
    )
    many_areas = load_framework(
        write_framework(tmp, {f"l{i}": ["s"] * 120 for i in range(3)}, areas, name="wide")
    )
    return [librarians, no_map, ft, many_levels, many_areas]


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> list[Framework]:
    from tests.conftest import LIBRARIANS

    return frameworks_to_check(tmp_path_factory.mktemp("fw"), load_framework(LIBRARIANS))


sheets: dict[int, FrameworkSheet] = {}


def test_a_sheet_sums_in_chunks_when_its_fields_are_many(checked: list[Framework]) -> None:
    assert len(FrameworkSheet(checked[0]).chunks) == 1  # the librarians: one sum, as before
    assert all(len(FrameworkSheet(fw).chunks) > 5 for fw in checked[3:])


@settings(max_examples=300, deadline=None)
@given(data=st.data(), threshold=st.sampled_from([0.0, 1.5, 2.5, 3.0, 3.5, 4.0]))
def test_the_sheet_applies_the_scoring_rule(
    checked: list[Framework], data: st.DataObject, threshold: float
) -> None:
    framework = data.draw(st.sampled_from(checked))
    values = data.draw(
        st.lists(RATING, min_size=len(framework.statements), max_size=len(framework.statements))
    )
    ratings = {s.id: v for s, v in zip(framework.statements, values, strict=True) if v is not None}
    expected = score(framework, ratings, threshold)
    sheet = sheets.get(id(framework)) or sheets.setdefault(id(framework), FrameworkSheet(framework))
    got = sheet.outcomes(ratings, threshold)
    want = [(a.level, a.rank, a.completion) for a in (*expected.areas, expected.overall)]
    assert got == want


def test_jsonl_lines_are_the_records_as_json(tmp_path: Path, librarians: Framework) -> None:
    people = [
        {"name": '=HYPERLINK("http://x")', "id": None, "unit": 'Ünit "q"\t\n'},
        {"name": "Ada </script> \u2028", "id": "E1"},
    ]
    for i, subject in enumerate(people):
        doc = assessment_doc(librarians, {"emerging.1": 4, "emerging.2": "na"})
        doc["subject"] = subject
        (tmp_path / f"{i}.json").write_text(json.dumps(doc))
    for source in ("self", "review"):
        scorer = Scorer(FrameworkResolver(), ScoreOptions(source=source))  # type: ignore[arg-type]
        for i in range(len(people)):
            file = str(tmp_path / f"{i}.json")
            line, error = scorer.line(file)
            assert line == json.dumps(scorer.record(file), ensure_ascii=False).encode()
            assert (error is None) == (source == "self")


def test_a_worker_that_dies_stops_the_batch_with_one_line(
    mixed: MixedFolder, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The command's resolver is sent to each worker, which dies on its first file.
    monkeypatch.setattr(bundled, "FrameworkResolver", DiesInWorker)
    target = mixed.root.parent / "levels.jsonl"
    code = main(
        ["score", str(mixed.root), "--format", "jsonl", "--jobs", "2", "--output", str(target)]
    )
    assert code == 2
    assert capsys.readouterr().err == (
        "competency: a scoring process stopped unexpectedly (out of memory, or killed); "
        "the output is incomplete\n"
    )
    assert not target.exists()  # no half-written output


def test_a_bug_in_a_worker_is_reported_not_hidden(mixed: MixedFolder) -> None:
    with pytest.raises(RuntimeError, match="ZeroDivisionError: a bug"):
        list(score_batches(mixed.good, BugInWorker(), ScoreOptions(), jobs=2))


def test_a_folder_that_cannot_be_listed_is_named_not_skipped(
    mixed: MixedFolder, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    locked = str(mixed.root / "unit-2")
    listing = os.scandir

    def scandir(path: str) -> Any:
        if path == locked:
            raise PermissionError(13, "Permission denied", path)
        return listing(path)

    monkeypatch.setattr(os, "scandir", scandir)
    code, records, err = score_cli(capsys, str(mixed.root), "--format", "jsonl", "--jobs", "1")
    assert locked in [r["file"] for r in records]
    assert not any(r["file"].startswith(locked + os.sep) for r in records)
    assert f"{locked}: is a folder, not a file" in err
    assert code == 1


class FakeTerminal(io.StringIO):
    """A stderr that says it is a terminal, as an HR analyst's shell is."""

    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_a_progress_bar_and_still_every_refusal(
    mixed: MixedFolder, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setenv("TERM", "xterm-256color")
    code = main(
        ["score", str(mixed.root), "--format", "jsonl", "--jobs", "2", "--max-bytes", "30000"]
    )
    shown = terminal.getvalue()
    assert "scoring" in shown and f"{len(mixed.in_order)}/{len(mixed.in_order)}" in shown
    for file in mixed.broken:
        assert file in shown
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["file"] for r in records] == mixed.in_order  # stdout has the records only
    assert code == 1


def test_the_sheet_ignores_a_rating_of_a_statement_outside_the_framework(
    librarians: Framework,
) -> None:
    # check_against refuses such a file before scoring; the table must not count it either.
    ratings: dict[str, int | str] = {"emerging.1": 4, "emerging.2": "na"}
    sheet = FrameworkSheet(librarians)
    assert sheet.walk({**ratings, "emerging.99": 0}, 3.0) == sheet.walk(ratings, 3.0)


def test_every_score_format_names_the_file(
    tmp_path: Path,
    librarians: Framework,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Two cycles of one person gave two identical table rows: the file tells them apart.
    from competency.cli import main

    monkeypatch.setenv("COLUMNS", "400")  # wide enough that no path is folded
    for cycle in ("2025", "2026"):
        doc = assessment_doc(librarians, {"emerging.1": 4})
        (tmp_path / f"ada-{cycle}.json").write_text(json.dumps(doc))
    for fmt in ("table", "jsonl", "csv"):
        assert main(["score", str(tmp_path), "--format", fmt]) == 0
        out = capsys.readouterr().out
        for cycle in ("2025", "2026"):
            assert f"ada-{cycle}.json" in out, fmt
    book = tmp_path / "scores.xlsx"
    one = str(tmp_path / "ada-2025.json")
    assert main(["score", one, "--format", "xlsx", "--output", str(book)]) == 0
    import openpyxl

    sheet = openpyxl.load_workbook(book).worksheets[0]
    assert one in [cell.value for row in sheet.iter_rows() for cell in row]


@pytest.mark.parametrize("columns", [80, 100, 160])
def test_the_table_fits_the_terminal_with_whole_level_names_and_two_lines_a_person(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    columns: int,
) -> None:
    """An HR analyst at an 80-column terminal sees the whole table: no cut border, no
    'Independen', and each person on two lines (name, file), even with long paths; a name
    longer than the column folds, never cut."""
    from rich.cells import cell_len

    from tests.conftest import framework_doc

    levels = {key: [f"{key} {n}" for n in range(1, 3)] for key in ("assisted", "independent")}
    fw = tmp_path / "fw.json"
    fw.write_text(json.dumps(framework_doc(levels)))
    areas = "".join(
        f'[[areas]]\nid = "area-{a}"\ntitle = "Area Number {a}"\n'
        f'statements = ["assisted.{a}", "independent.{a}"]\n'
        for a in (1, 2)
    )
    (tmp_path / "fw.areas.toml").write_text(areas)
    framework = load_framework(fw)
    folder = tmp_path / "a-long-shared-drive-folder" / "human-resources" / "2026-cycle"
    folder.mkdir(parents=True)
    for i, name in enumerate(("Ada Example", "Bartholomew Fitzgerald-Okonkwo Smythe")):
        doc = assessment_doc(framework, {s.id: 4 for s in framework.statements})
        doc["subject"] = {"name": name, "id": f"E{i}"}
        (folder / f"{name.lower().replace(' ', '-')}-2026-11-22.json").write_text(json.dumps(doc))
    monkeypatch.setenv("COLUMNS", str(columns))
    assert main(["score", str(folder), "--framework", str(fw), "--format", "table"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert max(cell_len(line) for line in lines) <= columns
    table = [line for line in lines if line.startswith("│")]
    files = [line.split("│")[1].strip() for line in table if ".json" in line]
    assert len(files) == 2 and all(f.endswith("-2026-11-22.json") for f in files), "one line"
    person = "".join(line.split("│")[1].strip() for line in table if ".json" not in line)
    assert "Ada Example" in person and "Fitzgerald-Okonkwo Smythe" in person, "names whole"
    if columns >= 100:
        assert len(table) == 4, "two lines a person"
    if columns >= 100:
        assert "Independent" in table[0], "level names whole where they fit"
    for line in table:
        assert "Independen " not in line and "Independen│" not in line
