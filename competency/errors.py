"""The tool's own error types.

Every refusal a user can see is one of these, and its ``str()`` is the one line the user
reads: the file, the place in it, and what is wrong. Commands print that line; they never
print a traceback for bad input.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from competency.text import terminal


class CompetencyError(Exception):
    """A refusal with a message a user can act on.

    ``source`` names the file (or ``<stdin>``), ``location`` the place in it as a dotted
    path such as ``ratings.emerging.9``, and ``message`` what is wrong there.
    """

    def __init__(self, message: str, *, source: str | None = None, location: str = "") -> None:
        self.message = message
        self.source = source
        self.location = location
        super().__init__(self.line)

    @property
    def line(self) -> str:
        """The single line shown to the user: ``file: place: message``.

        The place and message can quote the file (a statement id, a value), so control
        characters are shown escaped: a hostile file cannot move the cursor, recolour
        the terminal or break the one-line promise.
        """
        parts = [p for p in (self.source, self.location) if p]
        return terminal(": ".join([*parts, self.message]))

    def __str__(self) -> str:
        return self.line


class FrameworkError(CompetencyError):
    """A framework file or its area map is unusable."""


class AssessmentError(CompetencyError):
    """An assessment file is unreadable, malformed, or does not fit its framework."""


def dotted(loc: Sequence[Any]) -> str:
    """Render a pydantic error location such as ``('ratings', 'emerging.9')`` as a path."""
    return ".".join(str(part) for part in loc)


def from_validation_error(
    error: Any,
    *,
    source: str,
    kind: type[CompetencyError],
    prefix: str = "",
    reword: Callable[[dict[str, Any]], str | None] | None = None,
) -> CompetencyError:
    """Turn a pydantic ``ValidationError`` into one of our one-line errors.

    The first error is the one named; when there are more, the line says how many, so a
    user fixing a hand-edited file knows to run the check again. ``reword`` gives the
    message of an error type of the file's own (None: pydantic's, made plain).
    """
    errors = error.errors(include_url=False)
    first = errors[0]
    location = dotted(first["loc"])
    if prefix:
        location = f"{prefix}.{location}" if location else prefix
    message = (reword and reword(first)) or _plain(first)
    if len(errors) > 1:
        message += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
    return kind(message, source=source, location=location)


def _plain(err: dict[str, Any]) -> str:
    """Reword pydantic's messages where they would puzzle someone who is not a programmer."""
    kind = err["type"]
    if kind == "json_invalid":
        detail = str(err.get("ctx", {}).get("error", ""))
        if detail.startswith("EOF while parsing a value at line 1 column 0"):
            return "the file is empty"
        return f"not valid JSON ({detail})" if detail else "not valid JSON"
    if kind == "missing":
        return "required but missing"
    if kind == "extra_forbidden":
        return "not a known field"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return "should be an object ({...})"
    msg = str(err["msg"])
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    return msg
