"""Reading and writing assessment files: the only module that does file I/O for them.

``load_assessment`` and ``save_assessment`` are symmetric. Saves are atomic: the new
content goes to a temporary file in the same folder, is flushed and fsynced, and then
renamed over the old file, so a crash leaves either the old file or the new one, never
half of either. ``AssessmentStore`` adds what an interactive session needs on top: a
lock against a second session on the same file, and a check that nobody changed the
file behind the session's back before it is overwritten.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import json
import os
from datetime import date
from functools import cache
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from competency import portable
from competency.errors import AssessmentError, from_validation_error
from competency.files import (
    MAX_INPUT_BYTES,
    FileChanged,
    free_path,
    hidden_name,
    is_own_temporary,
    read_input,
    slug,
    temporary_prefix,
    without_bom,
    write_atomic,
)
from competency.ratings import utc_now

if TYPE_CHECKING:
    from collections.abc import Callable

    from pydantic_core import ValidationError

    # The model needs pydantic, imported when a file is parsed: a new session can take
    # its file's lock and draw its first screen before pydantic loads.
    from competency.assessment import Assessment
    from competency.framework.bundled import FrameworkResolver
    from competency.framework.model import Framework

DEFAULT_MAX_BYTES = MAX_INPUT_BYTES
"""Assessments are a few KiB; anything over 10 MB is refused unread."""


def read_assessment_bytes(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read a file's bytes, refusing one over ``max_bytes`` without reading it."""
    return read_input(path, AssessmentError, max_bytes)


MAX_JSON_VALUES = 200_000
"""The most JSON values (objects, arrays and items, counted by their ``{``, ``[`` and ``,``)
an assessment may hold. A real one holds a few hundred (a few thousand for a framework of
thousands of statements); this bounds what parsing one file can cost in memory, whatever
its shape: ten megabytes of ``[{}, {}, ...]`` would otherwise become 350 MB of objects."""


def parse_assessment(data: bytes, source: str) -> Assessment:
    """Parse an assessment file's bytes, or refuse them with one line naming the place."""
    model, validation_error, reworded = _model()
    data = without_bom(data)
    # Each value counted is one byte, so a file of at most MAX_JSON_VALUES bytes (every
    # real assessment) cannot hold too many, and is spared three passes over it.
    if len(data) > MAX_JSON_VALUES and (
        data.count(b",") + data.count(b"{") + data.count(b"[") > MAX_JSON_VALUES
    ):
        raise AssessmentError(
            f"holds too many JSON values (over {MAX_JSON_VALUES:,}); an assessment holds a "
            "few thousand at most",
            source=source,
        )
    try:
        # The model's validator itself: ``model_validate_json`` only forwards to it.
        validated: Assessment = model.__pydantic_validator__.validate_json(data)
    except validation_error as exc:
        if not data.strip():
            raise AssessmentError("the file is empty", source=source) from None
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as bad:
            raise AssessmentError(
                f"not UTF-8 text (bad byte at offset {bad.start})", source=source
            ) from None
        raise from_validation_error(
            exc, source=source, kind=AssessmentError, reword=reworded
        ) from None
    return validated


@cache
def _model() -> tuple[type[Assessment], type[ValidationError], Callable[..., str | None]]:
    """The model, its error type and its rewording, imported on the first parse (a new
    session draws its first screen before pydantic loads) and then at no cost."""
    # pydantic_core's own name: ``from pydantic import ...`` goes through pydantic's lazy
    # module ``__getattr__``, about 10 us a call.
    from pydantic_core import ValidationError

    from competency.assessment import Assessment, reworded

    return Assessment, ValidationError, reworded


