"""``competency status PATH...``: one line per assessment in a team folder (SPEC 7)."""

from __future__ import annotations

import argparse
from typing import Any

from competency.cli.common import Output, add_command, add_output_options, cannot_run, paragraphs
from competency.errors import CompetencyError


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "status",
        summary="where each assessment in a team folder stands: awaiting review, draft, reviewed",
        description=paragraphs(
            "List every assessment in the files and folders given (every *.json below a "
            "folder), one line each: the person (name, id, unit), the status (awaiting "
            "review, draft, reviewed), whether a review is under way but not signed off, "
            "how many statements are answered, when it was last saved, and the reviewer. "
            "Assessments awaiting review come first, the longest-waiting first; then "
            "drafts; then reviewed ones. The counts by status close the list.",
            "A file that cannot be read is named with the reason, and the rest are still "
            "listed. --format json gives the same for scripts (schema "
            "competency-status/1: records, and statuses by count).",
            "Exit status: 0 every file read; 1 some file could not be; 2 bad option.",
        ),
        examples="""\
  competency status /srv/library/assessments/
  competency status team/ --format json > status.json""",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="assessment files or folders")
    parser.add_argument(
        "--framework",
        metavar="F",
        help="the framework every file is read against (default: by framework.id)",
    )
    parser.add_argument("--areas", metavar="A", help="the area map for --framework")
    add_output_options(
        parser, "status", default_format="table", formats_help="output format (default: table)"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from competency.batch import discover
    from competency.framework.bundled import FrameworkResolver
    from competency.status import TeamStatus

    try:
        output = Output.of(args, "status", args.paths)
        frameworks = FrameworkResolver(args.framework, args.areas)
    except CompetencyError as exc:
        return cannot_run(exc)
    status = TeamStatus.gather(discover(args.paths), frameworks)
    written = output.emit(status)
    if written:
        return written
    return 1 if status.counts["unreadable"] else 0
