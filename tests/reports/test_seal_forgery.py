"""The seal is read only where the tool writes it, so no text in a report can pass for it.

Regression tests for two defects ``competency verify`` had:

- it searched the whole report for ``"assessment_digest": "sha256:…"``, and a framework
  whose ``sources`` had that key wrote exactly that text into a JSON report: Priya's
  report "verified" against Maya's assessment;
- it told the format from the first bytes, so a report edited in its first byte, or in
  one digit of its HTML digest, was "not a report from this tool" (exit 2), not "edited"
  (exit 1).
"""

from __future__ import annotations

import dataclasses
import io
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from competency.assessment import Review, new_assessment
from competency.cli import main
from competency.framework.model import load_framework
from competency.outputs import formats
from competency.outputs.report import write_report
from competency.outputs.seal import PLACEHOLDER, ReportError, SealBroken, read_seal
from competency.storage import digest, dump_assessment
from tests.conftest import EXAMPLES, LIBRARIANS

REPORT_FORMATS = formats("report")

MAYA = EXAMPLES / "maya-okafor-2026-11-02.json"
PRIYA = EXAMPLES / "priya-raman-2026-10-12.json"


def forged_framework(tmp_path: Path, sources: dict[str, str]) -> Path:
    """A copy of the librarians' framework (and its area map) with these ``sources``."""
    copy = tmp_path / LIBRARIANS.name
    doc = json.loads(LIBRARIANS.read_bytes())
    doc["sources"] = sources
    copy.write_text(json.dumps(doc, indent=2), "utf-8")
    areas = LIBRARIANS.with_name(LIBRARIANS.name.removesuffix(".json") + ".areas.toml")
    shutil.copy(areas, tmp_path / areas.name)
    return copy


def every_seal_text(planted: str) -> dict[str, str]:
    """Framework sources spelling each format's seal, pointing at ``planted``."""
    return {
        "assessment_digest": planted,
        "report_digest": PLACEHOLDER,
        "html": f'<meta name="competency-assessment-digest" content="{planted}">',
        "md": f"<!-- competency-report assessment_digest={planted} report_digest={PLACEHOLDER} -->",
    }


