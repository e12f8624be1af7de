"""What differs between Linux, macOS and Windows: the one module that asks which OS it is.

``files.py``, ``storage.py``, ``batch.py`` and the command line call these functions and
stay blind to the OS. Each keeps the same promise everywhere, with what the OS offers:

- **Locks** that the OS drops when their holder dies, however it dies: ``flock`` on Linux
  and macOS, ``msvcrt.locking`` on Windows (on a byte far past the end of the file, so the
  holder's name at its start stays readable). Where neither exists (``fcntl`` removed), a
  lock is a file created exclusively, holding its owner's process and host; a lock whose
  process is gone from this host is taken over.
- **Opens that never follow a symlink**: ``O_NOFOLLOW`` where it exists; elsewhere the
  name is checked with ``lstat`` first and the opened file compared with it after.
- **File modes**: new files are created owner-only on POSIX. Windows has no such bits
  (``chmod`` only sets read-only): a file takes the access list of its folder.
- **Signals** that mean "stop": SIGTERM and SIGHUP (the terminal closed) on POSIX; SIGTERM
  and SIGBREAK (Ctrl-Break, a closed console) on Windows, which has no SIGHUP.
- **Worker clean-up**: a worker notices its parent is gone when the pipe from it closes;
  Linux also kills it at once (``PR_SET_PDEATHSIG``) mid-chunk.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import stat
import sys
from collections.abc import Callable
from pathlib import Path

WINDOWS = sys.platform == "win32"

_flock: Callable[[int, int], None] | None = None
_FLOCK_TRY = 0
if sys.platform != "win32":
    try:
        import fcntl
    except ImportError:  # an unusual build, or fcntl made unavailable to test the fallback
        pass
    else:
        _flock = fcntl.flock
        _FLOCK_TRY = fcntl.LOCK_EX | fcntl.LOCK_NB

LOCKING = "flock" if _flock is not None else "msvcrt" if WINDOWS else "exclusive file"
"""How this system locks files (see the module's docstring)."""

O_NOFOLLOW: int = getattr(os, "O_NOFOLLOW", 0)
O_NONBLOCK: int = getattr(os, "O_NONBLOCK", 0)
"""Opening a FIFO must not wait for a writer (Windows has no FIFOs in the file system)."""
O_CLOEXEC: int = getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOINHERIT", 0)
O_BINARY: int = getattr(os, "O_BINARY", 0)
"""Windows would otherwise translate line ends in descriptors opened with ``os.open``."""

RENAMES_OPEN_FILES = not WINDOWS
"""Whether a file still open here can be renamed (or removed): not on Windows."""

_MSVCRT_OFFSET = 0x7FFFFFFF
"""Where a Windows lock sits: one byte far past any content, which stays readable."""


def open_no_follow(path: str | Path, flags: int, mode: int = 0o777) -> int:
    """``os.open`` that refuses a symlink at ``path`` (``OSError`` ELOOP) on every OS."""
    flags |= O_CLOEXEC | O_BINARY
    if O_NOFOLLOW:
        return os.open(path, flags | O_NOFOLLOW, mode)
    try:
        before: os.stat_result | None = os.lstat(path)
    except FileNotFoundError:
        before = None
    if before is not None and stat.S_ISLNK(before.st_mode):
        raise OSError(errno.ELOOP, "is a symbolic link", str(path))
    fd = os.open(path, flags, mode)
    after = os.fstat(fd)
    if before is not None and (before.st_dev, before.st_ino) != (after.st_dev, after.st_ino):
        os.close(fd)  # replaced by something else between the check and the open
        raise OSError(errno.ELOOP, "changed while it was opened", str(path))
    if before is None and os.path.islink(path):
        os.close(fd)  # created through a link planted between the check and the open
        raise OSError(errno.ELOOP, "is a symbolic link", str(path))
    return fd


def try_lock(fd: int) -> bool:
    """Take an exclusive lock on the open file ``fd`` if nobody holds one; never wait.

    Only for the ``flock`` and ``msvcrt`` ways of locking (see ``LOCKING``); with neither,
    this says False: nothing here can tell a held file from a free one.
    """
    if _flock is not None:
        try:
            _flock(fd, _FLOCK_TRY)
        except OSError:
            return False
        return True
    if sys.platform == "win32":
        import msvcrt

        where = os.lseek(fd, 0, os.SEEK_CUR)
        os.lseek(fd, _MSVCRT_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        finally:
            os.lseek(fd, where, os.SEEK_SET)
        return True
    return False


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _MSVCRT_OFFSET, os.SEEK_SET)
        with contextlib.suppress(OSError):
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)


