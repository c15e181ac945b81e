"""The parent's side of ``--devices N``: start the worker processes, forward the terminal's
signals to them, wait for them, and stop them.

A worker that fails before the group has met (a crash, the out-of-memory killer, an error
while it started) leaves the others waiting for it in the rendezvous, which gives up only
after the join timeout (:mod:`.join_timeout`, 5 minutes): they are stopped at once and the error names the rank that
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
from contextlib import contextmanager, nullcontext
from typing import (Callable, ContextManager, Iterator, List, Optional, Sequence,
                    Set, Tuple)

from ..io.errors import RnnlabError

FAILED_RANK_GRACE_S = 60.0  # after a worker failed, once the group has met: time for the rest
STOP_WAIT_S = 10.0  # after SIGTERM, before SIGKILL
REPORT_WAIT_S = 5.0  # once every worker has ended: to read the reports left (.worker_reports)


def start_all(procs: Sequence,
              around: Callable[[int], ContextManager] = lambda rank: nullcontext()) -> None:
    """Start every process, process ``r`` within ``around(r)`` (its environment: what it
    starts with); if one cannot be started, stop (and join) those started before it, then
    raise its error: they would wait for it in the rendezvous (the join timeout)."""
    started = []
    try:
        for r, p in enumerate(procs):
            with around(r):
                p.start()
            started.append(p)
    except BaseException:
        stop_all(started)
        raise


def stop_all(procs: Sequence) -> list:
    """SIGTERM each live process, then SIGKILL those still alive after :data:`STOP_WAIT_S`;
    every one is joined. Returns those it stopped."""
    stopped = [p for p in procs if p.is_alive()]
    for p in stopped:
        p.terminate()
    for p in procs:
        p.join(STOP_WAIT_S)
        if p.is_alive():
            p.kill()
            p.join()
    return stopped


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
             ) -> Tuple[list, Optional[Tuple[int, int]], set]:
    """Wait until every process has ended, reading the error reports they send as they come
    (in the order they came; ``errors``: a queue per worker, or one they share); returns
    the reports; when a worker failed before the group had
    met (``met()`` False) and the others were stopped at once for it, that worker's (rank,
    exit code); and the ranks this stopped."""
    from .worker_reports import ReportReader

    reader = ReportReader(errors)  # read as they come, in threads: a report larger than
    # the pipe (64 KiB) blocks its worker in put() until read; one half sent by a worker
    # killed in put() is never whole, and waiting for it here hung the parent
    try:
        early, stopped = _watch(procs, met)
    except BaseException:
        reader.finish(0.0)  # (its thread stops looking)
        raise
    return reader.finish(REPORT_WAIT_S), early, stopped


def _watch(procs: Sequence, met: Callable[[], bool]) -> Tuple[Optional[Tuple[int, int]], set]:
    """:func:`wait_all`'s wait, until every process has ended and been joined."""
    import multiprocessing.connection

    failed_at, early = None, None
    stopped: Set[int] = set()  # (the ranks stopped here)
    while any(p.is_alive() for p in procs):
        multiprocessing.connection.wait([p.sentinel for p in procs if p.is_alive()],
                                        timeout=1.0)
        failed = [(r, p.exitcode) for r, p in enumerate(procs) if p.exitcode not in (None, 0)]
        # (one that ended well had met the rest: the met-RANK files may be gone, a cleaner's)
        if failed and early is None and any(p.is_alive() for p in procs) and not met():
            early = failed[0]  # the rest waits for it in the rendezvous: no use waiting
            stopped.update(procs.index(p) for p in stop_all(procs))
        if failed_at is None and failed:
            failed_at = time.monotonic()
        if failed_at is not None and time.monotonic() - failed_at > FAILED_RANK_GRACE_S:
            # the rest is stuck in a collective with a dead peer
            stopped.update(procs.index(p) for p in stop_all(procs))
    for p in procs:
        p.join()
    return early, stopped


PEER_GONE = ("Connection closed by peer", "Connection reset by peer",
             "remote worker crashing")  # (what gloo says of a peer that has ended)


def _peer_gone(report) -> bool:
    """Whether a report is a worker's error at losing a peer: what another's end caused."""
    return (report[2] in ("DistBackendError", "DistNetworkError")
            or any(s in str(report[3]) for s in PEER_GONE))


def first_cause(reports: list):
    """The report to raise: one of the kind (error type) that came first, the lowest rank's,
    leaving out the errors at a lost peer while there are others. A worker's own error
    comes before the errors it causes in the others (gloo's "Connection reset by peer" once
    it has ended), which rank 0's, raised first whatever came, used to hide; errors of one
    kind on every rank keep rank 0's."""
    own = [r for r in reports if not _peer_gone(r)] or reports
    kind = own[0][1:3]  # (module, class name)
    return min((r for r in own if r[1:3] == kind), key=lambda r: r[0])


def silent_deaths(procs: Sequence, reports: list, stopped: set) -> List[Tuple[int, int]]:
    """The (rank, exit code) of the workers that ended on their own with no report (killed
    by a signal, ``os._exit``): the likely cause of the errors the others reported."""
    told = {r[0] for r in reports}
    return [(r, p.exitcode) for r, p in enumerate(procs)
            if p.exitcode not in (0, None) and r not in told and r not in stopped]


def naming_silent_deaths(error: BaseException, silent: List[Tuple[int, int]]) -> BaseException:
    """``error`` (a worker's error that is not rnnlab's own: gloo's "Connection closed by
    peer") led by the workers that ended with no error of their own before it."""
    if not silent or type(error) is not RnnlabError:
        return error
    who = ", ".join(f"worker rank {r} ended ({_code_meaning(c)})" for r, c in silent)
    return RnnlabError(f"{who} with no error of its own (its output above may say why); "
                       f"then {error}")


def _code_meaning(code: int) -> str:
    if code >= 0:
        return f"exit code {code}"
    try:
        name = signal.Signals(-code).name
    except ValueError:
        name = f"signal {-code}"
    oom = ", often the out-of-memory killer" if -code == 9 else ""
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
