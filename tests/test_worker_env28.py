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
