"""``competency verify``: a supervisor checks a report against the assessment it names.

Each format is checked the same way: a fresh report verifies against its assessment; a
report edited by one character is caught; a report checked against another person's file
(or the same file changed since) is refused; and text planted in a note cannot forge a
seal.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from competency.cli import main
from competency.framework.model import Framework
from competency.outputs import formats
from competency.outputs.report import write_report
from competency.outputs.seal import PLACEHOLDER, SealBroken, read_seal, seal
from competency.storage import dump_assessment, parse_assessment
from tests.conftest import EXAMPLES

REPORT_FORMATS = formats("report")

MAYA = EXAMPLES / "maya-okafor-2026-11-02.json"
PRIYA = EXAMPLES / "priya-raman-2026-10-12.json"


def export(tmp_path: Path, fmt: str, source: Path = MAYA) -> Path:
    out = tmp_path / f"report.{fmt}"
    assert main(["report", str(source), "--format", fmt, "--output", str(out)]) == 0
    return out


@pytest.mark.parametrize("fmt", REPORT_FORMATS)
def test_a_fresh_report_verifies_against_its_assessment(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = export(tmp_path, fmt)
    assert main(["verify", str(report), str(MAYA)]) == 0
    assert "VERIFIED" in capsys.readouterr().out


@pytest.mark.parametrize("fmt", REPORT_FORMATS)
def test_a_report_edited_after_export_is_caught(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = export(tmp_path, fmt)
    # A supervisor's copy where someone raised one level by hand.
    text = report.read_text("utf-8")
    assert "Developing" in text
    report.write_text(text.replace("Developing", "Proficient", 1), "utf-8")
    assert main(["verify", str(report), str(MAYA)]) == 1
    assert "EDITED" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", REPORT_FORMATS)
def test_a_report_checked_against_another_assessment_is_refused(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = export(tmp_path, fmt)
    assert main(["verify", str(report), str(PRIYA)]) == 1
    err = capsys.readouterr().err
    assert "DOES NOT MATCH" in err and str(PRIYA) in err and err.count("\n") == 1


def test_an_assessment_changed_since_the_report_is_refused(tmp_path: Path) -> None:
    report = export(tmp_path, "md")
    changed = tmp_path / "maya.json"
    doc = json.loads(MAYA.read_bytes())
    doc["ratings"]["advanced.1"] = 4
    changed.write_text(json.dumps(doc, indent=2), "utf-8")
    assert main(["verify", str(report), str(changed)]) == 1


def test_the_same_content_saved_again_still_verifies(
    tmp_path: Path, librarians: Framework, capsys: pytest.CaptureFixture[str]
) -> None:
    # The TUI makes reports from the assessment in memory, then saves the same bytes.
    assessment = parse_assessment(MAYA.read_bytes(), "maya")
    report = tmp_path / "r.html"
    with report.open("wb") as out:
        write_report("html", assessment, librarians, out)
    reformatted = tmp_path / "maya.json"
    reformatted.write_text(json.dumps(json.loads(dump_assessment(assessment))), "utf-8")
    assert main(["verify", str(report), str(reformatted)]) == 0
    assert "formatting differs" in capsys.readouterr().out


def test_without_an_assessment_it_checks_the_report_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = export(tmp_path, "json")
    assert main(["verify", str(report)]) == 0
    assert "sha256:" in capsys.readouterr().out


def test_a_file_that_is_no_report_cannot_be_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["verify", str(MAYA), str(MAYA)]) == 2
    assert "no report digest" in capsys.readouterr().err
    assert main(["verify", str(tmp_path / "missing.html"), str(MAYA)]) == 2


def test_a_copied_seal_is_caught(tmp_path: Path) -> None:
    report = export(tmp_path, "html")
    text = report.read_text("utf-8")
    meta = next(line for line in text.splitlines() if "competency-report-digest" in line)
    report.write_text(text.replace("</body>", meta + "\n</body>"), "utf-8")
    assert main(["verify", str(report), str(MAYA)]) == 1
    # The copy is not read as the seal; it is an edit the seal's digest catches.
    assert not read_seal(report.read_bytes(), "r").intact


def test_a_seal_of_another_format_appended_is_caught(tmp_path: Path) -> None:
    html = export(tmp_path, "html").read_bytes()
    md_tail = export(tmp_path, "md").read_bytes().splitlines(keepends=True)[-1]
    with pytest.raises(SealBroken, match="seals of html and md reports"):
        read_seal(html + md_tail, "r")


def test_a_digest_planted_in_a_note_does_not_vouch_for_another_file(
    tmp_path: Path, librarians: Framework
) -> None:
    # Maya writes Priya's digest into a note, hoping her report verifies against Priya's file.
    from competency.storage import digest

    planted = f"assessment_digest={digest(PRIYA.read_bytes())} "
    doc = json.loads(MAYA.read_bytes())
    doc["notes"]["emerging.1"] = planted + "<!-- competency-report " + planted
    tricky = tmp_path / "maya.json"
    tricky.write_text(json.dumps(doc, indent=2), "utf-8")
    for fmt in REPORT_FORMATS:
        report = export(tmp_path, fmt, tricky)
        assert main(["verify", str(report), str(tricky)]) == 0
        assert main(["verify", str(report), str(PRIYA)]) == 1


def test_sealing_needs_the_placeholder_where_the_tool_writes_it() -> None:
    with pytest.raises(ValueError):
        seal("json", b'{"a": 1}')
    with pytest.raises(ValueError):
        seal("json", b'{"report_digest": "' + PLACEHOLDER.encode() + b'"}')


def test_a_json_report_stripped_of_what_it_was_made_from_is_edited(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = export(tmp_path, "json")
    doc = json.loads(report.read_bytes())
    del doc["assessment_digest"]
    report.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", "utf-8")
    with pytest.raises(SealBroken, match="names no assessment"):
        read_seal(report.read_bytes(), "x")
    assert main(["verify", str(report)]) == 1
    assert "EDITED" in capsys.readouterr().err


def test_verify_help_says_what_a_digest_does_not_prove(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["verify", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "A digest is not a signature" in help_text
    assert "recomputes its digest" in help_text


def test_a_report_moved_elsewhere_still_verifies(tmp_path: Path) -> None:
    report = export(tmp_path, "md")
    moved = tmp_path / "sub" / "copy.md"
    moved.parent.mkdir()
    shutil.copy(report, moved)
    assert main(["verify", str(moved), str(MAYA)]) == 0


def crlf(data: bytes) -> bytes:
    """What git's autocrlf, or a mail client, does to a text file on its way to Windows."""
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


