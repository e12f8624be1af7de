"""``competency submit FILE --to DIR``: the person hands their assessment in (SPEC 7)."""

from __future__ import annotations

import argparse
from typing import Any

from competency.cli.common import add_command, cannot_run, error, paragraphs
from competency.errors import CompetencyError


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "submit",
        summary="hand your assessment in: mark it submitted and copy it to the team folder",
        description=paragraphs(
            "Mark FILE submitted (its history records who and when) and write it into "
            "DIR, the team's shared folder (a network drive, a synced folder, a group "
            "folder), under the same name, atomically: the supervisor finds it there with "
            "`competency status DIR` and reviews it with `competency review`. Your own "
            "copy is marked submitted too, so the two say the same; reopen it in "
            "`competency assess` to change it, then submit again.",
            "An assessment with unanswered statements is refused unless --partial. A file "
            "in DIR is never replaced when it is another person's or already reviewed. In "
            "a folder its group may write, the file is shared with that group (mode 0660, "
            "the folder's group); elsewhere it stays yours alone (0600).",
            "Exit status: 0 submitted (the path written is printed); 1 refused (one line "
            "says why); 2 bad option or folder.",
        ),
        examples="""\
  competency submit assessments/ada-example-2026-11-22.json --to /srv/library/assessments
  competency submit ada.json --to "S:\\Library\\Assessments" --partial""",
    )
    parser.add_argument("file", metavar="FILE", help="your assessment file")
    parser.add_argument("--to", required=True, metavar="DIR", help="the team's shared folder")
    parser.add_argument(
        "--partial",
        action="store_true",
        help="submit even though some statements are unanswered",
    )
    parser.add_argument(
        "--framework", metavar="F", help="the framework it is read against (default: by id)"
    )
    parser.add_argument("--areas", metavar="A", help="the area map for --framework")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from competency.errors import FrameworkError
    from competency.framework.bundled import FrameworkResolver
    from competency.team import submit
    from competency.text import terminal

    folder = Path(args.to)
    if not folder.is_dir():
        error(f"{terminal(args.to)}: there is no such folder; give the team's shared folder")
        return 2
    try:
        frameworks = FrameworkResolver(args.framework, args.areas)
        done = submit(Path(args.file), folder, frameworks, partial=args.partial)
    except FrameworkError as exc:
        return cannot_run(exc)
    except CompetencyError as exc:
        error(exc.line)
        return 1
    except OSError as exc:
        error(f"{terminal(str(folder))}: cannot write there ({exc.strerror or exc})")
        return 2
    gaps = f", {done.unanswered} statements unanswered" if done.unanswered else ""
    again = " (replacing your earlier submission)" if done.replaced else ""
    print(f"submitted: {terminal(str(done.path))}{again}{gaps}")
    return 0
