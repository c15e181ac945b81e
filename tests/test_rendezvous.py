"""The single-machine spawn path's rendezvous (``--devices N`` without torchrun) and the
workers' stop when their parent is gone."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def all_reduce_worker(ctx):
    """A worker that needs its peers: one all_reduce over the group."""
    import torch
    import torch.distributed as dist

    t = torch.ones(1, dtype=torch.float64)
    dist.all_reduce(t)
    assert t.item() == ctx.world_size


def failing_worker(ctx):
    if ctx.rank == 1:
        raise ValueError("rank 1 fails on purpose")


_TAKEN_PORT = '''
import os
import socket
import sys

import rnnlab.train.distributed as d
import test_rendezvous as t


def main(folder):
    held = socket.socket()  # another program's port, or a run's beside this one
    held.bind(("127.0.0.1", 0))
    held.listen(8)
    d._free_port = lambda: held.getsockname()[1]  # (the old rendezvous: it took this one)
    cfg = d.DeviceConfig(accelerator="cpu", devices=2)
    d.launch(t.all_reduce_worker, (), cfg)
    print("ran")
    try:
        d.launch(t.failing_worker, (), cfg)
    except Exception as e:
        print("failed:", type(e).__name__, str(e).splitlines()[0])
    print("left:", sorted(os.listdir(folder)))


if __name__ == "__main__":
    main(sys.argv[1])
'''


def _run_script(tmp_path, name, text):
    """``text`` run as a script in a process of its own, its temporary folder
    ``tmp_path/tmp`` (where the rendezvous folders go), rnnlab's and the tests' sources on
    its path."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    (tmp_path / name).write_text(text, encoding="utf-8")
    env = dict(os.environ, TMPDIR=str(tmp), TEMP=str(tmp), TMP=str(tmp),
               PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT / "tests")]))
    return subprocess.run([sys.executable, str(tmp_path / name), str(tmp)],
                          capture_output=True, text=True, timeout=600, env=env, cwd=tmp_path)


@pytest.mark.slow
def test_two_workers_meet_although_another_program_took_a_port(tmp_path):
    """Reproduced: the workers met on a port picked by binding port 0 and closing it; a
    program that took it before rank 0 bound it (held open here) failed the run with
    DistNetworkError "EADDRINUSE ... address already in use", after rank 1 had waited a
    minute on the wrong port. They now meet in a FileStore in a folder of the run's own,
    removed when the workers end, a failed one too."""
    r = _run_script(tmp_path, "taken_port.py", _TAKEN_PORT)
    assert r.returncode == 0 and "ran" in r.stdout, r.stderr[-3000:]
    assert "EADDRINUSE" not in r.stdout + r.stderr
    assert "rank 1 fails on purpose" in r.stdout, r.stdout + r.stderr[-3000:]
    assert "left: []" in r.stdout, r.stdout  # (the rendezvous folders: gone, both runs)


def test_the_private_store_folder_is_removed_even_when_the_run_fails(tmp_path, monkeypatch):
    from rnnlab.train.rendezvous import private_store

    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    with pytest.raises(ValueError):
        with private_store() as path:
            assert Path(path).parent.parent == tmp_path and Path(path).parent.is_dir()
            assert not Path(path).exists()  # (a FileStore starts from no file)
            Path(path).write_text("written by a worker")
            raise ValueError("a worker failed")
    assert list(tmp_path.iterdir()) == []


class _Libc:
    def __init__(self, answer):
        self.answer, self.calls = answer, []

    def prctl(self, *a):
        self.calls.append(a)
        return self.answer


@pytest.mark.parametrize("answer, thread", [(-1, True), (0, False)])
def test_a_worker_whose_prctl_is_refused_watches_its_parent_with_a_thread(monkeypatch, answer,
                                                                          thread):
    """prctl(PR_SET_PDEATHSIG) returning -1 (a seccomp filter, an emulated kernel) was taken
    for success: the worker went on without any watch, and a `kill -9` of its parent left
    it training to its last epoch. It now falls back to the thread macOS and Windows use."""
    import ctypes
    import signal

    from rnnlab.train import distributed, parent_watch

    libc = _Libc(answer)
    watched, ran, exits = [], [], []
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(ctypes, "CDLL", lambda *a, **k: libc)
    monkeypatch.setattr(parent_watch, "stop_when_parent_gone", lambda: watched.append(1))
    monkeypatch.setattr(distributed, "_worker", lambda *a: ran.append(a[0]))
    monkeypatch.setattr(distributed, "_release_semaphores", lambda: None)
    monkeypatch.setattr(distributed.os, "_exit", exits.append)
    if hasattr(os, "setpgid"):
        monkeypatch.setattr(distributed.os, "setpgid", lambda *a: None)
    distributed._spawned(0, None, (), None, None, None, os.getppid())
    assert libc.calls == [(1, int(signal.SIGTERM))]  # (PR_SET_PDEATHSIG, SIGTERM)
    assert watched == ([1] if thread else [])
    assert ran == [0] and exits == [0]


