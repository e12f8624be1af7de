"""Key pairs, and the signatures the tool makes and checks with them.

None of the cryptography is written here: keys come from ``cryptography``, and every
signature is a JSON Web Signature (RFC 7515) made and checked by ``joserfc``. A key signs
with the one algorithm of its type (``KeyType``): RSA with ``RS256``, P-256 with ``ES256``,
Ed25519 with ``EdDSA`` (RFC 8037). So any JOSE library holding the public key can check
what the tool signs. Two forms:

- a JWT (``sign_jwt``): the compact JWS of a claims object, the VC-JWT of an Open Badges
  3.0 credential;
- a detached JWS (``sign_detached``): ``header..signature``, over bytes kept elsewhere,
  the signature a report carries over its own sealed body, and a reviewer's over the
  assessment they signed off.

The ``kid`` names the key by its JWK thumbprint (RFC 7638): as the URI of RFC 9278
(``urn:ietf:params:oauth:jwk-thumbprint:sha-256:...``), or, for a key its issuer publishes
(``keys new --url``, ``credential --key-url``), as ``URL#thumbprint``: the URL serves the
public JWK (``keys publish``), and the fragment says which key it must be.

Every signature is bound to the kind of thing it signs (``Kind``): its protected header's
``typ`` names the kind, ``verify`` requires the kind it was asked about, and the bytes a
report or review signature covers begin with a line naming the kind, so they are never
JSON that could be read as a credential. A signature of one kind offered as another is
``WRONG KIND``, never ``VERIFIED``.

A key file holds the private key as PEM (PKCS #8 as ``keys new`` writes it; the older
"RSA/EC PRIVATE KEY" forms OpenSSL writes load too), readable by its owner only. A key
made with a URL carries it on a line before the PEM block (``competency-key-url: URL``),
text RFC 7468 lets PEM readers skip: OpenSSL and ``cryptography`` read the file as before,
and a key file without that line (every key made before) is read as it always was. Beside
it, ``<name>.public.jwk`` and ``<name>.public.pem`` hold the public key to hand out.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from joserfc import jws, jwt
from joserfc.errors import BadSignatureError, DecodeError, InvalidPayloadError
from joserfc.jwk import ECKey, OctKey, OKPKey, RSAKey
from joserfc.jwk import import_key as import_jwk

from competency.errors import CompetencyError
from competency.files import read_input, write_new

Key = OKPKey | ECKey | RSAKey


@dataclass(frozen=True, slots=True)
class KeyType:
    """A type of key the tool signs or checks with, and the algorithms that go with it."""

    name: str
    """What ``keys new --type`` calls it."""
    label: str
    """What a person reads: ``RSA``, ``P-256``, ``Ed25519``."""
    alg: str
    """The JOSE algorithm the tool signs with."""
    checks: frozenset[str]
    """Every JOSE algorithm a signature by such a key may name (RFC 7518, 8037, 9864)."""


RSA = KeyType(
    "rsa", "RSA", "RS256", frozenset({"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"})
)
P256 = KeyType("p256", "P-256", "ES256", frozenset({"ES256"}))
ED25519 = KeyType("ed25519", "Ed25519", "EdDSA", frozenset({"EdDSA", "Ed25519"}))
"""Signs as ``EdDSA``, the name Open Badges 3.0 and most libraries (PyJWT among them) know;
checks the fully specified ``Ed25519`` of RFC 9864 too, the same signature."""
P384 = KeyType("p384", "P-384", "ES384", frozenset({"ES384"}))
P521 = KeyType("p521", "P-521", "ES512", frozenset({"ES512"}))

NEW_KEY_TYPES = {t.name: t for t in (RSA, P256, ED25519)}
"""What ``keys new`` makes, and what ``credential``, ``report`` and ``review`` sign with.
P-384 and P-521 keys are only checked, for signatures other tools make."""

DEFAULT_KEY_TYPE = RSA
"""RSA: Open Badges 3.0 says a VC-JWT's ``alg`` MUST be RS256 "as a minimum" (every
verifier supports it; others "limit interoperability"), and 1EdTech's validator accepts
RS256 and ES256 only."""

CHECKED_ALGS = frozenset().union(*(t.checks for t in (RSA, P256, P384, P521, ED25519)))

RSA_MIN_BITS = 2048
"""RFC 7518 section 3.3: 2048 bits or larger MUST be used with RS256."""
RSA_MAX_BITS = 8192
"""Making a larger key takes minutes; no standard asks for one."""

ALG = ED25519.alg
"""The algorithm of Ed25519 keys, which the tool signed with alone before key types."""

KID_PREFIX = "urn:ietf:params:oauth:jwk-thumbprint:sha-256:"
"""A key's ``kid``: its RFC 7638 thumbprint as an RFC 9278 URI, the same for everyone."""

