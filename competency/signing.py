"""Ed25519 key pairs, and the signatures the tool makes and checks with them.

None of the cryptography is written here: keys come from ``cryptography``, and every
signature is a JSON Web Signature (RFC 7515) made and checked by ``joserfc``, with
``alg`` ``EdDSA`` (RFC 8037) and a ``kid`` naming the key by its JWK thumbprint
(RFC 7638, as the URI of RFC 9278). So any JOSE library holding the public key can check
what the tool signs. Two forms:

- a JWT (``sign_jwt``): the compact JWS of a claims object, the VC-JWT of an Open Badges
  3.0 credential;
- a detached JWS (``sign_detached``): ``header..signature``, over bytes kept elsewhere,
  the signature a report carries over its own sealed body.

A key file holds the private key as PKCS #8 PEM, readable by its owner only; beside it,
``<name>.public.jwk`` and ``<name>.public.pem`` hold the public key to hand out.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey

from competency.errors import CompetencyError
from competency.files import read_input, write_new

ALG = "EdDSA"
"""The JOSE algorithm name the Open Badges 3.0 specification and the issue ask for.
RFC 9864 (2025) prefers the fully specified ``Ed25519``, the same signature; joserfc warns
about ``EdDSA`` and that warning is silenced here, as the name is chosen on purpose."""

KID_PREFIX = "urn:ietf:params:oauth:jwk-thumbprint:sha-256:"
"""A key's ``kid``: its RFC 7638 thumbprint as an RFC 9278 URI, the same for everyone."""

MAX_KEY_BYTES = 64 * 1024
MAX_TOKEN_BYTES = 10 * 1024 * 1024


class KeyFileError(CompetencyError):
    """A key file that cannot be made, read or used."""


class Verdict(Enum):
    """What checking a signature found, in the words ``competency verify`` prints."""

    VERIFIED = "VERIFIED"
    """Signed by this key, and not changed since."""
    EDITED = "EDITED"
    """It names this key, but its content is not what the key signed."""
    WRONG_KEY = "WRONG KEY"
    """Signed by another key than this one."""
    NOT_SIGNED = "NOT SIGNED"
    """No signature where the tool writes one."""


@dataclass(frozen=True, slots=True)
class KeyPair:
    """Where ``new_key_pair`` wrote a key pair, and the key's id."""

    private: Path
    public_jwk: Path
    public_pem: Path
    kid: str


@dataclass(frozen=True, slots=True)
class SigningKey:
    """A private key loaded for signing."""

    key: OKPKey
    kid: str


@dataclass(frozen=True, slots=True)
class PublicKey:
    """A public key loaded for checking signatures."""

    key: OKPKey
    kid: str
    source: str


def public_paths(keyfile: Path) -> tuple[Path, Path]:
    """Where the public JWK and PEM of ``keyfile`` go: ``issuer.key`` -> ``issuer.public.*``."""
    stem = keyfile.stem if keyfile.suffix else keyfile.name
    return keyfile.with_name(f"{stem}.public.jwk"), keyfile.with_name(f"{stem}.public.pem")


def key_id(key: OKPKey) -> str:
    return KID_PREFIX + key.thumbprint()


def new_key_pair(keyfile: Path) -> KeyPair:
    """Make an Ed25519 key pair: the private key at ``keyfile`` (mode 0600), public beside it.

    Refuses to replace any existing file: losing a key is not undone.
    """
    jwk_path, pem_path = public_paths(keyfile)
    for path in (keyfile, jwk_path, pem_path):
        if path.exists() or path.is_symlink():
            raise KeyFileError("already exists; a key is never replaced", source=str(path))
    private = Ed25519PrivateKey.generate()
    private_pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    public = OKPKey.import_key(public_pem)
    kid = key_id(public)
    jwk = {**public.as_dict(private=False), "kid": kid, "alg": ALG, "use": "sig"}
    jwk_bytes = (json.dumps(jwk, indent=2) + "\n").encode()
    owner_only, readable = 0o600, 0o644
    for path, data, mode in (
        (keyfile, private_pem, owner_only),
        (jwk_path, jwk_bytes, readable),
        (pem_path, public_pem, readable),
    ):
        try:
            write_new(path, data, mode=mode)
        except FileExistsError:
            message = "already exists; a key is never replaced"
            raise KeyFileError(message, source=str(path)) from None
    return KeyPair(keyfile, jwk_path, pem_path, kid)


