"""Tamper evidence for exported reports: what ``competency verify`` checks.

Every report carries two digests, each in a form its format can hold (top-level JSON
fields, HTML ``<meta>`` tags, a Markdown trailing comment):

- the assessment digest: ``sha256`` of the assessment file the report was made from (a
  comparison of two cycles carries two);
- the report digest: ``sha256`` of the report's own bytes, computed with that digest's
  value replaced by ``PLACEHOLDER``. It covers everything else, the assessment digest too.

The seal is read only where the tool itself writes it, never searched for in the text:

- JSON: the document is parsed and only its top-level ``assessment_digest`` (or
  ``old``/``new``'s, for a comparison) and ``report_digest`` are read; the report digest
  must be the last key, written on the last line, as the tool writes it.
- HTML: only the ``<meta>`` tags at the very start of ``<head>``, before anything a
  person or a framework wrote.
- Markdown: only the comment on the file's last line.

So no name, note or framework text (a framework's ``sources`` included) can pass for a
seal, wherever it lands in the report. Which format a file is in is not guessed from its
first bytes: each format's reader is tried, and exactly one must find its seal. A file
that carries the tool's seal markers but no seal any reader accepts was edited; a file
with no marker at all is not a report from this tool.

A digest is not a signature. Whoever edits a report and recomputes its digest (the code
is public) is not caught; nor is a report made from an assessment edited beforehand. What
the check does show: the report is byte for byte what the tool wrote, and it was made from
exactly this assessment file.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from competency.errors import CompetencyError

PLACEHOLDER = "sha256:" + "0" * 64
"""Stands in for the report digest while the report's own digest is computed."""

_DIGEST = re.compile(r"sha256:[0-9a-f]{64}")
_VERSION = re.compile(r"[A-Za-z0-9:+.;=_-]{1,200}")
"""A ``report.version_of`` token: which version of the assessment a report was made from."""

_JSON_TAIL = re.compile(rb'\n  "report_digest": "(sha256:[0-9a-f]{64})"\n\}\n\Z')
"""The last lines of a JSON report: ``json_format.dump`` writes the report digest last."""

_HTML_HEAD = re.compile(
    rb"\A<!DOCTYPE html>\n"
    rb'<html lang="en">\n'
    rb"<head>\n"
    rb'<meta charset="utf-8">\n'
    rb'<meta name="viewport" content="[^"<>]*">\n'
    rb'<meta name="generator" content="[^"<>]*">\n'
    rb'((?:<meta name="competency-assessment-digest" content="sha256:[0-9a-f]{64}">\n){1,2})'
    rb'(?:<meta name="competency-assessment-version" content="([A-Za-z0-9:+.;=_-]{1,200})">\n)?'
    rb'<meta name="competency-report-digest" content="(sha256:[0-9a-f]{64})">\n'
)
"""The start of an HTML report (``base.html.j2``): only the tool's own tags come first."""

VERSION = rb"[A-Za-z0-9:+.;=_-]{1,200}"
"""How a Markdown seal writes which version of the assessment a report was made from."""

_MD_TAIL = re.compile(
    rb"\n<!-- competency-report ((?:assessment_digest=sha256:[0-9a-f]{64} ){1,2})"
    rb"(?:assessment_version=(" + VERSION + rb") )?"
    rb"report_digest=(sha256:[0-9a-f]{64}) -->\n\Z"
)
"""The last line of a Markdown report (``md_seal``)."""

_HTML_MADE_FROM = re.compile(rb'content="(sha256:[0-9a-f]{64})"')
_MD_MADE_FROM = re.compile(rb"assessment_digest=(sha256:[0-9a-f]{64})")

MARKERS = (
    b'"report_digest":',
    b'"assessment_digest":',
    b'"schema": "competency-report/',
    b'"schema": "competency-comparison/',
    b'<meta name="competency-report-digest"',
    b'<meta name="competency-assessment-digest"',
)
"""Text only a JSON or HTML report of this tool holds, anywhere in it: a file with one but
no readable seal was edited. Each format holds at least two, so a one-byte edit cannot
remove them all. None can come from an assessment file: JSON escapes the quote each
starts with, and an assessment is JSON."""

