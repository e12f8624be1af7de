"""`competency score`: the SPEC 5 contract that other tools and scripts rely on."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from competency.cli import main
from competency.framework.model import Framework
from tests.conftest import EXAMPLES, REPO, assessment_doc

RECORD_KEYS = {"file", "ok", "subject", "framework", "status", "completion", "overall", "areas"}


@pytest.fixture()
def team(tmp_path: Path, librarians: Framework) -> Path:
    """A folder: good files in sub-folders, and one refused file between them."""
    (tmp_path / "team" / "east").mkdir(parents=True)
    (tmp_path / "team" / "main").mkdir()
    for name in ("b.json", "a.json"):
        doc = assessment_doc(librarians, {"emerging.1": 3, "emerging.2": "na"})
        doc["subject"]["name"] = name
        (tmp_path / "team" / "main" / name).write_text(json.dumps(doc))
    bad = assessment_doc(librarians, {"emerging.9": 3, "emerging.99": 3})
    (tmp_path / "team" / "east" / "bad.json").write_text(json.dumps(bad))
    (tmp_path / "team" / "notes.txt").write_text("not an assessment, not *.json")
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["score", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_jsonl_shape_order_and_exit_code(
    team: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(team)
    code, out, err = run(capsys, "team", "--format", "jsonl")
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["file"] for r in records] == [
        "team/east/bad.json",
        "team/main/a.json",
        "team/main/b.json",
    ]
    bad, good = records[0], records[1]
    assert bad == {
        "file": "team/east/bad.json",
        "ok": False,
        "error": "team/east/bad.json: ratings.emerging.99: unknown statement",
    }
    assert set(good) >= RECORD_KEYS
    assert good["ok"] is True
    assert good["subject"] == {"name": "a.json", "id": "E1234"}
    assert good["framework"] == {"id": "25-4022.00", "version": "v.26.05"}
    assert good["status"] == "in_progress"
    assert good["completion"] == 0.05
    assert good["overall"] == {"level": "Emerging", "rank": 1}
    assert good["areas"]["collection-management"] == {
        "title": "Collection Management",
        "level": "Emerging",
        "rank": 1,
        "completion": round(1 / 6, 4),
    }
    assert good["areas"]["user-education"]["level"] == "Not assessed"
    assert good["areas"]["user-education"]["rank"] is None
    assert err.splitlines() == ["team/east/bad.json: ratings.emerging.99: unknown statement"]
    assert code == 1


def test_files_keep_the_order_given(team: Path, capsys: pytest.CaptureFixture[str]) -> None:
    b, a = team / "team/main/b.json", team / "team/main/a.json"
    code, out, _ = run(capsys, str(b), str(a), "--format", "jsonl")
    assert [json.loads(line)["file"] for line in out.splitlines()] == [str(b), str(a)]
    assert code == 0


def test_every_file_scored_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, str(EXAMPLES), "--format", "jsonl")
    assert code == 0 and err == ""
    assert len(out.splitlines()) == len(list(EXAMPLES.glob("*.json")))


def test_missing_file_is_refused_not_fatal(team: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = team / "team/main/a.json"
    code, out, err = run(capsys, str(team / "gone.json"), str(good), "--format", "jsonl")
    lines = [json.loads(line) for line in out.splitlines()]
    assert [r["ok"] for r in lines] == [False, True]
    assert "no such file" in err
    assert code == 1


@pytest.mark.parametrize(
    "args",
    [
        ["--format", "yaml"],
        ["--threshold", "five"],
        ["--threshold", "9"],
        ["--framework", "/nonexistent/fw.json"],
    ],
)
def test_command_that_cannot_run_exits_2(
    team: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        sys.exit(main(["score", str(team / "team"), *args]))
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err


def test_invalid_framework_exits_2_with_one_line(
    team: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text(
        '{"schemaVersion": "1.0", "occupation": {"soc": "x", "title": "y"}, '
        '"framework": {"levels": {}}}'
    )
    code, out, err = run(capsys, str(team / "team"), "--framework", str(broken))
    assert code == 2
    assert out == ""
    assert err.strip() == (
        f"competency: {broken}: framework.levels: "
        "Dictionary should have at least 1 item after validation, not 0"
    )


def test_threshold_changes_levels(team: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(team / "team/main/a.json")
    _, out, _ = run(capsys, path, "--format", "jsonl", "--threshold", "3.5")
    assert json.loads(out)["overall"]["level"] == "Below Emerging"


def test_csv_has_a_row_per_file(team: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(team / "team"), "--format", "csv")
    rows = out.splitlines()
    assert rows[0].startswith("file,ok,error,name,id")
    assert len(rows) == 4
    assert code == 1


def test_output_file_is_written_whole(team: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = team / "levels.jsonl"
    code, out, _ = run(
        capsys, str(team / "team/main"), "--format", "jsonl", "--output", str(target)
    )
    assert out == ""
    assert len(target.read_text().splitlines()) == 2
    assert code == 0


def test_python_dash_m_and_the_console_script_agree() -> None:
    args = ["score", str(EXAMPLES), "--format", "jsonl"]
    by_module = subprocess.run(
        [sys.executable, "-m", "competency", *args], capture_output=True, text=True, cwd=REPO
    )
    assert by_module.returncode == 0, by_module.stderr
    # Beside this Python's own scripts, where `pip install -e .` put it: a venv need not be
    # activated (on PATH) to run its pytest.
    script = shutil.which("competency", path=sysconfig.get_path("scripts"))
    assert script is not None, "pip install -e . installs the `competency` script"
    by_script = subprocess.run([script, *args], capture_output=True, text=True, cwd=REPO)
    assert by_script.stdout == by_module.stdout


def test_a_batch_that_leaves_at_once_still_delivers_every_line_and_its_exit_code(
    tmp_path: Path, librarians: Framework
) -> None:
    # `competency score` skips the interpreter's teardown (cli.run): what it wrote to a
    # pipe (more than a pipe holds, from worker processes), to stderr and to --output must
    # all arrive, with the exit status.
    folder = tmp_path / "team"
    folder.mkdir()
    for i in range(300):
        doc = assessment_doc(librarians, {"emerging.1": 3, "emerging.2": "na"})
        doc["subject"]["name"] = f"Person {i} " + "x" * 200
        (folder / f"p{i:03d}.json").write_text(json.dumps(doc))
    (folder / "zz-broken.json").write_text("{")
    tool = [sys.executable, "-m", "competency", "score", str(folder), "--jobs", "2"]
    piped = subprocess.run([*tool, "--format", "jsonl"], capture_output=True, text=True)
    assert piped.returncode == 1
    lines = piped.stdout.splitlines()
    assert len(lines) == 301 and sum(json.loads(line)["ok"] for line in lines) == 300
    assert piped.stderr.count("zz-broken.json") == 1
    target = tmp_path / "levels.csv"
    written = subprocess.run([*tool, "--format", "csv", "--output", str(target)], check=False)
    assert written.returncode == 1
    assert len(target.read_text().splitlines()) == 302  # the header, 300 people, 1 refusal
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp file


@pytest.mark.parametrize(
    "args",
    [
        ["score", "--format", "table"],
        ["score", "--format", "jsonl"],
        ["summary", "--format", "table"],
        ["summary", "--format", "md"],
    ],
    ids=lambda a: " ".join(a),
)
def test_a_reader_that_stops_early_ends_the_output_quietly_with_status_0(
    args: list[str], tmp_path: Path, librarians: Framework
) -> None:
    # `competency summary team/ | head -1`: the rest has nowhere to go, which is no error.
    # (rich's tables exited 1 on their own.)
    for i in range(120):
        doc = assessment_doc(librarians, {"emerging.1": 3})
        doc["subject"] = {"name": f"Person {i}", "id": f"E{i}", "unit": f"Unit {i % 7}"}
        (tmp_path / f"p{i:03d}.json").write_text(json.dumps(doc))
    tool = [sys.executable, "-m", "competency", args[0], str(tmp_path), *args[1:]]
    with subprocess.Popen(tool, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.readline()
        proc.stdout.close()  # the reader goes away after one line
        err = proc.stderr.read()
    assert proc.returncode == 0, err
    assert b"Traceback" not in err and b"BrokenPipe" not in err


def test_the_table_of_a_big_batch_lists_the_first_rows_and_says_where_the_rest_are(
    team: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A table of 10,000 files took rich 35 s to lay out, for more rows than any screen:
    # the table lists the first TABLE_ROWS (here 1 of the 2 scored) and says the rest.
    from competency import outputs

    monkeypatch.setattr(outputs, "TABLE_ROWS", 1)
    code, out, err = run(capsys, str(team / "team"), "--format", "table")
    assert code == 1 and "bad.json" in err  # every file is still scored and refused
    assert out.count("team/main/") == 1
    assert "... and 1 more of the files scored; --format csv, jsonl or xlsx lists them all." in out
    code, out, _ = run(capsys, str(team / "team"), "--format", "jsonl")
    assert sum(json.loads(line)["ok"] for line in out.splitlines()) == 2


def test_a_missing_area_map_stops_the_command(
    team: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, str(team / "team"), "--areas", str(team / "nope.toml"))
    assert code == 2
    assert out == ""
    assert err.strip() == f"competency: {team / 'nope.toml'}: no such file"


@pytest.mark.parametrize("command", ["score", "summary"])
def test_an_output_that_cannot_be_written_stops_before_any_work(
    team: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    folder = str(team / "team")
    for output, words in [
        (team / "nope" / "out.csv", "there is no folder"),
        (team / "team", "is a folder"),
    ]:
        code = main([command, folder, "--format", "csv", "--output", str(output)])
        captured = capsys.readouterr()
        assert code == 2
        assert captured.out == ""
        assert captured.err.strip() == f"competency: {output}: " + (
            f"cannot write it: there is no folder {output.parent}"
            if words == "there is no folder"
            else "is a folder; --output takes a file name"
        )


@pytest.mark.parametrize("command", ["score", "summary"])
def test_an_output_that_is_an_input_is_refused(
    team: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    # Regression: `score same.json --output same.json` replaced the assessment.
    ada = team / "team" / "main" / "a.json"
    before = ada.read_bytes()
    for args in ([str(ada)], [str(team / "team")]):
        code = main([command, *args, "--format", "csv", "--output", str(ada)])
        assert code == 2
        assert "input" in capsys.readouterr().err
    assert ada.read_bytes() == before