URL_LINE = "competency-key-url: "
"""Starts the line of a key file that names the URL its public key is published at."""

MAX_URL_CHARS = 512
"""A protected header stays well under ``MAX_HEADER_BYTES`` with a URL this long."""

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
    type: KeyType = DEFAULT_KEY_TYPE


@dataclass(frozen=True, slots=True)
class SigningKey:
    """A private key loaded for signing."""

    key: Key
    kid: str
    type: KeyType = ED25519

    @property
    def alg(self) -> str:
        return self.type.alg


@dataclass(frozen=True, slots=True)
class OneKey:
    """One public key loaded for checking signatures."""

    key: Key
    kid: str
    """What the key is called: the ``kid`` its JWK gives it, else its thumbprint URN."""
    thumbprint: str
    type: KeyType

    def is_named(self, kid: object) -> bool:
        """``kid`` names this key: its own name, its thumbprint URN, or ``URL#thumbprint``."""
        if not isinstance(kid, str):
            return False
        return kid in (self.kid, KID_PREFIX + self.thumbprint) or (
            kid.endswith("#" + self.thumbprint)
        )


@dataclass(frozen=True, slots=True)
class PublicKey:
    """The public keys of a ``--key`` file: one (a PEM or JWK), or a JWK Set's."""

    keys: tuple[OneKey, ...]
    source: str

    @property
    def kid(self) -> str:
        """The key's name; of a set, its keys' names."""
        return ", ".join(k.kid for k in self.keys)

    @property
    def key(self) -> Key:
        return self.keys[0].key

    def named(self, kid: object) -> OneKey | None:
        return next((k for k in self.keys if k.is_named(kid)), None)

    def describe(self) -> str:
        """How ``verify`` names what it checked with."""
        if len(self.keys) == 1:
            return f"this key ({self.keys[0].kid})"
        return f"any of the {len(self.keys)} keys in {self.source}"


def public_paths(keyfile: Path) -> tuple[Path, Path]:
    """Where the public JWK and PEM of ``keyfile`` go: ``issuer.key`` -> ``issuer.public.*``."""
    stem = keyfile.stem if keyfile.suffix else keyfile.name
    return keyfile.with_name(f"{stem}.public.jwk"), keyfile.with_name(f"{stem}.public.pem")


def key_id(key: Key, url: str | None = None) -> str:
    """The ``kid`` of ``key``: ``URL#thumbprint`` when published at ``url``, else the URN."""
    thumbprint = key.thumbprint()
    return f"{url}#{thumbprint}" if url else KID_PREFIX + thumbprint


def key_url(text: str) -> str:
    """``--url``, ``--key-url``: where the issuer publishes the public key (an http(s) URL,
    no fragment: the tool adds the key's thumbprint as one)."""
    parts = urlsplit(text)
    if parts.scheme not in ("https", "http") or not parts.netloc or any(c.isspace() for c in text):
        raise ValueError(
            f"{text!r} is not an http(s) URL, e.g. https://library.example.org/keys/issuer.json"
        )
    if "#" in text:
        raise ValueError(
            f"{text!r} has a #fragment; give the URL alone (the key's thumbprint becomes "
            "its fragment)"
        )
    if len(text) > MAX_URL_CHARS:
        raise ValueError(f"is longer than {MAX_URL_CHARS} characters")
    return text


