"""The parent's reader of its workers' error reports (``--devices N``): one queue per
worker, each read by a thread of its own as reports come, so that the parent never waits
in ``get()`` and no worker waits on another.

The workers shared one queue. A worker killed while it put a report larger than the pipe
holds (64 KiB: a long traceback; killed by the out-of-memory killer, or by
:func:`.worker_pool.stop_all` after its wait) died holding the queue's write lock, and
left half a report in the pipe whose rest never came: every other worker's ``put()``
then waited on that lock, so their reports never came and they did not end, until the
parent's grace (:data:`.worker_pool.FAILED_RANK_GRACE_S`, 60 s) stopped them; and a
reader waiting on the half report waited forever. With a queue per worker a killed
worker takes only its own queue with it: the others report and end at once, and the
parent names the killed one as a worker that ended with no report (its exit code).

Once every worker has ended, what a thread has not read within a few seconds
(:data:`.worker_pool.REPORT_WAIT_S`) is such a half report, left unread. While workers
run the threads keep reading, so a worker blocked in ``put()`` by a full pipe gets to
finish its report and end; a report that came whole but cannot be rebuilt here is named
(:func:`unreadable`) and its thread reads on.
"""

from __future__ import annotations

import threading
import time
from typing import List

POLL_S = 0.05  # how often a reader looks for a report, while there is none


def report_queues(mp, n: int) -> list:
    """One report queue per worker (``mp``: a multiprocessing context): worker ``r`` puts
    its report in queue ``r`` only."""
    return [mp.SimpleQueue() for _ in range(n)]


def unreadable(error: Exception) -> tuple:
    """The report in place of one whose bytes came whole but could not be rebuilt in the
    parent (an error's attribute of a class the parent cannot load): rnnlab's error
    saying so, of no rank (its worker is named as one that ended with no report)."""
    return (-1, "rnnlab.io.errors", "RnnlabError",
            f"a worker's error report could not be read here ({type(error).__name__}: "
            f"{error})", None, "", None, None)


class ReportReader:
    """Reads the reports put in ``errors`` (one multiprocessing SimpleQueue, or a sequence
    of them: :func:`report_queues`) in the order they came, a daemon thread per queue, from
    its creation until :meth:`finish`."""

    def __init__(self, errors):
        queues = list(errors) if isinstance(errors, (list, tuple)) else [errors]
        self._queues = queues
        self.reports: list = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads: List[threading.Thread] = [
            threading.Thread(target=self._read, args=(q,), name="rnnlab-worker-reports",
                             daemon=True) for q in queues]
        for t in self._threads:
            t.start()

    def _add(self, report) -> None:
        with self._lock:
            self.reports.append(report)

    def _read(self, queue) -> None:
        while True:
            if not queue.empty():
                try:
                    self._add(queue.get())  # (blocks on a half report: this queue's only)
                except (EOFError, OSError):  # (the pipe's end: nothing more can come)
                    return
                except Exception as e:  # noqa: BLE001 (its bytes were read whole, but
                    self._add(unreadable(e))  # cannot be rebuilt here: said, and the
                    # next read; a thread that ended here left a worker whose report is
                    # larger than the pipe blocked in put(), and the parent waiting on it)
            elif self._stop.wait(POLL_S) and queue.empty():
                return

    def finish(self, wait_s: float) -> list:
        """The reports read, once every worker has ended (nothing more can come): what is
        left in the queues is read for up to ``wait_s`` seconds in all. This process's
        writing ends are closed first, so that a thread waiting on a half report whose
        writer was killed finds the pipe's end and stops (a writer's child that still holds
        that end keeps it waiting, a daemon thread, past ``wait_s``)."""
        self._stop.set()
        for q in self._queues:
            _close_writer(q)
        deadline = time.monotonic() + wait_s
        for t in self._threads:
            t.join(max(0.0, deadline - time.monotonic()))
        with self._lock:
            return list(self.reports)


def _close_writer(queue) -> None:
    """Close this process's writing end of ``queue`` (a SimpleQueue's): once the workers'
    ends are closed too (they have ended), its reader reads what is left, then the end."""
    writer = getattr(queue, "_writer", None)
    try:
        if writer is not None:
            writer.close()
    except OSError:
        pass
