"""The parent's side of ``--devices N`` (:mod:`rnnlab.train.worker_pool`): workers that
cannot start or that end before the group has met, on stand-in processes (no torch
process is started here; test_rendezvous.py runs real ones)."""

import multiprocessing.connection

import pytest

from rnnlab.io.errors import RnnlabError
from rnnlab.train import distributed


class _Proc:
    """A stand-in worker: ends by itself with ``code`` (None: runs until stopped)."""

    def __init__(self, log, rank, code=None, start_fails=False, report=None, errors=None):
        self.log, self.rank, self.code, self.start_fails = log, rank, code, start_fails
        self.report, self.errors = report, errors
        self.started = self.exitcode = None
        self.pid, self.sentinel = 40000 + rank, None

    def start(self):
        if self.start_fails:
            raise OSError(24, "Too many open files")
        self.started = True
        self.log.append(("start", self.rank))
        if self.report is not None:  # (sent as the worker's error, then it ends)
            self.errors.put((self.rank,) + self.report)
        if self.code is not None:
            self.exitcode = self.code

    def is_alive(self):
        return bool(self.started) and self.exitcode is None

    def terminate(self):
        self.log.append(("terminate", self.rank))
        self.exitcode = -15

    def kill(self):
        self.exitcode = -9

    def join(self, timeout=None):
        self.log.append(("join", self.rank))
        assert not self.is_alive() or timeout is not None, "joined a worker left running"


class _Queue:
    def __init__(self):
        self.items = []

    def empty(self):
        return not self.items

    def get(self):
        return self.items.pop(0)

    def put(self, x):
        self.items.append(x)


def _fake_spawn(monkeypatch, log, **per_rank):
    """Make distributed._run_workers start stand-ins: per_rank[f"r{rank}"] = _Proc kwargs."""
    class Ctx:
        def Process(self, target, args, daemon):
            rank = args[0]
            return _Proc(log, rank, errors=args[5], **per_rank.get(f"r{rank}", {}))

        def SimpleQueue(self):
            return _Queue()

    monkeypatch.setattr(distributed.torch.multiprocessing, "get_context", lambda kind: Ctx())
    monkeypatch.setattr(multiprocessing.connection, "wait", lambda *a, **k: [])


def _cfg():
    return distributed.DeviceConfig(accelerator="cpu", devices=2)


def test_a_rank_that_ends_before_the_group_met_stops_the_others_at_once(monkeypatch, tmp_path):
    """Reproduced: rank 1 ended (exit code 3) before joining; rank 0 waited for it in the
    rendezvous, and the parent waited its whole 60 s grace before stopping rank 0, then
    said only "worker process(es) died: rank 0 exit code -15, rank 1 exit code 3". It now
    stops rank 0 at once and names the rank that ended first (a clock that moves 10 s at
    each look stands in for the wait)."""
    log, clock = [], [0.0]
    _fake_spawn(monkeypatch, log, r1=dict(code=3))

    def tick():
        clock[0] += 10.0
        return clock[0]

    monkeypatch.setattr("time.monotonic", tick)
    with pytest.raises(RnnlabError, match=r"worker rank 1 ended \(exit code 3\) before the 2 "
                       r"workers had met.*stopped at once.*--devices 1") as e:
        distributed._run_workers(lambda ctx: None, (), _cfg(), str(tmp_path / "store"))
    assert clock[0] < 60.0  # (stopped at the first look, not after the grace)
    assert "rank 0" not in str(e.value)
    assert ("terminate", 0) in log and ("terminate", 1) not in log


