"""How long the processes of ``--devices N`` wait for each other to form their group
(rnnlab.train.join_timeout): a live but hung worker made the others wait torch's default,
30 minutes, before anything was said."""

import os
import time
from datetime import timedelta

import pytest

from rnnlab.io.errors import ConfigError, RnnlabError
from rnnlab.train import distributed, join_timeout, rendezvous

pytestmark = pytest.mark.timeout(60)


def test_a_rank_that_never_comes_is_named_with_the_variable_after_the_timeout(monkeypatch,
                                                                               tmp_path):
    """Reproduced (real gloo, rank 0 of 2, rank 1 never starts): rank 0 waited in
    init_process_group for 30 minutes. It now fails after RNNLAB_JOIN_TIMEOUT seconds,
    naming rank 1 and the variable; no group is left behind."""
    import torch.distributed as dist

    monkeypatch.setenv(join_timeout.ENV, "1.5")
    started = time.monotonic()
    with pytest.raises(RnnlabError) as e:
        rendezvous.join_group("gloo", 0, 2, str(tmp_path / "store"))
    assert time.monotonic() - started < 30
    message = str(e.value)
    assert "2 training processes did not form their group within 1.5 s (rank 0 waited): " \
           "worker rank 1 never reached the rendezvous" in message, message
    assert "environment variable RNNLAB_JOIN_TIMEOUT=SECONDS (default 300)" in message
    assert not dist.is_initialized()


def test_once_formed_the_group_waits_torchs_default_again(monkeypatch, tmp_path):
    """The join's few minutes bound only the forming: a rank that writes a long checkpoint
    while the others wait in an all-reduce must not fail them (torch's 30 minutes)."""
    import torch
    import torch.distributed as dist

    monkeypatch.setenv(join_timeout.ENV, "7")
    rendezvous.join_group("gloo", 0, 1, str(tmp_path / "store"))
    try:
        backend = dist.distributed_c10d._get_default_group()._get_backend(torch.device("cpu"))
        assert backend.options._timeout == timedelta(minutes=30)
        assert (tmp_path / f"{rendezvous.ARRIVED}0").exists()
        assert (tmp_path / f"{rendezvous.MET}0").exists()
    finally:
        dist.destroy_process_group()


def _fake_init(monkeypatch, wait_s, error):
    """torch's init_process_group replaced: records its timeout, waits, raises ``error``."""
    import torch.distributed as dist

    seen = []

    def init(backend, **k):
        seen.append(k.get("timeout"))
        time.sleep(wait_s)
        raise error

    monkeypatch.setattr(dist, "init_process_group", init)
    return seen


def test_every_rank_arrived_but_the_group_did_not_form(monkeypatch, tmp_path):
    monkeypatch.setenv(join_timeout.ENV, "0.3")
    seen = _fake_init(monkeypatch, 0.3, RuntimeError("Wait timeout"))
    for r in (0, 1, 2):
        (tmp_path / f"{rendezvous.ARRIVED}{r}").touch()
    with pytest.raises(RnnlabError, match=r"within 0.3 s \(rank 2 waited\): every rank "
                                          r"reached the rendezvous, but one hung while joining"):
        rendezvous.join_group("gloo", 2, 3, str(tmp_path / "store"))
    assert seen == [timedelta(seconds=0.3)]


def test_an_error_before_the_timeout_is_raised_as_it_is(monkeypatch, tmp_path):
    """A peer that ended (gloo's "Connection closed by peer") is not a timeout."""
    monkeypatch.setenv(join_timeout.ENV, "60")
    _fake_init(monkeypatch, 0.0, RuntimeError("Connection closed by peer"))
    with pytest.raises(RuntimeError, match="^Connection closed by peer$"):
        rendezvous.join_group("gloo", 0, 2, str(tmp_path / "store"))


def test_torchruns_group_is_bounded_by_it_too(monkeypatch):
    monkeypatch.setenv(join_timeout.ENV, "0.2")
    monkeypatch.setenv("RANK", "3")
    monkeypatch.setenv("WORLD_SIZE", "4")
    seen = _fake_init(monkeypatch, 0.2, RuntimeError("Wait timeout"))
    with pytest.raises(RnnlabError, match=r"4 training processes did not form their group "
                                          r"within 0.2 s \(rank 3 waited\).*RNNLAB_JOIN_TIMEOUT"):
        distributed._worker(0, None, (), distributed.DeviceConfig(accelerator="cpu"), None)
    assert seen == [timedelta(seconds=0.2)]


@pytest.mark.parametrize("value", ["soon", "0", "-5", "nan", "inf", "1e9"])
def test_a_bad_value_is_refused_before_any_process_starts(monkeypatch, value):
    monkeypatch.setenv(join_timeout.ENV, value)
    monkeypatch.delenv("RANK", raising=False)
    monkeypatch.delenv("WORLD_SIZE", raising=False)
    from rnnlab.train.launch_checks import check_launchable

    with pytest.raises(ConfigError, match=rf"RNNLAB_JOIN_TIMEOUT must be the seconds .* got "
                                          rf"'{value}'; unset it for 300 s"):
        check_launchable(distributed.DeviceConfig(accelerator="cpu", devices=2))
    check_launchable(distributed.DeviceConfig(accelerator="cpu", devices=1))  # (no group)


def test_unset_or_empty_is_five_minutes(monkeypatch):
    monkeypatch.delenv(join_timeout.ENV, raising=False)
    assert join_timeout.join_timeout_s() == 300.0
    monkeypatch.setenv(join_timeout.ENV, " ")
    assert join_timeout.join_timeout() == timedelta(minutes=5)
    monkeypatch.setenv(join_timeout.ENV, "90")
    assert join_timeout.join_timeout_s() == 90.0