_LATE_RANK = '''
import os
import sys
import time

import torch.distributed as dist

_init = dist.init_process_group


def _rank1_is_late(*args, **kwargs):  # (a loaded machine: rank 1 done connecting, no more)
    _init(*args, **kwargs)
    if os.environ.get("RANK") == "1":
        time.sleep(2)
        with open(os.path.join(os.environ["JOINED_DIR"], "rank1"), "w") as f:
            f.write("joined")


dist.init_process_group = _rank1_is_late


def quick(ctx):  # (no collective: rank 0 ends at once)
    if ctx.rank == 0:
        seen = os.path.exists(os.path.join(os.environ["JOINED_DIR"], "rank1"))
        with open(os.path.join(os.environ["JOINED_DIR"], "rank0"), "w") as f:
            f.write("rank 1 had joined" if seen else "rank 1 had not joined")


if __name__ == "__main__":
    from rnnlab.train.distributed import DeviceConfig, launch

    launch(quick, (), DeviceConfig(accelerator="cpu", devices=2))
    print("ran")
'''


@pytest.mark.slow
def test_no_worker_starts_before_every_worker_has_joined(tmp_path):
    """Reproduced (test_two_cpu_workers_share_the_parents_threads, 2 of 20 runs two at a
    time beside a busy loop; every time with rank 1 slowed inside init_process_group):
    gloo's connecting side returns once it has sent its greeting, so a rank 0 with no
    collective to run ended while rank 1 had yet to read it, and rank 1 failed with "Gloo
    connectFullMesh failed ... Connection closed by peer" (rank 0: no report). A worker
    now starts its task only once every rank has joined."""
    (tmp_path / "late_rank.py").write_text(_LATE_RANK, encoding="utf-8")
    env = dict(os.environ, JOINED_DIR=str(tmp_path),
               PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT / "tests")]))
    r = subprocess.run([sys.executable, str(tmp_path / "late_rank.py")], capture_output=True,
                       text=True, timeout=600, env=env, cwd=tmp_path)
    assert r.returncode == 0 and "ran" in r.stdout, r.stderr[-3000:]
    assert (tmp_path / "rank0").read_text() == "rank 1 had joined"


def test_a_spawned_worker_sees_its_group_and_no_tcp_master(monkeypatch):
    """A spawned worker's environment describes its own group: RANK, WORLD_SIZE and
    LOCAL_RANK as torchrun sets them, and no MASTER_ADDR/MASTER_PORT (it meets through a
    file; no TCP master exists). Reproduced: the ones the parent had (a job script's,
    exported for torchrun) reached every worker, naming another group's master beside
    this group's ranks, where code that connects to them (torch.distributed.rpc's env://)
    went."""
    from rnnlab.train import distributed, rendezvous

    env = {k: v for k, v in os.environ.items() if k not in ("RANK", "WORLD_SIZE", "LOCAL_RANK")}
    env.update(MASTER_ADDR="10.1.2.3", MASTER_PORT="29500")
    monkeypatch.setattr(os, "environ", env)  # (what _worker sets stays in this copy)
    seen = {}

    class Joined(Exception):
        pass

    def join(backend, rank, world_size, store):
        seen.update({k: os.environ.get(k) for k in ("RANK", "WORLD_SIZE", "LOCAL_RANK",
                                                     "MASTER_ADDR", "MASTER_PORT")})
        raise Joined

    monkeypatch.setattr(rendezvous, "join_group", join)
    with pytest.raises(Joined):
        distributed._worker(1, None, (), distributed.DeviceConfig(accelerator="cpu", devices=2),
                            "/no/such/store")
    assert seen == {"RANK": "1", "WORLD_SIZE": "2", "LOCAL_RANK": "1", "MASTER_ADDR": None,
                    "MASTER_PORT": None}


_EARLY_END = '''
import os
import sys

import rnnlab.train.rendezvous as rv

_join = rv.join_group


def _rank1_ends(backend, rank, world_size, store_path):
    if rank == 1:
        os._exit(3)  # (a crash before it joins: a segfault, the out-of-memory killer)
    return _join(backend, rank, world_size, store_path)


rv.join_group = _rank1_ends


def task(ctx):
    pass


if __name__ == "__main__":
    from rnnlab.train import worker_pool
    from rnnlab.train.distributed import DeviceConfig, launch

    worker_pool.FAILED_RANK_GRACE_S = 3600.0  # (only the stop at once ends this run)
    try:
        launch(task, (), DeviceConfig(accelerator="cpu", devices=2))
    except Exception as e:
        print("failed:", type(e).__name__, e)
    print("left:", sorted(os.listdir(sys.argv[1])))
'''


@pytest.mark.slow
def test_two_real_workers_one_of_which_ends_before_the_group_met(tmp_path):
    """Reproduced with real processes: rank 1 ended (exit code 3) before it joined; the
    parent waited its 60 s grace (67 s in all), then said "worker process(es) died: rank 0
    exit code -15, rank 1 exit code 3". Rank 0 is now stopped at once (the grace is an
    hour here), the error names rank 1, and the rendezvous folder is gone."""
    r = _run_script(tmp_path, "early_end.py", _EARLY_END)
    assert r.returncode == 0, r.stderr[-3000:]
    assert "failed: RnnlabError worker rank 1 ended (exit code 3) before the 2 workers had " \
           "met" in r.stdout, r.stdout + r.stderr[-3000:]
    assert "left: []" in r.stdout, r.stdout
