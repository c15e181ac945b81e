"""The parent's reader of worker reports (``--devices N``, :mod:`rnnlab.train.worker_reports`)
when a report cannot be read: the reader keeps reading the rest (a later report larger
than the pipe no longer blocks its worker, and the parent, for good) and says which
report it could not read. Stand-in processes (forked, no torch)."""

import multiprocessing
import os
import signal
import sys
import threading
import time

import pytest

from rnnlab.train import worker_pool
from rnnlab.train.worker_reports import ReportReader
from test_worker_reports27 import _in_thread  # (one helper: fn() in a thread, or "hung")

pytestmark = pytest.mark.skipif(sys.platform == "win32" or not hasattr(os, "fork"),
                                reason="forked stand-in workers")


def _refuse_to_load():
    raise ValueError("this object cannot be rebuilt here")


class _Unloadable:
    """An error's attribute that pickles in the worker but cannot be rebuilt in the parent."""

    def __reduce__(self):
        return _refuse_to_load, ()


def _report_unloadable(errors, rank):
    errors.put((rank, "builtins", "RuntimeError", "first", None, "", _Unloadable(), None))
    os._exit(1)


def _report_big_later(errors, rank):
    time.sleep(0.5)  # (after the unreadable one)
    errors.put((rank, "builtins", "ValueError", "v" * 200_000, None, "", None, None))
    os._exit(1)


def test_a_report_that_cannot_be_read_is_named_and_the_rest_are_read():
    """Reproduced: the reader's thread ended at the unreadable report, unseen; rank 1's
    report (> 64 KiB) then blocked rank 1 in put() for good, and the parent with it."""
    ctx = multiprocessing.get_context("fork")
    errors = ctx.SimpleQueue()
    procs = [ctx.Process(target=_report_unloadable, args=(errors, 0)),
             ctx.Process(target=_report_big_later, args=(errors, 1))]
    for p in procs:
        p.start()
    got = _in_thread(lambda: worker_pool.wait_all(procs, errors, lambda: True), 20)
    for p in procs:  # (a hung worker is not left behind)
        if p.is_alive():
            os.kill(p.pid, signal.SIGKILL)
    assert got != "hung", "the parent waited forever: the reader had stopped reading"
    reports = got[0]
    assert [r[0] for r in reports][-1] == 1 and len(reports[-1][3]) == 200_000
    unread = reports[0]
    assert unread[1:3] == ("rnnlab.io.errors", "RnnlabError"), unread
    assert "could not be read" in unread[3] and "cannot be rebuilt here" in unread[3]


def test_the_reader_thread_ends_with_every_launch():
    """Many launches leave no reader thread behind (each ends once its workers have).
    Only the threads started here count: test_worker_reports27's half report leaves its
    reader waiting by design, and in one process (-n 1) that thread was taken for these."""
    ctx = multiprocessing.get_context("fork")
    before = set(threading.enumerate())
    for _ in range(20):
        errors = ctx.SimpleQueue()
        errors.put((0, "builtins", "RuntimeError", "r", None, "", None, None))
        errors.put((1, "builtins", "RuntimeError", "s", None, "", None, None))
        assert [r[0] for r in ReportReader(errors).finish(5.0)] == [0, 1]  # (in order)
    time.sleep(0.2)
    left = [t.name for t in threading.enumerate() if t not in before]
    assert "rnnlab-worker-reports" not in left, left


def test_the_unreadable_report_reaches_the_user_with_its_worker_named():
    """What the launcher raises for it: rnnlab's error, after the worker that sent it (the
    one whose exit code is known and whose report is missing)."""
    from rnnlab.io.errors import RnnlabError
    from rnnlab.train.distributed import _rebuild_error
    from rnnlab.train.worker_reports import unreadable

    class _Ended:
        exitcode = 1

    reports = [unreadable(ValueError("no such class")),
               (1, "builtins", "RuntimeError", "Connection reset by peer", None, "", None, None)]
    error = worker_pool.naming_silent_deaths(
        _rebuild_error(worker_pool.first_cause(reports)),
        worker_pool.silent_deaths([_Ended(), _Ended()], reports, set()))
    assert type(error) is RnnlabError
    assert str(error).startswith("worker rank 0 ended (exit code 1) with no error of its own")
    assert "report could not be read here (ValueError: no such class)" in str(error)