def load_signing_key(path: str) -> SigningKey:
    """The private key in ``path`` (as ``keys new`` writes it), or one line saying why not."""
    data = read_input(Path(path), KeyFileError, MAX_KEY_BYTES)
    try:
        key = OKPKey.import_key(data)
    except (JoseError, ValueError, TypeError):
        raise KeyFileError("not an Ed25519 private key (PEM)", source=path) from None
    if not key.is_private or key.as_dict().get("crv") != "Ed25519":
        raise KeyFileError(
            "not an Ed25519 private key; sign with the key file `competency keys new` "
            "wrote, not its .public.pem or .public.jwk",
            source=path,
        )
    public = OKPKey.import_key(key.as_dict(private=False))
    return SigningKey(key, key_id(public))


def load_public_key(path: str) -> PublicKey:
    """A public key from a JWK or PEM file (a private key file gives its public half)."""
    data = read_input(Path(path), KeyFileError, MAX_KEY_BYTES)
    text = data.decode("utf-8", errors="replace").strip()
    try:
        if text.startswith("{"):
            doc = json.loads(text)
            if not isinstance(doc, dict):
                raise ValueError
            doc = {k: v for k, v in doc.items() if k != "d"}
            key = OKPKey.import_key(doc)
        else:
            key = OKPKey.import_key(data)
    except (JoseError, ValueError, TypeError, KeyError):
        raise KeyFileError("not an Ed25519 public key (JWK or PEM)", source=path) from None
    if key.as_dict().get("crv") != "Ed25519":
        raise KeyFileError("not an Ed25519 key", source=path)
    public = OKPKey.import_key(key.as_dict(private=False))
    return PublicKey(public, key_id(public), path)


@contextlib.contextmanager
def _eddsa() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="EdDSA is deprecated")
        yield


def sign_jwt(claims: dict[str, Any], key: SigningKey) -> str:
    """A compact JWS of ``claims`` (a JWT), ``alg`` EdDSA, ``typ`` JWT, with the key's id."""
    header = {"alg": ALG, "kid": key.kid, "typ": "JWT"}
    with _eddsa():
        return jwt.encode(header, claims, key.key, algorithms=[ALG])


def sign_detached(payload: bytes, key: SigningKey) -> str:
    """A JWS over ``payload`` in compact form with the payload left out: ``header..sig``."""
    header = {"alg": ALG, "kid": key.kid}
    with _eddsa():
        token = jws.serialize_compact(header, payload, key.key, algorithms=[ALG])
    detached: str = jws.detach_content(token)
    return detached


def header_of(token: str) -> dict[str, Any] | None:
    """A compact JWS's protected header, or None when it cannot be read."""
    first = token.split(".", 1)[0]
    try:
        header = json.loads(base64.urlsafe_b64decode(first + "=" * (-len(first) % 4)))
    except (binascii.Error, ValueError):
        return None
    return header if isinstance(header, dict) else None


def _verdict(token: str, public: PublicKey, payload: bytes | None) -> tuple[Verdict, bytes]:
    header = header_of(token)
    try:
        with _eddsa():
            found = jws.deserialize_compact(token, public.key, algorithms=[ALG], payload=payload)
    except (JoseError, ValueError, TypeError, binascii.Error):
        named = header is not None and header.get("kid") == public.kid
        return (Verdict.EDITED if named else Verdict.WRONG_KEY), b""
    return Verdict.VERIFIED, found.payload


def verify_detached(token: str, payload: bytes, public: PublicKey) -> Verdict:
    """Whether ``token`` (``header..sig``) is this key's signature of ``payload``."""
    return _verdict(token, public, payload)[0]


def verify_jwt(token: str, public: PublicKey) -> tuple[Verdict, dict[str, Any] | None]:
    """Whether ``token`` is a JWT this key signed, and its claims when it is."""
    verdict, payload = _verdict(token, public, None)
    if verdict is not Verdict.VERIFIED:
        return verdict, None
    try:
        claims = json.loads(payload)
    except ValueError:
        return Verdict.EDITED, None
    return verdict, claims if isinstance(claims, dict) else None