def _key_type(public: object, source: str) -> KeyType:
    """The type of a ``cryptography`` public key, or one line saying why it is none of ours."""
    if isinstance(public, ed25519.Ed25519PublicKey):
        return ED25519
    if isinstance(public, ec.EllipticCurvePublicKey):
        curves = {"secp256r1": P256, "secp384r1": P384, "secp521r1": P521}
        found = curves.get(public.curve.name)
        if found is None:
            raise KeyFileError(
                f"an elliptic-curve key on {public.curve.name}, which competency does not "
                "check (P-256, P-384, P-521)",
                source=source,
            )
        return found
    if isinstance(public, rsa.RSAPublicKey):
        if public.key_size < RSA_MIN_BITS:
            raise KeyFileError(
                f"an RSA key of {public.key_size} bits; competency uses RSA keys of "
                f"{RSA_MIN_BITS} bits or more",
                source=source,
            )
        return RSA
    raise KeyFileError(
        "not a key type competency signs or checks with (RSA, P-256, Ed25519)", source=source
    )


def _jose_key(pem: bytes, kind: KeyType) -> Key:
    if kind is RSA:
        return RSAKey.import_key(pem)
    if kind is ED25519:
        return OKPKey.import_key(pem)
    return ECKey.import_key(pem)


def _public_pem(public: Any) -> bytes:
    pem: bytes = public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return pem


def new_key_pair(
    keyfile: Path,
    key_type: KeyType = DEFAULT_KEY_TYPE,
    *,
    bits: int = RSA_MIN_BITS,
    url: str | None = None,
) -> KeyPair:
    """Make a key pair: the private key at ``keyfile`` (mode 0600), public beside it.

    ``url`` is where its issuer will publish the public key (``keys publish``): the key's
    ``kid`` is then ``URL#thumbprint``, and the key file remembers the URL. Refuses to
    replace any existing file: losing a key is not undone.
    """
    if keyfile.name in ("", ".", "..") or keyfile.is_dir():
        raise KeyFileError(
            "is a folder; name the key file to write, e.g. --output keys/issuer.key",
            source=str(keyfile),
        )
    if key_type is RSA and not RSA_MIN_BITS <= bits <= RSA_MAX_BITS:
        raise KeyFileError(
            f"an RSA key of {bits} bits is refused: {RSA_MIN_BITS} to {RSA_MAX_BITS} (--bits)",
            source=str(keyfile),
        )
    jwk_path, pem_path = public_paths(keyfile)
    for path in (keyfile, jwk_path, pem_path):
        if path.exists() or path.is_symlink():
            raise KeyFileError("already exists; a key is never replaced", source=str(path))
    private: Any
    if key_type is RSA:
        private = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    elif key_type is P256:
        private = ec.generate_private_key(ec.SECP256R1())
    elif key_type is ED25519:
        private = ed25519.Ed25519PrivateKey.generate()
    else:
        raise KeyFileError(f"keys new does not make {key_type.label} keys", source=str(keyfile))
    private_pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    if url is not None:
        private_pem = f"{URL_LINE}{url}\n".encode() + private_pem
    public_pem = _public_pem(private.public_key())
    public = _jose_key(public_pem, key_type)
    kid = key_id(public, url)
    jwk_bytes = public_jwk_bytes(public, kid, key_type)
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
    return KeyPair(keyfile, jwk_path, pem_path, kid, key_type)


def public_jwk(key: Key, kid: str, key_type: KeyType) -> dict[str, Any]:
    """The public JWK to hand out or publish: the key, its ``kid``, ``alg`` and ``use``."""
    members = key.as_dict(private=False)
    return {"kty": members["kty"], **members, "kid": kid, "alg": key_type.alg, "use": "sig"}


