"""The ``competency`` command line.

Each command is a module in this package with a ``register(subparsers)`` function that
adds its parser and sets ``run``. Only ``argparse`` is imported at start-up: every command
imports what it needs (pydantic, rich, Textual, xlsxwriter) inside ``run``, so
``competency --help`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

COMMANDS = (
    "assess",
    "review",
    "submit",
    "status",
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

COMMAND_MODULES = {"import": "import_framework"}
"""Commands whose module is not named after them (``-`` read as ``_``)."""

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


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or of the one command ``argv`` starts with.

    A command line that names its command (``competency score ...``) needs only that
    command's parser: building all fifteen is 5% of a batch run's start-up. Anything
    else (``--help``, ``--version``, a typo) gets them all, so help lists every command and
    a wrong name gets argparse's "invalid choice" with the full list.
    """
    from competency import __version__

    parser = argparse.ArgumentParser(
        prog="competency",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"competency {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    named = _named_command(argv)
    for name in COMMANDS if named is None else (named,):
        try:
            module = importlib.import_module(f"competency.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"competency.cli.{name}":
                continue
            raise
        module.register(subparsers)
    if named is not None and argv and argv[0] not in subparsers.choices:
        return build_parser()  # the module registers another name: build them all
    return parser


def _named_command(argv: Sequence[str] | None) -> str | None:
    """The command module ``argv`` names first, if it names one."""
    if not argv:
        return None
    module = COMMAND_MODULES.get(argv[0], argv[0].replace("-", "_"))
    return module if module in COMMANDS and "_" not in argv[0] else None


QUICK_EXIT = frozenset({"score", "summary"})
"""Commands after which the program leaves without tearing the interpreter down (see
``run``): batch runs, whose last step is writing their output, and nothing after it."""


def run() -> NoReturn:
    """The ``competency`` program (and ``python -m competency``): ``main``, then exit.

    After a batch command the program flushes its output and leaves at once: freeing
    the objects of pydantic and every module one by one is 8% of a batch run's
    start-up cost, spent after the work is done. Every file it wrote is closed and
    renamed by then and its workers have been joined. Any other command, or a flush that
    fails (a closed pipe), exits the usual way.
    """
    code = main()
    if _named_command(sys.argv[1:]) in QUICK_EXIT:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):
            pass
        else:
            os._exit(code)
    raise SystemExit(code)


def main(argv: Sequence[str] | None = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    # Pydantic plugins are observability hooks for services; looking for them reads the
    # metadata of every installed distribution, 3% of a batch run's start-up. A user who
    # wants them sets the variable themselves.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    parser = build_parser(argv)
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
        # What is still buffered for stdout goes nowhere, so no later flush fails.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.stderr.close()
        return 0
