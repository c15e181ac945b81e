"""SIGTERM outside a training loop, raised where Ctrl-C would be: the same clean-up runs
(locks released, atomic writes undone, rows kept) and the command exits 143, not 130."""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised as a KeyboardInterrupt so every ``except KeyboardInterrupt`` sees it."""


_received = 0  # the SIGTERMs raise_terminated has raised in this process


def raise_terminated(signum, frame):
    """A SIGTERM handler: raise :class:`Terminated` where the program is (counted for
    :func:`sigterm_received`)."""
    global _received
    _received += 1
    raise Terminated()


def sigterm_count() -> int:
    """How many SIGTERMs were raised as :class:`Terminated` in this process so far: what
    :func:`sigterm_received` counts from."""
    return _received


def sigterm_received(since: int = 0) -> bool:
    """Whether a SIGTERM was raised as :class:`Terminated` in this process after
    ``since`` (a :func:`sigterm_count` taken when the command started): an error that
    follows is its consequence (an import it cut short leaves torch half-loaded, and the
    next ``import torch`` fails), a stop to say as such, not a defect of rnnlab. Counted
    from the command's start, not the process's: in a process that runs several (a
    notebook, a test session), one an earlier command stopped on does not make a later
    command's defect a stop."""
    return _received > since


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
