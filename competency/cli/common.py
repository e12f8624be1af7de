"""What every command shares: help formatting, errors, and writing output safely."""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from competency.errors import CompetencyError, FrameworkError
from competency.outputs import format_of, formats, write
from competency.ratings import DEFAULT_THRESHOLD, HIGHEST, LOWEST


def paragraphs(*texts: str, width: int = 78) -> str:
    """Help text wrapped per paragraph (the help formatter keeps it exactly as given).

    Each text is one paragraph or several separated by a blank line.
    """
    import textwrap

    return "\n\n".join(
        textwrap.fill(paragraph, width) for text in texts for paragraph in text.split("\n\n")
    )


def add_command(
    subparsers: Any, name: str, *, summary: str, description: str, examples: str
) -> argparse.ArgumentParser:
    """Add a command whose ``--help`` ends with worked examples."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name,
        help=summary,
        description=description,
        epilog="examples:\n" + examples.rstrip() + "\n",
        # Keeps the description and the examples exactly as written.
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    return parser


def add_framework_options(parser: argparse.ArgumentParser) -> None:
    """``--framework``, ``--areas`` and ``--profiles``, as every scoring command takes them."""
    parser.add_argument(
        "--framework",
        metavar="F",
        help="framework JSON to score against, or the id of a bundled or installed one "
        "(default: the one whose id equals the assessment's framework.id)",
    )
    parser.add_argument(
        "--areas",
        metavar="A",
        help="area map TOML (default: the .areas.toml beside the framework; without one, "
        "every statement is one area, 'all')",
    )
    parser.add_argument(
        "--profiles",
        metavar="P",
        help="role profiles TOML (default: the .profiles.toml beside the framework)",
    )


def add_resources_option(parser: argparse.ArgumentParser) -> None:
    """``--resources``, as every command that shows a development plan takes it (SPEC 9)."""
    parser.add_argument(
        "--resources",
        metavar="R",
        help="learning resources TOML: each plan entry lists what helps with it (default: "
        "the .resources.toml beside the framework, if there is one)",
    )


def add_threshold_option(parser: argparse.ArgumentParser) -> None:
    """``--threshold``, as every command that shows levels takes it (SPEC 4's T)."""
    parser.add_argument(
        "--threshold",
        type=threshold,
        default=DEFAULT_THRESHOLD,
        metavar="T",
        help=f"mean rating a level needs to be reached (default: {DEFAULT_THRESHOLD})",
    )


def threshold(text: str) -> float:
    """``--threshold``: a number on the rating scale."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not LOWEST <= value <= HIGHEST:
        raise argparse.ArgumentTypeError(
            f"must be between {LOWEST} and {HIGHEST}, the rating scale"
        )
    return value


class Stopped(BaseException):
    """A batch was told to stop by SIGTERM or SIGHUP (SIGBREAK on Windows): unwind like Ctrl-C.

    A ``BaseException``, so every ``finally`` runs on the way out: the workers are stopped
    and the half-written output's temporary file is removed.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """While a batch runs, SIGTERM and SIGHUP stop it cleanly instead of killing it mid-write.

    ``main`` turns ``Stopped`` into one line and exit status 128 + the signal's number.
    """
    import signal

    from competency.portable import STOP_SIGNALS

    def stop(signum: int, _frame: object) -> None:
        raise Stopped(signum)

    wanted = STOP_SIGNALS
    before = {signum: signal.signal(signum, stop) for signum in wanted}
    try:
        yield
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)


def add_output_options(
    parser: argparse.ArgumentParser,
    command: str | None = None,
    *,
    formats_help: str = "",
    default_format: str | None = None,
    help: str = "write to this file (atomically) instead of stdout",
    metavar: str = "O",
    **more: Any,
) -> None:
    """``--format`` (the formats ``command`` writes, needed without ``default_format``)
    and ``--output``/``-o``, as every command that writes output takes them."""
    if command is not None:
        parser.add_argument(
            "--format",
            choices=formats(command),
            default=default_format,
            required=default_format is None,
            help=formats_help,
        )
    parser.add_argument("--output", "-o", metavar=metavar, help=help, **more)


class Output:
    """Where one command's output goes: ``--output``, else stdout. Made before any work.

    Making it refuses (``CompetencyError``, exit 2) a format that is a file and never text
    (xlsx) without ``--output``, and an ``--output`` that cannot be written or would
    replace an input (``check_output``), so a typo costs nothing. ``emit`` writes the
    command's model at the end.
    """

    def __init__(
        self,
        path: str | None,
        command: str,
        fmt: str,
        inputs: Iterable[str] = (),
        *,
        framework: str | None = None,
        areas: str | None = None,
    ) -> None:
        what = format_of(command, fmt).file_only
        if what is not None and path in (None, "-"):
            raise CompetencyError(
                f"--format {fmt} writes {what}: give one with --output FILE.{fmt}"
            )
        check_output(path, inputs, framework=framework, areas=areas)
        self.path = path
        self.command = command
        self.fmt = fmt

    @classmethod
    def of(cls, args: argparse.Namespace, command: str, inputs: Iterable[str]) -> Output:
        """The output of a command that takes ``--format``, ``--framework`` and ``--areas``:
        the files those name are its inputs too."""
        more = [args.resources] if getattr(args, "resources", None) else []
        return cls(
            args.output,
            command,
            args.format,
            [*inputs, *more],
            framework=args.framework,
            areas=args.areas,
        )

    def emit(self, model: Any, *, sign: Callable[[bytes], str] | None = None) -> int:
        """Write ``model`` in this format, sealed where it must be; return the exit
        status: 0, or 2 with one line when it could not be written.

        The file appears only when complete; on a terminal every format gets the terminal
        policy (``binary_output_stream``). A ``CompetencyError`` the writer raises (a
        batch that broke down) is the caller's to report.
        """
        styled = format_of(self.command, self.fmt).styled
        try:
            with binary_output_stream(self.path, styled=styled) as out:
                write(self.command, self.fmt, model, out, sign=sign)
        except OSError as exc:
            return cannot_write(exc, self.path)
        return 0


def error(message: str) -> None:
    """Print one line on stderr, prefixed with the program's name.

    Through the terminal policy, whatever the message holds: a path can come from a
    file name nobody here chose (``--output "$f.html"`` in a loop over a folder).
    """
    from competency.text import terminal

    print(f"competency: {terminal(message)}", file=sys.stderr)


def cannot_run(exc: CompetencyError) -> int:
    """Print a refusal's line and return 2: the command cannot run (a bad option, output,
    key or framework)."""
    error(exc.line)
    return 2


def refused(exc: CompetencyError) -> int:
    """Print a refusal's line and return SPEC 5's exit status for it.

    2 when the command cannot run at all (the framework or area map is bad), 1 when the
    input file was refused.
    """
    error(exc.line)
    return 2 if isinstance(exc, FrameworkError) else 1


def check_output(
    path: str | None,
    inputs: Iterable[str] = (),
    *,
    framework: str | None = None,
    areas: str | None = None,
) -> None:
    """Refuse an ``--output`` that cannot be written, or that would replace an input.

    Checked before any work starts, so a typo in the folder name costs nothing. Raises
    ``CompetencyError`` naming the path (the command exits 2). Every file the command reads
    is an input, by whatever route it reads it: the PATHs, ``--framework``, ``--areas``,
    the area map beside the framework, the bundled frameworks, and (checked as they are
    read, see ``competency.files.protect_output``) every file found in a folder and every
    symlink's target.
    """
    if path is None or path == "-":
        return
    from competency.files import is_json_name, protect_output

    target = Path(path)
    if target.is_dir():
        raise CompetencyError("is a folder; --output takes a file name", source=path)
    folder = target.parent
    if not folder.is_dir():
        raise CompetencyError(f"cannot write it: there is no folder {folder}", source=path)
    if not os.access(folder, os.W_OK):
        raise CompetencyError(f"cannot write it: folder {folder} is not writable", source=path)
    protect_output(target)
    if not target.exists():
        return
    for given in [*inputs, *framework_inputs(framework, areas)]:
        source = Path(given)
        if source.is_dir():
            inside = target.resolve().is_relative_to(source.resolve())
            if inside and is_json_name(target.name):
                raise CompetencyError(
                    f"is one of the inputs (a .json file in {given}); write elsewhere",
                    source=path,
                )
        elif source.exists() and os.path.samefile(target, source):
            raise CompetencyError("is also an input; writing there would replace it", source=path)


def framework_inputs(framework: str | None, areas: str | None) -> list[str]:
    """The framework and area map files a command may read besides its PATHs."""
    from competency.framework.model import default_areas_path

    found = [] if areas is None else [areas]
    if framework is not None:
        return [*found, framework, str(default_areas_path(Path(framework)))]
    from competency.framework.bundled import bundled_frameworks

    for bundled in bundled_frameworks():
        found += [str(bundled.path), str(default_areas_path(bundled.path))]
    return found


@contextlib.contextmanager
def binary_output_stream(path: str | None, *, styled: bool = False) -> Iterator[IO[bytes]]:
    """Stdout's bytes, or a file that appears only when complete.

    Written to a terminal (stdout, or ``--output /dev/tty``), every format gets the
    terminal policy (``competency.text.terminal_lines``): an escape sequence in a name
    shows as ``\\x1b``, whatever the writer. ``styled`` output (the rich tables) escapes
    its text itself and keeps its colours. Written to a file, the data stays as it is.
    """
    if path is None or path == "-":
        with _for_terminal(sys.stdout.buffer, styled) as out:
            yield out
        sys.stdout.buffer.flush()
        return
    with binary_output(path) as handle, _for_terminal(handle, styled) as out:
        yield out


@contextlib.contextmanager
def _for_terminal(out: IO[bytes], styled: bool) -> Iterator[IO[bytes]]:
    if styled or not out.isatty():
        yield out
        return
    safe = TerminalStream(out)
    yield safe  # type: ignore[misc]
    safe.finish()


class TerminalStream(io.RawIOBase):
    """Bytes on their way to a terminal, shown as ``terminal_lines`` shows text.

    UTF-8 is decoded incrementally (a character split across two writes is whole); a byte
    that is not UTF-8 shows as ``\\xNN``; a carriage return at the end of a write waits to
    see whether a line feed follows.
    """

    def __init__(self, out: IO[bytes]) -> None:
        import codecs

        super().__init__()
        self._out = out
        self._decoder = codecs.getincrementaldecoder("utf-8")("backslashreplace")
        self._pending = ""

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._emit(self._pending + self._decoder.decode(bytes(data)))
        return len(data)

    def _emit(self, text: str, final: bool = False) -> None:
        from competency.text import terminal_lines

        self._pending = ""
        if not final and text.endswith("\r"):
            text, self._pending = text[:-1], "\r"
        if text:
            self._out.write(terminal_lines(text).encode("utf-8"))

    def finish(self) -> None:
        """Write what is held back, and flush."""
        self._emit(self._pending + self._decoder.decode(b"", final=True), final=True)
        self._out.flush()


def cannot_write(exc: OSError, path: str | None) -> int:
    """One line for an output that could not be written (disk full, ...); exit status 2.

    A closed pipe (`| head`) is not such a failure: it is raised again, and ``main``
    ends quietly.
    """
    if isinstance(exc, BrokenPipeError):
        raise exc
    error(f"{path or 'stdout'}: cannot write it ({exc.strerror or exc})")
    return 2


@contextlib.contextmanager
def binary_output(path: str) -> Iterator[IO[bytes]]:
    """A binary output file written aside and renamed into place only when complete."""
    from competency.files import atomic_writer

    with atomic_writer(Path(path)) as handle:
        yield handle