def test_once_the_group_has_met_a_failed_rank_leaves_the_others_their_grace(monkeypatch,
                                                                            tmp_path):
    from rnnlab.train import rendezvous, worker_pool

    log, clock = [], [0.0]
    _fake_spawn(monkeypatch, log, r1=dict(code=1))
    (tmp_path / f"{rendezvous.MET}0").touch()  # (rank 0 saw every rank join)

    def tick():  # (each look at the clock: 10 s later)
        clock[0] += 10.0
        return clock[0]

    monkeypatch.setattr("time.monotonic", tick)
    with pytest.raises(RnnlabError, match=r"died: rank 0 exit code -15, rank 1 exit code 1"):
        distributed._run_workers(lambda ctx: None, (), _cfg(), str(tmp_path / "store"))
    assert clock[0] > worker_pool.FAILED_RANK_GRACE_S  # (stopped after the grace, not before)


class _Finishing(_Proc):
    """A stand-in worker that ends well (exit code 0) at its ``polls``-th look."""

    def __init__(self, *a, polls=3, **k):
        super().__init__(*a, **k)
        self.polls = polls

    def is_alive(self):
        self.polls -= 1
        if self.started and self.exitcode is None and self.polls <= 0:
            self.exitcode = 0
        return super().is_alive()


def test_a_rank_that_ended_well_never_stops_the_others(monkeypatch, tmp_path):
    """Reproduced with real workers: rank 1 returned (exit code 0) while rank 0 still wrote
    its last checkpoint, and the met-RANK files were gone (a temporary-file cleaner:
    systemd-tmpfiles empties /tmp of files 10 days old); rank 0 was stopped at once and the
    run failed with "worker rank 1 ended (exit code 0) before the 2 workers had met". A rank
    that ended well had met the others: only a failed one stops them early."""
    log = []
    _fake_spawn(monkeypatch, log, r1=dict(code=0))
    fake = distributed.torch.multiprocessing.get_context("spawn")  # (rank 1: ends with 0)

    class Ctx:
        def Process(self, target, args, daemon):
            if args[0] == 0:
                return _Finishing(log, 0, polls=5)
            return fake.Process(target, args, daemon)

        SimpleQueue = fake.SimpleQueue

    monkeypatch.setattr(distributed.torch.multiprocessing, "get_context", lambda kind: Ctx())
    assert distributed._run_workers(lambda ctx: None, (), _cfg(), str(tmp_path / "store")) is None
    assert ("terminate", 0) not in log


def test_a_rank_ended_by_a_signal_is_named_with_the_signal():
    from rnnlab.train.worker_pool import died_error

    procs = [_Proc([], 0), _Proc([], 1)]
    procs[0].exitcode, procs[1].exitcode = -15, -9
    msg = str(died_error(procs, (1, -9)))
    assert "worker rank 1 ended (exit code -9: ended by SIGKILL, often the out-of-memory " \
           "killer) before the 2 workers had met" in msg


def test_a_worker_that_cannot_start_stops_those_started_before_it(monkeypatch, tmp_path):
    """Reproduced: rank 1's start raised (here: too many open files); rank 0, started,
    was left running, waiting for rank 1 in the rendezvous (for 30 minutes). It is now
    stopped and joined before the error is raised."""
    log = []
    _fake_spawn(monkeypatch, log, r1=dict(start_fails=True))
    with pytest.raises(OSError, match="Too many open files"):
        distributed._run_workers(lambda ctx: None, (), _cfg(), str(tmp_path / "store"))
    assert log == [("start", 0), ("terminate", 0), ("join", 0)]


def test_when_every_worker_ends_well_nothing_is_raised(monkeypatch, tmp_path):
    log = []
    _fake_spawn(monkeypatch, log, r0=dict(code=0), r1=dict(code=0))
    assert distributed._run_workers(lambda ctx: None, (), _cfg(), str(tmp_path / "store")) is None
    assert ("terminate", 0) not in log and ("terminate", 1) not in log


_GLOO = ("builtins", "RuntimeError", "[gloo/transport/tcp/pair.cc:553] Connection closed by "
         "peer [127.0.0.1]:39086", None, "Traceback ...", None, None)


