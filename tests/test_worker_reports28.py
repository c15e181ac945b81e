"""A worker killed while it holds its report queue's write lock (``--devices N``): the
other workers' reports still come at once and the parent fails fast, naming the killed
rank. Stand-in processes (forked, no torch) started by the real launcher
(:func:`rnnlab.train.distributed._run_workers`), as in test_worker_reports27.py."""

import multiprocessing
import os
import signal
import struct
import sys
import threading
import time

import pytest

from rnnlab.io.errors import RnnlabError
from rnnlab.train import distributed, rendezvous, worker_pool
from test_worker_reports27 import _in_thread  # (fn() in a thread, or "hung")

pytestmark = [pytest.mark.skipif(sys.platform == "win32" or not hasattr(os, "fork"),
                                 reason="forked stand-in workers"),
              pytest.mark.timeout(60)]

_GONE = "[gloo/transport/tcp/pair.cc:553] Connection closed by peer [127.0.0.1]:39086"


def _dies_mid_report(errors):
    """What the out-of-memory killer leaves: the write lock taken, half a report in the
    pipe (its length said, a part of its bytes written), and the process gone."""
    errors._wlock.acquire()
    os.write(errors._writer.fileno(), struct.pack("!i", 300_000) + b"x" * 1000)
    os.kill(os.getpid(), signal.SIGKILL)


def _reports_lost_peer(rank, errors):
    time.sleep(0.5)  # (after rank 0 has died holding the lock)
    errors.put((rank, "builtins", "RuntimeError", _GONE, None, "Traceback ...", None, None))
    os._exit(1)


def _stand_in(rank, errors):
    if rank == 0:
        _dies_mid_report(errors)
    _reports_lost_peer(rank, errors)


class _Forked:
    """The launcher's process context, starting :func:`_stand_in` in forked processes."""

    def __init__(self):
        self.ctx = multiprocessing.get_context("fork")

    def Process(self, target, args, daemon):
        return self.ctx.Process(target=_stand_in, args=(args[0], args[5]), daemon=True)

    def SimpleQueue(self):
        return self.ctx.SimpleQueue()


def test_a_worker_killed_holding_the_report_lock_blocks_no_other_report(monkeypatch, tmp_path):
    """Reproduced (one queue for all workers): ranks 1 and 2 waited in put() on the lock
    rank 0 died holding, so their reports never came and they never ended; the parent
    waited its 60 s grace, stopped them and said only "worker process(es) died". Each
    worker now has its own queue: their reports come, they end, and the error names rank
    0 first, at once."""
    monkeypatch.setattr(distributed.torch.multiprocessing, "get_context", lambda kind: _Forked())
    monkeypatch.setattr(worker_pool, "REPORT_WAIT_S", 1.0)
    (tmp_path / f"{rendezvous.MET}0").touch()  # (the group had met: the grace applies)
    cfg = distributed.DeviceConfig(accelerator="cpu", devices=3)

    def run():
        try:
            distributed._run_workers(lambda ctx: None, (), cfg, str(tmp_path / "store"))
        except RnnlabError as e:
            return e
        return None

    started = time.monotonic()
    got = _in_thread(run, 30)
    assert got != "hung", "the other workers' reports waited on the dead worker's lock"
    assert time.monotonic() - started < worker_pool.FAILED_RANK_GRACE_S / 2
    message = str(got)
    assert message.startswith("worker rank 0 ended (exit code -9: ended by SIGKILL"), message
    assert f"then worker rank 1 failed with RuntimeError: {_GONE}" in message
    time.sleep(0.2)  # (the reader of rank 0's half report found the pipe's end and stopped)
    assert "rnnlab-worker-reports" not in [t.name for t in threading.enumerate()]


def test_each_worker_is_given_a_queue_of_its_own(monkeypatch, tmp_path):
    """The launcher passes worker r its own queue (none shared), all read by the parent."""
    seen = []

    class _Ctx(_Forked):
        def Process(self, target, args, daemon):
            seen.append(args[5])
            return self.ctx.Process(target=os._exit, args=(0,), daemon=True)

    monkeypatch.setattr(distributed.torch.multiprocessing, "get_context", lambda kind: _Ctx())
    cfg = distributed.DeviceConfig(accelerator="cpu", devices=3)
    assert distributed._run_workers(lambda ctx: None, (), cfg, str(tmp_path / "s")) is None
    assert len(seen) == 3 and len({id(q) for q in seen}) == 3