def load_assessment(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Assessment:
    """Load and validate one assessment file (the framework check is separate)."""
    return read_assessment(Path(path), max_bytes)[0]


def read_assessment(
    path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[Assessment, bytes]:
    """An assessment file parsed, with its bytes (which a report's digest names)."""
    data = read_assessment_bytes(path, max_bytes)
    return parse_assessment(data, str(path)), data


def read_checked(path: str, frameworks: FrameworkResolver) -> tuple[Assessment, Framework, bytes]:
    """An assessment file parsed, the framework that scores it (which it must fit, see
    ``competency.assessment.framework_for``), and the file's bytes."""
    from competency.assessment import framework_for

    assessment, data = read_assessment(path)
    return assessment, framework_for(assessment, path, frameworks), data


def dump_assessment(assessment: Assessment) -> bytes:
    """The exact bytes ``save_assessment`` writes: indented UTF-8 JSON and a newline."""
    text = json.dumps(assessment.to_json_dict(), ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")


def save_assessment(assessment: Assessment, path: str | Path) -> bytes:
    """Write ``assessment`` to ``path`` atomically and return the bytes written."""
    data = dump_assessment(assessment)
    write_atomic(Path(path), data)
    return data


def digest(data: bytes) -> str:
    """``sha256:<hex>`` of some bytes: how reports name the assessment they came from."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


def safe_file_stem(name: str, today: date | None = None) -> str:
    """A file name stem built from a person's name and the date, that cannot leave a folder.

    ``../../x/evil`` becomes ``x-evil-2026-11-22``: only letters (of any script), digits
    and single hyphens survive (``files.slug``), so no separator, dot-dot or control
    character reaches the path.
    """
    day = (today or utc_now().date()).isoformat()
    return f"{slug(name, keep_letters=True, limit=60) or 'assessment'}-{day}"


def new_assessment_path(folder: Path, name: str, today: date | None = None) -> Path:
    """A path inside ``folder`` for a new assessment of ``name`` that does not exist yet,
    in any case (see ``files.free_path``)."""
    return free_path(folder, safe_file_stem(name, today), ".json")


class AssessmentLocked(AssessmentError):
    """Another live session has the file open."""


class AssessmentChanged(AssessmentError):
    """The file on disk changed since this session last read or wrote it."""


class AssessmentStore:
    """One open assessment file, for an interactive session.

    ``acquire`` takes an exclusive lock on a lock file beside the assessment
    (``.NAME.lock``; see ``portable.take_lock``). The OS drops the lock when its process
    dies, however it dies, so a crash never leaves the file stuck; the lock file keeps the
    holder's pid and host only to name them in the refusal. ``save`` refuses to overwrite
    the assessment if its bytes on disk are not the ones this store last read or wrote.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        # Lock and save the real file: a symlink to it takes the same lock, and stays a
        # symlink. (A second hard link is refused on load: see `_refuse_hard_links`.)
        self.real = Path(os.path.realpath(self.path))
        self.lock_path = self.real.with_name(hidden_name(self.real.name, ".lock"))
        self._known: bytes | None = None
        self._lock_fd: int | None = None

    # -- locking -------------------------------------------------------------------
    def acquire(self) -> None:
        """Take the lock, or raise ``AssessmentLocked`` naming who holds it."""
        if self._lock_fd is not None:
            return
        try:
            self._lock_fd = portable.take_lock(self.lock_path)
        except portable.LockHeld as held:
            holder = held.holder.split()
            who = f" (process {' on '.join(holder[:2])})" if holder else ""
            raise AssessmentLocked(
                f"already open in another session{who}; close it there first",
                source=str(self.path),
            ) from None
        except portable.NotAPlainFile:
            # Never through a symlink: a planted ``.NAME.lock`` link would make the session
            # truncate whatever it points to.
            raise AssessmentError(
                f"cannot lock it: {self.lock_path.name} is not a plain file; remove it",
                source=str(self.path),
            ) from None
        except OSError as exc:
            raise AssessmentError(
                f"cannot lock it ({exc.strerror or exc}: {self.lock_path.name})",
                source=str(self.path),
            ) from None
        self._remove_stale_temporary_files()

    def _remove_stale_temporary_files(self) -> None:
        # A save killed between creating its temporary file and renaming it leaves
        # `.NAME.<12 hex>.tmp` behind. Only a file with exactly that name, that no living
        # writer holds locked (`atomic_writer` locks its temporary file until the rename),
        # is removed: `.NAME.csv.<hex>.tmp` is another output's, being written now.
        name = self.real.name
        prefix = temporary_prefix(name)
        for debris in self.real.parent.glob(f"{glob.escape(prefix)}*.tmp"):
            if is_own_temporary(name, debris.name) and portable.is_abandoned(debris):
                with contextlib.suppress(OSError):
                    debris.unlink()

    def release(self) -> None:
        """Drop the lock if this store holds it (and tidy the lock file away)."""
        if self._lock_fd is not None:
            portable.release_lock(self.lock_path, self._lock_fd)
            self._lock_fd = None

    @property
    def holds_lock(self) -> bool:
        """True while this store holds the file's lock."""
        return self._lock_fd is not None

    def __enter__(self) -> AssessmentStore:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()

    # -- reading and writing ---------------------------------------------------------
    def load(self) -> Assessment:
        """Read the file and remember its bytes for the change check."""
        self._refuse_hard_links()
        data = read_assessment_bytes(self.real)
        assessment = parse_assessment(data, str(self.path))
        self._known = data
        return assessment

    def _refuse_hard_links(self) -> None:
        # Two names for one inode would be two lock files, and a save (a rename) would
        # split them: one name would keep the old answers. Refused, with what to do.
        try:
            links = os.stat(self.real).st_nlink
        except OSError:
            return  # read_assessment_bytes names the problem
        if links > 1:
            raise AssessmentError(
                f"the file has {links} names (hard links); a save would leave the others "
                "behind. Keep one name (a symlink may point to it) and open that",
                source=str(self.path),
            )

    def save(self, assessment: Assessment) -> None:
        """Stamp ``updated_at`` and write atomically, unless the file changed behind us.

        The check runs three times: before the new version is made, after it is on disk
        immediately before the rename, and on what the rename actually replaced (Linux
        swaps the files atomically; the other program's version is put back if it wrote
        in between). Only the lock holder saves, so no other session races here.
        """
        self._check_unchanged()
        assessment.updated_at = utc_now()
        data = dump_assessment(assessment)
        try:
            write_atomic(self.real, data, unchanged=lambda now: now == self._known)
        except FileChanged:
            raise self._changed() from None
        self._known = data

    def _check_unchanged(self) -> None:
        try:
            current: bytes | None = self.real.read_bytes()
        except FileNotFoundError:
            current = None
        if current != self._known:
            raise self._changed()

    def _changed(self) -> AssessmentChanged:
        return AssessmentChanged(
            "the file was changed outside this session; your last change was not saved "
            "over it. Reopen the file to continue.",
            source=str(self.path),
        )
