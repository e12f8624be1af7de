"""Reading inputs and writing outputs: the only low-level file I/O of the tool.

Reading: a file over the size limit is refused from its size alone, so a 300 MB
"assessment" never reaches memory; OS errors become one line naming the file.

Writing: content goes to a temporary file in the target's folder, is flushed and fsynced,
and is renamed over the target; the folder is fsynced so the rename survives a power cut.
A crash at any moment leaves the old file or the new one, never a mix. New files are
readable by their owner only. Devices and pipes are written in place, never renamed over.

Outputs never replace inputs: ``protect_output`` marks an output file, and every later
read of it (by any name: symlink, hard link) is refused.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import re
import secrets
import stat
import sys
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from competency import portable
from competency.errors import CompetencyError, FrameworkError

MAX_INPUT_BYTES = 10 * 1024 * 1024
"""Frameworks and assessments are KiBs; anything over 10 MB is refused unread."""


def _identity(info: os.stat_result) -> tuple[int, int]:
    return info.st_dev, info.st_ino


_OUTPUTS: set[tuple[int, int]] = set()
"""The device and inode of every existing file this process will write as an output."""


def protect_output(path: str | Path) -> None:
    """Make every later read of the file at ``path``, by any name, a refusal.

    One output per run: a new call replaces the file protected before.

    Called for ``--output`` before a command reads anything: the framework, the area map
    beside it, ``--areas``, every file of a scored folder and every symlink's target are
    then refused by ``read_input`` (and by ``refuse_if_output``), so an output can never
    replace a file the command read, whatever route the command took to it.
    """
    _OUTPUTS.clear()
    with contextlib.suppress(OSError):
        _OUTPUTS.add(_identity(os.stat(path)))


def protected_outputs() -> frozenset[tuple[int, int]]:
    """The protected outputs' identities, to hand to a worker process."""
    return frozenset(_OUTPUTS)


def protect_identities(identities: frozenset[tuple[int, int]]) -> None:
    """In a worker process: protect the outputs its parent protects."""
    _OUTPUTS.clear()
    _OUTPUTS.update(identities)


def forget_outputs() -> None:
    """Protect no output any more (a new command starts)."""
    _OUTPUTS.clear()


def is_output(path: str | Path) -> bool:
    """The file at ``path`` (symlinks followed, any hard link) is a protected output."""
    if not _OUTPUTS:
        return False
    try:
        return _identity(os.stat(path)) in _OUTPUTS
    except OSError:
        return False


OUTPUT_IS_INPUT = "is also the --output file; writing there would replace it"


def refuse_if_output(path: str | Path, kind: type[CompetencyError] = CompetencyError) -> None:
    """Raise ``kind`` when ``path`` names a protected output (see ``protect_output``)."""
    if is_output(path):
        raise kind(OUTPUT_IS_INPUT, source=str(path))


def read_input(
    path: str | Path,
    kind: type[CompetencyError] = FrameworkError,
    max_bytes: int = MAX_INPUT_BYTES,
) -> bytes:
    """The file's bytes, or ``kind`` with one line naming the file."""
    source = str(path)
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below.
        # Plain descriptors, no file object: a batch reads thousands of small files.
        flags = os.O_RDONLY | portable.O_NONBLOCK | portable.O_CLOEXEC | portable.O_BINARY
        fd = os.open(path, flags)
        try:
            info = os.fstat(fd)
            if stat.S_ISDIR(info.st_mode):
                raise IsADirectoryError
            if not stat.S_ISREG(info.st_mode):
                raise kind("not a regular file (a pipe or a device?)", source=source)
            if _identity(info) in _OUTPUTS:
                raise kind(OUTPUT_IS_INPUT, source=source)
            size = info.st_size
            if size > max_bytes:
                raise kind(
                    f"file is {size:,} bytes, over the {max_bytes:,}-byte limit", source=source
                )
            # Ask for what the file holds (plus one byte, to see it grew), not for the
            # limit: a 10 MB request per file costs a fresh memory map each time. A read
            # of exactly the size is the whole file, with no second read to see the end.
            data = os.read(fd, size + 1)
            if len(data) != size:  # short, or it grew while we read: read on to the limit
                data += _read_up_to(fd, max_bytes + 1 - len(data))
        finally:
            os.close(fd)
    except FileNotFoundError:
        raise kind("no such file", source=source) from None
    except IsADirectoryError:
        raise kind("is a folder, not a file", source=source) from None
    except OSError as exc:
        raise kind(f"cannot read it ({exc.strerror})", source=source) from None
    if len(data) > max_bytes:
        raise kind(f"file is over the {max_bytes:,}-byte limit", source=source)
    return data


