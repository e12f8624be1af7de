"""A signature counts only for the kind of thing it signed (issue 24, item 1).

The attack: an assessee adds credential fields (``iss``, ``credentialSubject``, ``nbf``...) to
their assessment, which the review screen never shows; the reviewer signs the review; the
review's header and signature around the signed content then made a JWT that ``verify``
called a VERIFIED Open Badges credential. Every signature now names its kind in its protected
header (``typ``), report and review signatures sign a line naming the kind before the content
(so the payload is not JSON), and ``verify`` requires the kind it was asked about.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from joserfc import jws

from competency.cli import main
from competency.signing import (
    ALG,
    CREDENTIAL,
    ED25519,
    KINDS,
    REPORT,
    REVIEW,
    KeyPair,
    Verdict,
    load_public_key,
    load_signing_key,
    new_key_pair,
    sign_detached,
    sign_jwt,
    verify_detached,
    verify_jwt,
)
from competency.signoff import signed_content
from competency.storage import load_assessment
from tests.conftest import EXAMPLES

PRIYA = EXAMPLES / "priya-raman-2026-10-12.json"
GRACE = ["--reviewer", "Grace Example", "--id", "S77"]
ISSUER = ["--issuer-id", "https://library.example.org", "--issuer-name", "Example Library"]

CREDENTIAL_FIELDS = {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "iss": "https://library.example.org",
    "issuer": {"id": "https://library.example.org", "type": ["Profile"], "name": "Library"},
    "jti": "urn:uuid:1",
    "id": "urn:uuid:1",
    "sub": "urn:person",
    "credentialSubject": {
        "id": "urn:person",
        "type": ["AchievementSubject"],
        "achievement": {"name": "Library Director (Expert)"},
    },
    "validFrom": "2026-01-01T00:00:00Z",
    "nbf": 1767225600,
}


@pytest.fixture()
def keys(tmp_path: Path) -> KeyPair:
    return new_key_pair(tmp_path / "grace.key", ED25519)  # what signed before kinds were bound


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def verify(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["verify", *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def signed_review(tmp_path: Path, keys: KeyPair, extra: dict[str, object]) -> Path:
    """Priya's reviewed assessment, with ``extra`` top-level fields, signed by Grace."""
    doc = json.loads(PRIYA.read_bytes())
    doc.update(extra)
    path = tmp_path / "priya.json"
    path.write_text(json.dumps(doc, indent=2))
    assert main(["review", str(path), *GRACE, "--sign", str(keys.private)]) == 0
    return path


def forged_jwt(tmp_path: Path, signature: str, payload: bytes) -> Path:
    """What the attacker assembles: a signature's header and signature around a payload."""
    head, _, sig = signature.split(".")
    path = tmp_path / "forged.jwt"
    path.write_text(f"{head}.{b64(payload)}.{sig}\n")
    return path


def test_a_review_signature_around_its_content_is_no_credential(
    tmp_path: Path, keys: KeyPair, capsys: pytest.CaptureFixture[str]
) -> None:
    path = signed_review(tmp_path, keys, CREDENTIAL_FIELDS)
    assessment = load_assessment(path)
    assert assessment.review is not None and assessment.review.signature is not None
    signature = assessment.review.signature
    # Whatever the attacker takes as the payload, the header says "review".
    for payload in (signed_content(assessment), REVIEW.prefix + signed_content(assessment)):
        forged = forged_jwt(tmp_path, signature, payload)
        code, out = verify(capsys, str(forged), "--key", str(keys.public_jwk))
        assert code == 1, out
        assert "WRONG KIND: it carries a review's signature, not a credential's" in out
        assert "VERIFIED" not in out
    # The same header with its typ rewritten to JWT is another header: the signature breaks.
    head = json.loads(base64.urlsafe_b64decode(signature.split(".")[0] + "=="))
    head["typ"] = "JWT"
    forged = tmp_path / "forged.jwt"
    forged.write_text(
        f"{b64(json.dumps(head).encode())}.{b64(signed_content(assessment))}."
        f"{signature.split('.')[2]}\n"
    )
    code, out = verify(capsys, str(forged), "--key", str(keys.public_jwk))
    assert code == 1 and "EDITED" in out


def test_an_assessment_with_credential_fields_is_still_checked_as_a_review(
    tmp_path: Path, keys: KeyPair, capsys: pytest.CaptureFixture[str]
) -> None:
    # Side effect of the same attack: an @context made verify call the review NOT SIGNED.
    for extra in (CREDENTIAL_FIELDS, {"@context": "x"}, {"type": ["VerifiableCredential"]}):
        path = signed_review(tmp_path, keys, extra)
        code, out = verify(capsys, str(path), "--key", str(keys.public_jwk))
        assert code == 0, out
        assert "VERIFIED: the review by Grace Example" in out


