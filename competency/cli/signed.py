"""``competency verify FILE --key PUBLIC``: was this report, credential or review signed by it?

Not a command of its own: ``verify`` hands over here when given ``--key``. One verdict per
file, in the words of ``competency.signing.Verdict``, each with its exit status:

- 0 VERIFIED: signed by this key (of a JWK Set, the one its ``kid`` names), not changed
  since (and, for a report given with its assessment, made from that assessment);
- 1 EDITED: it names this key but its content is not what the key signed (or the report's
  own digest fails), or the report was not made from the assessment given; WRONG KIND: a
  signature of another kind of thing (a review's offered as a credential); INVALID: a
  credential its key signed whose JWT claims disagree with it (``iss`` not its issuer...),
  or that has expired;
- 2 cannot check: an unreadable file or key, neither a report nor a credential, a
  signature with an algorithm the tool does not check (``HS256``, ``none``), a signed
  payload that is no Open Badges credential, or the JOSE library failing (an error of the
  library, or a token the tool does not understand, is never a verdict on the file);
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

EXIT = {
    Verdict.VERIFIED: 0,
    Verdict.EDITED: 1,
    Verdict.WRONG_KIND: 1,
    Verdict.WRONG_KEY: 3,
    Verdict.NOT_SIGNED: 4,
}

MAX_FILE_BYTES = 50 * 1024 * 1024

FORMATS = {"html": "an HTML", "md": "a Markdown", "json": "a JSON"}

_COMPACT_JWS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*")

CANNOT_CHECK = 2

INVALID = 1
"""A credential its key signed whose claims disagree with it (Open Badges 3.0: "the
credential is not valid"): nothing was edited, but it is no valid VC-JWT."""


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
        return CANNOT_CHECK
    name = terminal(args.report)
    try:
        return _verify(name, data, public, assessment, args)
    except CompetencyError as exc:  # competency.signing.CannotCheck, or an unreadable file
        error(f"{name}: {exc.message}")
        return CANNOT_CHECK


def _verify(name: str, data: bytes, public: Any, assessment: bytes | None, args: Any) -> int:
    text = data.decode("utf-8", errors="replace").strip()
    if _COMPACT_JWS.fullmatch(text):
        if assessment is not None:
            error(f"{name}: a credential names no assessment file; verify it alone")
            return CANNOT_CHECK
        return _credential(name, text, public)
    doc = _json_object(data, name) if text.startswith(("{", "[")) else None
    # What a file is decides what it is checked as: an assessment (its ``schema``) is
    # checked for its review signature whatever other fields it carries (an ``@context``,
    # a ``credentialSubject``); only a file that is no assessment can be a credential.
    if doc is not None and _is_assessment(doc):
        if assessment is not None:
            error(f"{name}: is an assessment; verify its review signature alone")
            return CANNOT_CHECK
        return _review(name, data, public, args.report)
    if doc is not None and _is_credential(doc):
        error(f"{name}: NOT SIGNED: an Open Badges credential as plain JSON, with no proof")
        return EXIT[Verdict.NOT_SIGNED]
    return _report(name, data, public, assessment, args.assessment)


def _json_object(data: bytes, name: str) -> dict[str, Any] | None:
    """The file as a JSON object, or None; its values are counted first, as the loaders
    do, so fifty megabytes of ``[{},{},...]`` is refused before it becomes objects."""
    from competency.signing import CannotCheck
    from competency.storage import MAX_JSON_VALUES

    if data.count(b",") + data.count(b"{") + data.count(b"[") > MAX_JSON_VALUES:
        raise CannotCheck(
            f"holds too many JSON values (over {MAX_JSON_VALUES:,}); not a report, "
            "credential or assessment from competency"
        )
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError):
        return None
    return doc if isinstance(doc, dict) else None


def _is_assessment(doc: dict[str, Any]) -> bool:
    from competency.assessment import SCHEMA

    return doc.get("schema") == SCHEMA


def _is_credential(doc: dict[str, Any]) -> bool:
    kinds = doc.get("type")
    return ("@context" in doc and "credentialSubject" in doc) or (
        isinstance(kinds, list) and "VerifiableCredential" in kinds
    )


def _review(name: str, data: bytes, public: Any, source: str) -> int:
    from competency.errors import CompetencyError
    from competency.signing import header_of
    from competency.signoff import verify_review
    from competency.storage import parse_assessment

    try:
        assessment = parse_assessment(data, source)
    except CompetencyError as exc:
        error(exc.line)
        return CANNOT_CHECK
    check = verify_review(assessment, public)
    review = assessment.review
    if check.verdict is Verdict.NOT_SIGNED:
        error(f"{name}: NOT SIGNED: the assessment has no signed review (review --sign)")
        return EXIT[check.verdict]
    assert review is not None and review.signature is not None
    if check.verdict is not Verdict.VERIFIED:
        return _refused(name, check, header_of(review.signature), public, "review")
    print(
        f"{name}: VERIFIED: the review by {_text(review.reviewer.name)}, signed by "
        f"{_signer(check, public)}; the assessment says exactly what was signed off"
        f"{_legacy(check)}"
    )
    return 0