def _read_up_to(fd: int, wanted: int) -> bytes:
    """Up to ``wanted`` bytes from ``fd``: fewer only at the end of the file."""
    data = os.read(fd, wanted)
    while 0 < len(data) < wanted:
        more = os.read(fd, wanted - len(data))
        if not more:
            break
        data += more
    return data


def walk_files(folder: str, wanted: Callable[[str], bool]) -> Iterator[tuple[str, OSError | None]]:
    """Every file below ``folder`` whose name is ``wanted``, sorted by path, as ``(path, None)``;
    a folder that cannot be listed as ``(folder, error)``, so it is named, never skipped.

    Without recursion, so a tree 10,000 folders deep costs a list per level, not a stack
    frame. Each listing is sorted by name and descended in that order, which is the
    order of every path sorted by its parts. A symlinked folder is followed once (a loop
    is not walked twice).
    """
    seen: set[tuple[int, int]] = set()
    stack: list[Iterator[os.DirEntry[str]]] = []

    def enter(path: str) -> OSError | None:
        try:
            info = os.stat(path)
            with os.scandir(path) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as exc:
            return exc
        if _identity(info) not in seen:
            seen.add(_identity(info))
            stack.append(iter(entries))
        return None

    error = enter(folder)
    if error is not None:
        yield folder, error
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        try:
            is_dir = entry.is_dir()
            is_file = not is_dir and entry.is_file()
        except OSError:
            is_dir = is_file = False
        if is_dir:
            error = enter(entry.path)
            if error is not None:
                yield entry.path, error
        elif is_file and wanted(entry.name):
            yield entry.path, None


def is_json_name(name: str) -> bool:
    """``name`` ends in ``.json`` in any case: ``SAM.JSON`` from a Windows share counts."""
    return name[-5:].lower() == ".json"


def json_files(folder: Path) -> list[Path]:
    """The ``*.json`` files directly in ``folder`` (any case), sorted; hidden ones left out."""
    return sorted(
        path
        for path in folder.iterdir()
        if is_json_name(path.name) and not path.name.startswith(".")
    )


def slug(text: str, *, keep_letters: bool = False, limit: int | None = None) -> str:
    """Lower-case letters and digits joined by single hyphens, at most ``limit`` long.

    ``Information Services`` -> ``information-services``. Accents are dropped where that
    leaves ASCII (``Zoë Núñez`` -> ``zoe-nunez``). Ids are ASCII only; with
    ``keep_letters`` (file names) a letter of any other script stays as it is
    (``Мария Иванова`` -> ``мария-иванова``, ``李小龍`` -> ``李小龍``), so a name is never
    reduced to nothing. No separator, dot, space or control character survives, so a slug
    cannot leave a folder or hide in a listing.
    """
    if not keep_letters:  # letters with no ASCII form are dropped: ``Œuvre`` -> ``uvre``
        ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        kept = [re.sub("[^a-z0-9]+", "-", ascii_text.lower())]
    else:
        kept = []
        for char in unicodedata.normalize("NFC", text):
            folded = "".join(
                c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
            )
            if folded and folded.isascii():
                kept.append(re.sub("[^a-z0-9]+", "-", folded.lower()))
            elif unicodedata.category(char)[0] in "LMN":  # a letter, mark or digit
                kept.append(char.lower())
            else:
                kept.append("-")
    joined = re.sub("-+", "-", "".join(kept)).strip("-")
    return joined[:limit].strip("-") if limit is not None else joined


WINDOWS_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL"] + [f"{kind}{n}" for kind in ("COM", "LPT") for n in "123456789"]
)
"""Names Windows gives to devices in every folder, whatever the extension (``CON.json``)."""


def is_reserved_name(name: str) -> bool:
    """Windows would take ``name`` for a device: ``CON``, ``nul.report.html``, ``COM1.json``."""
    return name.split(".")[0].rstrip(" ").upper() in WINDOWS_RESERVED


