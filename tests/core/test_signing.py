"""`competency keys new`: a key pair a new user can make, hand out and sign with."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import jwt as pyjwt
import pytest

from competency.cli import main
from competency.signing import (
    REPORT,
    REVIEW,
    KeyFileError,
    Verdict,
    load_public_key,
    load_signing_key,
    new_key_pair,
    sign_detached,
    sign_jwt,
    verify_detached,
    verify_jwt,
)


def test_keys_new_writes_a_private_key_only_its_owner_reads_and_the_public_key_twice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    keyfile = tmp_path / "issuer.key"
    assert main(["keys", "new", "--output", str(keyfile)]) == 0
    out = capsys.readouterr().out
    assert stat.S_IMODE(keyfile.stat().st_mode) == 0o600
    assert keyfile.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    jwk = json.loads((tmp_path / "issuer.public.jwk").read_text())
    assert jwk["kty"] == "OKP" and jwk["crv"] == "Ed25519" and "d" not in jwk
    assert (tmp_path / "issuer.public.pem").read_bytes().startswith(b"-----BEGIN PUBLIC KEY")
    assert jwk["kid"] in out
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "issuer.key",
        "issuer.public.jwk",
        "issuer.public.pem",
    ]


def test_keys_new_makes_the_folder_its_help_names_private_to_its_owner(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The help's own example, ~/.config/competency/issuer.key, in a home without it."""
    keyfile = tmp_path / "home" / ".config" / "competency" / "issuer.key"
    (tmp_path / "home").mkdir(mode=0o755)
    assert main(["keys", "new", "--output", str(keyfile)]) == 0
    assert keyfile.is_file() and (keyfile.parent / "issuer.public.jwk").is_file()
    for made in (keyfile.parent, keyfile.parent.parent):
        assert stat.S_IMODE(made.stat().st_mode) == 0o700, made
    assert stat.S_IMODE((tmp_path / "home").stat().st_mode) == 0o755, "left as it was"
    out = capsys.readouterr().out
    assert f"made folder: {keyfile.parent}" in out


def test_an_existing_key_is_never_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    keyfile = tmp_path / "issuer.key"
    new_key_pair(keyfile)
    before = keyfile.read_bytes()
    (tmp_path / "other.public.pem").write_text("mine")
    assert main(["keys", "new", "--output", str(keyfile)]) == 2
    assert main(["keys", "new", "--output", str(tmp_path / "other.key")]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"competency: {keyfile}: already exists; a key is never replaced",
        f"competency: {tmp_path / 'other.public.pem'}: already exists; a key is never replaced",
    ]
    assert keyfile.read_bytes() == before
    assert not (tmp_path / "other.key").exists()


def test_the_jwk_and_the_pem_are_the_same_key_and_name_it_alike(tmp_path: Path) -> None:
    pair = new_key_pair(tmp_path / "k.key")
    from_jwk, from_pem = (
        load_public_key(str(pair.public_jwk)),
        load_public_key(str(pair.public_pem)),
    )
    assert from_jwk.kid == from_pem.kid == load_signing_key(str(pair.private)).kid == pair.kid


def test_a_jwt_the_tool_signs_pyjwt_verifies_and_tampering_breaks(tmp_path: Path) -> None:
    pair = new_key_pair(tmp_path / "k.key")
    token = sign_jwt(
        {"iss": "https://library.example", "x": 1}, load_signing_key(str(pair.private))
    )
    public_pem = pair.public_pem.read_bytes()
    claims = pyjwt.decode(token, public_pem, algorithms=["EdDSA"])  # not the library that signed
    assert claims == {"iss": "https://library.example", "x": 1}
    header = pyjwt.get_unverified_header(token)
    assert header == {"alg": "EdDSA", "kid": pair.kid, "typ": "JWT"}
    public = load_public_key(str(pair.public_jwk))
    check, found = verify_jwt(token, public)
    assert (check.verdict, found) == (Verdict.VERIFIED, claims)
    head, body, sig = token.split(".")
    flipped = body[:5] + ("A" if body[5] != "A" else "B") + body[6:]
    assert verify_jwt(f"{head}.{flipped}.{sig}", public)[0].verdict is Verdict.EDITED
    other = new_key_pair(tmp_path / "other.key")
    wrong = verify_jwt(token, load_public_key(str(other.public_pem)))[0]
    assert wrong.verdict is Verdict.WRONG_KEY


def test_a_detached_signature_covers_exactly_its_bytes(tmp_path: Path) -> None:
    pair = new_key_pair(tmp_path / "k.key")
    token = sign_detached(b"the report", load_signing_key(str(pair.private)), REPORT)
    _, empty, _ = token.split(".")
    assert empty == ""
    public = load_public_key(str(pair.public_jwk))
    assert verify_detached(token, b"the report", public, REPORT).verdict is Verdict.VERIFIED
    assert verify_detached(token, b"the rep0rt", public, REPORT).verdict is Verdict.EDITED
    # Bound to its kind: the same bytes and key, asked about as a review, are no review.
    assert verify_detached(token, b"the report", public, REVIEW).verdict is Verdict.WRONG_KIND


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "not an Ed25519 private key"),
        (b"-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n", "not an Ed25519"),
    ],
)
def test_a_file_that_is_no_private_key_is_refused_with_one_line(
    tmp_path: Path, content: bytes, words: str
) -> None:
    bad = tmp_path / "bad.key"
    bad.write_bytes(content)
    with pytest.raises(KeyFileError, match=words):
        load_signing_key(str(bad))


def test_signing_with_the_public_key_is_refused(tmp_path: Path) -> None:
    pair = new_key_pair(tmp_path / "k.key")
    with pytest.raises(KeyFileError, match=r"not its \.public\.pem"):
        load_signing_key(str(pair.public_pem))
