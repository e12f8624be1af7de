"""Signed reports and credentials: `verify --key` says VERIFIED, EDITED, WRONG KEY or NOT SIGNED.

A digest alone is beaten by whoever edits a report and recomputes it; a signature is not,
without the private key. Each story below is one a supervisor or an HR reviewer could meet.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from competency.cli import main
from competency.outputs.seal import PLACEHOLDER, sha256
from competency.schemas import schema
from competency.signing import NEW_KEY_TYPES, KeyPair, KeyType, new_key_pair
from tests.conftest import EXAMPLES

PRIYA = EXAMPLES / "priya-raman-2026-10-12.json"
MAYA = EXAMPLES / "maya-okafor-2026-11-02.json"
ISSUER = ["--issuer-id", "https://library.example.org", "--issuer-name", "Example Library"]
FORMATS = ("html", "md", "json")


@pytest.fixture()
def keys(tmp_path: Path) -> KeyPair:
    return new_key_pair(tmp_path / "library.key")


@pytest.fixture()
def other_keys(tmp_path: Path) -> KeyPair:
    return new_key_pair(tmp_path / "other.key")


def signed_report(tmp_path: Path, keys: KeyPair, fmt: str, assessment: Path = PRIYA) -> Path:
    out = tmp_path / f"report.{fmt}"
    args = ["report", str(assessment), "--format", fmt, "--sign", str(keys.private)]
    assert main([*args, "--output", str(out)]) == 0
    return out


def verify(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["verify", *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def reseal(data: bytes) -> bytes:
    """What a forger does: recompute the report digest after editing (the method is public)."""
    digest = re.search(rb"sha256:[0-9a-f]{64}(?=\"\n\}\n\Z| -->\n\Z)", data)
    if digest is None:
        digest = re.search(rb'(?<=competency-report-digest" content=")sha256:[0-9a-f]{64}', data)
    assert digest is not None
    blank = data[: digest.start()] + PLACEHOLDER.encode() + data[digest.end() :]
    return blank[: digest.start()] + sha256(blank).encode() + blank[digest.end() :]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_signed_report_verifies_with_its_public_key_and_its_digest_still_checks(
    tmp_path: Path, keys: KeyPair, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    report = signed_report(tmp_path, keys, fmt)
    for public in (keys.public_jwk, keys.public_pem):
        code, out = verify(capsys, str(report), str(PRIYA), "--key", str(public))
        assert code == 0, out
        assert f"{report}: VERIFIED: " in out and keys.kid in out
        assert f"made from {PRIYA}" in out
    code, out = verify(capsys, str(report), str(PRIYA))  # the digest check, as before
    assert code == 0 and "VERIFIED" in out


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_edit_the_forger_reseals_passes_the_digest_but_not_the_signature(
    tmp_path: Path, keys: KeyPair, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    report = signed_report(tmp_path, keys, fmt)
    data = report.read_bytes()
    assert data.count(b"Proficient") > 1
    forged = reseal(data.replace(b"Proficient", b"Advanced!!", 1))
    report.write_bytes(forged)
    assert verify(capsys, str(report), str(PRIYA))[0] == 0  # a digest cannot tell
    code, out = verify(capsys, str(report), str(PRIYA), "--key", str(keys.public_jwk))
    assert code == 1
    assert "EDITED: it names this key, but the report is not what the key signed" in out


@pytest.mark.parametrize("fmt", FORMATS)
def test_one_character_changed_anywhere_fails(
    tmp_path: Path, keys: KeyPair, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    report = signed_report(tmp_path, keys, fmt)
    data = report.read_bytes()
    signature = re.search(rb"\.\.([A-Za-z0-9_-]+)", data)
    assert signature is not None
    places = [len(data) // 3, len(data) // 2, signature.start(1) + 10]
    for at in places:
        changed = data[:at] + (b"x" if data[at : at + 1] != b"x" else b"y") + data[at + 1 :]
        report.write_bytes(changed)
        code, out = verify(capsys, str(report), "--key", str(keys.public_jwk))
        assert code == 1 and "EDITED" in out, (at, out)
        report.write_bytes(reseal(changed))
        code, out = verify(capsys, str(report), "--key", str(keys.public_jwk))
        assert code == 1 and "EDITED" in out, (at, out)


@pytest.mark.parametrize("fmt", FORMATS)
def test_another_key_is_the_wrong_key(
    tmp_path: Path,
    keys: KeyPair,
    other_keys: KeyPair,
    fmt: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    report = signed_report(tmp_path, keys, fmt)
    code, out = verify(capsys, str(report), "--key", str(other_keys.public_pem))
    assert code == 3
    assert f"WRONG KEY: signed by key {keys.kid}, not by this key ({other_keys.kid})" in out


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_report_made_without_sign_is_not_signed(
    tmp_path: Path, keys: KeyPair, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / f"plain.{fmt}"
    assert main(["report", str(MAYA), "--format", fmt, "--output", str(report)]) == 0
    code, out = verify(capsys, str(report), str(MAYA), "--key", str(keys.public_jwk))
    assert code == 4
    assert "NOT SIGNED" in out


def test_a_signed_report_made_from_another_assessment_does_not_match(
    tmp_path: Path, keys: KeyPair, capsys: pytest.CaptureFixture[str]
) -> None:
    report = signed_report(tmp_path, keys, "md")
    code, out = verify(capsys, str(report), str(MAYA), "--key", str(keys.public_jwk))
    assert code == 1
    assert f"DOES NOT MATCH: signed by this key, but not made from {MAYA}" in out


def test_a_signed_json_report_validates_against_the_report_schema(
    tmp_path: Path, keys: KeyPair
) -> None:
    report = json.loads(signed_report(tmp_path, keys, "json").read_bytes())
    assert report["report_signature"].count(".") == 2
    assert list(report)[-2:] == ["report_signature", "report_digest"]
    assert list(Draft202012Validator(schema("report")).iter_errors(report)) == []


def test_a_bad_key_is_refused_before_any_work(
    tmp_path: Path, keys: KeyPair, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r.html"
    code = main(["report", str(PRIYA), "--format", "html", "--sign", str(keys.public_pem)])
    assert code == 2 and not out.exists()
    assert "not a private key" in capsys.readouterr().err
    report = signed_report(tmp_path, keys, "html")
    junk = tmp_path / "junk.jwk"
    junk.write_text("{}")
    code, text = verify(capsys, str(report), "--key", str(junk))
    assert code == 2 and "not a public key" in text


# Credentials


def signed_credential(tmp_path: Path, keys: KeyPair) -> Path:
    out = tmp_path / "priya.jwt"
    args = ["credential", str(PRIYA), *ISSUER, "--source", "review", "--key", str(keys.private)]
    assert main([*args, "--output", str(out)]) == 0
    return out


def test_a_signed_credential_verifies_and_a_changed_one_does_not(
    tmp_path: Path, keys: KeyPair, other_keys: KeyPair, capsys: pytest.CaptureFixture[str]
) -> None:
    cred = signed_credential(tmp_path, keys)
    code, out = verify(capsys, str(cred), "--key", str(keys.public_jwk))
    assert code == 0, out
    assert "VERIFIED: an Open Badges credential signed by this key" in out
    assert "issued by https://library.example.org" in out
    code, out = verify(capsys, str(cred), "--key", str(other_keys.public_jwk))
    assert code == 3 and "WRONG KEY" in out
    token = cred.read_text()
    head, body, sig = token.strip().split(".")
    for part in (1, 2):
        pieces = [head, body, sig]
        piece = pieces[part]
        pieces[part] = piece[:20] + ("A" if piece[20] != "A" else "B") + piece[21:]
        cred.write_text(".".join(pieces) + "\n")
        code, out = verify(capsys, str(cred), "--key", str(keys.public_jwk))
        assert code == 1 and "EDITED" in out, out


def test_an_unsigned_credential_is_not_signed(
    tmp_path: Path, keys: KeyPair, capsys: pytest.CaptureFixture[str]
) -> None:
    cred = tmp_path / "priya.json"
    assert main(["credential", str(PRIYA), *ISSUER, "--output", str(cred)]) == 0
    code, out = verify(capsys, str(cred), "--key", str(keys.public_jwk))
    assert code == 4 and "NOT SIGNED" in out


# A signed-off review, signed by its reviewer


def test_a_reviewer_signs_their_signed_off_review_and_any_change_breaks_it(
    tmp_path: Path, keys: KeyPair, other_keys: KeyPair, capsys: pytest.CaptureFixture[str]
) -> None:
    priya = tmp_path / "priya.json"
    priya.write_bytes(PRIYA.read_bytes())
    grace = ["--reviewer", "Grace Example", "--id", "S77"]
    assert main(["review", str(priya), *grace, "--sign", str(keys.private)]) == 0
    assert f"{priya}: review signed by Grace Example with key {keys.kid}" in (
        capsys.readouterr().out
    )
    doc = json.loads(priya.read_bytes())
    assert doc["review"]["signature"].count(".") == 2
    assert not list(priya.parent.glob(".*.lock"))  # the lock was released
    code, out = verify(capsys, str(priya), "--key", str(keys.public_jwk))
    assert code == 0 and "VERIFIED: the review by Grace Example" in out
    assert verify(capsys, str(priya), "--key", str(other_keys.public_jwk))[0] == 3
    doc["review"]["ratings"]["advanced.6"] = 4
    priya.write_text(json.dumps(doc, indent=4))
    code, out = verify(capsys, str(priya), "--key", str(keys.public_jwk))
    assert code == 1 and "EDITED" in out
    doc["review"]["ratings"]["advanced.6"] = 1
    priya.write_text(json.dumps(doc, indent=4))  # the same content, other formatting
    assert verify(capsys, str(priya), "--key", str(keys.public_jwk))[0] == 0


def test_only_the_reviewer_signs_and_only_a_signed_off_review(
    tmp_path: Path, keys: KeyPair, capsys: pytest.CaptureFixture[str]
) -> None:
    priya = tmp_path / "priya.json"
    priya.write_bytes(PRIYA.read_bytes())
    before = priya.read_bytes()
    args = ["review", str(priya), "--sign", str(keys.private)]
    assert main([*args, "--reviewer", "Grace Example"]) == 1  # the review has an id
    assert main([*args, "--reviewer", "Someone Else", "--id", "S77"]) == 1
    assert "only its reviewer can sign it" in capsys.readouterr().err
    assert priya.read_bytes() == before
    maya = tmp_path / "maya.json"
    maya.write_bytes(MAYA.read_bytes())
    assert (
        main(["review", str(maya), "--reviewer", "Grace Example", "--sign", str(keys.private)]) == 1
    )
    assert "has no signed-off review to sign" in capsys.readouterr().err
    code, out = verify(capsys, str(maya), "--key", str(keys.public_jwk))
    assert code == 4 and "NOT SIGNED" in out


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_signed_report_through_crlf_line_endings_still_verifies_and_an_edit_does_not(
    tmp_path: Path, keys: KeyPair, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The signature, like the digest, is over the LF bytes the tool wrote (issue 25)."""
    report = signed_report(tmp_path, keys, fmt)
    lf = report.read_bytes()
    report.write_bytes(lf.replace(b"\n", b"\r\n"))
    code, out = verify(capsys, str(report), str(PRIYA), "--key", str(keys.public_jwk))
    assert code == 0, out
    assert "VERIFIED" in out and "line endings were changed to CRLF since" in out
    forged = reseal(lf.replace(b"Proficient", b"Advanced!!", 1)).replace(b"\n", b"\r\n")
    report.write_bytes(forged)
    code, out = verify(capsys, str(report), str(PRIYA), "--key", str(keys.public_jwk))
    assert code == 1 and "EDITED: it names this key" in out, out


