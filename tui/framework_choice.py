"""What the start screen is given: the frameworks it offers and where the files go."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from competency.framework.model import Framework
from competency.ratings import DEFAULT_THRESHOLD
from competency.session import NewSubject, Session


@dataclass(frozen=True)
class FrameworkChoice:
    """A framework the start screen offers, loaded only once it is picked."""

    label: str
    load: Callable[[], Framework]


@dataclass(frozen=True)
class StartOptions:
    """Everything the start screen needs to create, or resume, an assessment."""

    folder: Path
    """Where new assessments are written, and where earlier ones are listed to resume."""
    choices: Sequence[FrameworkChoice]
    """The frameworks offered; a picker shows when there is more than one."""
    threshold: float = DEFAULT_THRESHOLD
    subject: NewSubject | None = None
    """The fields typed in already (``assess --name`` of someone with an assessment)."""
    resume: Callable[[Path], Session] | None = field(default=None, compare=False)
    """Opens one of the listed files (locked, checked against its framework)."""
    profile: str | None = None
    """The role profile to offer first (``assess --profile``)."""
