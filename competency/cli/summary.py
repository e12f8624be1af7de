"""``competency summary PATH...``: a team's levels per area, aggregated."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from competency.cli.common import (
    Output,
    add_command,
    add_output_options,
    add_resources_option,
    cannot_run,
    paragraphs,
)
from competency.cli.score import BatchProgress, add_batch_options, batch_options
from competency.errors import CompetencyError

if TYPE_CHECKING:
    from competency.batch import ScoreOptions
    from competency.framework.bundled import FrameworkResolver
    from competency.summary import TeamSummary
    from competency.training import TrainingNeeds


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
            "Each person is counted once, by their latest submitted or reviewed assessment "
            "(updated_at; matched by subject.id, else by the name with case and spacing set "
            "aside); the older files are listed as set aside. Drafts (status in_progress) "
            "are never counted as levels unless --include-drafts: a person with only drafts "
            "is left out and listed apart, and a draft newer than the file counted is noted "
            "beside it. Every format says how many people are at each status (of their "
            "latest file).",
            "--since OLD... compares with an earlier cycle: per area, how many people "
            "(matched the same way) moved up, stayed or moved down; who moved; who is new "
            "and who is gone. Every format carries it.",
            "--format html writes one self-contained page: a bar per area, the counts, "
            "and a table of people x areas that sorts, filters and pages in the browser, "
            "with nothing fetched from the network. Files are scored as by 'competency "
            "score', on --jobs processes.",
            "Every format also carries the team insight: calibration (per reviewer, people "
            "and statements reviewed, the mean of reviewer minus self over statements both "
            "rated with a number, and disagreements; the same mean per area); coverage (per "
            "area and unit, who is at --coverage-level or above, flagged where one person "
            "or nobody is); mentors (for each person below a target, up to three colleagues "
            "at or above it, same unit first); and --min-group K, which hides the counts "
            "and names of any unit with fewer than K people (the totals still count them).",
            "With learning resources (--resources, or the .resources.toml beside the "
            "framework) every format also gives the team's training needs: per resource, "
            "how many people and who (but people of a unit --min-group hides) have a "
            "statement it helps with in their development plan, the plan their own "
            "reports list.",
            "Exit status: 0 every file scored; 1 some file refused (the rest are still "
            "summarised); 2 the command could not run (bad option, missing or invalid "
            "framework).",
        ),
        examples="""\
  competency summary team/
  competency summary team/ --format html --output team.html
  competency summary team/ --format md > team.md
  competency summary team-2026/ --since team-2025/ --format html --output progress.html
  competency summary team/ --source review --format csv --output team.csv
  competency summary team/ --resources courses.resources.toml --format md""",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="assessment files or folders")
    parser.add_argument(
        "--since",
        nargs="+",
        metavar="OLD",
        help="files or folders of an earlier cycle to compare with",
    )
    parser.add_argument(
        "--include-drafts",
        action="store_true",
        help="count drafts (status in_progress) as levels too",
    )
    parser.add_argument(
        "--coverage-level",
        metavar="KEY",
        help="the level key coverage counts people at or above (default: the level below the top)",
    )
    parser.add_argument(
        "--min-group",
        type=int,
        default=1,
        metavar="K",
        help="hide the counts and names of any unit with fewer than K people (default: 1)",
    )
    add_batch_options(parser)
    add_resources_option(parser)
    add_output_options(
        parser,
        "summary",
        default_format="table",
        formats_help="output format (default: table)",
        help="write to this file instead of stdout",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from competency.framework.bundled import FrameworkResolver
    from competency.summary import TeamProgress, TeamSummary

    try:
        output = Output.of(args, "summary", [*args.paths, *(args.since or [])])
        frameworks = FrameworkResolver(args.framework, args.areas, args.profiles)
        if args.resources:
            # A missing or malformed file stops the command before any work; its ids are
            # checked against the framework once the first file has fixed it.
            check_resources_file(args.resources)
    except CompetencyError as exc:
        return cannot_run(exc)
    options = batch_options(args, targets=True)
    summary = TeamSummary(include_drafts=args.include_drafts)
    if frameworks.explicit is not None:
        summary.start(frameworks.explicit)
    try:
        refused = collect(args.paths, summary, frameworks, options, args.jobs)
        if args.since:
            before = TeamSummary(include_drafts=args.include_drafts)  # the same rule
            if summary.framework is not None:
                before.start(summary.framework)  # the earlier cycle must share its columns
            refused += collect(args.since, before, frameworks, options, args.jobs)
            summary.refused += before.refused  # each line names its file
            if summary.framework is not None:
                summary.progress = TeamProgress(before, summary)
    except CompetencyError as exc:  # the batch itself broke down, e.g. a worker was killed
        return cannot_run(exc)
    if summary.framework is not None:
        from competency.insight import Insight

        try:
            summary.insight = Insight(
                summary, coverage_level=args.coverage_level, min_group=args.min_group
            )
        except CompetencyError as exc:
            return cannot_run(exc)
        try:
            summary.training = training_needs(summary, args, options)
        except CompetencyError as exc:
            return cannot_run(exc)
    return output.emit(summary) or (1 if refused else 0)


def training_needs(
    summary: TeamSummary, args: argparse.Namespace, options: ScoreOptions
) -> TrainingNeeds | None:
    """The team's training needs, with a resources file (given, or beside the framework)."""
    from competency.framework.resources import with_resources
    from competency.training import TrainingNeeds

    assert summary.framework is not None
    resources = with_resources(summary.framework, args.resources).resources
    if resources is None:
        return None
    return TrainingNeeds.of(summary, resources, threshold=options.threshold, source=options.source)


def check_resources_file(path: str) -> None:
    from pathlib import Path

    from competency.files import read_input
    from competency.framework.resources import parse_resources

    parse_resources(read_input(path), Path(path))


def collect(
    paths: list[str],
    summary: TeamSummary,
    frameworks: FrameworkResolver,
    options: ScoreOptions,
    jobs: int | None,
) -> int:
    """Score ``paths`` into ``summary``; return how many files were refused."""
    from competency.batch import score_batches

    refused = 0
    with BatchProgress(paths) as progress:
        for batch in score_batches(progress.files(), frameworks, options, jobs=jobs):
            for record in batch.records:
                if record["ok"] and summary.framework is None:
                    framework_id = record["framework"]["id"]
                    summary.start(frameworks.for_id(framework_id, record["file"]))
                record = summary.add(record)
                if not record["ok"]:
                    refused += 1
                    progress.refuse(record["error"])
            progress.advance(batch.files)
    return refused