MD_MARKERS = (b"<!-- competency-report ", b"assessment_digest=sha", b" report_digest=sha")
"""The same for Markdown, looked for on the last line only: a note may hold this text."""


def carries_markers(data: bytes) -> bool:
    """The file holds text only this tool's reports hold where they hold it."""
    last_line = data.rstrip(b"\n").rsplit(b"\n", 1)[-1]
    return any(m in data for m in MARKERS) or any(m in last_line for m in MD_MARKERS)


JSON_SEAL_PATHS: dict[str, tuple[tuple[str, ...], ...]] = {
    "competency-report/1": (("assessment_digest",),),
    "competency-comparison/1": (("old", "assessment_digest"), ("new", "assessment_digest")),
}
"""Per JSON schema: where the digests of the assessments the report was made from are."""


def md_seal(assessment_digests: tuple[str, ...], version: str | None = None) -> str:
    """The Markdown report's last line: a comment GitHub and GitLab do not show."""
    made_from = "".join(f"assessment_digest={d} " for d in assessment_digests)
    if version is not None:
        made_from += f"assessment_version={version} "
    return f"<!-- competency-report {made_from}report_digest={PLACEHOLDER} -->"


class ReportError(CompetencyError):
    """A file that is not a sealed report, or whose seal cannot be read."""


class SealBroken(ReportError):
    """The seal is there but was tampered with: unreadable, doubled, or missing a part."""


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


_LOCATORS: dict[str, re.Pattern[bytes]] = {"json": _JSON_TAIL, "html": _HTML_HEAD, "md": _MD_TAIL}
"""Per format: the one place the report digest is written (its value is group ``-1``)."""


def _with_placeholder(data: bytes, match: re.Match[bytes]) -> bytes:
    start, end = match.span(match.lastindex or 0)
    return data[:start] + PLACEHOLDER.encode() + data[end:]


def seal(fmt: str, data: bytes) -> bytes:
    """Fill in the report digest of a report a writer produced with ``PLACEHOLDER``."""
    match = _LOCATORS[fmt].search(data)
    if match is None or match.group(match.lastindex or 0) != PLACEHOLDER.encode():
        raise ValueError(f"a {fmt} report must end its seal with the placeholder digest")
    own = sha256(data)
    start, end = match.span(match.lastindex or 0)
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
    assessment_version: str | None = None
    """Which version of the assessment it was made from (``report.version_of``), when the
    report says (one person's reports do; comparisons and older reports do not)."""
    crlf: bool = False
    """Intact once its CRLF line endings are turned back into LF (``lf_endings``): the
    line endings changed on the way, and nothing else."""


def _sealed(
    fmt: str,
    data: bytes,
    match: re.Match[bytes],
    made_from: tuple[str, ...],
    version: str | None = None,
) -> Seal:
    claimed = match.group(match.lastindex or 0).decode()
    return Seal(
        format=fmt,
        assessment_digests=made_from,
        report_digest=claimed,
        intact=sha256(_with_placeholder(data, match)) == claimed,
        assessment_version=version,
    )


def _version(match: re.Match[bytes]) -> str | None:
    found = match.group(2)
    return found.decode() if found else None


class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        raise _DuplicateKey
    return dict(pairs)


def _digest_at(doc: dict[str, Any], *path: str) -> str | None:
    value: Any = doc
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value if isinstance(value, str) and _DIGEST.fullmatch(value) else None


