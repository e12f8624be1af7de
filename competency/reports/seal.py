"""Tamper evidence for exported reports: what ``competency verify`` checks.

Every report carries two digests, each in a form its format can hold (a JSON field, an
HTML ``<meta>``, a Markdown trailing comment):

- the assessment digest: ``sha256`` of the assessment file the report was made from;
- the report digest: ``sha256`` of the report's own bytes, computed with that digest's
  value replaced by ``PLACEHOLDER``. It covers everything else, the assessment digest too.

The format is told by how the file starts. User and framework text cannot forge a seal
in it: each format escapes a character its pattern needs (``"`` in JSON, ``<`` in HTML
and Markdown), so a seal found more than once means someone edited the file.

A digest is not a signature. Whoever edits a report and recomputes its digest (the code
is public) is not caught; nor is a report made from an assessment edited beforehand. What
the check does show: the report is byte for byte what the tool wrote, and it was made from
exactly this assessment file.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from competency.errors import CompetencyError

PLACEHOLDER = "sha256:" + "0" * 64
"""Stands in for the report digest while the report's own digest is computed."""

_DIGEST = rb"(sha256:[0-9a-f]{64})"

ASSESSMENT_PATTERNS: dict[str, re.Pattern[bytes]] = {
    "json": re.compile(rb'"assessment_digest": "' + _DIGEST + rb'"'),
    "html": re.compile(rb'<meta name="competency-assessment-digest" content="' + _DIGEST + rb'">'),
    # Markdown does not escape "=", so these are only looked for inside the seal comment.
    "md": re.compile(rb"assessment_digest=" + _DIGEST + rb" "),
}
"""Per format: where the digest of an assessment the report was made from is written.
A comparison of two cycles carries two."""

REPORT_PATTERNS: dict[str, re.Pattern[bytes]] = {
    "json": re.compile(rb'"report_digest": "' + _DIGEST + rb'"'),
    "html": re.compile(rb'<meta name="competency-report-digest" content="' + _DIGEST + rb'">'),
    "md": re.compile(
        rb"<!-- competency-report (?:assessment_digest=sha256:[0-9a-f]{64} )+report_digest="
        + _DIGEST
        + rb" -->"
    ),
}
"""Per format: where the report's own digest is written (in Markdown, the whole seal)."""


def md_seal(assessment_digests: tuple[str, ...]) -> str:
    """The Markdown report's last line: a comment GitHub and GitLab do not show."""
    made_from = "".join(f"assessment_digest={d} " for d in assessment_digests)
    return f"<!-- competency-report {made_from}report_digest={PLACEHOLDER} -->"


class ReportError(CompetencyError):
    """A file that is not a sealed report, or whose seal cannot be read."""


class SealBroken(ReportError):
    """The seal is there but was tampered with: doubled, or missing what it vouches for."""


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _with_placeholder(data: bytes, match: re.Match[bytes]) -> bytes:
    start, end = match.span(1)
    return data[:start] + PLACEHOLDER.encode() + data[end:]


def seal(fmt: str, data: bytes) -> bytes:
    """Fill in the report digest of a report a writer produced with ``PLACEHOLDER``."""
    found = list(REPORT_PATTERNS[fmt].finditer(data))
    if len(found) != 1:
        raise ValueError(f"a {fmt} report must hold exactly one report digest, not {len(found)}")
    match = found[0]
    own = sha256(_with_placeholder(data, match))
    start, end = match.span(1)
    return data[:start] + own.encode() + data[end:]


@dataclass(frozen=True, slots=True)
class Seal:
    """What a report says about itself, and whether its bytes still agree."""

    format: str
    assessment_digests: tuple[str, ...]
    """The assessments the report says it was made from: one, or two for a comparison."""
    report_digest: str
    intact: bool
    """The report's bytes hash to its report digest: not edited since export."""


def report_format(data: bytes) -> str:
    """Which format a report is in, from how it starts (its content cannot change that)."""
    head = data.lstrip()[:15].lower()
    if head.startswith(b"<!doctype html"):
        return "html"
    if head.startswith(b"{"):
        return "json"
    return "md"


def read_seal(data: bytes, source: str) -> Seal:
    """Find the seal of a report in any format, or refuse with one line."""
    fmt = report_format(data)
    reports = list(REPORT_PATTERNS[fmt].finditer(data))
    if not reports:
        raise ReportError(
            f"no report digest found in this {fmt} file: not a report exported by "
            "competency, or its digest was removed or edited",
            source=source,
        )
    if len(reports) > 1:
        raise SealBroken(
            f"the report digest appears {len(reports)} times: it was edited after export",
            source=source,
        )
    match = reports[0]
    region = match.group(0) if fmt == "md" else data
    made_from = tuple(m.decode() for m in ASSESSMENT_PATTERNS[fmt].findall(region))
    if not made_from:
        raise SealBroken(
            "the report names no assessment: it was edited after export", source=source
        )
    claimed = match.group(1).decode()
    return Seal(
        format=fmt,
        assessment_digests=made_from,
        report_digest=claimed,
        intact=sha256(_with_placeholder(data, match)) == claimed,
    )
