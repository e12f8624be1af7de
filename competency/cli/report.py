"""``competency report FILE``: one person's report, in HTML, Markdown or JSON."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from competency.cli.common import (
    Output,
    add_command,
    add_framework_options,
    add_output_options,
    add_resources_option,
    add_threshold_option,
    cannot_run,
    paragraphs,
    refused,
)
from competency.errors import CompetencyError


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "report",
        summary="one person's report (HTML, Markdown, JSON)",
        description=paragraphs(
            "Write one person's report: the level per area and overall, why each "
            "level is what it is, what the next level asks for, a development plan, the "
            "evidence notes, and, when the assessment has a review, the reviewer's levels "
            "beside the self-assessed ones with every disagreement highlighted (2 or more "
            "apart, or n/a against a rating). With learning resources (--resources, or the "
            ".resources.toml beside the framework) each entry of the plan lists what helps "
            "with it, linked. An http or https address in a note is a link.\n\n"
            "html is one self-contained file (inline CSS and chart, nothing fetched from the "
            "network) that prints on A4 and Letter; md reads well on GitHub and GitLab; json "
            "carries the full scoring result for other tools. Every report carries the digest "
            "of the assessment file it was made from: `competency verify` checks it. With "
            "--sign KEYFILE the report also carries a signature over its content (RS256, ES256 "
            "or EdDSA, by key), "
            "which `competency verify REPORT --key PUBLIC` checks.\n\n"
            "Exit status: 0 written; 1 the assessment was refused; 2 bad option or framework."
        ),
        examples="""\
  competency report assessments/maya.json --format html --output maya.html
  competency report maya.json --format md > maya.md
  competency report maya.json --format json | jq .overall
  competency report maya.json --format html --framework my.json --areas my.areas.toml
  competency report maya.json --format html --sign library.key --output maya.html
  competency report maya.json --format html --resources courses.resources.toml""",
    )
    parser.add_argument("file", metavar="FILE", help="the assessment file")
    add_framework_options(parser)
    add_resources_option(parser)
    add_threshold_option(parser)
    add_output_options(parser, "report", formats_help="html, md (Markdown) or json")
    parser.add_argument(
        "--sign",
        metavar="KEYFILE",
        help="sign the report with this private key (from `competency keys new`)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from competency.framework.bundled import FrameworkResolver
    from competency.framework.resources import with_resources
    from competency.outputs.report import build_report
    from competency.storage import read_checked

    try:
        output = Output.of(args, "report", [args.file])
        sign = signer(args.sign) if args.sign else None
    except CompetencyError as exc:
        return cannot_run(exc)
    try:
        frameworks = FrameworkResolver(args.framework, args.areas, args.profiles)
        assessment, framework, data = read_checked(args.file, frameworks)
        framework = with_resources(framework, args.resources)
        report = build_report(assessment, framework, threshold=args.threshold, source_bytes=data)
    except CompetencyError as exc:
        return refused(exc)
    return output.emit(report, sign=sign)


def signer(keyfile: str) -> Callable[[bytes], str]:
    """A report's signer: the private key in ``keyfile``, loaded now so a bad key costs nothing."""
    from competency.signing import REPORT, load_signing_key, sign_detached

    key = load_signing_key(keyfile)
    return lambda body: sign_detached(body, key, REPORT)