def free_path(folder: Path, stem: str, suffix: str) -> Path:
    """``folder/STEM SUFFIX``, or ``STEM-2 SUFFIX``... : the first that no file in ``folder``
    has, even by another case (``Ada.json`` beside ``ada.json`` is one file on Windows and
    macOS), and that Windows does not reserve for a device."""
    try:
        taken = {name.casefold() for name in os.listdir(folder)}
    except OSError:
        taken = set()
    n = 1
    while True:
        name = f"{stem}{suffix}" if n == 1 else f"{stem}-{n}{suffix}"
        candidate = folder / name
        if not (name.casefold() in taken or is_reserved_name(name) or candidate.exists()):
            return candidate
        n += 1


UTF8_BOM = b"\xef\xbb\xbf"


def without_bom(data: bytes) -> bytes:
    """The bytes without a leading UTF-8 byte-order mark, which Windows editors add."""
    return data[len(UTF8_BOM) :] if data.startswith(UTF8_BOM) else data


class FileChanged(Exception):
    """The file being replaced is not what the writer expected: someone else wrote it."""


NEW_FILE_MODE = 0o600
"""New files (assessments, reports, exports: personnel data) are readable by their owner
only, unless their folder is a team's shared one (``portable.sharing_of``: ``0660`` in the
folder's group); a file that already exists keeps its mode and group."""

TOKEN_HEX = 12
"""Hex digits of the random part of a temporary file's name."""

NAME_MAX = 255
"""The longest file name, in bytes, that Linux and macOS file systems take."""


def hidden_name(name: str, tail: str) -> str:
    """``.NAME<tail>``, with NAME shortened (``~`` marks it) to fit in 255 bytes.

    A name of 238-255 bytes would otherwise give a lock or temporary name too long to
    create. Two long names alike in their first 230-odd bytes then share a lock file,
    which refuses a second session where none was needed, and never loses a save.
    """
    budget = NAME_MAX - len(".") - len(os.fsencode(tail))
    raw = os.fsencode(name)
    if len(raw) <= budget:
        return f".{name}{tail}"
    cut = budget - 1
    while cut > 0 and raw[cut] & 0xC0 == 0x80:  # never in the middle of a UTF-8 character
        cut -= 1
    return f".{os.fsdecode(raw[:cut])}~{tail}"


def temporary_prefix(name: str) -> str:
    """``.NAME.``: what every temporary file of ``name`` starts with (then hex, ``.tmp``)."""
    return hidden_name(name, "." + "0" * TOKEN_HEX + ".tmp")[: -TOKEN_HEX - len(".tmp")]


def is_own_temporary(name: str, candidate: str) -> bool:
    """``candidate`` has exactly the name ``atomic_writer`` gives a temporary for ``name``.

    ``.sam.json.<hex>.tmp`` is one of ``sam.json``'s; ``.sam.json.csv.<hex>.tmp`` is not.
    """
    prefix = temporary_prefix(name)
    token = candidate[len(prefix) : -len(".tmp")]
    return (
        candidate.startswith(prefix)
        and candidate.endswith(".tmp")
        and len(token) == TOKEN_HEX
        and all(c in "0123456789abcdef" for c in token)
    )


Check = Callable[[bytes | None], bool]
"""Told the target's current bytes (``None``: no file), says whether it may be replaced."""


@contextlib.contextmanager
def atomic_writer(path: str | Path, *, unchanged: Check | None = None) -> Iterator[IO[bytes]]:
    """Yield a binary handle; on a clean exit its content replaces ``path``.

    A symlink stays a symlink: the file it names is replaced. An existing target that is
    not a regular file (``/dev/null``, ``/dev/stdout``, a pipe) is written in place, never
    renamed over. With ``unchanged``, the target is checked once more after the new
    content is on disk, immediately before the rename, and again, atomically, by the
    rename itself (``unchanged`` raising ``FileChanged`` then puts the target back).
    """
    path = Path(path)
    try:
        info: os.stat_result | None = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        info = None
    if info is not None and not stat.S_ISREG(info.st_mode):
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, "is a folder", str(path))
        with open(path, "wb") as device:  # a device or a pipe: written in place
            yield device
            device.flush()
        return
    real = Path(os.path.realpath(path)) if path.is_symlink() else path
    made: list[str] = []  # the temporary file, as soon as it exists (see _create_beside)

    def place(tmp: str) -> None:
        if unchanged is None:
            os.replace(tmp, real)
        else:
            _replace_if_unchanged(tmp, real, unchanged)

    try:
        fd, tmp = _create_beside(real, made)
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(fd)
            if info is not None:  # an existing file keeps its mode and group
                portable.set_mode(fd, info.st_mode & 0o7777)
                portable.set_group(fd, info.st_gid)
            if portable.RENAMES_OPEN_FILES:
                place(tmp)  # the lock on the temporary file is held until the rename is done
        if not portable.RENAMES_OPEN_FILES:
            place(tmp)  # Windows renames only closed files
    except BaseException:
        # Stopped anywhere (a signal may arrive as the file is being made): no file left.
        for leftover in made:
            with contextlib.suppress(OSError):
                os.unlink(leftover)
        raise
    _fsync_folder(real.parent)


