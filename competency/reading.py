"""Reading an input file of any kind, with a size limit checked before reading.

A file over the limit is refused from its size alone, so a 300 MB "assessment" never
reaches memory. OS errors become one line naming the file.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

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
