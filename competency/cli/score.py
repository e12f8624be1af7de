"""``competency score PATH...``: score assessment files in batch (SPEC 5)."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, Any

from competency.cli.common import (
    Output,
    add_command,
    add_framework_options,
    add_output_options,
    add_threshold_option,
    cannot_run,
    paragraphs,
)
from competency.errors import CompetencyError

if TYPE_CHECKING:
    from competency.batch import ScoreOptions


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "score",
        summary="score assessment files (batch)",
        description=paragraphs(
            "Score every assessment and print each person's level per area and overall. "
            "A PATH is a file or a folder (every *.json below it, sorted by path). Files "
            "are scored on --jobs processes and the output is always in input order; a "
            "progress bar shows on stderr when it is a terminal.",
            "A file that cannot be scored gets one line on stderr (and an ok:false record "
            "in jsonl/csv, a row on the 'Refused files' sheet in xlsx) and never stops the "
            "batch. Text that a spreadsheet could take for a formula (starting with = + - "
            "@, a tab or a carriage return) gets a leading apostrophe in csv and xlsx.",
            "Exit status: 0 every file scored; 1 some file refused (the rest are still "
            "scored); 2 the command could not run (bad option, missing or invalid "
            "framework).",
        ),
        examples="""\
  competency score assessments/
  competency score team/ --format jsonl > levels.jsonl
  competency score team/ --format csv --output levels.csv
  competency score team/ --format xlsx --output levels.xlsx
  competency score team/ --source review --jobs 4
  competency score team/ --source review-or-self --format csv --output team.csv
  competency score ada.json --threshold 2.5
  competency score team/ --framework my.json --areas my.areas.toml""",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="assessment files or folders")
    add_batch_options(parser)
    add_output_options(
        parser,
        "score",
        default_format="table",
        formats_help="output format (default: table)",
        help="write to this file instead of stdout (needed for xlsx)",
    )
    parser.set_defaults(run=run)


def add_batch_options(parser: argparse.ArgumentParser) -> None:
    """The options ``score`` and ``summary`` share."""
    add_framework_options(parser)
    add_threshold_option(parser)
    parser.add_argument(
        "--source",
        choices=("self", "review", "review-or-self"),
        default="self",
        help="score the person's own ratings (self, default), the reviewer's (review; a "
        "file without a review is refused), or the reviewer's where the assessment is "
        "reviewed and the person's own elsewhere (review-or-self; the source column says "
        "which)",
    )
    parser.add_argument(
        "--jobs",
        type=positive,
        default=None,
        metavar="N",
        help="processes to score on (default: one per processor)",
    )
    parser.add_argument(
        "--max-bytes",
        type=byte_size,
        default=None,
        metavar="SIZE",
        help="refuse, unread, a file larger than this: bytes, or with K, M or G (default: 10M)",
    )


def batch_options(args: argparse.Namespace, *, targets: bool = False) -> ScoreOptions:
    """How every file is scored, from the options ``add_batch_options`` added."""
    from competency.batch import ScoreOptions
    from competency.storage import DEFAULT_MAX_BYTES

    return ScoreOptions(
        threshold=args.threshold,
        source=args.source,
        max_bytes=args.max_bytes or DEFAULT_MAX_BYTES,
        targets=targets,
    )


def positive(text: str) -> int:
    """``--jobs``: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def byte_size(text: str) -> int:
    """``--max-bytes``: ``5000``, ``500K``, ``10M`` or ``1G`` (powers of 1024)."""
    units = {"K": 1024, "M": 1024**2, "G": 1024**3}
    cleaned = text.strip().upper().removesuffix("B")
    factor = units.get(cleaned[-1:], 1)
    number = cleaned[:-1] if cleaned[-1:] in units else cleaned
    try:
        value = int(number) * factor
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a size (examples: 5000, 500K, 10M)"
        ) from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1 byte")
    return value


def run(args: argparse.Namespace) -> int:
    from competency.framework.bundled import FrameworkResolver
    from competency.outputs.scores import ScoreStream

    try:
        output = Output.of(args, "score", args.paths)
        frameworks = FrameworkResolver(args.framework, args.areas, args.profiles)
    except CompetencyError as exc:
        return cannot_run(exc)
    options = batch_options(args)
    try:
        with BatchProgress(args.paths) as progress:
            stream = ScoreStream(
                progress.files(),
                frameworks,
                options,
                jobs=args.jobs,
                on_refused=progress.refuse,
                on_progress=progress.advance,
                on_scored=progress.stop,
            )
            written = output.emit(stream)
    except CompetencyError as exc:  # the batch itself broke down, e.g. a worker was killed
        return cannot_run(exc)
    return written or (1 if stream.refused else 0)


class BatchProgress:
    """A rich progress bar on stderr when stderr is a terminal; silence otherwise.

    Refusal lines go through it, so they print above the bar instead of tearing it.
    """

    def __init__(self, paths: list[str]) -> None:
        self.paths = paths
        self.live = sys.stderr.isatty() and os.environ.get("TERM") != "dumb"
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> BatchProgress:
        if self.live:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            from competency.batch import count_files

            self._bar = Progress(
                TextColumn("scoring"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
                # No refresh thread: were workers ever forked, a fork should not
                # copy a thread that may hold a lock. The bar redraws as chunks arrive.
                auto_refresh=False,
            )
            self._task = self._bar.add_task("scoring", total=count_files(self.paths))
            self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        """Clear the bar (it is transient); refusals after this print as plain lines."""
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def files(self) -> Any:
        """Every file to score, in order; the ``--output`` file among them stops the run.

        A symlink in a folder whose target is the output, or a hard link to it, is found
        here, before any worker reads it, so the output never replaces an input.
        """
        from competency.batch import discover
        from competency.files import refuse_if_output

        for file in discover(self.paths):
            refuse_if_output(file)
            yield file

    def advance(self, files: int) -> None:
        if self._bar is not None:
            self._bar.advance(self._task, files)
            self._bar.refresh()

    def refuse(self, line: str) -> None:
        if self._bar is None:
            print(line, file=sys.stderr)
        else:
            from rich.text import Text

            self._bar.console.print(Text(line), soft_wrap=True)
