"""``competency summary PATH...``: a team's levels per area, aggregated."""

from __future__ import annotations

import argparse
from typing import Any

from competency.cli.common import add_command
from competency.cli.score import BatchProgress, add_batch_options, paragraphs
from competency.outputs import formats


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "summary",
        summary="a team's levels per area, aggregated",
        description=paragraphs(
            "Score every assessment and summarise the team: per area, how many people are "
            "at each level (including 'Not assessed' and 'Below <first level>'), the "
            "median level, and who is below their target (targets in the assessment); the "
            "same per unit (subject.unit) when units are present; and every refused file "
            "with its reason.",
            "The median is the level of the middle person among those assessed in the "
            "area; with an even number, the lower of the two middle levels. A person with "
            "a target in an area who is not assessed there counts as below it.",
            "--format html writes one self-contained page: the counts, and a heatmap of "
            "people x areas that sorts and filters in the browser, with nothing fetched "
            "from the network. Files are scored as by 'competency score', on --jobs "
            "processes.",
            "Exit status: 0 every file scored; 1 some file refused (the rest are still "
            "summarised); 2 the command could not run (bad option, missing or invalid "
            "framework).",
        ),
        examples="""\
  competency summary team/
  competency summary team/ --format html --output team.html
  competency summary team/ --format md > team.md
  competency summary team/ --source review --format csv --output team.csv""",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="assessment files or folders")
    add_batch_options(parser)
    parser.add_argument(
        "--format",
        choices=formats("summary"),
        default="table",
        help="output format (default: table)",
    )
    parser.add_argument("--output", metavar="O", help="write to this file instead of stdout")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from competency.batch import ScoreOptions, score_batches
    from competency.cli.common import binary_output_stream, cannot_write, check_output, error
    from competency.errors import CompetencyError
    from competency.framework.bundled import FrameworkResolver
    from competency.outputs import write
    from competency.storage import DEFAULT_MAX_BYTES
    from competency.summary import TeamSummary

    try:
        check_output(args.output, args.paths)
        frameworks = FrameworkResolver(args.framework, args.areas)
    except CompetencyError as exc:
        error(exc.line)
        return 2
    options = ScoreOptions(
        threshold=args.threshold,
        source=args.source,
        max_bytes=args.max_bytes or DEFAULT_MAX_BYTES,
        targets=True,
    )
    summary = TeamSummary()
    if frameworks.explicit is not None:
        summary.start(frameworks.explicit)
    refused = 0
    try:
        with BatchProgress(args.paths) as progress:
            for batch in score_batches(progress.files(), frameworks, options, jobs=args.jobs):
                for record in batch.records:
                    if record["ok"] and summary.framework is None:
                        framework_id = record["framework"]["id"]
                        summary.start(frameworks.for_id(framework_id, record["file"]))
                    record = summary.add(record)
                    if not record["ok"]:
                        refused += 1
                        progress.refuse(record["error"])
                progress.advance(batch.files)
    except CompetencyError as exc:  # the batch itself broke down, e.g. a worker was killed
        error(exc.line)
        return 2
    try:
        with binary_output_stream(args.output) as out:
            write("summary", args.format, summary, out)
    except OSError as exc:
        return cannot_write(exc, args.output)
    return 1 if refused else 0
