"""Golden files: each format of the example reports, byte for byte.

A change to a report's layout shows up as a diff of the ``.html``, ``.md`` or ``.json``
file itself. When a change is deliberate, regenerate them and read the diff before
committing:

    pytest --regenerate-golden  (every golden file of the suite: see tests/conftest.py)
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from competency.framework.model import Framework
from competency.outputs import formats, write
from competency.outputs.compare import build_comparison
from competency.outputs.report import write_report
from competency.storage import parse_assessment
from tests.conftest import EXAMPLES

REPORT_FORMATS = formats("report")

GOLDEN = Path(__file__).parent / "golden"
REGENERATE = os.environ.get("COMPETENCY_REGENERATE_GOLDEN") == "1"

CASES = {
    # Submitted, with targets, no review.
    "maya": "maya-okafor-2026-11-02.json",
    # Reviewed and signed off: reviewer's levels, disagreements, reviewer notes.
    "priya": "priya-raman-2026-10-12.json",
    # In progress: unanswered statements, "Not assessed" areas.
    "sam": "sam-lindqvist-2026-11-20.json",
}


def render(fmt: str, example: str, framework: Framework) -> bytes:
    data = (EXAMPLES / example).read_bytes()
    assessment = parse_assessment(data, example)
    out = io.BytesIO()
    write_report(fmt, assessment, framework, out, source_bytes=data)
    return out.getvalue()


@pytest.mark.parametrize("fmt", REPORT_FORMATS)
@pytest.mark.parametrize("name", sorted(CASES))
def test_report_matches_golden_file(name: str, fmt: str, librarians: Framework) -> None:
    produced = render(fmt, CASES[name], librarians)
    golden = GOLDEN / f"{name}.{fmt}"
    if REGENERATE:
        golden.write_bytes(produced)
    assert golden.is_file(), f"missing {golden}; see this module's docstring"
    assert produced == golden.read_bytes(), f"{golden.name} differs; see the docstring"


@pytest.mark.parametrize("fmt", REPORT_FORMATS)
def test_the_same_input_gives_the_same_bytes(fmt: str, librarians: Framework) -> None:
    first = render(fmt, CASES["priya"], librarians)
    assert render(fmt, CASES["priya"], librarians) == first


def in_role_bytes() -> bytes:
    """Maya's assessment made in the Reference and Instruction Librarian profile (SPEC 9),
    made here so the golden input cannot drift: her ratings outside the role stay in the
    file, and the report scores them as n/a."""
    doc = json.loads((EXAMPLES / CASES["maya"]).read_bytes())
    head = {key: doc.pop(key) for key in ("schema", "framework", "subject")}
    doc = {**head, "profile": "reference-instruction-librarian", **doc}
    return json.dumps(doc, indent=2).encode("utf-8")


@pytest.mark.parametrize("fmt", REPORT_FORMATS)
def test_a_report_in_a_role_profile_matches_golden_file(fmt: str, librarians: Framework) -> None:
    data = in_role_bytes()
    out = io.BytesIO()
    assessment = parse_assessment(data, "maya-in-role.json")
    write_report(fmt, assessment, librarians, out, source_bytes=data)
    golden = GOLDEN / f"maya-in-role.{fmt}"
    if REGENERATE:
        golden.write_bytes(out.getvalue())
    assert golden.is_file(), f"missing {golden}; see this module's docstring"
    assert out.getvalue() == golden.read_bytes(), f"{golden.name} differs; see the docstring"


def next_cycle_bytes() -> bytes:
    """Maya's assessment a year on, made here so the golden input cannot drift."""
    doc = json.loads((EXAMPLES / CASES["maya"]).read_bytes())
    doc["ratings"].update(
        {"proficient.2": 4, "proficient.6": 3, "proficient.7": 3, "advanced.8": 1}
    )
    del doc["ratings"]["advanced.1"]
    doc["updated_at"] = "2027-11-01T10:00:00Z"
    return json.dumps(doc, indent=2).encode("utf-8")


@pytest.mark.parametrize("fmt", REPORT_FORMATS)
def test_comparison_matches_golden_file(fmt: str, librarians: Framework) -> None:
    old_bytes, new_bytes = (EXAMPLES / CASES["maya"]).read_bytes(), next_cycle_bytes()
    comparison = build_comparison(
        parse_assessment(old_bytes, "old"),
        parse_assessment(new_bytes, "new"),
        librarians,
        old_bytes=old_bytes,
        new_bytes=new_bytes,
    )
    out = io.BytesIO()
    write("compare", fmt, comparison, out)
    golden = GOLDEN / f"maya-progress.{fmt}"
    if REGENERATE:
        golden.write_bytes(out.getvalue())
    assert golden.is_file(), f"missing {golden}; see this module's docstring"
    assert out.getvalue() == golden.read_bytes(), f"{golden.name} differs; see the docstring"
