"""``competency schema NAME``: the JSON Schema of one of the tool's file formats."""

from __future__ import annotations

import argparse
from typing import Any

from competency.cli.common import (
    Output,
    add_command,
    add_output_options,
    cannot_run,
    paragraphs,
)
from competency.errors import CompetencyError

NAMES = (
    "framework",
    "areas",
    "profiles",
    "resources",
    "assessment",
    "score-record",
    "report",
    "summary",
    "comparison",
)
"""``competency.schemas.NAMES``, repeated so that ``--help`` imports no pydantic; a test
keeps the two equal."""


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "schema",
        summary="print the JSON Schema of a file format",
        description=paragraphs(
            "Print the JSON Schema (draft 2020-12) of a file the tool reads or writes, made "
            "from the models the tool itself uses: framework (the framework JSON), areas "
            "(the area map, as the data its TOML holds), profiles (the role profiles, likewise), "
            "resources (learning resources, likewise), assessment, score-record (one line "
            "of `score --format jsonl`), report (`report --format json`), summary "
            "(`summary --format json`) and comparison (`compare --format json`).\n\n"
            "A schema checks one file alone. What needs another file, such as a statement "
            "id existing in the framework, only `competency validate` checks; each schema's "
            "description says what that is. The same files are in the repository's "
            "schemas/ folder."
        ),
        examples="""\
  competency schema assessment > assessment.schema.json
  competency schema report --output report.schema.json
  competency schema score-record""",
    )
    parser.add_argument("name", metavar="NAME", choices=NAMES, help=", ".join(NAMES))
    add_output_options(parser, help="write to file O (default: stdout)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        output = Output(args.output, "schema", "json")
    except CompetencyError as exc:
        return cannot_run(exc)
    return output.emit(args.name)