@pytest.mark.parametrize("key_type", NEW_KEY_TYPES.values(), ids=lambda t: t.name)
def test_every_key_type_signs_reports_and_reviews_that_pyjwt_checks_too(
    tmp_path: Path, key_type: KeyType, capsys: pytest.CaptureFixture[str]
) -> None:
    """The detached signatures of reports and reviews, with each key type's algorithm."""
    import base64

    import jwt as pyjwt

    from competency.outputs.signature import read
    from competency.signing import REPORT

    pair = new_key_pair(tmp_path / "library.key", key_type)
    for fmt in FORMATS:
        report = signed_report(tmp_path, pair, fmt)
        code, out = verify(capsys, str(report), str(PRIYA), "--key", str(pair.public_jwk))
        assert code == 0 and f"signed by this key ({pair.kid})" in out, out
        found = read(fmt, report.read_bytes())
    assert found is not None
    token, signed = found
    head, _, signature = token.split(".")
    payload = base64.urlsafe_b64encode(REPORT.prefix + signed).rstrip(b"=").decode()
    header = pyjwt.get_unverified_header(token.replace("..", f".{payload}."))
    assert (header["alg"], header["typ"]) == (key_type.alg, REPORT.typ)
    jws = pyjwt.PyJWS()
    jws.decode(
        f"{head}.{payload}.{signature}", pair.public_pem.read_bytes(), algorithms=[key_type.alg]
    )
    priya = tmp_path / "priya.json"
    priya.write_bytes(PRIYA.read_bytes())
    grace = ["--reviewer", "Grace Example", "--id", "S77"]
    assert main(["review", str(priya), *grace, "--sign", str(pair.private)]) == 0
    capsys.readouterr()
    code, out = verify(capsys, str(priya), "--key", str(pair.public_pem))
    assert code == 0 and "VERIFIED: the review by Grace Example" in out, out
