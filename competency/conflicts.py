"""Conflict copies from synced folders: two files of one assessment that disagree (SPEC 7).

OneDrive, Dropbox, Nextcloud and the like never merge two edits of one file: they keep
both, the second beside the first under another name (``ada (conflicted copy
2026-12-01).json``, ``ada (conflicted copy 2026-12-01 101010).json``, ``ada-LAPTOP.json``,
``ada-LAPTOP-1.json``). ``status`` and ``summary`` show such files as a conflict and
never silently reduce them to one; nothing here deletes or changes a file.

Two files are copies of one assessment, one cycle, when they are of the same person
(``summary.person_key``: ``subject.id``, else the name with case and spacing aside) and
the same framework, and were begun at the same moment: ``started_at``, which the tool
writes once, when the assessment is created, and which every copy keeps; a new cycle is a
new assessment, begun later. A file without ``started_at`` (written by another tool)
gives no such moment: it is then of the same cycle as another only when one's name is the
other's with a sync service's conflict suffix. Copies conflict when their answers differ:
the person's ratings, notes and targets, or the ratings, notes and comment of two reviews
(a copy with a review and one without are the same answers a step apart, as a submitted
file and its review are). Copies with the same answers are the same assessment saved
twice, and ``summary`` counts the person once, as it does any older file.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from competency.assessment import Assessment

SUFFIXES = re.compile(
    r"(?:"
    r" \([^()]*conflicted copy[^()]*(?:\(\d+\))?[^()]*\)"  # Dropbox, Nextcloud, ownCloud
    # OneDrive: -COMPUTERNAME, -COMPUTERNAME-1 (a name with a letter: -2025 is a year)
    r"|-(?=[A-Za-z0-9_]*[A-Za-z])[A-Za-z0-9_]+(?:-\d+)?"
    r"|\.sync-conflict-\d{8}-\d{6}-[A-Z0-9]+"  # Syncthing
    r"| \(\d+\)"  # Google Drive and browsers: " (1)"
    r")$"
)


@dataclass(frozen=True, slots=True)
class Copy:
    """What tells one file's assessment from another's: whose, which cycle, what answers."""

    file: str
    person: str
    """``summary.person_key`` of its subject."""
    name: str
    framework: str
    started_at: datetime | None
    answers: str
    """A digest of the person's answers (ratings, notes, targets)."""
    review: str | None
    """A digest of the review's (ratings, notes, comment), when there is one."""


@dataclass(frozen=True, slots=True)
class Conflict:
    """Files of one person's assessment (one cycle) whose answers differ."""

    name: str
    person: str
    started_at: datetime | None
    files: tuple[str, ...]
    """In the order they were given (folders sorted by path)."""

    @property
    def begun(self) -> str | None:
        """``started_at`` as the file writes it."""
        return None if self.started_at is None else _iso(self.started_at)

    def line(self, counted: str | None = None) -> str:
        from competency.text import terminal

        begun = "" if self.begun is None else f", begun {self.begun}"
        files = ", ".join(self.files)
        said = "" if counted is None else f"; {counted} is counted until one is kept"
        return terminal(
            f"conflict: {self.name}: {files} are copies of one assessment{begun}, with "
            f"different answers (a synced folder kept both){said}; keep the right one "
            "and move the other away"
        )


def _iso(stamp: datetime) -> str:
    return stamp.isoformat().replace("+00:00", "Z")


def copy_of(assessment: Assessment, file: str) -> Copy:
    """The facts of one file's assessment that ``conflicts`` compares."""
    from competency.summary import person_key

    review = assessment.review
    own = {"ratings": assessment.ratings, "notes": assessment.notes, "targets": assessment.targets}
    theirs = (
        None
        if review is None
        else {"ratings": review.ratings, "notes": review.notes, "comment": review.comment}
    )
    subject = assessment.subject
    return Copy(
        file=file,
        person=person_key(subject.name, subject.id),
        name=subject.name,
        framework=assessment.framework.id,
        started_at=assessment.started_at,
        answers=_digest(own),
        review=None if theirs is None else _digest(theirs),
    )


def _digest(answers: dict[str, object]) -> str:
    return hashlib.sha256(json.dumps(answers, sort_keys=True).encode()).hexdigest()


def read_copy(file: str) -> Copy | None:
    """``copy_of`` the file, read again; None when it cannot be read."""
    from pathlib import Path

    from competency.errors import CompetencyError
    from competency.storage import load_assessment

    try:
        return copy_of(load_assessment(Path(file)), file)
    except (CompetencyError, OSError):
        return None


def is_conflict_name(one: str, other: str) -> bool:
    """Whether one file's name is the other's with a sync service's conflict suffix."""
    a, b = PurePath(one), PurePath(other)
    if a.suffix.casefold() != b.suffix.casefold():
        return False
    for original, copy in ((a.stem, b.stem), (b.stem, a.stem)):
        if copy.startswith(original) and SUFFIXES.fullmatch(copy[len(original) :]):
            return True
    return False


def same_cycle(a: Copy, b: Copy) -> bool:
    """Two files of one person's assessment of one cycle (see the module's docstring)."""
    if a.person != b.person or a.framework != b.framework:
        return False
    if a.started_at is not None and b.started_at is not None:
        return a.started_at == b.started_at
    return is_conflict_name(a.file, b.file)


def conflicts(copies: Iterable[Copy]) -> list[Conflict]:
    """Every group of one cycle's copies whose answers differ, in the order given."""
    people: dict[tuple[str, str], list[list[Copy]]] = {}
    for copy in copies:
        groups = people.setdefault((copy.person, copy.framework), [])
        home = next((g for g in groups if any(same_cycle(copy, c) for c in g)), None)
        if home is None:
            groups.append([copy])
        else:
            home.append(copy)
    return [
        Conflict(g[0].name, g[0].person, g[0].started_at, tuple(c.file for c in g))
        for groups in people.values()
        for g in groups
        if len({c.answers for c in g}) > 1 or len({c.review for c in g} - {None}) > 1
    ]


def conflicts_among(
    files_by_person: dict[str, list[str]], read: Callable[[str], Copy | None] = read_copy
) -> list[Conflict]:
    """The conflicts among each person's files; only people with two files or more are
    read again."""
    found: list[Conflict] = []
    for files in files_by_person.values():
        if len(files) > 1:
            found += conflicts(c for c in map(read, files) if c is not None)
    return found