@pytest.mark.parametrize("fmt", REPORT_FORMATS)
def test_framework_sources_cannot_make_a_report_vouch_for_another_assessment(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    framework = forged_framework(tmp_path, every_seal_text(digest(MAYA.read_bytes())))
    out = tmp_path / f"priya.{fmt}"
    args = ["report", str(PRIYA), "--framework", str(framework), "--format", fmt]
    assert main([*args, "--output", str(out)]) == 0
    assert digest(MAYA.read_bytes()) in out.read_text("utf-8")  # the text is in there
    assert main(["verify", str(out), str(MAYA)]) == 1
    assert "DOES NOT MATCH" in capsys.readouterr().err
    assert main(["verify", str(out), str(PRIYA)]) == 0
    assert read_seal(out.read_bytes(), "r").assessment_digests == (digest(PRIYA.read_bytes()),)


@pytest.mark.parametrize("fmt", REPORT_FORMATS)
def test_framework_sources_cannot_forge_a_comparison(fmt: str, tmp_path: Path) -> None:
    framework = forged_framework(tmp_path, every_seal_text(digest(PRIYA.read_bytes())))
    out = tmp_path / f"compare.{fmt}"
    then = tmp_path / "then.json"
    shutil.copy(MAYA, then)
    args = ["compare", str(then), str(MAYA), "--framework", str(framework), "--format", fmt]
    assert main([*args, "--output", str(out)]) == 0
    assert main(["verify", str(out), str(MAYA)]) == 0
    assert main(["verify", str(out), str(PRIYA)]) == 1


def edits(data: bytes) -> list[tuple[int, bytes]]:
    """One-byte edits: every byte of the first and last 600, and a sample between."""
    positions = set(range(min(600, len(data))))
    positions |= set(range(max(0, len(data) - 600), len(data)))
    positions |= set(range(0, len(data), 211))
    out = []
    for at in sorted(positions):
        for new in (data[at] ^ 0x01, ord("G")):
            if new != data[at]:
                out.append((at, data[:at] + bytes([new]) + data[at + 1 :]))
    return out


@pytest.mark.parametrize("fmt", REPORT_FORMATS)
def test_every_one_byte_edit_is_caught_as_an_edit(fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"maya.{fmt}"
    assert main(["report", str(MAYA), "--format", fmt, "--output", str(out)]) == 0
    for at, edited in edits(out.read_bytes()):
        try:
            found = read_seal(edited, "r")
        except SealBroken:
            continue
        except ReportError as exc:
            pytest.fail(f"{fmt} byte {at}: {exc.line}: called no report, not edited")
        assert not found.intact, f"{fmt} byte {at} edited, yet the seal holds"


@pytest.mark.parametrize("fmt", REPORT_FORMATS)
def test_the_first_byte_edited_exits_1_not_2(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / f"maya.{fmt}"
    assert main(["report", str(MAYA), "--format", fmt, "--output", str(out)]) == 0
    data = out.read_bytes()
    out.write_bytes(b"x" + data[1:])
    assert main(["verify", str(out), str(MAYA)]) == 1
    assert "EDITED" in capsys.readouterr().err


def test_one_html_digest_digit_made_invalid_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "maya.html"
    assert main(["report", str(MAYA), "--format", "html", "--output", str(out)]) == 0
    text = out.read_text("utf-8")
    tag = '<meta name="competency-report-digest" content="sha256:'
    at = text.index(tag) + len(tag) + 5
    out.write_text(text[:at] + "G" + text[at + 1 :], "utf-8")
    assert main(["verify", str(out), str(MAYA)]) == 1
    assert "EDITED" in capsys.readouterr().err


def test_a_file_with_no_seal_mark_is_not_a_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "notes.md"
    # Seal-like text in the middle of a Markdown file is a quote, not a seal's remains.
    planted = "<!-- competency-report assessment_digest=sha256:" + "a" * 64 + " -->"
    notes.write_text(f"# My notes\n\n{planted}\n\nMore notes.\n", "utf-8")
    for path in (notes, MAYA):
        assert main(["verify", str(path)]) == 2
        assert "not a report exported by competency" in capsys.readouterr().err


SEAL_BITS = [
    "\n",
    '"',
    "<",
    ">",
    "-->",
    "<!-- competency-report ",
    "assessment_digest=",
    "report_digest=",
    '"assessment_digest": "',
    '"report_digest": "',
    '<meta name="competency-assessment-digest" content="',
    '<meta name="competency-report-digest" content="',
    "sha256:" + "ab" * 32,
    PLACEHOLDER,
    "}",
    "\n}\n",
    "<!DOCTYPE html>",
]
"""Pieces of every format's seal, for text that tries to pass for one."""

user_text = st.lists(
    st.one_of(st.sampled_from(SEAL_BITS), st.text(max_size=8)), min_size=1, max_size=12
).map("".join)


@settings(max_examples=40, deadline=None)
@given(name=user_text, note=user_text, comment=user_text, source=user_text)
def test_no_text_in_a_report_passes_for_its_seal(
    name: str, note: str, comment: str, source: str
) -> None:
    """Whatever a person, a reviewer or a framework writes, the seal read is the tool's."""
    framework = load_framework(LIBRARIANS)
    framework = dataclasses.replace(framework, sources={source: source, "x": note})
    a = new_assessment(framework, name.strip() or "x")
    a.ratings = {"emerging.1": 4}
    a.notes = {"emerging.1": note}
    a.review = Review(reviewer={"name": "Sam"}, comment=comment or None)
    raw = dump_assessment(a)
    for fmt in REPORT_FORMATS:
        out = io.BytesIO()
        write_report(fmt, a, framework, out, source_bytes=raw)
        found = read_seal(out.getvalue(), "r")
        assert found.format == fmt and found.intact
        assert found.assessment_digests == (digest(raw),)
