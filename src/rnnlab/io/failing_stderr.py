"""Standard error that cannot be written (a full disk, a log on a dead mount) does not stop
the work.

A batch job's ``2>>job.log`` on a full disk made the training's progress line raise
OSError (ENOSPC): the run stopped half written after its first epochs, and the error line
that would have said so failed too (exit status 1, nothing said). Diagnostics are not the
work: once a write to standard error fails, descriptor 2 is sent to the null device and
the command goes on; its exit status is 1 where it would have been 0, as GNU tools do for
output they could not write, so the job still sees that something was lost.
"""

from __future__ import annotations

import os


class ForgivingStderr:
    """``stream`` (standard error), whose failed writes are dropped and remembered in
    :attr:`lost`; every other attribute is the stream's own."""

    def __init__(self, stream):
        self._stream = stream
        self.lost = False

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except OSError:
            self._drop()
            return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError:
            self._drop()

    def _drop(self) -> None:
        """What is left unwritten, and what comes later, goes to the null device."""
        self.lost = True
        try:
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, self._stream.fileno())
            os.close(null)
            self._stream.flush()  # (the text still buffered: written to the null device now)
        except (OSError, ValueError):
            pass

    def __getattr__(self, name):
        return getattr(self._stream, name)
