"""Ed25519 key pairs, and the signatures the tool makes and checks with them.

None of the cryptography is written here: keys come from ``cryptography``, and every
signature is a JSON Web Signature (RFC 7515) made and checked by ``joserfc``, with
``alg`` ``EdDSA`` (RFC 8037) and a ``kid`` naming the key by its JWK thumbprint
(RFC 7638, as the URI of RFC 9278). So any JOSE library holding the public key can check
what the tool signs. Two forms:

- a JWT (``sign_jwt``): the compact JWS of a claims object, the VC-JWT of an Open Badges
  3.0 credential;
- a detached JWS (``sign_detached``): ``header..signature``, over bytes kept elsewhere,
  the signature a report carries over its own sealed body, and a reviewer's over the
  assessment they signed off.

Every signature is bound to the kind of thing it signs (``Kind``): its protected header's
``typ`` names the kind, ``verify`` requires the kind it was asked about, and the bytes a
report or review signature covers begin with a line naming the kind, so they are never
JSON that could be read as a credential. A signature of one kind offered as another is
``WRONG KIND``, never ``VERIFIED``.

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
from joserfc.errors import BadSignatureError, DecodeError, InvalidPayloadError, JoseError
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
    WRONG_KIND = "WRONG KIND"
    """A signature of another kind of thing (a review's offered as a credential, say)."""


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
    if keyfile.name in ("", ".", "..") or keyfile.is_dir():
        raise KeyFileError(
            "is a folder; name the key file to write, e.g. --output keys/issuer.key",
            source=str(keyfile),
        )
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
    except (JoseError, ValueError, TypeError, KeyError, RecursionError):
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


class CannotCheck(CompetencyError):
    """A signature that cannot be checked here: never a verdict on the file itself.

    The JOSE library failed in a way that is not a bad signature (an old version's
    ``TypeError``, a size cap), or the signature's header cannot be read at all.
    """


@dataclass(frozen=True, slots=True)
class Kind:
    """One kind of thing the tool signs, bound into every signature of that kind.

    The protected header's ``typ`` names the kind, and ``verify`` requires it; a detached
    signature also signs ``prefix`` before the bytes kept elsewhere, so that what a report or
    a review signature covers is not JSON and cannot be read as a credential's claims.
    """

    name: str
    """What ``verify`` calls it: ``report``, ``review`` or ``credential``."""
    typ: str
    """The protected header's ``typ``."""
    prefix: bytes
    """Signed before a detached payload; empty for a JWT, whose claims are the payload."""
    legacy: bool
    """Signatures made before kinds were bound (no ``typ``, no prefix) still verify as this
    kind. Safe for reports and reviews: neither can pass for the other (a report's signed
    bytes always hold a line break and a review's canonical JSON never does), and a
    credential requires its own ``typ``."""


REPORT = Kind("report", "competency-report+jws", b"competency-report/1\n", legacy=True)
REVIEW = Kind("review", "competency-review+jws", b"competency-review/1\n", legacy=True)
CREDENTIAL = Kind("credential", "JWT", b"", legacy=False)
"""Open Badges 3.0 asks a VC-JWT's ``typ`` to be ``JWT``; only credentials carry it."""

KINDS = (REPORT, REVIEW, CREDENTIAL)

MAX_HEADER_BYTES = 1024
"""The tool's headers are about 200 bytes; joserfc refuses over 512 once decoded."""


class _Registry(jws.JWSRegistry):
    # joserfc caps a payload at 128,000 bytes: a report of a large framework is bigger, and
    # the cap is not a verdict on the signature. The file itself is capped when read.
    max_payload_length = MAX_TOKEN_BYTES


def _registry() -> jws.JWSRegistry:
    return _Registry(algorithms=[ALG])


@dataclass(frozen=True, slots=True)
class Check:
    """What checking one signature found."""

    verdict: Verdict
    signed_as: str | None = None
    """For ``WRONG_KIND``: the kind the signature says it is, or None when it names none."""
    legacy: bool = False
    """VERIFIED as a signature made before kinds were bound (see ``Kind.legacy``)."""
    payload: bytes = b""


def sign_jwt(claims: dict[str, Any], key: SigningKey) -> str:
    """A compact JWS of ``claims`` (a JWT), ``alg`` EdDSA, ``typ`` JWT, with the key's id."""
    header = {"alg": ALG, "kid": key.kid, "typ": CREDENTIAL.typ}
    with _eddsa():
        return jwt.encode(header, claims, key.key, algorithms=[ALG])


def sign_detached(payload: bytes, key: SigningKey, kind: Kind) -> str:
    """A JWS of ``kind`` over ``payload`` in compact form, the payload left out:
    ``header..sig``. The header names the kind, and the kind's prefix is signed too."""
    header = {"alg": ALG, "kid": key.kid, "typ": kind.typ}
    with _eddsa():
        token = jws.serialize_compact(header, kind.prefix + payload, key.key, algorithms=[ALG])
    detached: str = jws.detach_content(token)
    return detached


def header_of(token: str) -> dict[str, Any] | None:
    """A compact JWS's protected header, or None when it cannot be read.

    Only a flat object of the size the tool writes is read: a header is never parsed
    whole when it is large or nested (a 1,500-deep header would end in a RecursionError).
    """
    first = token.split(".", 1)[0]
    if len(first) > MAX_HEADER_BYTES * 4 // 3 + 4:
        return None
    try:
        raw = base64.urlsafe_b64decode(first + "=" * (-len(first) % 4))
        if raw.count(b"{") + raw.count(b"[") > 1:
            return None  # the tool's headers hold strings only
        header = json.loads(raw)
    except (binascii.Error, ValueError, RecursionError):
        return None
    return header if isinstance(header, dict) else None


def _check(token: str, public: PublicKey, kind: Kind, payload: bytes | None) -> Check:
    header = header_of(token)
    if header is None:
        raise CannotCheck("its signature's header is not one a JOSE library can read")
    typ = header.get("typ")
    legacy = typ is None and kind.legacy
    if typ != kind.typ and not legacy:
        signed_as = next((k.name for k in KINDS if k.typ == typ), None)
        return Check(Verdict.WRONG_KIND, signed_as=signed_as)
    if payload is not None and not legacy:
        payload = kind.prefix + payload
    named = header.get("kid") == public.kid
    try:
        with _eddsa():
            found = jws.deserialize_compact(
                token, public.key, algorithms=[ALG], registry=_registry(), payload=payload
            )
    except BadSignatureError:
        return Check(Verdict.EDITED if named else Verdict.WRONG_KEY)
    except (DecodeError, InvalidPayloadError, binascii.Error):
        # The token itself is damaged: not what the key signed, whatever the key.
        return Check(Verdict.EDITED if named else Verdict.WRONG_KEY)
    except Exception as exc:  # any other failure is the library's, not the file's
        raise CannotCheck(_library_failure(exc)) from None
    return Check(Verdict.VERIFIED, legacy=legacy, payload=found.payload)


def _library_failure(exc: Exception) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        joserfc = f"joserfc {version('joserfc')}"
    except PackageNotFoundError:  # pragma: no cover - imported above, so installed
        joserfc = "joserfc"
    detail = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
    reason = type(exc).__name__ + (f": {detail}" if detail else "")
    return (
        f"cannot check the signature: {joserfc} failed ({reason}); this is no verdict on "
        "the file. Install the joserfc version competency declares (pip install -U joserfc)"
    )


def verify_detached(token: str, payload: bytes, public: PublicKey, kind: Kind) -> Check:
    """Whether ``token`` (``header..sig``) is this key's signature of ``payload`` as ``kind``.

    Raises ``CannotCheck`` when the library, not the signature, fails.
    """
    return _check(token, public, kind, payload)


def verify_jwt(token: str, public: PublicKey) -> tuple[Check, dict[str, Any] | None]:
    """Whether ``token`` is a credential JWT this key signed, and its claims when it is."""
    check = _check(token, public, CREDENTIAL, None)
    if check.verdict is not Verdict.VERIFIED:
        return check, None
    try:
        claims = json.loads(check.payload)
    except (ValueError, RecursionError):
        return check, None
    return check, claims if isinstance(claims, dict) else None