@pytest.mark.parametrize("signed_as", KINDS, ids=lambda kind: kind.name)
@pytest.mark.parametrize("asked", KINDS, ids=lambda kind: kind.name)
def test_no_kind_verifies_as_another(tmp_path: Path, signed_as: object, asked: object) -> None:
    """Every pair of kinds, both ways, with the attacker choosing the payload."""
    pair = new_key_pair(tmp_path / "k.key")
    key, public = load_signing_key(str(pair.private)), load_public_key(str(pair.public_jwk))
    claims = {**CREDENTIAL_FIELDS, "schema": "competency-assessment/1"}
    content = json.dumps(claims, sort_keys=True, separators=(",", ":")).encode()
    if signed_as is CREDENTIAL:
        token = sign_jwt(claims, key)
        head, body, sig = token.split(".")
        detached, payload = f"{head}..{sig}", base64.urlsafe_b64decode(body + "==")
    else:
        assert signed_as in (REPORT, REVIEW)
        detached = sign_detached(content, key, signed_as)
        head, _, sig = detached.split(".")
        payload = signed_as.prefix + content
        token = f"{head}.{b64(payload)}.{sig}"
    if asked is CREDENTIAL:
        verdict = verify_jwt(token, public)[0].verdict
    else:
        assert asked in (REPORT, REVIEW)
        tries = {payload, content, payload.removeprefix(asked.prefix)}
        verdicts = {verify_detached(detached, p, public, asked).verdict for p in tries}
        verdict = Verdict.VERIFIED if Verdict.VERIFIED in verdicts else verdicts.pop()
    if signed_as is asked:
        assert verdict is Verdict.VERIFIED
    else:
        assert verdict is Verdict.WRONG_KIND


@pytest.mark.filterwarnings("ignore:EdDSA is deprecated")
def test_signatures_made_before_kinds_were_bound_still_verify_as_reports_and_reviews(
    tmp_path: Path, keys: KeyPair, capsys: pytest.CaptureFixture[str]
) -> None:
    """The old form: no typ, the content signed as is. Kept for reports and reviews (whose
    signed bytes cannot pass for each other), never for credentials."""
    key = load_signing_key(str(keys.private))

    def legacy(payload: bytes) -> str:
        token = jws.serialize_compact({"alg": ALG, "kid": key.kid}, payload, key.key, [ALG])
        detached: str = jws.detach_content(token)
        return detached

    path = signed_review(tmp_path, keys, CREDENTIAL_FIELDS)
    doc = json.loads(path.read_bytes())
    doc["review"]["signature"] = legacy(signed_content(load_assessment(path)))
    path.write_text(json.dumps(doc, indent=2))
    code, out = verify(capsys, str(path), "--key", str(keys.public_jwk))
    assert code == 0 and "an older signature that does not name its kind" in out
    forged = forged_jwt(tmp_path, doc["review"]["signature"], signed_content(load_assessment(path)))
    code, out = verify(capsys, str(forged), "--key", str(keys.public_jwk))
    assert code == 1 and "WRONG KIND: it carries a signature of no kind" in out


def test_a_library_failure_is_cannot_check_never_edited(
    tmp_path: Path,
    keys: KeyPair,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 19: joserfc 1.0-1.1 raised TypeError inside verification; 1.3.4-1.6.4 capped
    payloads at 8,000 bytes. Either is the library's failure: exit 2 and why."""
    cred = tmp_path / "priya.jwt"
    args = ["credential", str(PRIYA), *ISSUER, "--key", str(keys.private), "--output", str(cred)]
    assert main(args) == 0

    def broken(*args: object, **kwargs: object) -> None:
        raise TypeError("unexpected keyword argument 'registry'")

    monkeypatch.setattr(jws, "deserialize_compact", broken)
    code, out = verify(capsys, str(cred), "--key", str(keys.public_jwk))
    assert code == 2, out
    assert "cannot check the signature: joserfc" in out and "TypeError" in out
    assert "EDITED" not in out
    monkeypatch.undo()
    from joserfc.errors import ExceededSizeError

    def capped(*args: object, **kwargs: object) -> None:
        raise ExceededSizeError("Payload size exceeds 8000 bytes.")

    monkeypatch.setattr(jws, "deserialize_compact", capped)
    code, out = verify(capsys, str(cred), "--key", str(keys.public_jwk))
    assert code == 2 and "Payload size exceeds 8000 bytes" in out and "EDITED" not in out


def test_a_report_larger_than_joserfcs_payload_cap_verifies(
    tmp_path: Path, keys: KeyPair, capsys: pytest.CaptureFixture[str]
) -> None:
    key, public = load_signing_key(str(keys.private)), load_public_key(str(keys.public_jwk))
    body = b"x" * 300_000
    check = verify_detached(sign_detached(body, key, REPORT), body, public, REPORT)
    assert check.verdict is Verdict.VERIFIED
