"""Standard streams that were closed when ``rnnlab`` started are opened on the null device.

A cron line or batch script may close a stream rather than redirect it (``>&-``,
``2>&-``, ``0<&-``). Python then sets ``sys.stdout`` (``sys.stderr``, ``sys.stdin``) to
None, and two things went wrong: a finished ``rnnlab forecast ... >&-`` ended in a
traceback and exit status 70 (``None.flush()``), and with ``2>&-`` every error line went
to standard output (``print(..., file=None)`` prints there), so a consumer of
``--output -`` read the error as data. The file descriptor was also free for the first
file rnnlab opened, where a library's own write to descriptor 2 would land. A closed
stream now behaves as one redirected to ``/dev/null``: what was asked to be discarded is.
"""

from __future__ import annotations

import io
import os
import sys

_STREAMS = ((0, "stdin", os.O_RDONLY), (1, "stdout", os.O_WRONLY), (2, "stderr", os.O_WRONLY))


def _is_open(fd: int) -> bool:
    try:
        os.fstat(fd)
        return True
    except OSError:
        return False


def open_closed_standard_streams() -> list:
    """Opens the null device on each standard descriptor (0, 1, 2) found closed, and gives
    ``sys`` a stream for each one it holds as None. Returns the names of those opened."""
    opened = []
    for fd, name, flags in _STREAMS:  # (in order: os.open takes the lowest free number)
        if _is_open(fd):
            continue
        got = os.open(os.devnull, flags)
        if got != fd:
            os.dup2(got, fd)
            os.close(got)
        if getattr(sys, name) is None:
            mode = "r" if flags == os.O_RDONLY else "w"
            setattr(sys, name, io.open(fd, mode, encoding="utf-8", errors="backslashreplace",
                                       closefd=False))
        opened.append(name)
    return opened
