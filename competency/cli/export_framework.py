"""``competency export-framework FW``: a framework out as a spreadsheet or a CASE package."""

from __future__ import annotations

import argparse
from typing import Any

from competency.cli.common import (
    Output,
    add_command,
    add_output_options,
    cannot_run,
    error,
    paragraphs,
)
from competency.errors import CompetencyError


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "export-framework",
        summary="a framework out as CSV, XLSX or a CASE 1.1 package",
        description=paragraphs(
            "Write a framework (a file, or the id of a bundled or installed one) as a "
            "spreadsheet a person can edit and `competency import` again, or as a 1EdTech "
            "CASE 1.1 JSON package. Importing an exported spreadsheet with the same --id, "
            "--title, --version and --attribution gives back the same framework: for a "
            "framework that `competency import` wrote, byte for byte.\n\n"
            "Exit status: 0 written; 2 bad option, framework or output."
        ),
        examples="""\
  competency export-framework 25-4022.00 --format csv --output librarians.csv
  competency export-framework fw/tech.json --format xlsx --output tech.xlsx
  competency export-framework 25-4022.00 --format case --output librarians.case.json""",
    )
    parser.add_argument("framework", metavar="FW", help="a framework file, or an id")
    parser.add_argument(
        "--areas", metavar="A", help="area map TOML (default: the .areas.toml beside it)"
    )
    add_output_options(parser, "export-framework", formats_help="csv, xlsx or case")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from competency.framework.bundled import framework_path
    from competency.framework.model import load_framework
    from competency.outputs.framework_sheet import build_export

    try:
        output = Output(args.output, "export-framework", args.format, [args.framework])
        export = build_export(load_framework(framework_path(args.framework), args.areas))
    except CompetencyError as exc:
        return cannot_run(exc)
    except ValueError as exc:  # the file's JSON changed between two reads
        error(f"{args.framework}: {exc}")
        return 2
    return output.emit(export)
