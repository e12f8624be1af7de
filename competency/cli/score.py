"""``competency score PATH...``: score assessment files in batch (SPEC 5)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from competency.cli.common import add_command, add_framework_options, threshold

FORMATS = ("table", "jsonl", "csv")


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "score",
        summary="score assessment files (batch)",
        description="Score every assessment and print each person's level per area and "
        "overall. A PATH is a file or a folder (every *.json below it, sorted by path). "
        "Output is in input order. A file that cannot be scored gets one line on stderr "
        "(and an ok:false record in jsonl/csv) and never stops the batch.\n\n"
        "Exit status: 0 every file scored; 1 some file refused (the rest are still "
        "scored); 2 the command could not run (bad option, missing or invalid framework).",
        examples="""\
  competency score assessments/
  competency score team/ --format jsonl > levels.jsonl
  competency score team/ --format csv --output levels.csv
  competency score ada.json --threshold 2.5
  competency score team/ --framework my.json --areas my.areas.toml""",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="assessment files or folders")
    add_framework_options(parser)
    parser.add_argument(
        "--threshold",
        type=threshold,
        default=3.0,
        metavar="T",
        help="mean rating a level needs to be reached (default: 3.0)",
    )
    parser.add_argument(
        "--source",
        choices=("self", "review"),
        default="self",
        help="score the person's own ratings (self, default) or the reviewer's (review)",
    )
    parser.add_argument(
        "--format", choices=FORMATS, default="table", help="output format (default: table)"
    )
    parser.add_argument("--output", metavar="O", help="write to this file instead of stdout")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from competency.batch import discover, score_file
    from competency.bundled import FrameworkCache
    from competency.cli.common import error, output_stream
    from competency.errors import CompetencyError
    from competency.score_formats import WRITERS

    try:
        frameworks = FrameworkCache(args.framework, args.areas)
    except CompetencyError as exc:
        error(exc.line)
        return 2
    refused = 0
    with output_stream(args.output) as stream:
        writer = WRITERS[args.format](stream)
        for file in discover(args.paths):
            record = score_file(
                file, frameworks, threshold=args.threshold, source=args.source
            )
            record = writer.write(record)
            if not record["ok"]:
                refused += 1
                print(record["error"], file=sys.stderr)
        writer.close()
    return 1 if refused else 0
