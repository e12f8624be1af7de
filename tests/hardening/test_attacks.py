"""Tried as an attacker would: huge files, escape sequences, path tricks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from competency.cli import main
from competency.framework.model import Framework
from tests.conftest import REPO, assessment_doc

MEASURE = """
import resource, subprocess, sys
result = subprocess.run(sys.argv[1:], capture_output=True, text=True)
peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(result.returncode, peak_kib, (result.stdout + result.stderr).replace("\\n", " | "))
"""


@pytest.mark.parametrize("command", ["score", "validate"])
def test_a_300_mb_assessment_is_refused_without_reading_it(tmp_path: Path, command: str) -> None:
    big = tmp_path / "big.json"
    with open(big, "wb") as handle:
        handle.truncate(300 * 1024 * 1024)  # sparse: costs no disk
    measured = subprocess.run(
        [sys.executable, "-c", MEASURE, sys.executable, "-m", "competency", command, str(big)],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    ).stdout.split(" ", 2)
    code, peak_kib, err = int(measured[0]), int(measured[1]), measured[2]
    assert code == 1
    assert "over the 10,485,760-byte limit" in err
    assert peak_kib < 150 * 1024, f"peak RSS {peak_kib} KiB"


def test_escape_sequences_in_a_name_print_as_harmless_text(
    tmp_path: Path, librarians: Framework, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = assessment_doc(librarians, {"emerging.1": 3})
    doc["subject"]["name"] = "Eve\x1b[2J\x1b]0;owned\x07[bold red]x[/]"
    path = tmp_path / "eve.json"
    path.write_text(json.dumps(doc))
    assert main(["score", str(path)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "Eve\\x1b[2J" in out
    assert "[bold red]x[/]" in out  # markup is shown, not applied
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out


def test_a_file_name_with_escape_sequences_is_named_safely(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad\x1b[31m.json"
    path.write_text("{")
    assert main(["score", str(path), "--format", "jsonl"]) == 1
    captured = capsys.readouterr()
    assert "\x1b" not in captured.err
    assert "bad\\x1b[31m.json" in captured.err
    assert json.loads(captured.out)["ok"] is False


def test_escape_sequences_in_framework_text_print_as_harmless_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Regression: level labels and the framework id reached the terminal raw.
    from competency.framework.model import load_framework
    from tests.conftest import write_framework

    fw_path = write_framework(tmp_path, {"lo": ["x"], "hi": ["y"]})
    doc = json.loads(fw_path.read_text())
    doc["occupation"]["soc"] = "E\x1b[2JSC"
    doc["framework"]["levels"]["lo"]["label"] = "Lo\x1b[31mRED\x1b]0;pwned\x07"
    fw_path.write_text(json.dumps(doc))
    framework = load_framework(fw_path)
    person = tmp_path / "p.json"
    person.write_text(json.dumps(assessment_doc(framework, {"lo.1": 1})))
    for command in (["score"], ["summary"], ["validate"]):
        main([*command, str(person), "--framework", str(fw_path)])
        out = capsys.readouterr().out
        assert "\x1b" not in out and "\x07" not in out, command
    main(["validate", str(fw_path)])
    assert "\x1b" not in capsys.readouterr().out
