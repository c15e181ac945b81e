"""SIGTERM outside a training loop, raised where Ctrl-C would be: the same clean-up runs
(locks released, atomic writes undone, rows kept) and the command exits 143, not 130."""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised as a KeyboardInterrupt so every ``except KeyboardInterrupt`` sees it."""


_received = False  # a SIGTERM reached raise_terminated in this process


def raise_terminated(signum, frame):
    """A SIGTERM handler: raise :class:`Terminated` where the program is (noted for
    :func:`sigterm_received`)."""
    global _received
    _received = True
    raise Terminated()


def sigterm_received() -> bool:
    """Whether a SIGTERM was raised as :class:`Terminated` in this process: an error that
    follows is its consequence (an import it cut short leaves torch half-loaded, and the
    next ``import torch`` fails), a stop to say as such, not a defect of rnnlab."""
    return _received


@contextmanager
def sigterm_as_interrupt():
    """While the block runs, SIGTERM raises :class:`Terminated` (main thread only: signal
    handlers cannot be set elsewhere); the previous handler is put back after."""
    old = signal.signal(signal.SIGTERM, raise_terminated) \
        if threading.current_thread() is threading.main_thread() else None
    try:
        yield
    finally:
        if old is not None:
            signal.signal(signal.SIGTERM, old)
