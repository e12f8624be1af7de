"""Reading an input file of any kind, with a size limit checked before reading.

A file over the limit is refused from its size alone, so a 300 MB "assessment" never
reaches memory. OS errors become one line naming the file.
"""

from __future__ import annotations

import os
from pathlib import Path

from competency.errors import CompetencyError, FrameworkError

MAX_INPUT_BYTES = 10 * 1024 * 1024
"""Frameworks and assessments are KiBs; anything over 10 MB is refused unread."""


def read_input(
    path: Path, kind: type[CompetencyError] = FrameworkError, max_bytes: int = MAX_INPUT_BYTES
) -> bytes:
    """The file's bytes, or ``kind`` with one line naming the file."""
    source = str(path)
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > max_bytes:
                raise kind(
                    f"file is {size:,} bytes, over the {max_bytes:,}-byte limit", source=source
                )
            # Ask for what the file holds (plus one byte, to see it grew), not for the
            # limit: a 10 MB request per file costs a fresh memory map each time. A pipe or
            # device reports size 0 and is read up to one byte past the limit.
            data = handle.read(size + 1 if size else max_bytes + 1)
            if size and len(data) > size:  # it grew while we read: read on to the limit
                data += handle.read(max_bytes + 1 - len(data))
    except FileNotFoundError:
        raise kind("no such file", source=source) from None
    except IsADirectoryError:
        raise kind("is a folder, not a file", source=source) from None
    except OSError as exc:
        raise kind(f"cannot read it ({exc.strerror})", source=source) from None
    if len(data) > max_bytes:
        raise kind(f"file is over the {max_bytes:,}-byte limit", source=source)
    return data
