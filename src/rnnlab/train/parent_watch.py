"""A spawned training worker stops when the process that started it is gone.

On Linux the kernel sends each worker SIGTERM when its parent dies (``PR_SET_PDEATHSIG``,
:func:`rnnlab.train.distributed._spawned`). macOS and Windows have no such thing: a parent
killed (``kill -9``, a crash, a closed notebook kernel) left its workers training to the
last epoch, in their own process group that a Ctrl-C at the terminal does not reach, for
results no one reads. There a thread waits on the parent's sentinel (ready once the
parent has exited) and raises SIGTERM in the worker, which stops as on Linux: the step
finishes, the checkpoint is written, the worker exits.
The thread is also the fallback on Linux where ``prctl`` is refused (it returns -1: a
seccomp filter, an emulated kernel), which the worker used to take for success.
"""

from __future__ import annotations

import signal
import sys
import threading
from typing import Callable, Optional


def _terminate() -> None:
    signal.raise_signal(signal.SIGTERM)  # (the worker's handler runs in its main thread)


def stop_when_parent_gone(sentinel=None, stop: Callable[[], None] = _terminate
                          ) -> Optional[threading.Thread]:
    """Start a daemon thread that calls ``stop`` once ``sentinel`` is ready (by default the
    sentinel of this process's multiprocessing parent); returns it, or None in a process
    that multiprocessing did not start."""
    import multiprocessing
    import multiprocessing.connection

    if sentinel is None:
        parent = multiprocessing.parent_process()
        if parent is None:
            return None
        sentinel = parent.sentinel

    def watch() -> None:
        multiprocessing.connection.wait([sentinel])
        stop()

    thread = threading.Thread(target=watch, name="rnnlab-parent-watch", daemon=True)
    thread.start()
    return thread


def _pdeathsig(sig: int) -> bool:
    """Ask Linux to send ``sig`` to this process when its parent dies; whether it agreed
    (prctl returns 0). Elsewhere, or without a C library to ask, False."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl(1, int(sig)) == 0  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return False


def stop_with_parent() -> Optional[threading.Thread]:
    """Make this spawned worker stop (SIGTERM) when its parent is gone: the kernel does it
    on Linux; elsewhere, or where prctl fails, the thread of :func:`stop_when_parent_gone`
    (returned)."""
    if _pdeathsig(signal.SIGTERM):
        return None
    return stop_when_parent_gone()
