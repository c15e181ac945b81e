"""The parent's reader of its workers' error reports (``--devices N``): a thread of its
own reads them as they come, so that the parent never waits in ``errors.get()``.

A worker killed while it puts a report larger than the pipe holds (64 KiB: a long
traceback; killed by the out-of-memory killer, or by :func:`.worker_pool.stop_all` after
its wait) leaves half a report in the pipe, whose rest never comes: ``get()`` waited for it
forever, and the parent with it, while the other workers ran on. Here only this thread
waits; once every worker has ended, what it has not read within a few seconds
(:data:`.worker_pool.REPORT_WAIT_S`) is such a half report, left unread: that worker counts
as one that ended with no report (its exit code names it). While workers run the thread
keeps reading, so a worker blocked in ``put()`` by a full pipe gets to finish its report
and end; a report that came whole but cannot be rebuilt here is named (:func:`unreadable`)
and the thread reads on.
"""

from __future__ import annotations

import threading

POLL_S = 0.05  # how often the reader looks for a report, while there is none


def unreadable(error: Exception) -> tuple:
    """The report in place of one whose bytes came whole but could not be rebuilt in the
    parent (an error's attribute of a class the parent cannot load): rnnlab's error
    saying so, of no rank (its worker is named as one that ended with no report)."""
    return (-1, "rnnlab.io.errors", "RnnlabError",
            f"a worker's error report could not be read here ({type(error).__name__}: "
            f"{error})", None, "", None, None)


class ReportReader:
    """Reads the reports put in ``errors`` (a multiprocessing SimpleQueue) in the order they
    came, in a daemon thread, from its creation until :meth:`finish`."""

    def __init__(self, errors):
        self.errors = errors
        self.reports: list = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._read, name="rnnlab-worker-reports",
                                        daemon=True)
        self._thread.start()

    def _read(self) -> None:
        while True:
            if not self.errors.empty():
                try:
                    self.reports.append(self.errors.get())  # (blocks on a half report)
                except (EOFError, OSError):  # (the pipe's end: nothing more can come)
                    return
                except Exception as e:  # noqa: BLE001 (its bytes were read whole, but
                    self.reports.append(unreadable(e))  # cannot be rebuilt here: said, and
                    # the next read; a thread that ended here left a worker whose report is
                    # larger than the pipe blocked in put(), and the parent waiting on it)
            elif self._stop.wait(POLL_S) and self.errors.empty():
                return

    def finish(self, wait_s: float) -> list:
        """The reports read, once every worker has ended (nothing more can come): what is
        left in the pipe is read for up to ``wait_s`` seconds; a half report whose writer
        was killed is left, and the thread waiting on it with it."""
        self._stop.set()
        self._thread.join(wait_s)
        return list(self.reports)
