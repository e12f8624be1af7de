"""``competency keys new --output KEYFILE``: an Ed25519 key pair for signing."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from competency.cli.common import add_command, cannot_run, error, paragraphs


def register(subparsers: Any) -> None:
    examples = """\
  competency keys new --output ~/.config/competency/issuer.key
  competency keys new --output keys/library.key   # also keys/library.public.jwk, .pem"""
    parser = add_command(
        subparsers,
        "keys",
        summary="make an Ed25519 key pair for signing reports and credentials",
        description=paragraphs(
            "keys new makes an Ed25519 key pair. The private key goes to KEYFILE (PKCS #8 "
            "PEM, readable by its owner only: mode 0600); the public key goes beside it "
            "twice, as KEYFILE's name with .public.jwk (a JSON Web Key) and .public.pem. "
            "Existing files are never replaced; a missing folder is made, private to you "
            "(0700).\n\n"
            "Sign with the private key (`report --sign KEYFILE`, `credential --key "
            "KEYFILE`); hand out the public key, and check with it (`verify ... --key "
            "PUBLIC`). Keeping the private key safe is up to you: anyone who has it can "
            "sign in your name. The key's id (kid) is its JWK thumbprint.\n\n"
            "Exit status: 0 made; 2 cannot (a file exists, or the folder is not writable)."
        ),
        examples=examples,
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    new = actions.add_parser(
        "new",
        help="make a new key pair",
        description="Make an Ed25519 key pair: KEYFILE (private, 0600) and its public "
        "key beside it as KEYFILE-stem.public.jwk and .public.pem.",
        epilog="examples:\n" + examples + "\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    new.add_argument("--output", "-o", metavar="KEYFILE", required=True, help="the private key")
    new.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from competency.errors import CompetencyError
    from competency.signing import new_key_pair
    from competency.text import terminal

    keyfile = Path(args.output)
    try:
        made = make_private_folders(keyfile.parent)
    except OSError as exc:
        error(f"{terminal(args.output)}: cannot make its folder ({exc.strerror or exc})")
        return 2
    try:
        pair = new_key_pair(keyfile)
    except CompetencyError as exc:
        return cannot_run(exc)
    except OSError as exc:
        error(f"{terminal(args.output)}: cannot write it ({exc.strerror or exc})")
        return 2
    print(f"private key: {terminal(str(pair.private))} (readable by you only; keep it safe)")
    print(f"public key:  {terminal(str(pair.public_jwk))}, {terminal(str(pair.public_pem))}")
    print(f"key id:      {pair.kid}")
    for folder in made:
        print(f"made folder: {terminal(str(folder))} (private: only you can open it)")
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
