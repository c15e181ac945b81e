"""A spawned worker (``--devices N``) has the variables torchrun sets, so that code
written for torchrun reads its place in the group here too (rnnlab.train.worker_env)."""

import os

import pytest

from rnnlab.train import distributed, rendezvous

pytestmark = pytest.mark.timeout(60)

TORCHRUN = ("RANK", "WORLD_SIZE", "LOCAL_RANK", "LOCAL_WORLD_SIZE", "GROUP_RANK",
            "GROUP_WORLD_SIZE", "ROLE_RANK", "ROLE_WORLD_SIZE", "ROLE_NAME")


class _Joined(Exception):
    pass


def _env_at_join(monkeypatch, rank, devices, parent_env):
    """The environment worker ``rank`` of ``devices`` has when it joins its group."""
    env = {k: v for k, v in os.environ.items() if k not in TORCHRUN}
    env.update(parent_env)
    monkeypatch.setattr(os, "environ", env)  # (what _worker sets stays in this copy)
    seen = {}

    def join(backend, rank, world_size, store, *a, **k):
        seen.update({k: os.environ.get(k) for k in TORCHRUN + ("MASTER_ADDR",)})
        raise _Joined

    monkeypatch.setattr(rendezvous, "join_group", join)
    with pytest.raises(_Joined):
        distributed._worker(rank, None, (),
                            distributed.DeviceConfig(accelerator="cpu", devices=devices),
                            "/no/such/store")
    return seen


def test_a_spawned_worker_has_what_torchrun_sets_for_one_machine(monkeypatch):
    """Reproduced: LOCAL_WORLD_SIZE, GROUP_RANK, ... were not set in a worker, so code
    written for torchrun (``int(os.environ["LOCAL_WORLD_SIZE"])``) failed with a KeyError;
    a parent's own (a job script's, for another group) even reached the worker."""
    seen = _env_at_join(monkeypatch, 2, 3, {"LOCAL_WORLD_SIZE": "8", "GROUP_RANK": "5",
                                            "MASTER_ADDR": "10.1.2.3"})
    assert seen == {"RANK": "2", "WORLD_SIZE": "3", "LOCAL_RANK": "2", "LOCAL_WORLD_SIZE": "3",
                    "GROUP_RANK": "0", "GROUP_WORLD_SIZE": "1", "ROLE_RANK": "2",
                    "ROLE_WORLD_SIZE": "3", "ROLE_NAME": "default", "MASTER_ADDR": None}


def test_the_variables_are_the_ones_torchrun_sets():
    """The names are torchrun's own (its agent's environment for a worker), so user code
    that reads them under torchrun reads them here."""
    import inspect

    from torch.distributed.elastic.agent.server import local_elastic_agent

    from rnnlab.train.worker_env import torchrun_env

    source = inspect.getsource(local_elastic_agent)
    for name in torchrun_env(0, 2):
        assert f'"{name}"' in source, name


def _records_its_start_env(rank, folder):
    """A stand-in worker (forked: it starts with the environment its parent had when it
    started it): writes what it started with, before any of rnnlab's code in it, and ends."""
    import json

    with open(os.path.join(folder, f"env-{rank}.json"), "w", encoding="utf-8") as f:
        json.dump({k: os.environ.get(k) for k in TORCHRUN + ("MASTER_ADDR",)}, f)
    os._exit(0)


class _Forked:
    """The launcher's process context, starting :func:`_records_its_start_env` forked."""

    def __init__(self, folder):
        import multiprocessing

        self.ctx = multiprocessing.get_context("fork")
        self.folder = folder

    def Process(self, target, args, daemon):
        return self.ctx.Process(target=_records_its_start_env, args=(args[0], self.folder),
                                daemon=True)

    def SimpleQueue(self):
        return self.ctx.SimpleQueue()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forked stand-in workers")
def test_a_worker_has_them_from_its_start_and_the_parent_keeps_its_own(monkeypatch, tmp_path):
    """Reproduced: they were set only once rnnlab's code ran in the worker, after the main
    script's top level (run again in each spawned worker) and the modules its task's
    unpickling imports had read them: ``int(os.environ.get("LOCAL_RANK", 0))`` at a
    module's top was the parent's value, or 0, on every rank (torchrun sets them before
    the process starts)."""
    import json

    for name in TORCHRUN:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LOCAL_RANK", "7")
    monkeypatch.setenv("MASTER_ADDR", "10.1.2.3")
    monkeypatch.setattr(distributed.torch.multiprocessing, "get_context",
                        lambda kind: _Forked(str(tmp_path)))
    before = dict(os.environ)
    cfg = distributed.DeviceConfig(accelerator="cpu", devices=3)
    assert distributed._run_workers(lambda ctx: None, (), cfg, str(tmp_path / "store")) is None
    seen = [json.loads((tmp_path / f"env-{r}.json").read_text(encoding="utf-8"))
            for r in range(3)]
    from rnnlab.train.worker_env import torchrun_env

    assert seen == [dict(torchrun_env(r, 3), MASTER_ADDR=None) for r in range(3)]
    assert seen[1]["LOCAL_RANK"] == "1" and seen[2]["LOCAL_WORLD_SIZE"] == "3"
    assert dict(os.environ) == before  # (the parent's own: put back)


_READS_AT_IMPORT = '''
import os

LOCAL_RANK = int(os.environ.get("LOCAL_RANK", 0))  # (as code for torchrun reads them)
LOCAL_WORLD_SIZE = int(os.environ["LOCAL_WORLD_SIZE"])


def task(ctx):
    if (LOCAL_RANK, LOCAL_WORLD_SIZE) != (ctx.rank, ctx.world_size):
        raise SystemExit(f"rank {ctx.rank} read {LOCAL_RANK} of {LOCAL_WORLD_SIZE}")
'''

_MAIN = '''
import os

if __name__ == "__main__":
    os.environ["LOCAL_WORLD_SIZE"] = "1"  # (for this process's own import of the module)
    import reads_at_import
    del os.environ["LOCAL_WORLD_SIZE"]
    from rnnlab.train.distributed import DeviceConfig, launch

    launch(reads_at_import.task, (), DeviceConfig(accelerator="cpu", devices=2))
    print("every rank read its own")
'''


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_a_module_that_reads_them_at_import_reads_its_own_rank(tmp_path):
    """Real spawned workers: the module holding the task reads LOCAL_RANK and
    LOCAL_WORLD_SIZE when imported, which unpickling the task does in each worker before
    rnnlab's code runs there (it failed: KeyError 'LOCAL_WORLD_SIZE')."""
    import subprocess
    import sys
    from pathlib import Path

    (tmp_path / "reads_at_import.py").write_text(_READS_AT_IMPORT, encoding="utf-8")
    (tmp_path / "main.py").write_text(_MAIN, encoding="utf-8")
    src = Path(__file__).resolve().parents[1] / "src"
    env = {k: v for k, v in os.environ.items() if k not in TORCHRUN}
    env["PYTHONPATH"] = os.pathsep.join([str(src), str(tmp_path)])
    r = subprocess.run([sys.executable, str(tmp_path / "main.py")], capture_output=True,
                       text=True, timeout=280, env=env, cwd=tmp_path)
    assert r.returncode == 0 and "every rank read its own" in r.stdout, r.stderr[-3000:]