class LockHeld(Exception):
    """Another live process holds the lock; ``holder`` is what it wrote (``pid host``)."""

    def __init__(self, holder: str) -> None:
        super().__init__(holder)
        self.holder = holder


class NotAPlainFile(Exception):
    """The lock file's name is taken by something else (a symlink, a folder, a hard link)."""


def take_lock(path: Path) -> int:
    """Lock ``path`` (created if missing) for this process; return the open descriptor.

    Raises ``LockHeld`` naming the holder, ``NotAPlainFile``, or ``OSError``. The file then
    holds ``pid host`` of this process, only to name it in another's refusal.
    """
    import socket

    note = f"{os.getpid()} {socket.gethostname()}\n".encode()
    while True:
        fd = _claim(path) if LOCKING == "exclusive file" else _open_and_lock(path)
        if fd is None:
            continue  # the file we opened was removed or taken over meanwhile: again
        try:
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, note)
        except OSError:
            pass  # a full disk: the lock holds all the same, only the holder is unnamed
        return fd


def _open_lock_file(path: Path, flags: int) -> int:
    fd = open_no_follow(path, os.O_RDWR | flags, 0o644)
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
        os.close(fd)
        raise NotAPlainFile(str(path))
    return fd


def _holder(fd: int) -> str:
    with contextlib.suppress(OSError):
        os.lseek(fd, 0, os.SEEK_SET)
        return os.read(fd, 200).decode("utf-8", "replace")
    return ""


def _open_and_lock(path: Path) -> int | None:
    fd = _open_lock_file(path, os.O_CREAT)
    if not try_lock(fd):
        holder = _holder(fd)
        os.close(fd)
        raise LockHeld(holder)
    try:
        same = os.fstat(fd).st_ino == os.stat(path).st_ino
    except FileNotFoundError:
        same = False
    if not same:  # the holder removed this lock file as we opened it
        _unlock(fd)
        os.close(fd)
        return None
    return fd


def _claim(path: Path) -> int | None:
    """The exclusive-file lock: whoever creates the file holds it."""
    try:
        return _open_lock_file(path, os.O_CREAT | os.O_EXCL)
    except FileExistsError:
        pass
    try:
        fd = _open_lock_file(path, 0)
    except FileNotFoundError:
        return None  # released meanwhile
    holder = _holder(fd)
    os.close(fd)
    if not _is_gone(holder):
        raise LockHeld(holder)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)  # its process died without releasing it
    return None