def public_jwk_bytes(key: Key, kid: str, key_type: KeyType) -> bytes:
    return (json.dumps(public_jwk(key, kid, key_type), indent=2) + "\n").encode()


def _url_in(data: bytes, source: str) -> str | None:
    """The URL a key file names before its PEM block, if any."""
    head = data.split(b"-----BEGIN", 1)[0].decode("utf-8", errors="replace")
    for line in head.splitlines():
        if line.startswith(URL_LINE):
            try:
                return key_url(line[len(URL_LINE) :].strip())
            except ValueError as exc:
                raise KeyFileError(f"its {URL_LINE.strip()} line: {exc}", source=source) from None
    return None


def load_signing_key(path: str, url: str | None = None) -> SigningKey:
    """The private key in ``path`` (as ``keys new`` writes it), or one line saying why not.

    Its ``kid`` is ``URL#thumbprint`` when ``url`` is given (``--key-url``) or the file
    names one, else the thumbprint URN.
    """
    data = read_input(Path(path), KeyFileError, MAX_KEY_BYTES)
    try:
        private = serialization.load_pem_private_key(data, password=None)
    except TypeError:
        raise KeyFileError(
            "a private key protected by a password; competency reads unprotected PEM keys "
            "(as keys new writes them)",
            source=path,
        ) from None
    except (ValueError, binascii.Error):
        message = "not a private key (PEM)"
        if b"PUBLIC KEY" in data or data.lstrip().startswith(b"{"):
            message += (
                "; sign with the key file `competency keys new` wrote, not its .public.pem "
                "or .public.jwk"
            )
        raise KeyFileError(message, source=path) from None
    except Exception:  # cryptography raises others for unsupported keys
        raise KeyFileError("not a private key competency can read (PEM)", source=path) from None
    key_type = _key_type(private.public_key(), path)
    if key_type.name not in NEW_KEY_TYPES:
        raise KeyFileError(
            f"a {key_type.label} key; competency signs with RSA, P-256 or Ed25519 keys", source=path
        )
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    key = _jose_key(pem, key_type)
    public = _jose_key(_public_pem(private.public_key()), key_type)
    return SigningKey(key, key_id(public, url or _url_in(data, path)), key_type)


_PRIVATE_MEMBERS = frozenset({"d", "p", "q", "dp", "dq", "qi", "oth"})


def _one_public(doc: object, source: str) -> OneKey:
    """One public key from a JWK object (private members are dropped, never used)."""
    if not isinstance(doc, dict):
        raise KeyFileError("not a public key (a JWK, a JWK Set or PEM)", source=source)
    if doc.get("use", "sig") != "sig":
        raise KeyFileError("a key for encryption (use enc), not for signatures", source=source)
    public_doc = {k: v for k, v in doc.items() if k not in _PRIVATE_MEMBERS}
    if public_doc.get("kty") not in ("RSA", "EC", "OKP"):
        raise KeyFileError(
            "not a public key (a JWK, a JWK Set or PEM): its kty is none of RSA, EC, OKP",
            source=source,
        )
    try:
        imported = import_jwk(public_doc)
        assert not isinstance(imported, OctKey)
        pem = imported.as_pem(private=False)
        public = serialization.load_pem_public_key(pem)
    except Exception:  # any failure of a crafted JWK is a refusal, never a traceback
        raise KeyFileError("not a public key (a JWK, a JWK Set or PEM)", source=source) from None
    key_type = _key_type(public, source)
    key = _jose_key(pem, key_type)
    thumbprint = key.thumbprint()
    kid = doc.get("kid")
    return OneKey(
        key, kid if isinstance(kid, str) and kid else KID_PREFIX + thumbprint, thumbprint, key_type
    )


