"""``competency verify FILE --key PUBLIC``: was this report, credential or review signed by it?

Not a command of its own: ``verify`` hands over here when given ``--key``. One verdict per
file, in the words of ``competency.signing.Verdict``, each with its exit status:

- 0 VERIFIED: signed by this key, not changed since (and, for a report given with its
  assessment, made from that assessment);
- 1 EDITED: it names this key but its content is not what the key signed (or the report's
  own digest fails), or the report was not made from the assessment given;
- 2 cannot check: an unreadable file or key, or neither a report nor a credential;
- 3 WRONG KEY: signed by another key;
- 4 NOT SIGNED: a report, credential or assessment with no signature.

An assessment file is checked for its reviewer's signature (``review --sign``).
"""

from __future__ import annotations

import argparse
import json
import re
from typing import Any

from competency.cli.common import error
from competency.signing import Verdict

EXIT = {Verdict.VERIFIED: 0, Verdict.EDITED: 1, Verdict.WRONG_KEY: 3, Verdict.NOT_SIGNED: 4}

MAX_FILE_BYTES = 50 * 1024 * 1024

FORMATS = {"html": "an HTML", "md": "a Markdown", "json": "a JSON"}

_COMPACT_JWS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*")


def verify_with_key(args: argparse.Namespace) -> int:
    from pathlib import Path

    from competency.errors import CompetencyError
    from competency.signing import load_public_key
    from competency.storage import read_assessment_bytes
    from competency.text import terminal

    try:
        public = load_public_key(args.key)
        data = read_assessment_bytes(Path(args.report), MAX_FILE_BYTES)
        assessment = read_assessment_bytes(Path(args.assessment)) if args.assessment else None
    except CompetencyError as exc:
        error(exc.line)
        return 2
    name = terminal(args.report)
    text = data.decode("utf-8", errors="replace").strip()
    if _COMPACT_JWS.fullmatch(text):
        if assessment is not None:
            error(f"{name}: a credential names no assessment file; verify it alone")
            return 2
        return _credential(name, text, public)
    if _is_credential_json(text):
        error(f"{name}: NOT SIGNED: an Open Badges credential as plain JSON, with no proof")
        return EXIT[Verdict.NOT_SIGNED]
    if _is_assessment_json(text):
        if assessment is not None:
            error(f"{name}: is an assessment; verify its review signature alone")
            return 2
        return _review(name, data, public, args.report)
    return _report(name, data, public, assessment, args.assessment)


def _is_assessment_json(text: str) -> bool:
    from competency.assessment import SCHEMA

    if not text.startswith("{"):
        return False
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError):
        return False
    return isinstance(doc, dict) and doc.get("schema") == SCHEMA


def _review(name: str, data: bytes, public: Any, source: str) -> int:
    from competency.errors import CompetencyError
    from competency.signing import header_of
    from competency.signoff import verify_review
    from competency.storage import parse_assessment

    try:
        assessment = parse_assessment(data, source)
    except CompetencyError as exc:
        error(exc.line)
        return 2
    verdict = verify_review(assessment, public)
    review = assessment.review
    if verdict is Verdict.NOT_SIGNED:
        error(f"{name}: NOT SIGNED: the assessment has no signed review (review --sign)")
        return EXIT[verdict]
    assert review is not None and review.signature is not None
    if verdict is not Verdict.VERIFIED:
        return _refused(name, verdict, header_of(review.signature), public, "assessment")
    print(
        f"{name}: VERIFIED: the review by {_text(review.reviewer.name)}, signed by this key "
        f"({public.kid}); the assessment says exactly what was signed off"
    )
    return 0


def _is_credential_json(text: str) -> bool:
    if not text.startswith("{"):
        return False
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError):
        return False
    return isinstance(doc, dict) and "@context" in doc and "credentialSubject" in doc