_HUNG_RANK_1 = '''
import os
import time

import rnnlab.train.rendezvous as rv

_join = rv.join_group


def _rank1_hangs(backend, rank, world_size, store_path):
    if rank == 1:
        time.sleep(3600)  # (alive, never joins: a lock, a network file system)
    return _join(backend, rank, world_size, store_path)


rv.join_group = _rank1_hangs


def task(ctx):
    pass


if __name__ == "__main__":
    from rnnlab.train.distributed import DeviceConfig, launch

    started = time.monotonic()
    try:
        launch(task, (), DeviceConfig(accelerator="cpu", devices=2))
    except Exception as e:
        print("failed:", type(e).__name__, e)
    print("seconds:", round(time.monotonic() - started))
'''


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_two_real_workers_one_of_which_hangs_before_the_group_met(tmp_path):
    """Real processes: rank 1 alive but hung before joining; rank 0 gives up after the
    join timeout (3 s here), the parent stops rank 1 at once and names it."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    (tmp_path / "hung.py").write_text(_HUNG_RANK_1, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(root / "src"), RNNLAB_JOIN_TIMEOUT="3")
    r = subprocess.run([sys.executable, str(tmp_path / "hung.py")], capture_output=True,
                       text=True, timeout=280, env=env, cwd=tmp_path)
    assert r.returncode == 0, r.stderr[-3000:]
    assert "failed: RnnlabError the 2 training processes did not form their group within " \
           "3 s (rank 0 waited): worker rank 1 never reached the rendezvous" in r.stdout, \
        r.stdout + r.stderr[-3000:]
    assert "RNNLAB_JOIN_TIMEOUT=SECONDS" in r.stdout


def _late_rank_0(rank, store_path, ready):
    """Rank 0 comes to the group's first all-reduce 7 s after rank 1 (a checkpoint)."""
    import torch
    import torch.distributed as dist

    ready.wait(120)  # (both started: the join's few seconds are for the join alone)
    rendezvous.join_group("gloo", rank, 2, store_path)
    if rank == 0:
        time.sleep(7)
    x = torch.ones(1)
    try:
        dist.all_reduce(x)
    except RuntimeError:
        os._exit(3)
    os._exit(0 if x.item() == 2.0 else 4)


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_a_rank_late_to_an_all_reduce_fails_no_one_after_a_short_join(tmp_path, monkeypatch):
    """Real gloo: the group formed under a 3 s join timeout; rank 1 then waits 7 s for rank
    0 in an all-reduce, which succeeds (gloo's send/recv timeout is torch's again). With the
    join's timeout kept (measured), rank 1 failed "Timed out waiting ...ms for send
    operation"."""
    import multiprocessing

    monkeypatch.setenv(join_timeout.ENV, "3")  # (spawned workers inherit it)
    ctx = multiprocessing.get_context("spawn")
    ready = ctx.Barrier(2)
    procs = [ctx.Process(target=_late_rank_0, args=(r, str(tmp_path / "store"), ready))
             for r in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(240)
    assert [p.exitcode for p in procs] == [0, 0]


def test_torchruns_store_waits_torchs_default_again_once_formed(monkeypatch):
    """Under torchrun (env://) the store init_process_group makes kept the join's timeout
    (2 s here, 5 minutes by default) once the group had formed: only the group's own
    operations got torch's default back, and what waits on that store later (NCCL reads
    each communicator's id from it at its first collective, after rank 0 prepared the
    data, say) failed after the join's few minutes. The spawn path's store was set back."""
    from torch.distributed import distributed_c10d as c10d

    monkeypatch.setenv(join_timeout.ENV, "2")
    for name, value in (("RANK", "0"), ("WORLD_SIZE", "1"), ("LOCAL_RANK", "0"),
                        ("MASTER_ADDR", "127.0.0.1"), ("MASTER_PORT", "0")):
        monkeypatch.setenv(name, value)
    seen = {}

    def task(ctx):
        store = c10d._get_default_store()
        seen["store"] = store.timeout
        seen["under"] = getattr(store, "underlying_store", store).timeout

    distributed._worker(0, task, (), distributed.DeviceConfig(accelerator="cpu"), None)
    assert seen == {"store": timedelta(minutes=30), "under": timedelta(minutes=30)}


def test_the_variable_is_named_where_a_user_looks_for_the_settings():
    """README's "Environment:" sentence (the variables rnnlab reads) named RNNLAB_CACHE
    alone, and no command's help named the join timeout: a user whose group is slow to
    form learnt of RNNLAB_JOIN_TIMEOUT only from the error after 5 minutes."""
    import argparse
    import re
    from pathlib import Path

    import rnnlab
    from rnnlab.train.cli_args import add_device_args

    src = Path(rnnlab.__file__).parent
    read = {n for p in src.rglob("*.py")
            for n in re.findall(r"RNNLAB_[A-Z_]+", p.read_text(encoding="utf-8"))}
    readme = (src.parents[1] / "README.md").read_text(encoding="utf-8")
    environment = readme[readme.index("\nEnvironment: "):]
    environment = environment[:environment.index("The options of the same name")]
    assert join_timeout.ENV in read
    assert [n for n in sorted(read) if n not in environment] == []
    parser = argparse.ArgumentParser()
    add_device_args(parser)
    devices = next(a for a in parser._actions if "--devices" in a.option_strings)
    assert join_timeout.ENV in devices.help