def _read_json(data: bytes, source: str) -> Seal | None:
    """The seal of a JSON report: top-level fields of the parsed document, nothing nested."""
    try:
        doc = json.loads(data.decode("utf-8"), object_pairs_hook=_no_duplicates)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None  # not JSON (a deep nest is no report either)
    if not isinstance(doc, dict) or "report_digest" not in doc:
        return None
    claimed = _digest_at(doc, "report_digest")
    match = _JSON_TAIL.search(data)
    if claimed is None or match is None or match.group(1).decode() != claimed:
        raise SealBroken(
            "its report digest is malformed, or not on the last line where competency writes it",
            source=source,
        )
    schema = doc.get("schema")
    paths = JSON_SEAL_PATHS.get(schema) if isinstance(schema, str) else None
    made_from = [_digest_at(doc, *path) for path in paths or ()]
    named = tuple(d for d in made_from if d is not None)
    if not named or len(named) != len(made_from):
        raise SealBroken(
            "it names no assessment, or a malformed one",
            source=source,
        )
    version = doc.get("assessment_version") if schema == "competency-report/1" else None
    if version is not None and not (isinstance(version, str) and _VERSION.fullmatch(version)):
        raise SealBroken("it names a malformed assessment version", source=source)
    return _sealed("json", data, match, named, version)


def _read_html(data: bytes, source: str) -> Seal | None:
    """The seal of an HTML report: the tool's ``<meta>`` tags that open ``<head>``."""
    match = _HTML_HEAD.match(data)
    if match is None:
        return None
    made_from = tuple(m.decode() for m in _HTML_MADE_FROM.findall(match.group(1)))
    return _sealed("html", data, match, made_from, _version(match))


def _read_md(data: bytes, source: str) -> Seal | None:
    """The seal of a Markdown report: the comment on its last line."""
    match = _MD_TAIL.search(data)
    if match is None:
        return None
    made_from = tuple(m.decode() for m in _MD_MADE_FROM.findall(match.group(1)))
    return _sealed("md", data, match, made_from, _version(match))


_READERS: tuple[Callable[[bytes, str], Seal | None], ...] = (_read_json, _read_html, _read_md)


def lf_endings(data: bytes) -> bytes:
    """``data`` with CRLF line endings turned back into the LF the tool writes."""
    return data.replace(b"\r\n", b"\n")


def read_seal(data: bytes, source: str) -> Seal:
    """Find the seal of a report in any format, or refuse with one line.

    ``SealBroken`` when the file carries the tool's seal markers but its seal is
    unreadable, malformed, or there twice; ``ReportError`` when it carries none.

    Line endings are not content: a report whose LF line endings became CRLF on the way
    (git's ``autocrlf``, a mail client) is read as the LF bytes the tool wrote and sealed,
    and its seal says so (``crlf``). HTML, Markdown and JSON all read CRLF as LF, so the
    report says the same either way; any other change still breaks the seal. The bytes
    are tried as they are first, so a report that holds a CRLF of its own still verifies.
    """
    try:
        found: Seal | None = _read_seal(data, source)
    except ReportError as exc:
        if b"\r\n" not in data:
            raise
        found, refusal = None, exc
    if found is not None and (found.intact or b"\r\n" not in data):
        return found
    try:
        converted = _read_seal(lf_endings(data), source)
    except ReportError:
        converted = None
    if converted is not None and (converted.intact or found is None):
        # Intact: only the line endings changed. Not intact: the LF form is the one whose
        # seal can be read, and it says what any edit says.
        return dataclasses.replace(converted, crlf=True)
    if found is not None:
        return found
    raise refusal


def _read_seal(data: bytes, source: str) -> Seal:
    found = [s for s in (read(data, source) for read in _READERS) if s is not None]
    if len(found) == 1:
        return found[0]
    if found:
        raise SealBroken(
            "it carries the seals of " + " and ".join(s.format for s in found) + " reports at once",
            source=source,
        )
    if carries_markers(data):
        raise SealBroken(
            "it carries the marks of a competency report, but no seal where competency writes one",
            source=source,
        )
    raise ReportError(
        "no report digest found in this file: not a report exported by competency",
        source=source,
    )
