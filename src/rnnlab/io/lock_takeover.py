"""Taking over a stale run lock (:class:`rnnlab.io.runlock.RunLock`) so that of two
processes racing for it exactly one wins.

Two races let both win. A lock file is made, then written: a second taker reading it in
between found it empty, judged it stale, removed it and made its own, while the first
wrote its record into the removed file and ran on. And two takers that both judged a dead
run's lock stale each removed "the lock": the later one removed the earlier's new lock.
So an empty lock made moments ago is waited for (:func:`being_written`), and a stale lock
is removed only while it is still the very file and text that were judged
(:func:`remove_stale`): its kernel lock taken first (one taker at a time), its text read
again through it, and the path checked to name it still (an inode cannot be reused while
it is open).
"""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

WRITE_WAIT_S = 2.0  # how long a just-made, still empty lock is taken to be being written
OPEN_FILES_PINNED = os.name == "nt"  # (Windows: an open file cannot be removed)
HOLD_WAIT_S = 1.0  # how long another taker's kernel lock on a stale lock is waited out


def being_written(path: Path, text: str) -> bool:
    """Whether the lock at ``path``, read as ``text``, is empty and was made within
    :data:`WRITE_WAIT_S` (its maker between making and writing it)."""
    if text.strip():
        return False
    try:
        age = time.time() - os.lstat(path).st_mtime
    except OSError:
        return False
    return 0 <= age < WRITE_WAIT_S  # (a time ahead of this clock's: not waited for)


def _exclusive(fd: int, wait_s: float = HOLD_WAIT_S) -> None:
    """Take the kernel lock of ``fd``'s file, waiting up to ``wait_s`` while another taker
    has it (moments); one kept longer, by a process the lock's record does not name
    (a child of an older rnnlab's run), does not keep a stale lock forever: the text and
    path alone decide then, as where there are no kernel locks."""
    try:
        import fcntl
    except ImportError:
        return
    deadline = time.monotonic() + wait_s
    while True:
        try:
            return fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if time.monotonic() > deadline:
                return
            time.sleep(0.01)
        except OSError:  # (a file system with no kernel locks)
            return


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


def remove_stale(path: Path, judged: str, limit: int = 512) -> None:
    """Remove the lock file ``path`` judged stale from its text ``judged``, only if it is
    still that lock (otherwise it is left, to be judged again)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return
    except OSError:  # (a link, or not readable: no lock, removed as before)
        return _unlink(path)
    try:
        remove = _still_judged(fd, path, judged, limit)
        if remove and not OPEN_FILES_PINNED:
            _unlink(path)  # (while its kernel lock is held: no other taker between)
    finally:
        os.close(fd)
    if remove and OPEN_FILES_PINNED:
        _unlink(path)


def _still_judged(fd: int, path: Path, judged: str, limit: int) -> bool:
    """Whether ``path`` still names the lock open as ``fd``, of text ``judged`` (anything
    but a regular file: no lock, removed as before)."""
    seen = os.fstat(fd)
    if not stat.S_ISREG(seen.st_mode):
        return True
    for take in (False, True):  # (a new lock is told at once, not after a holder's wait)
        if take:
            _exclusive(fd)  # (one taker at a time)
        os.lseek(fd, 0, os.SEEK_SET)
        if os.read(fd, limit).decode("utf-8", "replace") != judged:
            return False  # (a new lock)
    try:
        now = os.lstat(path)
    except FileNotFoundError:
        return False
    return (now.st_dev, now.st_ino) == (seen.st_dev, seen.st_ino)
