"""``competency import SOURCE``: a framework from a spreadsheet, a CASE package or Moodle."""

from __future__ import annotations

import argparse
from typing import Any

from competency.cli.common import add_command, add_output_options, error, paragraphs, refused

FORMATS = ("csv", "xlsx", "case", "moodle")


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "import",
        summary="a framework from a spreadsheet, a CASE package or a Moodle CSV",
        description=paragraphs(
            "Read a framework from another source and write it as DIR/<id>.json (the "
            "framework file) and DIR/<id>.areas.toml (its area map, when the source names "
            "areas). The result passes `competency validate` and scores like a bundled "
            "framework. The same input always gives the same bytes.\n\n"
            "A spreadsheet (CSV, or an XLSX's first visible sheet) has a header row and one "
            "row per "
            "statement; columns, in any case: level (required), statement (or topic and "
            "description), and optionally rank (1 = lowest level), level_key, area, "
            "area_description, source_id. Headings people write for these ('Competency "
            "area', 'Proficiency level', 'Competency'...) are understood, --columns names "
            "others, and any other column is left out with a line saying so. Rows above the "
            "header starting with # are notes: '# title: ...', '# id: ...', '# version: ...' "
            "and '# attribution: ...' give those fields (as export-framework writes them); "
            "other notes become the attribution when none is given.\n\n"
            "A CASE 1.0 or 1.1 JSON package gives one area per item under the document and "
            "its leaves as statements; a Moodle competency framework CSV gives areas from "
            "its top-level competencies.\n\n"
            "What the source held that a framework cannot carry is listed, one line each. "
            "Existing files are not replaced without --force.\n\n"
            "Exit status: 0 written; 1 the source was refused; 2 bad option or output."
        ),
        examples="""\
  competency import technicians.csv --id 25-4031.00 --title "Library Technicians"
  competency import skills.xlsx --version 2026.1 --attribution "© Example HR" --output fw/
  competency import standards.case.json --area-depth 2
  competency import moodle-framework.csv --format moodle
  competency import team-skills.csv --columns 'Competence=statement, Stage=level'""",
    )
    parser.add_argument("source", metavar="SOURCE", help="the file to import")
    parser.add_argument(
        "--format", choices=FORMATS, help="the source's format (default: detected from the file)"
    )
    parser.add_argument("--id", dest="framework_id", metavar="ID", help="the framework's id")
    parser.add_argument("--title", help="the framework's title")
    parser.add_argument("--version", help="the framework's version")
    parser.add_argument("--attribution", help="the credit line the framework's licence asks for")
    parser.add_argument(
        "--area-depth",
        type=int,
        default=1,
        metavar="N",
        help="CASE and Moodle: the depth of the items that become areas (default 1, the "
        "top-level items)",
    )
    parser.add_argument(
        "--columns",
        metavar="HEADING=COLUMN,...",
        help="a spreadsheet's headings and the columns they are, e.g. "
        "'Competence=statement, Stage=level'",
    )
    add_output_options(
        parser,
        help="folder to write into, made if missing (default: here)",
        metavar="DIR",
        default=".",
    )
    parser.add_argument("--force", action="store_true", help="replace files that exist")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from competency.errors import CompetencyError
    from competency.files import write_atomic
    from competency.framework.importers import area_map_toml, framework_json
    from competency.framework.importers.sources import import_framework
    from competency.framework.importers.spreadsheet import parse_columns
    from competency.text import terminal

    folder = Path(args.output)
    if folder.exists() and not folder.is_dir():
        error(f"{args.output}: is not a folder")
        return 2
    if args.area_depth < 1:
        error("--area-depth: must be 1 or more")
        return 2
    try:
        named_columns = parse_columns(args.columns) if args.columns else None
    except ValueError as exc:
        error(f"--columns: {exc}")
        return 2
    try:
        imported = import_framework(
            Path(args.source),
            args.format,
            framework_id=args.framework_id,
            title=args.title,
            version=args.version,
            attribution=args.attribution,
            area_depth=args.area_depth,
            named_columns=named_columns,
        )
    except CompetencyError as exc:
        error(exc.line)
        return 1
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        error(f"{args.output}: cannot make the folder ({exc.strerror or exc})")
        return 2
    framework_path = folder / f"{imported.id}.json"
    areas_path = folder / f"{imported.id}.areas.toml"
    areas = area_map_toml(imported)
    targets = [framework_path] + ([areas_path] if areas is not None else [])
    source = Path(args.source)
    for target in (framework_path, areas_path):
        # Never written over what is being imported, --force or not: the source is gone.
        if target.resolve() == source.resolve() or (
            target.exists() and source.exists() and target.samefile(source)
        ):
            error(
                f"{target}: is the file being imported; write elsewhere (--output) or "
                "under another id (--id)"
            )
            return 2
    if not args.force:
        for target in targets:
            if target.exists():
                error(f"{target}: exists; pass --force to replace it")
                return 2
    try:
        write_atomic(framework_path, framework_json(imported))
        if areas is not None:
            write_atomic(areas_path, areas)
        elif areas_path.exists() and args.force:
            # A map left from an earlier import would be read beside the new framework.
            areas_path.unlink()
    except OSError as exc:
        error(f"{framework_path}: cannot write it ({exc.strerror or exc})")
        return 2
    except CompetencyError as exc:
        return refused(exc)
    levels = len(imported.levels)
    print(
        f"wrote {terminal(str(framework_path))}: {terminal(imported.title)}, "
        f"{imported.statement_count} statements at {levels} level{'s' if levels != 1 else ''}"
    )
    if areas is not None and imported.areas is not None:
        print(f"wrote {terminal(str(areas_path))}: {len(imported.areas)} areas")
    else:
        print("no area map: the source names no areas, so it is scored as one area, 'all'")
    for line in imported.not_carried:
        print(f"not carried: {terminal(line)}")
    return 0
