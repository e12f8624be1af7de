"""``competency compare OLD NEW``: one person's progress between two cycles."""

from __future__ import annotations

import argparse
from typing import Any

from competency.cli.common import add_command, add_framework_options, add_threshold_option
from competency.cli.report import paragraphs
from competency.outputs import formats


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "compare",
        summary="one person's progress between two assessments",
        description=paragraphs(
            "Compare two assessments of one person on one framework: the level "
            "per area then and now, and every statement whose rating changed. Refused when "
            "the two files are on different frameworks (or different versions of its "
            "statements), or about different people (subject.id when both files have one, "
            "else subject.name).\n\n"
            "The output carries the digests of both assessments: `competency verify` checks "
            "it against either file.\n\n"
            "Exit status: 0 written; 1 a file was refused or the two cannot be compared; "
            "2 bad option or framework."
        ),
        examples="""\
  competency compare maya-2025.json maya-2026.json
  competency compare maya-2025.json maya-2026.json --format html --output progress.html
  competency compare old.json new.json --format json | jq .areas""",
    )
    parser.add_argument("old", metavar="OLD", help="the earlier assessment")
    parser.add_argument("new", metavar="NEW", help="the later assessment")
    add_framework_options(parser)
    add_threshold_option(parser)
    parser.add_argument(
        "--format", choices=formats("compare"), default="md", help="md (default), html or json"
    )
    parser.add_argument(
        "--output", metavar="O", help="write to this file (atomically) instead of stdout"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from competency.cli.common import (
        binary_output_stream,
        cannot_write,
        check_output,
        error,
        refused,
    )
    from competency.errors import CompetencyError
    from competency.framework.bundled import FrameworkResolver
    from competency.outputs import write
    from competency.outputs.compare import build_comparison, refuse_unless_comparable
    from competency.outputs.report import framework_for, read_assessment

    try:
        check_output(args.output, [args.old, args.new], framework=args.framework, areas=args.areas)
    except CompetencyError as exc:
        error(exc.line)
        return 2
    try:
        frameworks = FrameworkResolver(args.framework, args.areas)
        old, old_bytes = read_assessment(args.old)
        new, new_bytes = read_assessment(args.new)
        # Refuse two people or two frameworks before anything else can be said about them.
        refuse_unless_comparable(old, new, args.old, args.new)
        framework = framework_for(old, args.old, frameworks)
        framework_for(new, args.new, frameworks)
        comparison = build_comparison(
            old,
            new,
            framework,
            threshold=args.threshold,
            old_bytes=old_bytes,
            new_bytes=new_bytes,
            old_source=args.old,
            new_source=args.new,
        )
    except CompetencyError as exc:
        return refused(exc)
    try:
        with binary_output_stream(args.output) as out:
            write("compare", args.format, comparison, out)
    except OSError as exc:
        return cannot_write(exc, args.output)
    return 0