def _is_gone(holder: str) -> bool:
    """Whether the process a lock file names is no longer running on this host."""
    import socket

    parts = holder.split()
    if len(parts) < 2 or not parts[0].isdigit() or parts[1] != socket.gethostname():
        return False  # written half, or by another host: it cannot be checked from here
    if WINDOWS:  # os.kill(pid, 0) would end the process there; the fallback never runs there
        return False
    try:
        os.kill(int(parts[0]), 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False  # alive, owned by someone else
    return False


def release_lock(path: Path, fd: int) -> None:
    """Let go of ``take_lock``'s lock and tidy its file away.

    Where open files can be removed, the file goes while the lock is still held: a
    waiter that opened it notices it was removed (``take_lock`` tries again).
    """
    if RENAMES_OPEN_FILES:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        os.close(fd)
        return
    _unlock(fd)
    os.close(fd)
    with contextlib.suppress(OSError):  # another session opened it meanwhile: it stays
        os.unlink(path)


def is_abandoned(path: str | Path) -> bool:
    """Nobody is writing the temporary file at ``path``: its writer died or finished.

    A writer locks its temporary file until the rename (``lock_new_file``); with no way to
    lock, nothing tells, and the file is kept.
    """
    if LOCKING == "exclusive file":
        return False
    try:
        fd = open_no_follow(path, os.O_RDONLY | O_NONBLOCK)
    except OSError:
        return False
    try:
        return try_lock(fd)
    finally:
        _unlock(fd)
        os.close(fd)


def lock_new_file(fd: int) -> None:
    """Mark a temporary file as being written (see ``is_abandoned``), where that is possible."""
    if LOCKING != "exclusive file":
        with contextlib.suppress(OSError):
            try_lock(fd)


def set_mode(fd: int, mode: int) -> None:
    """Give the open file ``fd`` these permission bits (POSIX; Windows keeps its ACL)."""
    if sys.platform != "win32":
        os.fchmod(fd, mode)


def sharing_of(folder: str | Path) -> tuple[int, int | None]:
    """The mode and group a new file in ``folder`` gets (SPEC 7): readable and writable by
    the folder's group (``0660``, in its group) when that group may write the folder (a
    team's shared folder), else by its owner only (``0600``, group left as made). Windows
    has no mode bits: a new file takes the folder's access list, which shares it or not."""
    if sys.platform == "win32":
        return 0o600, None
    try:
        info = os.stat(folder)
    except OSError:
        return 0o600, None
    if info.st_mode & stat.S_IWGRP:
        return 0o660, info.st_gid
    return 0o600, None


def set_group(fd: int, gid: int) -> bool:
    """Put the open file ``fd`` in group ``gid`` (POSIX; the owner must belong to it).
    Returns whether it is in that group now."""
    if sys.platform == "win32":
        return False
    with contextlib.suppress(OSError):
        if os.fstat(fd).st_gid != gid:
            os.fchown(fd, -1, gid)
        return True
    return False


def place_new(tmp: str | Path, path: str | Path) -> None:
    """Give the finished file ``tmp`` the name ``path``, failing if ``path`` exists.

    ``FileExistsError`` when the name is taken. A hard link where the file system has
    them; Windows' rename never replaces an existing file, and does the same in one step.
    """
    if WINDOWS:
        os.rename(tmp, path)
        return
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError as exc:  # no hard links here (FAT, some network shares)
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
            raise
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | O_CLOEXEC | O_NOFOLLOW)
        os.close(fd)
        os.replace(tmp, path)  # the name is ours now: replacing our empty file is safe
        return
    os.unlink(tmp)


STOP_SIGNALS: tuple[signal.Signals, ...]
"""Signals that ask this program to stop: the terminal closed, or a polite kill."""
if sys.platform == "win32":
    STOP_SIGNALS = (signal.SIGTERM, signal.SIGBREAK)
else:
    STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


def die_with_parent() -> None:
    """In a worker: end when the parent dies, as soon as the OS can tell.

    Linux kills the worker at once (even if the parent was SIGKILLed); elsewhere the
    worker ends when its pipe from the parent closes, at its next read.
    """
    if sys.platform != "linux":
        return
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        pr_set_pdeathsig = 1
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)
        if os.getppid() == 1:  # the parent died before the request took effect
            os._exit(1)


START_METHODS = ("fork", "spawn")


def start_method() -> str:
    """How batch workers start: ``fork`` on Linux, ``spawn`` elsewhere.

    On Linux a forked worker shares the parent's loaded modules and framework, so a batch
    starts about 0.3 CPU-s a worker sooner (issue 15's speed, measured by
    ``bench/bench_score.py``); the parent runs no thread when it forks. ``fork`` is unsafe
    on macOS (CPython no longer uses it there) and absent on Windows, so they spawn, and
    everything a worker needs is pickled once and sent to it. ``COMPETENCY_START_METHOD``
    (``fork`` or ``spawn``) chooses for a run: CI runs the batch tests under spawn too.
    """
    wanted = os.environ.get("COMPETENCY_START_METHOD", "")
    if wanted in START_METHODS and (wanted != "fork" or sys.platform == "linux"):
        return wanted
    return "fork" if sys.platform == "linux" else "spawn"


def available_cpus() -> int:
    """The number of processors this process may run on."""
    if sys.platform == "linux":
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1
