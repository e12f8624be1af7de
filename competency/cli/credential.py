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
            "Token proof of Open Badges 3.0: a compact JWS, alg EdDSA, with the key's id "
            "(kid), that any JOSE library holding the public key can check; "
            "`competency verify CRED --key PUBLIC` does.\n\n"
            "Exit status: 0 written; 1 the assessment was refused (or has no signed-off "
            "review for --source review); 2 bad option, framework or key."
        ),
        examples="""\
  competency credential assessments/priya.json --issuer-id https://library.example.org \\
      --issuer-name "Example Public Library" --output priya.credential.json
  competency keys new --output library.key
  competency credential priya.json --source review --key library.key \\
      --issuer-id https://library.example.org --issuer-name "Example Public Library" \\
      --output priya.jwt
  competency verify priya.jwt --key library.public.jwk""",
    )
    parser.add_argument("file", metavar="FILE", help="the assessment file")
    parser.add_argument(
        "--issuer-id", required=True, metavar="URL", type=_issuer_id, help="the issuer's URL"
    )
    parser.add_argument("--issuer-name", required=True, metavar="NAME", help="the issuer's name")
    parser.add_argument("--key", metavar="KEYFILE", help="sign it: write a VC-JWT")
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
    try:
        output = Output(args.output, "credential", "jwt" if args.key else "json", [args.file])
        key = load_signing_key(args.key) if args.key else None
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
