"""Every output the tool writes, and one registry per command that writes them.

A writer is a function ``write_x(model, out)``: it lays out one command's model (a
``Report``, a ``Comparison``, a ``ScoreStream``, a ``TeamSummary``) on a binary stream.
``WRITERS`` names them as ``module:function`` so that the command line can list formats
(``--format``'s choices, ``--help``) without importing any writer, and a new format is one
new function and one line here. Reports and comparisons are sealed for ``competency
verify`` by ``write``, so no writer has to remember to.

This module imports nothing heavy: the command line reads it at start-up.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from competency.files import is_reserved_name

WRITERS: dict[str, dict[str, str]] = {
    "report": {
        "html": "competency.outputs.html:write_html",
        "md": "competency.outputs.markdown:write_markdown",
        "json": "competency.outputs.json_format:write_json",
    },
    "compare": {
        "md": "competency.outputs.compare:write_comparison_md",
        "html": "competency.outputs.compare:write_comparison_html",
        "json": "competency.outputs.compare:write_comparison_json",
    },
    "score": {
        "table": "competency.outputs.scores:write_table",
        "jsonl": "competency.outputs.scores:write_jsonl",
        "csv": "competency.outputs.scores:write_csv",
        "xlsx": "competency.outputs.workbook:write_xlsx",
    },
    "summary": {
        "table": "competency.outputs.team:write_table",
        "md": "competency.outputs.team:write_markdown",
        "html": "competency.outputs.team:write_html",
        "json": "competency.outputs.team:write_json",
        "csv": "competency.outputs.team:write_csv",
    },
    "credential": {
        "json": "competency.outputs.credential:write_json",
        "jwt": "competency.outputs.credential:write_jwt",
    },
    "export-framework": {
        "csv": "competency.outputs.framework_sheet:write_csv",
        "xlsx": "competency.outputs.framework_sheet:write_xlsx",
        "case": "competency.outputs.case_package:write_case",
    },
}
"""Command -> format name -> the function that writes it, in the order ``--help`` lists."""

SEALED = frozenset({"report", "compare"})
"""Commands whose outputs carry the digests ``competency verify`` checks."""

FILE_ONLY = {"xlsx": "a workbook file"}
"""Formats that are files, never text on a terminal (they need ``--output``): what each is."""

EXTENSIONS = {"html": ".html", "md": ".md", "json": ".json", "jsonl": ".jsonl", "csv": ".csv"}

REPORT_MARK = ".report"
"""What the tool puts between an assessment's stem and a report's extension."""

Writer = Callable[[Any, IO[bytes]], None]


def formats(command: str) -> tuple[str, ...]:
    """The format names ``command`` writes, as ``--format`` takes them."""
    return tuple(WRITERS[command])


def writer(command: str, fmt: str) -> Writer:
    """The function that writes ``command``'s output in ``fmt``."""
    try:
        target = WRITERS[command][fmt]
    except KeyError:
        known = ", ".join(WRITERS.get(command, {}))
        raise ValueError(f"{command} has no format {fmt!r}; choose from {known}") from None
    module, _, name = target.partition(":")
    function: Writer = getattr(importlib.import_module(module), name)
    return function


def write(
    command: str,
    fmt: str,
    model: Any,
    out: IO[bytes],
    *,
    sign: Callable[[bytes], str] | None = None,
) -> None:
    """Write ``model`` as ``command``'s ``fmt`` output to ``out``, sealed where it must be.

    ``sign``, for a sealed output, signs its body before the seal is made
    (``competency.outputs.signature``).
    """
    function = writer(command, fmt)
    if command not in SEALED:
        if sign is not None:
            raise ValueError(f"{command} outputs are not sealed, so they cannot be signed")
        function(model, out)
        return
    from competency.outputs.seal import seal

    buffer = io.BytesIO()
    function(model, buffer)
    body = buffer.getvalue()
    if sign is not None:
        from competency.outputs.signature import insert

        body = insert(fmt, body, sign)
    out.write(seal(fmt, body))


def report_path(assessment: Path, fmt: str) -> Path:
    """Where a report of ``assessment`` goes: beside it, ``maya.json`` -> ``maya.report.md``.

    Never a name Windows keeps for a device: ``con.json`` (made elsewhere) -> ``con_.report.md``.
    """
    stem = assessment.stem + ("_" if is_reserved_name(assessment.stem) else "")
    return assessment.with_name(f"{stem}{REPORT_MARK}{EXTENSIONS.get(fmt, '.' + fmt)}")


def is_report_name(name: str) -> bool:
    """Whether a file name is one ``report_path`` makes for JSON (folder walks skip them)."""
    return name.lower().endswith(REPORT_MARK + EXTENSIONS["json"])


@contextlib.contextmanager
def as_text(out: IO[bytes]) -> Iterator[IO[str]]:
    """A UTF-8 text view of a binary stream for writers built on text (csv, rich).

    Newlines are written as given, so the CSV writer's CRLF stays CRLF. The binary stream
    is left open for whoever gave it.
    """
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    try:
        yield text
        text.flush()
    finally:
        text.detach()


TABLE_ROWS = 100
"""The most rows a terminal table of people or files lists (score, summary). Past that
a table is more than a screen shows, and rich takes seconds to lay it out (10,000 files:
35 s); ``more_rows`` says how many more there are and which formats hold them all."""


def more_rows(total: int, what: str, formats: str) -> str | None:
    """The line under a table cut at ``TABLE_ROWS``, or None when nothing was cut."""
    if total <= TABLE_ROWS:
        return None
    return f"... and {total - TABLE_ROWS:,} more {what}; {formats} lists them all."


def text_console(stream: IO[str]) -> Any:
    """A rich console writing to ``stream`` for the terminal tables.

    A reader that goes away (``competency summary team/ | head``) raises
    ``BrokenPipeError``, which the command line takes as the end of the output (exit 0,
    no traceback), as for every other format; rich would exit with status 1 itself.
    """
    return _console_class()(file=stream)


@functools.cache
def _console_class() -> type:
    from rich.console import Console

    class PipeConsole(Console):
        def on_broken_pipe(self) -> None:
            raise BrokenPipeError

    return PipeConsole
