"""`verify --key` on tokens another library made: every valid form a standard allows is
checked, and a token the tool does not understand is "cannot check", never EDITED.

Every token here is made by PyJWT, which the tool does not use: the tool's own signing
code cannot hide a misreading of the standards it shares with its checking code.
"""

from __future__ import annotations

import base64
import contextlib
import json
from pathlib import Path
from typing import Any

import jwt as pyjwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm

from competency.cli import main
from competency.signing import load_public_key
from tests.conftest import EXAMPLES

PRIYA = EXAMPLES / "priya-raman-2026-10-12.json"
ISSUER = ["--issuer-id", "https://library.example.org", "--issuer-name", "Example Library"]


def pem(private: Any) -> bytes:
    data: bytes = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return data


def public_pem(private: Any) -> bytes:
    data: bytes = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return data


KEYS = {
    "Ed25519": lambda: ed25519.Ed25519PrivateKey.generate(),
    "EdDSA": lambda: ed25519.Ed25519PrivateKey.generate(),
    "ES256": lambda: ec.generate_private_key(ec.SECP256R1()),
    "ES384": lambda: ec.generate_private_key(ec.SECP384R1()),
    "RS256": lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048),
    "PS256": lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048),
}
"""Per JOSE algorithm, a key that signs with it."""


def sign(claims: dict[str, Any], private: Any, alg: str, kid: str | None = "key-1") -> str:
    """A compact JWS made by PyJWT. ``Ed25519`` (RFC 9864's fully specified name) is not
    among PyJWT's algorithms; it is the same signature as ``EdDSA``, so it is registered
    with PyJWT's own Ed25519 implementation."""
    headers = {"kid": kid} if kid else {}
    api = pyjwt.PyJWS()
    if alg == "Ed25519":
        with contextlib.suppress(ValueError):  # a later PyJWT may know the name already
            api.register_algorithm("Ed25519", OKPAlgorithm())
    payload = json.dumps(claims).encode()
    token: str = api.encode(payload, pem(private), algorithm=alg, headers=headers)
    return token


