"""A signed report: a signature over its sealed body, in every report format.

``report --sign KEYFILE`` signs the bytes the writer produced, with the report digest still
``seal.PLACEHOLDER`` (the sealed body: everything the report says, the assessment digest
included), as a detached JWS (``header..signature``, see ``competency.signing``). The
signature is then written where only the tool writes, next to the report digest:

- JSON: a top-level ``report_signature`` field, the last but one, just before
  ``report_digest``;
- HTML: a ``<meta name="competency-report-signature">`` tag right after the report
  digest's tag at the start of ``<head>``;
- Markdown: a comment line right before the seal comment on the last line.

The seal is made afterwards, so the report digest covers the signature too, and a signed
report verifies by digest exactly as an unsigned one does. To check the signature,
``read`` takes the signature out again and puts the placeholder back: the bytes that were
signed, byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from competency.outputs.seal import PLACEHOLDER, VERSION

Sign = Callable[[bytes], str]
"""Signs a report's sealed body; returns the detached JWS."""

_JWS = rb"[A-Za-z0-9_-]+\.\.[A-Za-z0-9_-]+"
_DIGEST = rb"sha256:[0-9a-f]{64}"

_JSON_DIGEST = b'\n  "report_digest": '
_HTML_DIGEST = b'<meta name="competency-report-digest" content="'
_MD_SEAL = b"\n<!-- competency-report "

_JSON_SIGNED = re.compile(
    rb'\n  "report_signature": "(' + _JWS + rb')",'
    rb'(\n  "report_digest": ")' + _DIGEST + rb'("\n\}\n)\Z'
)
_HTML_SIGNED = re.compile(
    rb'(<meta name="competency-report-digest" content=")' + _DIGEST + rb'(">\n)'
    rb'<meta name="competency-report-signature" content="(' + _JWS + rb')">\n'
)
_MD_SIGNED = re.compile(
    rb"\n<!-- competency-signature (" + _JWS + rb") -->"
    rb"(\n<!-- competency-report (?:assessment_digest="
    + _DIGEST
    + rb" ){1,2}(?:assessment_version="
    + VERSION
    + rb" )?report_digest=)"
    + _DIGEST
    + rb"( -->\n)\Z"
)


def insert(fmt: str, body: bytes, sign: Sign) -> bytes:
    """``body`` (a writer's output, not yet sealed) with ``sign``'s signature of it added."""
    token = sign(body).encode("ascii")
    if fmt == "json":
        at = body.rindex(_JSON_DIGEST)
        return body[:at] + b'\n  "report_signature": "' + token + b'",' + body[at:]
    if fmt == "html":
        tag = _HTML_DIGEST + PLACEHOLDER.encode() + b'">\n'
        at = body.index(tag) + len(tag)
        meta = b'<meta name="competency-report-signature" content="' + token + b'">\n'
        return body[:at] + meta + body[at:]
    if fmt == "md":
        at = body.rindex(_MD_SEAL)
        return body[:at] + b"\n<!-- competency-signature " + token + b" -->" + body[at:]
    raise ValueError(f"a {fmt} report cannot be signed")


def read(fmt: str, data: bytes) -> tuple[str, bytes] | None:
    """The signature of a sealed report and the bytes it signed; None when unsigned.

    ``fmt`` is the format the seal was read in (``competency.outputs.seal.read_seal``):
    the signature is looked for only where that format's writer puts it.
    """
    placeholder = PLACEHOLDER.encode()
    if fmt == "json":
        match = _JSON_SIGNED.search(data)
        if match is None:
            return None
        signed = data[: match.start()] + match.group(2) + placeholder + match.group(3)
        return match.group(1).decode(), signed
    if fmt == "html":
        match = _HTML_SIGNED.search(data)
        if match is None or match.start() != data.find(_HTML_DIGEST):
            return None  # only right after the seal's own tag, the first of its kind
        signed = (
            data[: match.start()]
            + match.group(1)
            + placeholder
            + match.group(2)
            + data[match.end() :]
        )
        return match.group(3).decode(), signed
    if fmt == "md":
        match = _MD_SIGNED.search(data)
        if match is None:
            return None
        signed = data[: match.start()] + match.group(2) + placeholder + match.group(3)
        return match.group(1).decode(), signed
    return None
