"""Every output the tool writes: one ``Format`` record per format, grouped by command.

A writer is a function ``write_x(model, out)``: it lays out one command's model (a
``Report``, a ``Comparison``, a ``ScoreStream``, a ``TeamSummary``) on a binary stream.
A ``Format`` names its writer as ``module:function``, so that the command line can list
formats (``--format``'s choices, ``--help``) without importing any writer, and a new format
is one new function and one record here. Reports and comparisons are sealed for
``competency verify`` by ``write``, so no writer has to remember to.

This module imports nothing heavy: the command line reads it at start-up.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import io
from collections.abc import Callable, Iterator
from typing import IO, Any, NamedTuple

Writer = Callable[[Any, IO[bytes]], None]


class Format(NamedTuple):
    """One format of one command's output: everything the tool knows about it.

    A ``NamedTuple`` rather than a dataclass: ``dataclasses`` would add ``inspect`` to
    every command's start-up.
    """

    name: str
    """What ``--format`` takes."""
    writer: str
    """The function that writes it, as ``module:function`` (imported only when used)."""
    suffix: str
    """The extension a file of it carries (a report beside its assessment is named so)."""
    sealed: bool = False
    """It carries the digests ``competency verify`` checks (reports, comparisons)."""
    file_only: str | None = None
    """What it is, when it is a file and never text on a terminal (it needs ``--output``)."""
    styled: bool = False
    """A rich table: it escapes its own text for the terminal and keeps its colours."""

    def write_function(self) -> Writer:
        """The writer itself, imported now."""
        module, _, name = self.writer.partition(":")
        function: Writer = getattr(importlib.import_module(module), name)
        return function


def _by_name(*found: Format) -> dict[str, Format]:
    return {fmt.name: fmt for fmt in found}


FORMATS: dict[str, dict[str, Format]] = {
    "report": _by_name(
        Format("html", "competency.outputs.html:write_html", ".html", sealed=True),
        Format("md", "competency.outputs.markdown:write_markdown", ".md", sealed=True),
        Format("json", "competency.outputs.json_format:write_json", ".json", sealed=True),
    ),
    "compare": _by_name(
        Format("md", "competency.outputs.compare:write_comparison_md", ".md", sealed=True),
        Format("html", "competency.outputs.compare:write_comparison_html", ".html", sealed=True),
        Format("json", "competency.outputs.compare:write_comparison_json", ".json", sealed=True),
    ),
    "score": _by_name(
        Format("table", "competency.outputs.scores:write_table", ".txt", styled=True),
        Format("jsonl", "competency.outputs.scores:write_jsonl", ".jsonl"),
        Format("csv", "competency.outputs.scores:write_csv", ".csv"),
        Format(
            "xlsx", "competency.outputs.workbook:write_xlsx", ".xlsx", file_only="a workbook file"
        ),
    ),
    "summary": _by_name(
        Format("table", "competency.outputs.team:write_table", ".txt", styled=True),
        Format("md", "competency.outputs.team:write_markdown", ".md"),
        Format("html", "competency.outputs.team:write_html", ".html"),
        Format("json", "competency.outputs.team:write_json", ".json"),
        Format("csv", "competency.outputs.team:write_csv", ".csv"),
    ),
    "credential": _by_name(
        Format("json", "competency.outputs.credential:write_json", ".json"),
        Format("jwt", "competency.outputs.credential:write_jwt", ".jwt"),
    ),
    "export-framework": _by_name(
        Format("csv", "competency.outputs.framework_sheet:write_csv", ".csv"),
        Format(
            "xlsx",
            "competency.outputs.framework_sheet:write_xlsx",
            ".xlsx",
            file_only="a workbook file",
        ),
        Format("case", "competency.outputs.case_package:write_case", ".json"),
    ),
    "schema": _by_name(Format("json", "competency.schemas:write_schema", ".json")),
    "status": _by_name(
        Format("table", "competency.outputs.status:write_table", ".txt", styled=True),
        Format("json", "competency.outputs.status:write_json", ".json"),
    ),
}
"""Command -> format name -> its record, in the order ``--help`` lists."""


def formats(command: str) -> tuple[str, ...]:
    """The format names ``command`` writes, as ``--format`` takes them."""
    return tuple(FORMATS[command])


def format_of(command: str, name: str) -> Format:
    """``command``'s format called ``name``."""
    try:
        return FORMATS[command][name]
    except KeyError:
        known = ", ".join(FORMATS.get(command, {}))
        raise ValueError(f"{command} has no format {name!r}; choose from {known}") from None


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
    found = format_of(command, fmt)
    function = found.write_function()
    if not found.sealed:
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