def _current(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _replace_if_unchanged(tmp: str, target: Path, unchanged: Check) -> None:
    if not unchanged(_current(target)):
        raise FileChanged(str(target))
    if not _exchange(tmp, target):
        os.replace(tmp, target)
        return
    # The old file now sits at `tmp`: what was replaced, exactly, at the instant of the
    # rename. Anything written to it after the check above shows here.
    if not unchanged(_current(Path(tmp))):
        _exchange(tmp, target)  # put the other program's version back
        raise FileChanged(str(target))
    os.unlink(tmp)


_RENAME_EXCHANGE = 2


def _exchange(a: str, b: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2``); False where that is not possible."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    import ctypes

    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOENT):  # not supported here, or no target
        return False
    raise OSError(code, os.strerror(code), str(b))


@functools.cache
def _renameat2() -> Any:
    if sys.platform != "linux":
        return None
    import ctypes

    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    function.restype = ctypes.c_int
    return function


def _create_beside(path: Path, made: list[str] | None = None) -> tuple[int, str]:
    """A new hidden temporary file beside ``path``, readable by its owner only, locked.

    The lock tells a cleanup of abandoned temporary files (``portable.is_abandoned``) that
    this one is being written. The name goes into ``made`` before the file is created, so
    a caller stopped by a signal at any point (even before this returns) can remove it:
    its random name is taken by no one else.
    """
    prefix = temporary_prefix(path.name)
    while True:
        tmp = str(path.parent / f"{prefix}{secrets.token_hex(TOKEN_HEX // 2)}.tmp")
        if made is not None:
            made[:] = [tmp]
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
            fd = portable.open_no_follow(tmp, flags, NEW_FILE_MODE)
        except FileExistsError:
            if made is not None:
                made.clear()  # someone else's
            continue
        portable.lock_new_file(fd)
        mode, group = portable.sharing_of(path.parent)
        if mode != NEW_FILE_MODE:  # a team's folder: shared with its group, whatever the umask
            portable.set_mode(fd, mode)
        if group is not None:
            portable.set_group(fd, group)
        return fd, tmp


def write_new(path: Path, data: bytes, *, mode: int = 0o644) -> None:
    """Write ``data`` as a new file with ``mode``, whole or not at all, never replacing one.

    ``FileExistsError`` if ``path`` exists. Written aside with its final mode, then given
    its name in one step that fails if the name was taken meanwhile (``portable.place_new``),
    so no reader ever sees half a file (a key, say).
    """
    fd, tmp = _create_beside(path)
    try:
        portable.set_mode(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        portable.place_new(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def write_atomic(path: str | Path, data: bytes, *, unchanged: Check | None = None) -> None:
    """Replace ``path`` with ``data`` atomically (see ``atomic_writer``)."""
    with atomic_writer(path, unchanged=unchanged) as handle:
        handle.write(data)


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


REPORT_MARK = ".report"
"""What the tool puts between an assessment's stem and a report's extension."""


def report_path(assessment: Path, suffix: str) -> Path:
    """Where a report of ``assessment`` goes: beside it, ``maya.json`` -> ``maya.report.md``.

    ``suffix`` is the report format's (``competency.outputs.Format.suffix``). Never a name
    Windows keeps for a device: ``con.json`` (made elsewhere) -> ``con_.report.md``.
    """
    stem = assessment.stem + ("_" if is_reserved_name(assessment.stem) else "")
    return assessment.with_name(f"{stem}{REPORT_MARK}{suffix}")


def is_report_name(name: str) -> bool:
    """Whether a file name is one ``report_path`` makes for JSON (folder walks skip them)."""
    return name.lower().endswith(REPORT_MARK + ".json")
