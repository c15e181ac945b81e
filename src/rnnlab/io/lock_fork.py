"""A forked child leaves its parent's run locks alone (:class:`rnnlab.io.runlock.RunLock`).

``fork()`` copies every open file into the child, the run lock's with its kernel lock
(``flock``: one lock shared by every copy, dropped only when the last is closed); the file
being non-inheritable (close-on-exec) helps only a child that runs another program. A
child that runs on in Python (a DataLoader or multiprocessing worker with the fork start
method, a user's ``os.fork()``) kept the lock held after its parent, the run, had ended:
another container judging it by that kernel lock read the dead run as alive, for as long
as the child lived. And the child's copy of a held lock, released (a user's fork returning
through the ``with`` block), removed the parent's live lock. So in a child each lock its
parent held is closed (never unlocked: that would free the parent's) and no longer counts
as the child's.
"""

from __future__ import annotations

import os
import weakref

_HELD: "weakref.WeakSet" = weakref.WeakSet()  # (the locks this process holds)
_FDS: dict = {}  # (their open files, fd: (device, inode): kept apart, a lock dropped
#                 unreleased keeps its own; the file told apart from a later one of that fd)


def holding(lock) -> None:
    """``lock`` is held by this process now (until :func:`released`)."""
    _HELD.add(lock)
    if lock._fd is not None:
        _FDS[lock._fd] = _file_of(lock._fd)


def released(lock, fd) -> None:
    """``lock`` is released; ``fd``: the file it had open (None where none)."""
    _HELD.discard(lock)
    _FDS.pop(fd, None)


def _file_of(fd):
    """(device, inode) of the file open as ``fd``; None where it is closed."""
    try:
        st = os.fstat(fd)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _in_child() -> None:
    for lock in list(_HELD):
        lock.held, lock._fd = False, None  # (the parent's: a release here must not remove it)
    for fd, file in _FDS.items():
        if file is None or _file_of(fd) != file:  # (closed without a release, the number
            continue  # reused since by another file: the child's own, left open)
        try:
            os.close(fd)  # (this copy only: the parent keeps its kernel lock)
        except OSError:
            pass
    _HELD.clear()
    _FDS.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_in_child)
