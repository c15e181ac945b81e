"""The parent's side of ``--devices N``: start the worker processes, forward the terminal's
signals to them, wait for them, and stop them.

A worker that ends before the group has met (a crash, the out-of-memory killer, an error
while it started) leaves the others waiting for it in the rendezvous, which gives up only
after torch's 30 minutes: they are stopped at once and the error names the rank that
ended and its exit code. Once the group has met, the others get :data:`FAILED_RANK_GRACE_S`
to finish (a peer's end usually fails their next collective at once) before they are
stopped. A worker that cannot be started stops the ones started before it.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from contextlib import contextmanager
from typing import Callable, Iterator, List, Optional, Sequence, Tuple

from ..io.errors import RnnlabError

FAILED_RANK_GRACE_S = 60.0  # after a worker failed, once the group has met: time for the rest
STOP_WAIT_S = 10.0  # after SIGTERM, before SIGKILL


def start_all(procs: Sequence) -> None:
    """Start every process; if one cannot be started, stop (and join) those started before
    it, then raise its error: they would wait for it in the rendezvous for 30 minutes."""
    started = []
    try:
        for p in procs:
            p.start()
            started.append(p)
    except BaseException:
        stop_all(started)
        raise


def stop_all(procs: Sequence) -> None:
    """SIGTERM each live process, then SIGKILL those still alive after :data:`STOP_WAIT_S`;
    every one is joined."""
    for p in procs:
        if p.is_alive():
            p.terminate()
    for p in procs:
        p.join(STOP_WAIT_S)
        if p.is_alive():
            p.kill()
            p.join()


@contextmanager
def forwarding_signals(procs: Sequence) -> Iterator[List[int]]:
    """Forward each SIGINT/SIGTERM this process gets to every live worker (they run in their
    own process group, out of the terminal's reach); yields the signals received."""
    got: List[int] = []

    def forward(signum, frame):
        got.append(signum)
        for p in procs if sys.platform != "win32" else ():  # (os.kill there: TerminateProcess)
            if p.is_alive():
                try:
                    os.kill(p.pid, signum)
                except ProcessLookupError:
                    pass

    old = {}
    if threading.current_thread() is threading.main_thread():
        for s in (signal.SIGINT, signal.SIGTERM):
            old[s] = signal.signal(s, forward)
    try:
        yield got
    finally:
        for s, h in old.items():
            signal.signal(s, h)


def wait_all(procs: Sequence, errors, met: Callable[[], bool]
             ) -> Tuple[list, Optional[Tuple[int, int]]]:
    """Wait until every process has ended, reading the error reports they send as they come;
    returns the reports and, when a worker ended before the group had met (``met()`` False)
    and the others were stopped at once for it, that worker's (rank, exit code)."""
    import multiprocessing.connection

    reports: list = []
    failed_at, early = None, None
    while any(p.is_alive() for p in procs):
        multiprocessing.connection.wait([p.sentinel for p in procs if p.is_alive()],
                                        timeout=1.0)
        while not errors.empty():  # read as they come: a report larger than the pipe
            reports.append(errors.get())  # holds (64 KiB: an exception carrying data)
            # blocked its worker in put(), alive, while this waited for it to exit
        ended = [(r, p.exitcode) for r, p in enumerate(procs) if p.exitcode is not None]
        if ended and early is None and any(p.is_alive() for p in procs) and not met():
            early = ended[0]  # the rest waits for it in the rendezvous: no use waiting
            stop_all(procs)
        if failed_at is None and any(c != 0 for _, c in ended):
            failed_at = time.monotonic()
        if failed_at is not None and time.monotonic() - failed_at > FAILED_RANK_GRACE_S:
            stop_all(procs)  # the rest is stuck in a collective with a dead peer
    for p in procs:
        p.join()
    while not errors.empty():
        reports.append(errors.get())
    return reports, early


def _code_meaning(code: int) -> str:
    if code >= 0:
        return f"exit code {code}"
    try:
        name = signal.Signals(-code).name
    except ValueError:
        name = f"signal {-code}"
    oom = " (SIGKILL: often the out-of-memory killer)" if -code == 9 else ""
    return f"exit code {code}: ended by {name}{oom}"


def died_error(procs: Sequence, early: Optional[Tuple[int, int]]) -> Optional[RnnlabError]:
    """The error for workers that ended without a report of their own (their error, if any,
    is printed above): None when every one ended with 0."""
    if early is not None:
        rank, code = early
        return RnnlabError(
            f"worker rank {rank} ended ({_code_meaning(code)}) before the {len(procs)} workers "
            "had met, so the others, which were waiting for it, were stopped at once; its own "
            "output (above) says why: fix that and run again, or train in one process "
            "(--devices 1 / devices=1)")
    bad = [(r, p.exitcode) for r, p in enumerate(procs) if p.exitcode != 0]
    if not bad:
        return None
    return RnnlabError("worker process(es) died: " + ", ".join(
        f"rank {r} exit code {c}" for r, c in bad) + " (each worker's own error is "
        "printed above); the last complete checkpoint is kept")