def _credential(name: str, token: str, public: Any) -> int:
    from competency.signing import header_of, verify_jwt

    check, claims = verify_jwt(token, public)
    if check.verdict is not Verdict.VERIFIED:
        return _refused(name, check, header_of(token), public, "credential")
    signer = _signer(check, public)
    credential, unknown = _credential_of(claims)
    if credential is None:
        error(
            f"{name}: cannot check it as a credential: signed by {signer} and not changed "
            f"since, but {unknown}; competency checks Open Badges 3.0 credentials"
        )
        return CANNOT_CHECK
    assert claims is not None
    mismatch = _claims_mismatch(claims, credential)
    if mismatch:
        error(f"{name}: INVALID: signed by {signer}, but {mismatch}; not a valid VC-JWT")
        return INVALID
    issuer = credential.get("issuer")
    issued_by = issuer.get("id") if isinstance(issuer, dict) else issuer
    achievement = credential["credentialSubject"]["achievement"]
    style = " (VC 1.1 style: the credential in its vc claim)" if "vc" in claims else ""
    print(
        f"{name}: VERIFIED: an Open Badges credential{style} signed by {signer}, not "
        f"changed since; issued by {_text(issued_by)}"
        f" on {_text(credential.get(_issued_field(credential)))}"
        f" for {_text(achievement.get('name'))}"
    )
    return 0


BADGE_TYPES = ("OpenBadgeCredential", "AchievementCredential")
"""Open Badges 3.0 names its credential either way (the schema takes both)."""


def _credential_of(claims: dict[str, Any] | None) -> tuple[dict[str, Any] | None, str]:
    """The credential a VC-JWT's claims carry, or None and what they are instead.

    Two forms: the payload is the credential itself, with ``iss``, ``jti``, ``nbf`` and
    ``sub`` beside its fields (VC 2.0, Open Badges 3.0 as the tool issues it); or the
    credential is the ``vc`` claim (VC 1.1, the first Open Badges 3.0 texts), where the
    claims stand for the fields they repeat and a field left out is taken from its claim.
    """
    if claims is None:
        return None, "its payload is not a JSON object"
    vc = claims.get("vc")
    if "vc" in claims and not isinstance(vc, dict):
        return None, "its vc claim is not an object"
    credential = dict(vc) if isinstance(vc, dict) else claims
    if isinstance(vc, dict):
        filled = {"issuer": "iss", "id": "jti", _issued_field(credential): "nbf"}
        for field_name, claim in filled.items():
            if field_name not in credential and claim in claims:
                credential[field_name] = _iso(claims[claim]) if claim == "nbf" else claims[claim]
        subject = credential.get("credentialSubject")
        if isinstance(subject, dict) and "id" not in subject and "sub" in claims:
            credential["credentialSubject"] = {**subject, "id": claims["sub"]}
    kinds = credential.get("type")
    if not isinstance(kinds, list) or not any(t in kinds for t in BADGE_TYPES):
        return None, "it is not an Open Badges credential (its type says otherwise)"
    subject = credential.get("credentialSubject")
    if not isinstance(subject, dict):
        return None, "it has no credentialSubject object"
    if not isinstance(subject.get("achievement"), dict):
        return None, "its achievement is not one object"
    return credential, ""


def _issued_field(credential: dict[str, Any]) -> str:
    """``issuanceDate`` in a VC 1.1 credential that has one, else VC 2.0's ``validFrom``."""
    return "issuanceDate" if "issuanceDate" in credential else "validFrom"


def _iso(seconds: object) -> object:
    from datetime import UTC, datetime

    if type(seconds) is not int:
        return seconds
    try:
        return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (ValueError, OverflowError, OSError):
        return seconds


