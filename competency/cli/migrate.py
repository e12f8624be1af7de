"""``competency migrate ASSESSMENT --to FW``: an assessment carried to a new framework version."""

from __future__ import annotations

import argparse
from typing import Any

from competency.cli.common import (
    add_command,
    add_output_options,
    cannot_run,
    check_output,
    error,
    paragraphs,
    refused,
)


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "migrate",
        summary="carry an assessment to a new version of its framework",
        description=paragraphs(
            "Write a new assessment of the framework --to names (a file, or the id of a "
            "bundled or installed one), carrying each rating, note and review of the old "
            "one to the statement with the same text (whitespace and dashes normalised), "
            "or to the one --map names. What has nowhere to go is listed, one line each. "
            "The old file is never changed; the new one records what it was migrated from, "
            "so `competency compare OLD NEW` can set them side by side.\n\n"
            'A map is TOML: a [statements] table of old id = new id ("" drops one), and '
            "an [areas] table of old area = new area for the targets.\n\n"
            "The old framework is the one whose id equals the assessment's framework.id, "
            "or --from.\n\n"
            "Exit status: 0 written; 1 the assessment or the map was refused; 2 bad "
            "option, framework or output."
        ),
        examples="""\
  competency migrate maya-2025.json --to librarians-v27.json
  competency migrate maya-2025.json --to 25-4022.00 --from old/librarians-v26.json
  competency migrate maya-2025.json --to new.json --map v26-to-v27.toml --output maya-v27.json""",
    )
    parser.add_argument("assessment", metavar="ASSESSMENT", help="the assessment to carry over")
    parser.add_argument("--to", required=True, metavar="FW", help="the new framework")
    parser.add_argument("--areas", metavar="A", help="the new framework's area map")
    parser.add_argument(
        "--from", dest="old", metavar="F", help="the old framework (default: by framework.id)"
    )
    parser.add_argument("--map", metavar="MAP", help="TOML map of old ids to new ones")
    add_output_options(
        parser, help="where to write the new assessment (default: beside it, <name>.migrated.json)"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from competency.errors import CompetencyError
    from competency.framework.bundled import FrameworkResolver, framework_path
    from competency.framework.model import load_framework
    from competency.migrate import MapError, load_map, migrate
    from competency.storage import digest, read_checked, save_assessment
    from competency.text import terminal

    source = Path(args.assessment)
    output = Path(args.output) if args.output else source.with_name(f"{source.stem}.migrated.json")
    try:
        check_output(str(output), [args.assessment])
        new = load_framework(framework_path(args.to), args.areas)
        old_frameworks = FrameworkResolver(args.old)
    except CompetencyError as exc:
        return cannot_run(exc)
    if output.exists():
        error(f"{output}: exists; pass another --output (the old file is never changed)")
        return 2
    try:
        assessment, old, data = read_checked(args.assessment, old_frameworks)
        mapping = load_map(Path(args.map), old, new) if args.map else None
        result = migrate(
            assessment,
            old,
            new,
            source=args.assessment,
            source_digest=digest(data),
            mapping=mapping,
        )
    except MapError as exc:
        error(exc.line)
        return 1
    except CompetencyError as exc:
        return refused(exc)
    try:
        save_assessment(result.assessment, output)
    except OSError as exc:
        error(f"{output}: cannot write it ({exc.strerror or exc})")
        return 2
    by_text = sum(1 for how in result.how.values() if how == "text")
    by_similar = sum(1 for how in result.how.values() if how == "similar")
    by_map = len(result.how) - by_text - by_similar
    moved = sum(1 for old_id, new_id in result.mapped.items() if old_id != new_id)
    print(
        f"wrote {terminal(str(output))}: {terminal(assessment.subject.name)} on "
        f"{terminal(new.id)} {terminal(new.version or '')}".rstrip()
    )
    print(
        f"  {len(result.mapped)} of {len(old.statements)} statements paired: {by_text} by the "
        f"same text, {by_map} by the map; {moved} under a new id"
        + (f"; {by_similar} by nearly the same text, listed below" if by_similar else "")
    )
    for line in result.similar(old, new):
        print(f"check: {terminal(line)}")
    for line in result.not_carried:
        print(f"not carried: {terminal(line)}")
    return 0
