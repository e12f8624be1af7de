"""``competency credential FILE``: one assessment's levels as an Open Badges 3.0 credential."""

from __future__ import annotations

import argparse
from typing import Any

from competency.cli.common import (
    Output,
    add_command,
    add_framework_options,
    add_output_options,
    add_threshold_option,
    cannot_run,
    error,
    paragraphs,
    refused,
)
from competency.errors import CompetencyError


def _issuer_id(text: str) -> str:
    from competency.outputs.credential import issuer_url

    try:
        return issuer_url(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _key_url(text: str) -> str:
    from competency.signing import key_url

    try:
        return key_url(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "credential",
        summary="a person's levels as an Open Badges 3.0 credential (a VC-JWT when signed)",
        description=paragraphs(
            "Write an Open Badges 3.0 AchievementCredential (OpenBadgeCredential) of one "
            "assessment: the achievement is the framework, each area and the overall level "
            "is a rubric whose levels are the framework's, and each level reached is a "
            "result naming that level. An area not assessed, or below the first level, has "
            "no level achieved. The credential says whose ratings it states and the "
            "assessment's status; the person is identified by the name and id the "
            "assessment holds.\n\n"
            "--source self (the default) states the person's own ratings; --source review "
            "states the reviewer's, and only for a signed-off review. --issuer-id is the "
            "issuing organisation's URL and --issuer-name its name.\n\n"
            "Without --key the credential is JSON, unsigned: anyone could have written it. "
            "With --key KEYFILE (from `competency keys new`) it is a VC-JWT, the JSON Web "
            "Token proof of Open Badges 3.0: a compact JWS with the key's algorithm (RS256 "
            "for an RSA key, ES256 for P-256, EdDSA for Ed25519) and id (kid), that any JOSE "
            "library holding the public key can check; `competency verify CRED --key "
            "PUBLIC` does.\n\n"
            "The kid is the key's JWK thumbprint, or URL#thumbprint for a key made with "
            "`keys new --url URL` or signed with --key-url URL: the URL where the issuer "
            "publishes the public key (`keys publish`), which a verifier such as 1EdTech's "
            "fetches to find the key.\n\n"
            "Exit status: 0 written; 1 the assessment was refused (or has no signed-off "
            "review for --source review); 2 bad option, framework or key."
        ),
        examples="""\
  competency credential assessments/priya.json --issuer-id https://library.example.org \\
      --issuer-name "Example Public Library" --output priya.credential.json
  competency keys new --output library.key \\
      --url https://library.example.org/keys/library.json
  competency keys publish library.key --output library.json   # serve it at that URL
  competency credential priya.json --source review --key library.key \\
      --issuer-id https://library.example.org --issuer-name "Example Public Library" \\
      --output priya.jwt
  competency verify priya.jwt --key library.json""",
    )
    parser.add_argument("file", metavar="FILE", help="the assessment file")
    parser.add_argument(
        "--issuer-id", required=True, metavar="URL", type=_issuer_id, help="the issuer's URL"
    )
    parser.add_argument("--issuer-name", required=True, metavar="NAME", help="the issuer's name")
    parser.add_argument("--key", metavar="KEYFILE", help="sign it: write a VC-JWT")
    parser.add_argument(
        "--key-url",
        metavar="URL",
        type=_key_url,
        help="where the public key is published (keys publish): the kid becomes "
        "URL#thumbprint (default: the URL the key was made with, if any)",
    )
    parser.add_argument(
        "--source",
        choices=("self", "review"),
        default="self",
        help="whose ratings: the person's own (default) or the signed-off review's",
    )
    add_framework_options(parser)
    add_threshold_option(parser)
    add_output_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from competency.framework.bundled import FrameworkResolver
    from competency.outputs.credential import Credential, build_credential
    from competency.signing import load_signing_key
    from competency.storage import read_checked

    if not args.issuer_name.strip():
        error("--issuer-name: must not be empty")
        return 2
    if args.key_url and not args.key:
        error("--key-url: names where the signing key is published; give --key KEYFILE too")
        return 2
    try:
        output = Output(args.output, "credential", "jwt" if args.key else "json", [args.file])
        key = load_signing_key(args.key, args.key_url) if args.key else None
    except CompetencyError as exc:
        return cannot_run(exc)
    try:
        frameworks = FrameworkResolver(args.framework, args.areas, args.profiles)
        assessment, framework, _ = read_checked(args.file, frameworks)
        document = build_credential(
            assessment,
            framework,
            issuer_id=args.issuer_id,
            issuer_name=args.issuer_name,
            source=args.source,
            threshold=args.threshold,
            file=args.file,
        )
    except CompetencyError as exc:
        return refused(exc)
    return output.emit(Credential(document, key))
