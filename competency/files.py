"""Reading inputs and writing outputs: the only low-level file I/O of the tool.

Reading: a file over the size limit is refused from its size alone, so a 300 MB
"assessment" never reaches memory; OS errors become one line naming the file.

Writing: content goes to a temporary file in the target's folder, is flushed and fsynced,
and is renamed over the target; the folder is fsynced so the rename survives a power cut.
A crash at any moment leaves the old file or the new one, never a mix.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from competency.errors import CompetencyError, FrameworkError

MAX_INPUT_BYTES = 10 * 1024 * 1024
"""Frameworks and assessments are KiBs; anything over 10 MB is refused unread."""


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
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        try:
            info = os.fstat(fd)
            if stat.S_ISDIR(info.st_mode):
                raise IsADirectoryError
            if not stat.S_ISREG(info.st_mode):
                raise kind("not a regular file (a pipe or a device?)", source=source)
            size = info.st_size
            if size > max_bytes:
                raise kind(
                    f"file is {size:,} bytes, over the {max_bytes:,}-byte limit", source=source
                )
            # Ask for what the file holds (plus one byte, to see it grew), not for the
            # limit: a 10 MB request per file costs a fresh memory map each time.
            data = _read_up_to(fd, size + 1)
            if len(data) > size:  # it grew while we read: read on to the limit
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


UTF8_BOM = b"\xef\xbb\xbf"


def without_bom(data: bytes) -> bytes:
    """The bytes without a leading UTF-8 byte-order mark, which Windows editors add."""
    return data[len(UTF8_BOM) :] if data.startswith(UTF8_BOM) else data


@contextlib.contextmanager
def atomic_writer(path: str | Path) -> Iterator[IO[bytes]]:
    """Yield a binary handle; on a clean exit its content replaces ``path``."""
    path = Path(path)
    folder = path.parent
    fd, tmp = _create_beside(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileNotFoundError):
            os.chmod(tmp, path.stat().st_mode & 0o777)  # keep an existing file's permissions
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_folder(folder)


def _create_beside(path: Path) -> tuple[int, str]:
    """A new hidden temporary file beside ``path``, with the mode a new file would get.

    Created 0666 less the umask by the kernel itself (mkstemp's 0600 would need the
    umask read, which changing it to read it is not safe to do in a threaded program).
    """
    while True:
        tmp = str(path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp")
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | os.O_NOFOLLOW
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue


def write_atomic(path: str | Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically."""
    with atomic_writer(path) as handle:
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