def load_public_key(path: str) -> PublicKey:
    """The public keys in ``path``: a JWK, a JWK Set (``{"keys": [...]}``) or PEM (a private
    key file gives its public half)."""
    data = read_input(Path(path), KeyFileError, MAX_KEY_BYTES)
    text = data.decode("utf-8", errors="replace").strip()
    if text.startswith("{"):
        try:
            doc = json.loads(text)
        except (ValueError, RecursionError):
            raise KeyFileError("not a public key (a JWK, a JWK Set or PEM)", source=path) from None
        if isinstance(doc, dict) and "keys" in doc:
            listed = doc["keys"]
            if not isinstance(listed, list) or not listed:
                raise KeyFileError("a JWK Set with no keys", source=path)
            # A set may hold keys for other uses (encryption, X25519): those are left out;
            # a set with no key to check signatures with is refused.
            found, refusals = [], []
            for n, item in enumerate(listed):
                try:
                    found.append(_one_public(item, path))
                except KeyFileError as exc:
                    refusals.append(f"keys[{n}]: {exc.message}")
            if not found:
                raise KeyFileError(refusals[0], source=path)
            return PublicKey(tuple(found), path)
        return PublicKey((_one_public(doc, path),), path)
    public: Any
    try:
        public = serialization.load_pem_public_key(data)
    except (ValueError, TypeError, binascii.Error):
        try:
            public = serialization.load_pem_private_key(data, password=None).public_key()
        except Exception:  # any failure: not a key we can read
            raise KeyFileError("not a public key (a JWK, a JWK Set or PEM)", source=path) from None
    except Exception:  # cryptography raises others for unsupported keys
        raise KeyFileError("not a public key (a JWK, a JWK Set or PEM)", source=path) from None
    key_type = _key_type(public, path)
    key = _jose_key(_public_pem(public), key_type)
    url = _url_in(data, path)
    return PublicKey((OneKey(key, key_id(key, url), key.thumbprint(), key_type),), path)


@contextlib.contextmanager
def _eddsa() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="EdDSA is deprecated")
        yield


class CannotCheck(CompetencyError):
    """A signature that cannot be checked here: never a verdict on the file itself.

    The JOSE library failed in a way that is not a bad signature (an old version's
    ``TypeError``, a size cap), the signature's header cannot be read at all, or it names
    an algorithm the tool does not check (``HS256``, ``none``, one it has never heard of).
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
"""The tool's headers are about 100 bytes, up to about 650 with the longest kid URL
(``MAX_URL_CHARS``)."""


class _Registry(jws.JWSRegistry):
    # joserfc caps a payload at 128,000 bytes: a report of a large framework is bigger, and
    # the cap is not a verdict on the signature. The file itself is capped when read.
    max_payload_length = MAX_TOKEN_BYTES
    # And a header at 512 bytes, a signature at 1,024 (base64url): a kid of a URL as long
    # as --url allows, or an 8192-bit RSA signature (1,366), is more. header_of caps both.
    max_header_length = MAX_HEADER_BYTES * 4 // 3 + 4
    max_signature_length = 2048


@dataclass(frozen=True, slots=True)
class Check:
    """What checking one signature found."""

    verdict: Verdict
    signed_as: str | None = None
    """For ``WRONG_KIND``: the kind the signature says it is, or None when it names none."""
    legacy: bool = False
    """VERIFIED as a signature made before kinds were bound (see ``Kind.legacy``)."""
    payload: bytes = b""
    key: OneKey | None = field(default=None, compare=False)
    """The key that verified it, or that its ``kid`` names."""


def sign_jwt(claims: dict[str, Any], key: SigningKey) -> str:
    """A compact JWS of ``claims`` (a JWT) with the key's algorithm, ``typ`` JWT, its id."""
    header = {"alg": key.alg, "kid": key.kid, "typ": CREDENTIAL.typ}
    with _eddsa():
        return jwt.encode(header, claims, key.key, algorithms=[key.alg])


