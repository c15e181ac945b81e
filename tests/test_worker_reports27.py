"""The parent of ``--devices N`` reads its workers' error reports without waiting forever
on one half sent: a worker killed (SIGKILL: the out-of-memory killer, stop_all after its
10 s) in the middle of putting a report larger than the pipe holds (64 KiB: a long
traceback) left the parent in ``errors.get()`` for good. Stand-in processes (forked, no
torch), not real training."""

import multiprocessing
import os
import signal
import sys
import threading
import time

import pytest

from rnnlab.train import worker_pool

pytestmark = pytest.mark.skipif(sys.platform == "win32" or not hasattr(os, "fork"),
                                reason="forked stand-in workers")


def _put_big_report(errors, rank):
    errors.put((rank, "builtins", "RuntimeError", "x" * 300_000, None, "", None, None))
    time.sleep(60)  # (never reached while the report is not read)


def _killed_mid_put(ctx, errors, rank):
    """A stand-in worker that is killed while its report is half in the pipe."""
    p = ctx.Process(target=_put_big_report, args=(errors, rank), daemon=True)
    p.start()
    deadline = time.monotonic() + 30
    while errors.empty() and time.monotonic() < deadline:  # (the first bytes have come)
        time.sleep(0.01)
    time.sleep(0.2)  # (the pipe is full: the writer waits in put(), holding the rest)
    os.kill(p.pid, signal.SIGKILL)
    p.join()
    return p


def _in_thread(fn, timeout):
    """fn() run in a thread of its own: its result, or "hung" after ``timeout`` seconds."""
    box = []
    t = threading.Thread(target=lambda: box.append(fn()), daemon=True)
    t.start()
    t.join(timeout)
    return box[0] if box else "hung"


def test_a_worker_killed_while_sending_a_large_report_leaves_no_report(monkeypatch):
    """Reproduced: wait_all never returned (errors.get() waited for the rest of a report
    whose writer was gone). The half report is now no report: the rank is the one named as
    ended without an error of its own."""
    monkeypatch.setattr(worker_pool, "REPORT_WAIT_S", 0.5)
    ctx = multiprocessing.get_context("fork")
    errors = ctx.SimpleQueue()
    p = _killed_mid_put(ctx, errors, 1)
    got = _in_thread(lambda: worker_pool.wait_all([p], errors, lambda: True), 20)
    assert got != "hung", "the parent waited forever on a half-sent report"
    reports, early, stopped = got
    assert reports == [] and early is None
    assert worker_pool.silent_deaths([p], reports, stopped) == [(0, -signal.SIGKILL)]


def _report_then_end(errors, rank):
    errors.put((rank, "builtins", "ValueError", "y" * 200_000, None, "", None, None))


def test_a_large_report_of_a_worker_that_ends_is_read_whole():
    """A report larger than the pipe, sent by a worker that then ends: read whole, in the
    order it came (the reader never gives up on a writer that is still writing)."""
    ctx = multiprocessing.get_context("fork")
    errors = ctx.SimpleQueue()
    procs = [ctx.Process(target=_report_then_end, args=(errors, r)) for r in range(2)]
    for p in procs:
        p.start()
    got = _in_thread(lambda: worker_pool.wait_all(procs, errors, lambda: True), 60)
    assert got != "hung"
    reports, early, stopped = got
    assert sorted(r[0] for r in reports) == [0, 1] and early is None and not stopped
    assert all(len(r[3]) == 200_000 for r in reports)


def _reports_when_stopped(errors, ready):
    def on_term(signum, frame):  # (a worker's error at being stopped, with a long traceback)
        errors.put((0, "builtins", "RuntimeError", "z" * 300_000, None, "", None, None))
        os._exit(1)

    signal.signal(signal.SIGTERM, on_term)
    ready.set()
    time.sleep(60)


def _fails_once_ready(ready):
    ready.wait(30)
    os._exit(3)


def test_a_worker_stopped_while_it_reports_at_length_is_read_not_killed(monkeypatch):
    """Reproduced: rank 1 ended before the group met, so rank 0 was stopped (SIGTERM); its
    report (> 64 KiB) filled the pipe while the parent waited in stop_all's join, which
    then killed it mid-put (SIGKILL) and hung on the half report. The report is now read
    while the parent waits, and rank 0 ends by itself."""
    monkeypatch.setattr(worker_pool, "STOP_WAIT_S", 1.0)
    ctx = multiprocessing.get_context("fork")
    errors, ready = ctx.SimpleQueue(), ctx.Event()
    procs = [ctx.Process(target=_reports_when_stopped, args=(errors, ready)),
             ctx.Process(target=_fails_once_ready, args=(ready,))]
    for p in procs:
        p.start()
    got = _in_thread(lambda: worker_pool.wait_all(procs, errors, lambda: False), 30)
    assert got != "hung", "the parent waited forever on a half-sent report"
    reports, early, stopped = got
    assert early == (1, 3) and stopped == {0} and procs[0].exitcode == 1
    assert [(r[0], len(r[3])) for r in reports] == [(0, 300_000)]