@pytest.fixture(scope="module")
def credential_doc(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The tool's unsigned credential of Priya's review."""
    out = tmp_path_factory.mktemp("cred") / "priya.json"
    args = ["credential", str(PRIYA), *ISSUER, "--source", "review", "--output", str(out)]
    assert main(args) == 0
    doc: dict[str, Any] = json.loads(out.read_bytes())
    return doc


def vc2_claims(doc: dict[str, Any]) -> dict[str, Any]:
    """VC 2.0 / Open Badges 3.0 as the tool issues it: the payload is the credential."""
    from competency.outputs.credential import jwt_claims

    return jwt_claims(doc)


def vc11_claims(doc: dict[str, Any], *, lean: bool) -> dict[str, Any]:
    """VC 1.1 style, as the first Open Badges 3.0 texts and many issuers write it: the
    credential in a ``vc`` claim, with ``issuanceDate``; ``lean`` leaves out of it what the
    claims carry (VC 1.1 lets the claims stand for issuer, id, date and subject id)."""
    claims = vc2_claims(doc)
    vc = {k: v for k, v in doc.items() if k != "validFrom"}
    vc["@context"] = ["https://www.w3.org/2018/credentials/v1", *doc["@context"][1:]]
    vc["issuanceDate"] = doc["validFrom"]
    if lean:
        for name in ("issuer", "id", "issuanceDate"):
            vc.pop(name)
        vc["credentialSubject"] = {k: v for k, v in doc["credentialSubject"].items() if k != "id"}
    return {k: claims[k] for k in ("iss", "jti", "nbf", "sub")} | {"vc": vc}


def write_key(tmp_path: Path, private: Any, form: str, kid: str = "key-1") -> Path:
    """The public key as a verifier holds it: PEM, a JWK, or a JWK Set with another key."""
    path = tmp_path / f"public.{form}"
    if form == "pem":
        path.write_bytes(public_pem(private))
        return path
    jwk = {**jwk_of(private), "kid": kid}
    if form == "jwk":
        path.write_text(json.dumps(jwk))
    else:
        other = {**jwk_of(ec.generate_private_key(ec.SECP256R1())), "kid": "key-0"}
        path.write_text(json.dumps({"keys": [other, jwk]}))
    return path


def jwk_of(private: Any) -> dict[str, Any]:
    """The public JWK of ``private``, as PyJWT writes it."""
    public = private.public_key()
    if isinstance(private, ed25519.Ed25519PrivateKey):
        text = OKPAlgorithm.to_jwk(public)
    elif isinstance(private, ec.EllipticCurvePrivateKey):
        text = ECAlgorithm.to_jwk(public)
    else:
        text = RSAAlgorithm.to_jwk(public)
    jwk: dict[str, Any] = json.loads(text)
    return jwk


def verify(
    capsys: pytest.CaptureFixture[str], token: str, key: Path, tmp_path: Path
) -> tuple[int, str]:
    path = tmp_path / "token.jwt"
    path.write_text(token + "\n")
    code = main(["verify", str(path), "--key", str(key)])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, (captured.out + captured.err).strip()


@pytest.mark.parametrize("alg", KEYS)
@pytest.mark.parametrize("shape", ["vc2", "vc11", "vc11-lean"])
@pytest.mark.parametrize("form", ["pem", "jwk", "jwks"])
def test_a_credential_another_library_signed_verifies_in_every_valid_form(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    credential_doc: dict[str, Any],
    alg: str,
    shape: str,
    form: str,
) -> None:
    private = KEYS[alg]()
    claims = (
        vc2_claims(credential_doc)
        if shape == "vc2"
        else vc11_claims(credential_doc, lean=shape == "vc11-lean")
    )
    token = sign(claims, private, alg)
    assert pyjwt.get_unverified_header(token)["alg"] == alg
    key = write_key(tmp_path, private, form)
    code, out = verify(capsys, token, key, tmp_path)
    assert code == 0, out
    style = " (VC 1.1 style: the credential in its vc claim)" if shape != "vc2" else ""
    named = "key-1" if form != "pem" else load_public_key(str(key)).kid  # a PEM's thumbprint
    achievement = credential_doc["credentialSubject"]["achievement"]["name"]
    assert out == (
        f"{tmp_path / 'token.jwt'}: VERIFIED: an Open Badges credential{style} signed by "
        f"this key ({named}), not changed since; issued by https://library.example.org on "
        f"{credential_doc['validFrom']} for {achievement}"
    )
    # One character of the payload changed: EDITED when the kid names the key.
    head, body, signature = token.split(".")
    changed = body[:30] + ("A" if body[30] != "A" else "B") + body[31:]
    code, out = verify(capsys, f"{head}.{changed}.{signature}", key, tmp_path)
    if form == "pem":  # a PEM names no key: a bad signature is another key's, for all we know
        assert code == 3 and "WRONG KEY" in out, out
    else:
        assert code == 1 and "EDITED: it names this key" in out, out


@pytest.mark.parametrize(
    ("alg", "words"),
    [
        ("HS256", '("HS256") is not one competency checks'),
        ("none", '("none") is not one competency checks'),
        ("ES256K", '("ES256K") is not one competency checks'),
    ],
)
def test_a_token_with_an_algorithm_the_tool_does_not_check_is_cannot_check(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    credential_doc: dict[str, Any],
    alg: str,
    words: str,
) -> None:
    private = ed25519.Ed25519PrivateKey.generate()
    key = write_key(tmp_path, private, "jwk")
    claims = vc2_claims(credential_doc)
    if alg == "HS256":  # the public key's bytes as an HMAC secret: the classic confusion
        token = pyjwt.encode(
            claims,
            "a secret of thirty-two bytes or more",
            algorithm="HS256",
            headers={"kid": "key-1"},
        )
    elif alg == "none":
        token = pyjwt.encode(claims, None, algorithm="none", headers={"kid": "key-1"})
    else:
        secp256k1 = ec.generate_private_key(ec.SECP256K1())
        token = pyjwt.encode(claims, pem(secp256k1), algorithm=alg, headers={"kid": "key-1"})
    code, out = verify(capsys, token, key, tmp_path)
    assert code == 2, out
    assert words in out and "this is no verdict on the file" in out
    assert "EDITED" not in out and "VERIFIED" not in out


def test_a_made_up_algorithm_is_cannot_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], credential_doc: dict[str, Any]
) -> None:
    private = ed25519.Ed25519PrivateKey.generate()
    token = sign(vc2_claims(credential_doc), private, "EdDSA")
    _, body, signature = token.split(".")

    made_up = base64.urlsafe_b64encode(b'{"alg":"Ed25519ph","kid":"key-1","typ":"JWT"}')
    token = f"{made_up.rstrip(b'=').decode()}.{body}.{signature}"
    code, out = verify(capsys, token, write_key(tmp_path, private, "jwk"), tmp_path)
    assert code == 2 and '("Ed25519ph") is not one competency checks' in out, out


@pytest.mark.parametrize(
    ("claims", "words"),
    [
        ({"sub": "someone", "scope": "read"}, "it is not an Open Badges credential"),
        ({"vc": "a string"}, "its vc claim is not an object"),
        (
            {"vc": {"type": ["VerifiableCredential"], "credentialSubject": {}}},
            "it is not an Open Badges credential",
        ),
    ],
    ids=["access-token", "vc-string", "plain-vc"],
)
def test_a_signed_token_of_an_unknown_shape_is_cannot_check_never_edited(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], claims: dict[str, Any], words: str
) -> None:
    private = ec.generate_private_key(ec.SECP256R1())
    token = sign(claims, private, "ES256")
    code, out = verify(capsys, token, write_key(tmp_path, private, "jwk"), tmp_path)
    assert code == 2, out
    assert "cannot check it as a credential: signed by this key (key-1)" in out
    assert words in out and "EDITED" not in out


def test_vc11_claims_that_disagree_with_the_credential_are_invalid_not_edited(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], credential_doc: dict[str, Any]
) -> None:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    claims = vc11_claims(credential_doc, lean=False)
    claims["iss"] = "https://elsewhere.example"
    token = sign(claims, private, "RS256")
    code, out = verify(capsys, token, write_key(tmp_path, private, "jwk"), tmp_path)
    assert code == 1, out
    assert "INVALID: signed by this key (key-1), but its iss claim is missing or not the " in out
    assert "EDITED" not in out


def test_a_jwk_set_picks_the_key_its_kid_names_and_says_so_when_none_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], credential_doc: dict[str, Any]
) -> None:
    private = ec.generate_private_key(ec.SECP256R1())
    key = write_key(tmp_path, private, "jwks")
    token = sign(vc2_claims(credential_doc), private, "ES256", kid="key-1")
    assert verify(capsys, token, key, tmp_path)[0] == 0
    stranger = ec.generate_private_key(ec.SECP256R1())
    token = sign(vc2_claims(credential_doc), stranger, "ES256", kid="key-9")
    code, out = verify(capsys, token, key, tmp_path)
    assert code == 3, out
    assert f"WRONG KEY: signed by key key-9, not by any of the 2 keys in {key}" in out


@pytest.mark.filterwarnings("ignore:The RSA key is 1024 bits")
def test_a_short_rsa_key_is_refused_as_a_key_not_called_a_verdict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], credential_doc: dict[str, Any]
) -> None:
    private = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    token = pyjwt.encode(vc2_claims(credential_doc), pem(private), algorithm="RS256")
    key = write_key(tmp_path, private, "pem")
    code, out = verify(capsys, token, key, tmp_path)
    assert code == 2, out
    assert out == (
        f"competency: {key}: an RSA key of 1024 bits; competency uses RSA keys of 2048 bits or more"
    )


def test_a_jwk_set_with_keys_for_other_uses_checks_with_the_signing_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], credential_doc: dict[str, Any]
) -> None:
    """A real issuer's set may also hold encryption keys, or kinds the tool does not
    check: those are left out; a kid with a terminal escape in it is shown harmlessly."""
    from cryptography.hazmat.primitives.asymmetric import x25519

    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    kid = "key-\x1b[31mred"
    signing = {**jwk_of(private), "kid": kid, "use": "sig"}
    encryption = {**jwk_of(rsa.generate_private_key(public_exponent=65537, key_size=2048))}
    encryption |= {"kid": "enc-1", "use": "enc"}
    raw = (
        x25519.X25519PrivateKey.generate()
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    agreement = {"kty": "OKP", "crv": "X25519", "x": base64.urlsafe_b64encode(raw).decode()}
    key = tmp_path / "issuer.json"
    key.write_text(json.dumps({"keys": [encryption, agreement, signing]}))
    token = sign(vc2_claims(credential_doc), private, "RS256", kid=kid)
    code, out = verify(capsys, token, key, tmp_path)
    assert code == 0, out
    assert "signed by this key (key-\\x1b[31mred)" in out and "\x1b" not in out
    key.write_text(json.dumps({"keys": [encryption]}))
    code, out = verify(capsys, token, key, tmp_path)
    assert code == 2 and "keys[0]: a key for encryption (use enc), not for signatures" in out


def test_a_token_carrying_its_key_in_a_jwk_header_verifies_with_the_key_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], credential_doc: dict[str, Any]
) -> None:
    """Open Badges 3.0 lets a header carry the key (``jwk``) instead of a ``kid``. The key
    in the header is never trusted: the one given with --key is what checks it."""
    private = ec.generate_private_key(ec.SECP256R1())
    claims = json.dumps(vc2_claims(credential_doc)).encode()
    headers = {"jwk": jwk_of(private)}
    token = pyjwt.PyJWS().encode(claims, pem(private), algorithm="ES256", headers=headers)
    assert "kid" not in pyjwt.get_unverified_header(token)
    code, out = verify(capsys, token, write_key(tmp_path, private, "pem"), tmp_path)
    assert code == 0 and "VERIFIED: an Open Badges credential" in out, out
    # The same header naming the key, with a stranger's key given: another key signed it.
    stranger = write_key(tmp_path, ec.generate_private_key(ec.SECP256R1()), "jwk")
    code, out = verify(capsys, token, stranger, tmp_path)
    assert code == 3 and "WRONG KEY: signed by another key" in out, out


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"exp": 1_000_000_000}, "it expired at 2001-09-09T01:46:40Z (its exp claim)"),
        ({"validUntil": "2020-01-01T00:00:00Z"}, "it expired at 2020-01-01T00:00:00Z"),
        ({"exp": "tomorrow"}, "its exp claim is not a number of seconds"),
    ],
    ids=["exp", "validUntil", "exp-text"],
)
def test_an_expired_credential_is_invalid_and_one_valid_until_later_verifies(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    credential_doc: dict[str, Any],
    change: dict[str, Any],
    words: str,
) -> None:
    private = ec.generate_private_key(ec.SECP256R1())
    key = write_key(tmp_path, private, "jwk")
    code, out = verify(
        capsys, sign(vc2_claims(credential_doc) | change, private, "ES256"), key, tmp_path
    )
    assert code == 1 and f"INVALID: signed by this key (key-1), but {words}" in out, out
    later = {"exp": 4_102_444_800, "validUntil": "2100-01-01T00:00:00Z"}
    code, out = verify(
        capsys, sign(vc2_claims(credential_doc) | later, private, "ES256"), key, tmp_path
    )
    assert code == 0, out
