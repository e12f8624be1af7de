"""``competency keys new|publish``: key pairs for signing, and the public key to publish."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from competency.cli.common import add_command, cannot_run, error, paragraphs


def _url(text: str) -> str:
    from competency.signing import key_url

    try:
        return key_url(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def register(subparsers: Any) -> None:
    from competency.signing import DEFAULT_KEY_TYPE, NEW_KEY_TYPES, RSA_MIN_BITS

    examples = """\
  competency keys new --output ~/.config/competency/issuer.key
  competency keys new --output keys/library.key   # also keys/library.public.jwk, .pem
  competency keys new --output keys/library.key \\
      --url https://library.example.org/keys/library.json
  competency keys publish keys/library.key --output library.json   # put it at the URL
  competency keys new --type ed25519 --output keys/mine.key"""
    parser = add_command(
        subparsers,
        "keys",
        summary="make a key pair for signing reports and credentials, and publish its public key",
        description=paragraphs(
            "keys new makes a key pair: RSA (2048 bits, alg RS256; the default), P-256 "
            "(ES256) or Ed25519 (EdDSA), with --type. RSA is the default because Open "
            "Badges 3.0 asks every verifier for RS256 at a minimum, and 1EdTech's validator "
            "accepts RS256 and ES256 only. The private key goes to KEYFILE (PKCS #8 PEM, "
            "readable by its owner only: mode 0600); the public key goes beside it twice, "
            "as KEYFILE's name with .public.jwk (a JSON Web Key) and .public.pem. Existing "
            "files are never replaced; a missing folder is made, private to you (0700).\n\n"
            "Sign with the private key (`report --sign KEYFILE`, `credential --key "
            "KEYFILE`); hand out the public key, and check with it (`verify ... --key "
            "PUBLIC`). Keeping the private key safe is up to you: anyone who has it can "
            "sign in your name. The key's id (kid) is its JWK thumbprint; with --url, "
            "URL#thumbprint, where URL is where you will publish the public key: the key "
            "file remembers it, and every signature names it.\n\n"
            "keys publish writes the public JWK to put at that URL (a verifier fetches the "
            "kid's URL and finds the key there), or with --set a JWK Set of one or more "
            "keys. It never writes a private key.\n\n"
            "Exit status: 0 made; 2 cannot (a file exists, the folder is not writable, a "
            "bad key or option)."
        ),
        examples=examples,
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    new = actions.add_parser(
        "new",
        help="make a new key pair",
        description="Make a key pair: KEYFILE (private, 0600) and its public key beside it "
        "as KEYFILE-stem.public.jwk and .public.pem.",
        epilog="examples:\n" + examples + "\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    new.add_argument("--output", "-o", metavar="KEYFILE", required=True, help="the private key")
    new.add_argument(
        "--type",
        choices=list(NEW_KEY_TYPES),
        default=DEFAULT_KEY_TYPE.name,
        help="rsa (RS256; the default), p256 (ES256) or ed25519 (EdDSA)",
    )
    new.add_argument(
        "--bits",
        type=int,
        metavar="N",
        help=f"an RSA key's size (default and least: {RSA_MIN_BITS})",
    )
    new.add_argument(
        "--url",
        type=_url,
        metavar="URL",
        help="where you will publish the public key (keys publish): the kid is URL#thumbprint",
    )
    new.set_defaults(run=run)
    publish = actions.add_parser(
        "publish",
        help="write the public JWK (or JWK Set) to publish",
        description="Write the public key of KEY (a key file, its .public.jwk or .public.pem) "
        "as the JWK to publish at its URL, or with --set the JWK Set of every KEY given. "
        "Its kid is the one the key signs with: URL#thumbprint for a key made with --url "
        "(or given --url here), else the thumbprint URN.",
        epilog="examples:\n" + examples + "\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    publish.add_argument("key", metavar="KEY", nargs="+", help="a key file or public key")
    publish.add_argument(
        "--url",
        type=_url,
        metavar="URL",
        help="the URL the key is published at, for a key made without --url",
    )
    publish.add_argument(
        "--set", action="store_true", help='a JWK Set ({"keys": [...]}) rather than one JWK'
    )
    publish.add_argument(
        "--output", "-o", metavar="O", help="write to this file (atomically) instead of stdout"
    )
    publish.set_defaults(run=run_publish)


def run(args: argparse.Namespace) -> int:
    from competency.errors import CompetencyError
    from competency.signing import NEW_KEY_TYPES, RSA, RSA_MIN_BITS, new_key_pair
    from competency.text import terminal

    key_type = NEW_KEY_TYPES[args.type]
    if key_type is not RSA and args.bits is not None:
        error(f"--bits: only an RSA key has a size to choose; a {key_type.label} key's is fixed")
        return 2
    bits = RSA_MIN_BITS if args.bits is None else args.bits
    keyfile = Path(args.output)
    try:
        made = make_private_folders(keyfile.parent)
    except OSError as exc:
        error(f"{terminal(args.output)}: cannot make its folder ({exc.strerror or exc})")
        return 2
    try:
        pair = new_key_pair(keyfile, key_type, bits=bits, url=args.url)
    except CompetencyError as exc:
        return cannot_run(exc)
    except OSError as exc:
        error(f"{terminal(args.output)}: cannot write it ({exc.strerror or exc})")
        return 2
    size = f", {bits} bits" if key_type is RSA else ""
    print(f"private key: {terminal(str(pair.private))} (readable by you only; keep it safe)")
    print(f"public key:  {terminal(str(pair.public_jwk))}, {terminal(str(pair.public_pem))}")
    print(f"key type:    {key_type.label}{size}; signs with alg {key_type.alg}")
    print(f"key id:      {terminal(pair.kid)}")
    if args.url:
        print(
            f"publish:     competency keys publish {terminal(str(pair.private))} "
            f"--output FILE, then serve FILE at {terminal(args.url)}"
        )
    for folder in made:
        print(f"made folder: {terminal(str(folder))} (private: only you can open it)")
    return 0


def run_publish(args: argparse.Namespace) -> int:
    import json

    from competency.cli.common import binary_output_stream, cannot_write, check_output
    from competency.errors import CompetencyError
    from competency.signing import published_jwks

    try:
        check_output(args.output, args.key)
        keys = [jwk for path in args.key for jwk in published_jwks(path, args.url)]
    except CompetencyError as exc:
        return cannot_run(exc)
    if len(keys) > 1 and not args.set:
        error("keys publish: several keys make a JWK Set; add --set")
        return 2
    document: object = {"keys": keys} if args.set else keys[0]
    data = (json.dumps(document, indent=2) + "\n").encode()
    try:
        with binary_output_stream(args.output) as out:
            out.write(data)
    except OSError as exc:
        return cannot_write(exc, args.output)
    return 0


def make_private_folders(folder: Path) -> list[Path]:
    """Make ``folder`` and any missing parents, each new one readable by its owner only
    (0700): a private key's folder should not list it to others. Existing folders are left
    as they are. Returns the folders made, outermost first."""
    missing: list[Path] = []
    while not folder.exists():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    made: list[Path] = []
    for new in reversed(missing):
        new.mkdir(mode=0o700)
        made.append(new)
    return made
