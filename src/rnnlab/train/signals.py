"""A clean stop on Ctrl-C / SIGTERM: finish the step, checkpoint, exit 130 / 143."""

from __future__ import annotations

import signal
import threading
from typing import Optional


class StopSignals:
    """Turn the first SIGINT/SIGTERM into a flag checked between steps; a second one
    raises KeyboardInterrupt at once (checkpoint writes are atomic, so nothing is damaged)."""

    def __init__(self):
        self.signum: Optional[int] = None
        self._old = {}

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            for s in (signal.SIGINT, signal.SIGTERM):
                self._old[s] = signal.signal(s, self._handle)
        return self

    def _handle(self, signum, frame):
        if self.signum is not None:
            raise KeyboardInterrupt
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 130 if self.signum == signal.SIGINT else 143

    def __exit__(self, *exc):
        for s, h in self._old.items():
            signal.signal(s, h)
