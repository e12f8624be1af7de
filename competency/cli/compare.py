"""``competency compare OLD NEW``: one person's progress between two cycles."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from competency.assessment import Assessment
    from competency.framework.model import Framework


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
            "An assessment of an earlier version of the framework is compared with one of "
            "the new version (its migrated successor, or a later assessment) by carrying "
            "its answers over first, as `competency migrate` does: by the map its successor "
            "recorded, by --map, or by the same text. Which statements were paired is "
            "printed on stderr. --framework is NEW's framework; --old-framework is OLD's "
            "(default: by its framework.id).\n\n"
            "The output carries the digests of both assessments: `competency verify` checks "
            "it against either file.\n\n"
            "Exit status: 0 written; 1 a file was refused or the two cannot be compared; "
            "2 bad option or framework."
        ),
        examples="""\
  competency compare maya-2025.json maya-2026.json
  competency compare maya-2025.json maya-2026.json --format html --output progress.html
  competency compare old.json new.json --format json | jq .areas
  competency compare maya-2025.json maya-2025.migrated.json --framework librarians-v27.json""",
    )
    parser.add_argument("old", metavar="OLD", help="the earlier assessment")
    parser.add_argument("new", metavar="NEW", help="the later assessment")
    add_framework_options(parser)
    parser.add_argument(
        "--old-framework",
        metavar="F",
        help="OLD's framework when it is an earlier version (default: by its framework.id)",
    )
    parser.add_argument(
        "--map", metavar="MAP", help="for an earlier version: TOML map of old ids to new ones"
    )
    add_threshold_option(parser)
    add_output_options(
        parser, "compare", default_format="md", formats_help="md (default), html or json"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from competency.assessment import framework_for
    from competency.framework.bundled import FrameworkResolver
    from competency.outputs.compare import build_comparison, refuse_unless_comparable
    from competency.storage import read_assessment

    try:
        output = Output.of(args, "compare", [args.old, args.new])
    except CompetencyError as exc:
        return cannot_run(exc)
    try:
        frameworks = FrameworkResolver(args.framework, args.areas, args.profiles)
        pairing: tuple[str, ...] = ()
        old, old_bytes = read_assessment(args.old)
        new, new_bytes = read_assessment(args.new)
        if _versions_differ(old, new) or args.old_framework or args.map:
            try:
                framework = framework_for(new, args.new, frameworks)
                old, pairing = _carried_over(
                    old,
                    new,
                    framework,
                    old_bytes,
                    sources=(args.old, args.new),
                    old_framework_name=args.old_framework,
                    map_path=args.map,
                )
            except CompetencyError:
                if not (args.old_framework or args.map):
                    # Neither version's framework is at hand: say why the two differ.
                    refuse_unless_comparable(old, new, args.old, args.new)
                raise
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
            pairing=pairing,
        )
    except CompetencyError as exc:
        return refused(exc)
    return output.emit(comparison)


def _versions_differ(old: Assessment, new: Assessment) -> bool:
    """Two versions of one framework: the same id with other statements, or NEW migrated
    from OLD's framework (whose id may have changed). Two unrelated frameworks are not."""
    from competency.migrate import successor_map

    a, b = old.framework, new.framework
    if a.id == b.id:
        return bool(a.fingerprint and b.fingerprint and a.fingerprint != b.fingerprint)
    return successor_map(old, new) is not None


def _carried_over(
    old: Assessment,
    new: Assessment,
    framework: Framework,
    data: bytes,
    *,
    sources: tuple[str, str],
    old_framework_name: str | None,
    map_path: str | None,
) -> tuple[Assessment, tuple[str, ...]]:
    """OLD's answers carried to NEW's framework, the way `competency migrate` carries them,
    and how its statements were paired, one line each.

    The pairing is the one NEW recorded when it was migrated from OLD's framework, else
    --map (``map_path``), else the same text. ``sources`` are OLD's and NEW's file names;
    ``old_framework_name`` is --old-framework. Each pairing that changed an id, and each answer left
    behind, is one line in the comparison and on stderr, so a reader knows what is set
    beside what.
    """
    from pathlib import Path

    from competency.assessment import framework_for
    from competency.framework.bundled import FrameworkResolver
    from competency.migrate import StatementMap, load_map, migrate, successor_map
    from competency.storage import digest

    old_source, new_source = sources
    old_framework = framework_for(old, old_source, FrameworkResolver(old_framework_name))
    recorded = successor_map(old, new)
    if map_path:
        mapping = load_map(Path(map_path), old_framework, framework)
        how = f"by {map_path}"
    elif recorded is not None:
        known = {k: v for k, v in recorded.items() if k in old_framework.statement_by_id}
        mapping = StatementMap({sid: known.get(sid) for sid in old_framework.statement_by_id})
        how = f"by the map {new_source} recorded when it was migrated"
    else:
        mapping = None
        how = "by the same text"
    result = migrate(
        old,
        old_framework,
        framework,
        source=old_source,
        source_digest=digest(data),
        mapping=mapping,
        touch=False,
    )
    moved = {o: n for o, n in result.mapped.items() if o != n}
    lines = [
        f"{Path(old_source).name} is on {old_framework.id} {old_framework.version or ''}; its "
        f"statements were paired with {framework.version or 'the new version'}'s {how}: "
        f"{len(result.mapped)} of {len(old_framework.statements)} paired, {len(moved)} "
        "under a new id",
        *(
            f"{old_id} is compared as {new_id}"
            for old_id, new_id in moved.items()
            if result.how.get(old_id) != "similar"
        ),
        *result.similar(old_framework, framework),
        *(f"not compared: {line}" for line in result.not_carried),
    ]
    for line in lines:
        error(f"note: {line}")
    return result.assessment, tuple(lines)