def sign_detached(payload: bytes, key: SigningKey, kind: Kind) -> str:
    """A JWS of ``kind`` over ``payload`` in compact form, the payload left out:
    ``header..sig``. The header names the kind, and the kind's prefix is signed too."""
    header = {"alg": key.alg, "kid": key.kid, "typ": kind.typ}
    with _eddsa():
        token = jws.serialize_compact(header, kind.prefix + payload, key.key, algorithms=[key.alg])
    detached: str = jws.detach_content(token)
    return detached


def header_of(token: str) -> dict[str, Any] | None:
    """A compact JWS's protected header, or None when it cannot be read.

    Only a header of at most ``MAX_HEADER_BYTES`` is read, and only one nested no deeper
    than the standards make headers: values, or objects and lists of values (a ``jwk``,
    a ``crit`` list). A ``kid`` may hold any character, ``[`` and ``{`` too (an IPv6 URL).
    """
    first = token.split(".", 1)[0]
    if len(first) > MAX_HEADER_BYTES * 4 // 3 + 4:
        return None
    try:
        raw = base64.urlsafe_b64decode(first + "=" * (-len(first) % 4))
        header = json.loads(raw)
    except (binascii.Error, ValueError, RecursionError):
        return None
    if not isinstance(header, dict) or not all(map(_shallow, header.values())):
        return None
    return header


def _shallow(value: object) -> bool:
    """A header value: a scalar, or an object or list of scalars."""
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return not any(isinstance(member, dict | list) for member in value)
    return True


def _check(token: str, public: PublicKey, kind: Kind, payload: bytes | None) -> Check:
    header = header_of(token)
    if header is None:
        raise CannotCheck("its signature's header is not one a JOSE library can read")
    typ = header.get("typ")
    legacy = typ is None and kind.legacy
    if typ != kind.typ and not legacy:
        signed_as = next((k.name for k in KINDS if k.typ == typ), None)
        return Check(Verdict.WRONG_KIND, signed_as=signed_as)
    alg = header.get("alg")
    if not isinstance(alg, str) or alg not in CHECKED_ALGS:
        shown = json.dumps(alg)[:40] if alg is not None else "none named"
        raise CannotCheck(
            f"its signature's algorithm ({shown}) is not one competency checks "
            f"({', '.join(sorted(CHECKED_ALGS))}); this is no verdict on the file"
        )
    if payload is not None and not legacy:
        payload = kind.prefix + payload
    named = public.named(header.get("kid"))
    if named is not None and alg not in named.type.checks:
        # It names this key, with an algorithm this key never signs with.
        return Check(Verdict.EDITED, key=named)
    candidates = [named] if named else [k for k in public.keys if alg in k.type.checks]
    registry = _Registry(algorithms=[alg])
    for candidate in candidates:
        try:
            with _eddsa():
                found = jws.deserialize_compact(
                    token, candidate.key, algorithms=[alg], registry=registry, payload=payload
                )
        except BadSignatureError:
            continue
        except (DecodeError, InvalidPayloadError, binascii.Error):
            break  # the token itself is damaged: not what the key signed, whatever the key
        except Exception as exc:  # any other failure is the library's, not the file's
            raise CannotCheck(_library_failure(exc)) from None
        return Check(Verdict.VERIFIED, legacy=legacy, payload=found.payload, key=candidate)
    return Check(Verdict.EDITED if named else Verdict.WRONG_KEY, key=named)


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


def published_jwks(path: str, url: str | None = None) -> list[dict[str, Any]]:
    """The public JWK of each key in ``path`` (a key file, a public JWK, JWK Set or PEM),
    as ``keys publish`` writes them: with the ``kid`` the key signs with, or
    ``URL#thumbprint`` for ``url``. Never a private member."""
    public = load_public_key(path)
    return [
        public_jwk(one.key, key_id(one.key, url) if url else one.kid, one.type)
        for one in public.keys
    ]