def _credential(name: str, token: str, public: Any) -> int:
    from competency.signing import header_of, verify_jwt

    verdict, claims = verify_jwt(token, public)
    if verdict is not Verdict.VERIFIED or claims is None:
        return _refused(name, verdict, header_of(token), public, "credential")
    mismatch = _claims_mismatch(claims)
    if mismatch:
        error(f"{name}: EDITED: signed by this key, but {mismatch}; not a valid VC-JWT")
        return EXIT[Verdict.EDITED]
    subject = claims.get("credentialSubject", {})
    achievement = subject.get("achievement", {}) if isinstance(subject, dict) else {}
    print(
        f"{name}: VERIFIED: an Open Badges credential signed by this key ({public.kid}), "
        f"not changed since; issued by {_text(claims['iss'])} on {_text(claims.get('validFrom'))}"
        f" for {_text(achievement.get('name'))}"
    )
    return 0


def _claims_mismatch(claims: dict[str, Any]) -> str | None:
    """What disagrees between the JWT claims and the credential they repeat, if anything."""
    from datetime import datetime

    issuer = claims.get("issuer")
    subject = claims.get("credentialSubject")
    pairs = {
        "iss": issuer.get("id") if isinstance(issuer, dict) else issuer,
        "jti": claims.get("id"),
        "sub": subject.get("id") if isinstance(subject, dict) else None,
    }
    for claim, value in pairs.items():
        if claims.get(claim) != value:
            return f"its {claim} claim is not the credential's own"
    try:
        valid_from = datetime.fromisoformat(str(claims.get("validFrom")).replace("Z", "+00:00"))
    except ValueError:
        return "its validFrom is not a date and time"
    if claims.get("nbf") != int(valid_from.timestamp()):
        return "its nbf claim is not the credential's validFrom"
    return None


def _report(
    name: str, data: bytes, public: Any, assessment: bytes | None, assessment_name: str | None
) -> int:
    from competency.errors import CompetencyError
    from competency.outputs.seal import SealBroken, read_seal
    from competency.outputs.signature import read
    from competency.signing import header_of, verify_detached

    try:
        seal = read_seal(data, name)
    except SealBroken as exc:
        error(f"{name}: EDITED: {exc.message}, so it was changed after export")
        return EXIT[Verdict.EDITED]
    except CompetencyError:
        error(f"{name}: neither a report from competency nor a credential (VC-JWT)")
        return 2
    if not seal.intact:
        error(f"{name}: EDITED: its content does not match its own digest")
        return EXIT[Verdict.EDITED]
    found = read(seal.format, data)
    if found is None:
        error(
            f"{name}: NOT SIGNED: a report with a digest but no signature "
            "(made without report --sign)"
        )
        return EXIT[Verdict.NOT_SIGNED]
    token, signed = found
    verdict = verify_detached(token, signed, public)
    if verdict is not Verdict.VERIFIED:
        return _refused(name, verdict, header_of(token), public, "report")
    made_from = ""
    if assessment is not None:
        if not _made_from(assessment, seal.assessment_digests, assessment_name or ""):
            error(
                f"{name}: DOES NOT MATCH: signed by this key, but not made from "
                f"{_text(assessment_name)} as the file is now"
            )
            return EXIT[Verdict.EDITED]
        made_from = f", and made from {_text(assessment_name)}"
    print(
        f"{name}: VERIFIED: {FORMATS[seal.format]} report signed by this key ({public.kid}), "
        f"not changed since{made_from}"
    )
    return 0


def _made_from(assessment: bytes, digests: tuple[str, ...], source: str) -> bool:
    """The assessment is the one the report names: these bytes, or the same content."""
    from competency.errors import CompetencyError
    from competency.storage import digest, dump_assessment, parse_assessment

    if digest(assessment) in digests:
        return True
    try:
        return digest(dump_assessment(parse_assessment(assessment, source))) in digests
    except CompetencyError:
        return False


def _refused(
    name: str, verdict: Verdict, header: dict[str, Any] | None, public: Any, what: str
) -> int:
    if verdict is Verdict.EDITED:
        error(f"{name}: EDITED: it names this key, but the {what} is not what the key signed")
    else:
        kid = header.get("kid") if header else None
        signer = f"key {_text(kid)}" if isinstance(kid, str) else "another key"
        error(f"{name}: WRONG KEY: signed by {signer}, not by this key ({public.kid})")
    return EXIT[verdict]


def _text(value: object) -> str:
    from competency.text import terminal

    return terminal(str(value)) if value is not None else "?"