def _claims_mismatch(claims: dict[str, Any], credential: dict[str, Any]) -> str | None:
    """What disagrees between the JWT claims and the credential they repeat, or a claim
    Open Badges 3.0 requires that is missing; None when all is well."""
    from datetime import UTC, datetime

    issuer = credential.get("issuer")
    subject = credential["credentialSubject"]
    pairs = {
        "iss": issuer.get("id") if isinstance(issuer, dict) else issuer,
        "jti": credential.get("id"),
        "sub": subject.get("id"),
    }
    for claim, value in pairs.items():
        if not isinstance(claims.get(claim), str) or claims.get(claim) != value:
            return f"its {claim} claim is missing or not the credential's own"
    issued = _issued_field(credential)
    try:
        when = datetime.fromisoformat(str(credential.get(issued)).replace("Z", "+00:00"))
        if when.tzinfo is None:
            raise ValueError
        seconds = int((when - datetime(1970, 1, 1, tzinfo=UTC)).total_seconds())
    except (ValueError, OverflowError):
        return f"its {issued} is not a date and time with a time zone"
    nbf = claims.get("nbf")
    if type(nbf) is not int or nbf != seconds:
        return f"its nbf claim is not the credential's {issued}"
    return _expired(claims, credential)


def _expired(claims: dict[str, Any], credential: dict[str, Any]) -> str | None:
    """Whether the credential says it is no longer valid: its ``exp`` claim, or its
    ``validUntil`` (VC 2.0) or ``expirationDate`` (VC 1.1), is past. The tool issues
    none of them; other issuers may."""
    from datetime import UTC, datetime

    now = datetime.now(UTC)
    exp = claims.get("exp")
    if exp is not None:
        if type(exp) is not int:
            return "its exp claim is not a number of seconds"
        if exp < now.timestamp():
            return f"it expired at {_iso(exp)} (its exp claim)"
    for field_name in ("validUntil", "expirationDate"):
        until = credential.get(field_name)
        if until is None:
            continue
        try:
            when = datetime.fromisoformat(str(until).replace("Z", "+00:00"))
            if when.tzinfo is None:
                raise ValueError
        except ValueError:
            return f"its {field_name} is not a date and time with a time zone"
        if when < now:
            return f"it expired at {_text(until)} (its {field_name})"
    return None


def _report(
    name: str, data: bytes, public: Any, assessment: bytes | None, assessment_name: str | None
) -> int:
    from competency.cli.verify import line_endings
    from competency.errors import CompetencyError
    from competency.outputs.seal import SealBroken, lf_endings, read_seal
    from competency.outputs.signature import read
    from competency.signing import REPORT, header_of, verify_detached

    try:
        seal = read_seal(data, name)
    except SealBroken as exc:
        error(f"{name}: EDITED: {exc.message}, so it was changed after export")
        return EXIT[Verdict.EDITED]
    except CompetencyError:
        error(f"{name}: neither a report from competency nor a credential (VC-JWT)")
        return CANNOT_CHECK
    if not seal.intact:
        error(f"{name}: EDITED: its content does not match its own digest")
        return EXIT[Verdict.EDITED]
    found = read(seal.format, lf_endings(data) if seal.crlf else data)
    if found is None:
        error(
            f"{name}: NOT SIGNED: a report with a digest but no signature "
            "(made without report --sign)"
        )
        return EXIT[Verdict.NOT_SIGNED]
    token, signed = found
    check = verify_detached(token, signed, public, REPORT)
    if check.verdict is not Verdict.VERIFIED:
        return _refused(name, check, header_of(token), public, "report")
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
        f"{name}: VERIFIED: {FORMATS[seal.format]} report signed by {_signer(check, public)},"
        f" not changed since{made_from}{_legacy(check)}{line_endings(seal)}"
    )
    return 0


def _signer(check: Any, public: Any) -> str:
    """The key that verified a signature, as ``verify`` names it."""
    # A kid comes from the key file (a JWK's, a URL line): shown as the terminal policy says.
    return _text(f"this key ({check.key.kid})" if check.key is not None else public.describe())


def _legacy(check: Any) -> str:
    if not check.legacy:
        return ""
    return " (an older signature that does not name its kind; sign again to bind it)"


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


def _refused(name: str, check: Any, header: dict[str, Any] | None, public: Any, what: str) -> int:
    verdict = check.verdict
    if verdict is Verdict.WRONG_KIND:
        signed_as = (
            f"a {check.signed_as}'s signature" if check.signed_as else "a signature of no kind"
        )
        error(
            f"{name}: WRONG KIND: it carries {signed_as}, not a {what}'s; a signature "
            f"counts only for the kind of thing it signed"
        )
    elif verdict is Verdict.EDITED:
        error(f"{name}: EDITED: it names this key, but the {what} is not what the key signed")
    else:
        kid = header.get("kid") if header else None
        signer = f"key {_text(kid)}" if isinstance(kid, str) else "another key"
        error(f"{name}: WRONG KEY: signed by {signer}, not by {public.describe()}")
    return EXIT[verdict]


def _text(value: object) -> str:
    from competency.text import terminal

    return terminal(str(value)) if value is not None else "?"