def test_a_rank_killed_without_a_word_is_named_before_the_error_it_caused(monkeypatch,
                                                                          tmp_path):
    """Reproduced with real workers: rank 1 killed (SIGKILL) mid-run, rank 0 in an
    all_reduce; the error said only "worker rank 0 failed with RuntimeError: ... Connection
    closed by peer", nothing of rank 1. It now names rank 1 and its exit code first."""
    from rnnlab.train import rendezvous

    (tmp_path / f"{rendezvous.MET}0").touch()
    log = []
    _fake_spawn(monkeypatch, log, r0=dict(code=1, report=_GLOO), r1=dict(code=-9))
    with pytest.raises(RnnlabError) as e:
        distributed._run_workers(lambda ctx: None, (), _cfg(), str(tmp_path / "store"))
    assert str(e.value).startswith(
        "worker rank 1 ended (exit code -9: ended by SIGKILL, often the out-of-memory killer) "
        "with no error of its own (its output above may say why); then worker rank 0 failed "
        "with RuntimeError: [gloo/transport/tcp/pair.cc:553] Connection closed by peer")


def test_the_error_that_came_first_is_raised_not_rank_0s():
    """Reproduced with real workers: rank 1 raised ValueError("rank 1 found bad data") while
    rank 0 waited in an all_reduce; rank 0's "Connection reset by peer", raised because it
    was rank 0's, hid it. The kind of error that came first is raised; of one kind, rank
    0's."""
    from rnnlab.train.worker_pool import first_cause

    bad = (1, "builtins", "ValueError", "rank 1 found bad data", None, "", None, None)
    assert first_cause([bad, (0,) + _GLOO]) is bad
    stop0 = (0, "rnnlab.train.stops", "TrainingInterrupted", "rank 0", 130, "", None, None)
    stop1 = (1,) + stop0[1:3] + ("rank 1",) + stop0[4:]
    assert first_cause([stop1, stop0]) is stop0


def test_a_ranks_own_error_is_raised_before_a_peers_lost_connection_of_its_type():
    """Reproduced with real workers: rank 1 raised RuntimeError("rank 1: my own bug") while
    rank 0 waited in an all_reduce; rank 0's RuntimeError "... Connection closed by peer",
    of the same type and rank 0's, hid it. An error at a lost peer is what another's end
    caused: raised only when no worker has another."""
    from rnnlab.train.worker_pool import first_cause

    bug = (1, "builtins", "RuntimeError", "rank 1: my own bug", None, "", None, None)
    gone = (0,) + _GLOO
    assert first_cause([bug, gone]) is bug
    assert first_cause([gone, bug]) is bug  # (whichever came first)
    assert first_cause([gone]) is gone
    backend = (0, "torch.distributed", "DistBackendError", "NCCL error", None, "", None, None)
    assert first_cause([backend, bug]) is bug


_BAD_DATA_ON_RANK_1 = '''
import builtins
import sys


def task(ctx, kind):
    import torch
    import torch.distributed as dist

    if ctx.rank == 1:
        raise getattr(builtins, kind)("rank 1 found bad data")
    dist.all_reduce(torch.ones(1))  # (rank 0: fails once rank 1 has gone)


if __name__ == "__main__":
    from rnnlab.train.distributed import DeviceConfig, launch

    try:
        launch(task, (sys.argv[1],), DeviceConfig(accelerator="cpu", devices=2))
    except Exception as e:
        print("failed:", type(e).__name__, str(e).splitlines()[0])
'''


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["ValueError", "RuntimeError"])  # (RuntimeError: gloo's too)
def test_two_real_workers_raise_the_error_of_the_one_that_failed_first(tmp_path, kind):
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    (tmp_path / "bad_data.py").write_text(_BAD_DATA_ON_RANK_1, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(root / "src"))
    r = subprocess.run([sys.executable, str(tmp_path / "bad_data.py"), kind],
                       capture_output=True, text=True, timeout=600, env=env, cwd=tmp_path)
    assert r.returncode == 0, r.stderr[-3000:]
    assert r.stdout.strip() == f"failed: RnnlabError worker rank 1 failed with {kind}: " \
                               "rank 1 found bad data", r.stdout + r.stderr[-3000:]