@pytest.mark.parametrize("fmt", REPORT_FORMATS)
def test_a_report_whose_line_endings_became_crlf_verifies_and_says_so(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Line endings are not content: every format reads CRLF as LF, so the report says the
    same; the tool checks the LF bytes it wrote (issue 25)."""
    report = export(tmp_path, fmt)
    report.write_bytes(crlf(report.read_bytes()))
    assert b"\r\n" in report.read_bytes()
    assert main(["verify", str(report), str(MAYA)]) == 0
    out = capsys.readouterr().out
    assert f"{report}: VERIFIED: not edited since export, and made from {MAYA}" in out
    assert "its line endings were changed to CRLF since, which changes no content" in out
    assert main(["verify", str(report)]) == 0
    assert "changed to CRLF" in capsys.readouterr().out


@pytest.mark.parametrize("fmt", REPORT_FORMATS)
def test_a_crlf_report_with_one_word_changed_is_still_edited(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = export(tmp_path, fmt)
    data = crlf(report.read_bytes())
    assert b"Developing" in data
    report.write_bytes(data.replace(b"Developing", b"Proficient", 1))
    assert main(["verify", str(report), str(MAYA)]) == 1
    captured = capsys.readouterr()
    assert "EDITED: its content does not match its own digest" in captured.err
    assert "VERIFIED" not in captured.out
    # Some lines converted, not all (an editor that keeps what it finds): only endings.
    (tmp_path / "again").mkdir()
    fresh = export(tmp_path / "again", fmt).read_bytes()
    report.write_bytes(fresh.replace(b"\n", b"\r\n", 3))
    assert main(["verify", str(report), str(MAYA)]) == 0


@pytest.mark.parametrize("fmt", REPORT_FORMATS)
def test_a_note_with_crlf_never_puts_a_carriage_return_in_a_report(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Why turning CRLF into LF loses nothing: the tool writes no carriage return of its
    own, even from a note typed on Windows, so every CR LF in a report is a conversion."""
    doc = json.loads(MAYA.read_bytes())
    doc["notes"][next(iter(doc["notes"]))] = "line one\r\nline two\rthree"
    source = tmp_path / "maya.json"
    source.write_text(json.dumps(doc))
    report = export(tmp_path, fmt, source)
    assert b"line one" in report.read_bytes() and b"\r" not in report.read_bytes()
    report.write_bytes(crlf(report.read_bytes()))
    assert main(["verify", str(report), str(source)]) == 0
    assert "changed to CRLF" in capsys.readouterr().out
