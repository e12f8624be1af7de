"""`competency keys new`: a key pair a new user can make, hand out and sign with."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import jwt as pyjwt
import pytest

from competency.cli import main
from competency.signing import (
    ED25519,
    NEW_KEY_TYPES,
    P256,
    REPORT,
    REVIEW,
    RSA,
    KeyFileError,
    KeyType,
    Verdict,
    key_url,
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
    # RSA by default: the algorithm Open Badges 3.0 asks every verifier for (RS256).
    assert jwk["kty"] == "RSA" and jwk["alg"] == "RS256" and "d" not in jwk and "p" not in jwk
    assert "RSA, 2048 bits; signs with alg RS256" in out
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


@pytest.mark.parametrize("key_type", NEW_KEY_TYPES.values(), ids=lambda t: t.name)
def test_a_jwt_the_tool_signs_pyjwt_verifies_and_tampering_breaks(
    tmp_path: Path, key_type: KeyType
) -> None:
    pair = new_key_pair(tmp_path / "k.key", key_type)
    token = sign_jwt(
        {"iss": "https://library.example", "x": 1}, load_signing_key(str(pair.private))
    )
    public_pem = pair.public_pem.read_bytes()
    # PyJWT, not the library that signed, with the algorithm the key's type signs with.
    claims = pyjwt.decode(token, public_pem, algorithms=[key_type.alg])
    assert claims == {"iss": "https://library.example", "x": 1}
    header = pyjwt.get_unverified_header(token)
    assert header == {"alg": key_type.alg, "kid": pair.kid, "typ": "JWT"}
    public = load_public_key(str(pair.public_jwk))
    check, found = verify_jwt(token, public)
    assert (check.verdict, found) == (Verdict.VERIFIED, claims)
    head, body, sig = token.split(".")
    flipped = body[:5] + ("A" if body[5] != "A" else "B") + body[6:]
    assert verify_jwt(f"{head}.{flipped}.{sig}", public)[0].verdict is Verdict.EDITED
    other = new_key_pair(tmp_path / "other.key")
    wrong = verify_jwt(token, load_public_key(str(other.public_pem)))[0]
    assert wrong.verdict is Verdict.WRONG_KEY


@pytest.mark.parametrize("key_type", NEW_KEY_TYPES.values(), ids=lambda t: t.name)
def test_a_detached_signature_covers_exactly_its_bytes(tmp_path: Path, key_type: KeyType) -> None:
    pair = new_key_pair(tmp_path / "k.key", key_type)
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
        (b"", "not a private key"),
        (b"-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n", "not a private key"),
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


@pytest.mark.parametrize(
    ("key_type", "kty", "alg"),
    [(RSA, "RSA", "RS256"), (P256, "EC", "ES256"), (ED25519, "OKP", "EdDSA")],
    ids=lambda v: v.name if isinstance(v, KeyType) else v,
)
def test_keys_new_makes_each_type_and_signs_with_its_algorithm(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], key_type: KeyType, kty: str, alg: str
) -> None:
    keyfile = tmp_path / "k.key"
    assert main(["keys", "new", "--type", key_type.name, "--output", str(keyfile)]) == 0
    assert f"signs with alg {alg}" in capsys.readouterr().out
    jwk = json.loads((tmp_path / "k.public.jwk").read_text())
    assert (jwk["kty"], jwk["alg"], jwk["use"]) == (kty, alg, "sig")
    assert not {"d", "p", "q", "dp", "dq", "qi"} & set(jwk)
    key = load_signing_key(str(keyfile))
    assert (key.alg, key.kid) == (alg, jwk["kid"])


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["--bits", "1024"], "an RSA key of 1024 bits is refused: 2048 to 8192 (--bits)"),
        (["--bits", "2047"], "an RSA key of 2047 bits is refused: 2048 to 8192 (--bits)"),
        (["--type", "p256", "--bits", "4096"], "--bits: only an RSA key has a size to choose"),
    ],
)
def test_a_key_too_small_or_a_size_that_does_not_apply_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], line: str
) -> None:
    keyfile = tmp_path / "k.key"
    assert main(["keys", "new", "--output", str(keyfile), *args]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and line in err, err
    assert not list(tmp_path.iterdir())


def test_a_larger_rsa_key_signs_too(tmp_path: Path) -> None:
    pair = new_key_pair(tmp_path / "k.key", RSA, bits=3072)
    key = load_signing_key(str(pair.private))
    token = sign_jwt({"x": 1}, key)
    assert pyjwt.decode(token, pair.public_pem.read_bytes(), algorithms=["RS256"]) == {"x": 1}


def old_ed25519_key_file(folder: Path) -> tuple[Path, Path, str]:
    """A key pair exactly as `keys new` wrote it before key types: PKCS #8 PEM, and a JWK
    with the thumbprint URN as kid and alg EdDSA. Made here with cryptography alone, so
    the test holds whatever the tool now writes."""
    import base64
    import hashlib

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    private = Ed25519PrivateKey.generate()
    keyfile = folder / "old.key"
    keyfile.write_bytes(
        private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    raw = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    x = base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
    canonical = json.dumps({"crv": "Ed25519", "kty": "OKP", "x": x}, separators=(",", ":"))
    thumbprint = base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest())
    kid = "urn:ietf:params:oauth:jwk-thumbprint:sha-256:" + thumbprint.rstrip(b"=").decode()
    jwk_file = folder / "old.public.jwk"
    jwk = {"crv": "Ed25519", "x": x, "kty": "OKP", "kid": kid, "alg": "EdDSA", "use": "sig"}
    jwk_file.write_text(json.dumps(jwk, indent=2) + "\n")
    return keyfile, jwk_file, kid


def test_an_ed25519_key_made_before_key_types_signs_and_verifies_as_before(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    keyfile, jwk_file, kid = old_ed25519_key_file(tmp_path)
    key = load_signing_key(str(keyfile))
    assert (key.alg, key.kid) == ("EdDSA", kid)
    token = sign_jwt({"x": 1}, key)
    assert pyjwt.get_unverified_header(token) == {"alg": "EdDSA", "kid": kid, "typ": "JWT"}
    check, claims = verify_jwt(token, load_public_key(str(jwk_file)))
    assert (check.verdict, claims) == (Verdict.VERIFIED, {"x": 1})
    report = tmp_path / "r.md"
    priya = Path(__file__).parents[2] / "assessments" / "priya-raman-2026-10-12.json"
    assert (
        main(["report", str(priya), "--format", "md", "--sign", str(keyfile), "-o", str(report)])
        == 0
    )
    assert main(["verify", str(report), "--key", str(jwk_file)]) == 0
    assert f"signed by this key ({kid})" in capsys.readouterr().out


def test_a_key_made_with_a_url_names_it_in_every_signature_and_publishes_its_jwk(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import subprocess

    from cryptography.hazmat.primitives import serialization

    url = "https://library.example.org/keys/issuer.json"
    keyfile = tmp_path / "issuer.key"
    assert main(["keys", "new", "--type", "p256", "--url", url, "--output", str(keyfile)]) == 0
    capsys.readouterr()
    data = keyfile.read_bytes()
    assert data.startswith(f"competency-key-url: {url}\n-----BEGIN PRIVATE KEY-----".encode())
    serialization.load_pem_private_key(data, None)  # other PEM readers skip the line
    openssl = subprocess.run(["openssl", "pkey", "-in", str(keyfile), "-noout"], check=False)
    assert openssl.returncode == 0
    key = load_signing_key(str(keyfile))
    thumbprint = key.kid.rsplit("#", 1)[1]
    assert key.kid == f"{url}#{thumbprint}"
    detached = sign_detached(b"x", key, REPORT)  # a report's signature names it too
    assert pyjwt.get_unverified_header(detached.replace("..", ".e30."))["kid"] == key.kid
    published = tmp_path / "issuer.json"
    assert main(["keys", "publish", str(keyfile), "--output", str(published)]) == 0
    jwk = json.loads(published.read_text())
    assert jwk == json.loads((tmp_path / "issuer.public.jwk").read_text())
    assert jwk["kid"] == key.kid and "d" not in jwk
    # --key-url on a key made without one; a JWK Set of two keys.
    plain = new_key_pair(tmp_path / "plain.key", ED25519)
    other_url = "https://library.example.org/keys/2027.json"
    assert load_signing_key(str(plain.private), other_url).kid.startswith(other_url + "#")
    args = ["keys", "publish", str(keyfile), str(plain.private), "--url", other_url]
    assert main(args) == 2
    assert "several keys make a JWK Set; add --set" in capsys.readouterr().err
    assert main([*args, "--set"]) == 0
    keys = json.loads(capsys.readouterr().out)["keys"]
    assert [k["kid"].split("#")[0] for k in keys] == [other_url, other_url]
    assert [k["alg"] for k in keys] == ["ES256", "EdDSA"]


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("library.example.org/keys.json", "is not an http(s) URL"),
        ("https://library.example.org/keys.json#key-1", "has a #fragment"),
    ],
)
def test_a_bad_key_url_is_refused_before_any_key_is_made(
    tmp_path: Path, url: str, words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["keys", "new", "--url", url, "--output", str(tmp_path / "k.key")])
    assert exit_info.value.code == 2
    assert words in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_the_longest_key_url_allowed_still_makes_signatures_verify_reads(tmp_path: Path) -> None:
    """joserfc refuses a header over 512 bytes by default; a kid URL of the 512
    characters --url allows makes one of about 650, which verify must still read."""
    from competency.signing import MAX_URL_CHARS

    url = "https://library.example.org/" + "k" * (MAX_URL_CHARS - 33) + ".json"
    assert len(url) == MAX_URL_CHARS
    pair = new_key_pair(tmp_path / "k.key", P256, url=url)
    key, public = load_signing_key(str(pair.private)), load_public_key(str(pair.public_jwk))
    assert verify_jwt(sign_jwt({"x": 1}, key), public)[0].verdict is Verdict.VERIFIED
    token = sign_detached(b"report", key, REPORT)
    assert verify_detached(token, b"report", public, REPORT).verdict is Verdict.VERIFIED
    with pytest.raises(ValueError, match="longer than 512"):
        key_url(url + "x")
