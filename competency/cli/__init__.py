"""The ``competency`` command line.

Each command is a module in this package with a ``register(subparsers)`` function that
adds its parser and sets ``run``. Only ``argparse`` is imported at start-up: every command
imports what it needs (pydantic, rich, Textual, xlsxwriter) inside ``run``, so
``competency --help`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

COMMANDS = (
    "assess",
    "review",
    "score",
    "report",
    "compare",
    "summary",
    "validate",
    "verify",
    "frameworks",
    "schema",
    "keys",
    "credential",
    "import_framework",
    "export_framework",
    "migrate",
)
"""Command modules, in the order ``--help`` lists them. A module that is missing is skipped."""

SCREENS = frozenset({"assess", "review"})
"""Commands that run the Textual app."""

DESCRIPTION = """\
Assess people against competency frameworks: a self-assessment in the terminal,
reports for supervisors, and batch scoring for HR.

examples:
  competency frameworks
  competency assess --name "Ada Example"
  competency score assessments/ --format table
  competency validate frameworks/librarians-25-4022.00.json
"""


def build_parser() -> argparse.ArgumentParser:
    from competency import __version__

    parser = argparse.ArgumentParser(
        prog="competency",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"competency {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"competency.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"competency.cli.{name}":
                continue
            raise
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    import contextlib

    from competency.cli.common import Stopped, stop_on_signals

    # The screens restore the terminal on TERM and HUP themselves; every other command
    # unwinds, so its workers stop and no temporary file stays behind.
    screens = args.command in SCREENS
    from competency.files import forget_outputs

    forget_outputs()  # a run protects its own --output only (see check_output)
    try:
        with contextlib.nullcontext() if screens else stop_on_signals():
            return int(args.run(args))
    except KeyboardInterrupt:
        print("competency: interrupted", file=sys.stderr)
        return 130
    except Stopped as stop:
        import signal

        name = signal.Signals(stop.signum).name
        print(f"competency: stopped by {name}; nothing was written", file=sys.stderr)
        return 128 + stop.signum
    except BrokenPipeError:
        # `competency score ... | head` closed the pipe: not an error worth a traceback.
        sys.stderr.close()
        return 0
