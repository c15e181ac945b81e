"""The environment of a worker that ``--devices N`` starts on one machine: the variables
torchrun sets, for this machine's group, so that code written for torchrun reads its place
in the group the same way here.

torchrun sets RANK, WORLD_SIZE and LOCAL_RANK, and also LOCAL_WORLD_SIZE (the processes
on this machine: what code that splits a machine's GPUs, threads or data files between
its processes reads), GROUP_RANK and GROUP_WORLD_SIZE (this machine's number and the
machines), ROLE_RANK, ROLE_WORLD_SIZE and ROLE_NAME. A spawned worker had only the first
three, so ``int(os.environ["LOCAL_WORLD_SIZE"])`` failed with a KeyError in it. One
machine runs the whole group here: LOCAL_WORLD_SIZE is WORLD_SIZE, GROUP_RANK 0 and
GROUP_WORLD_SIZE 1.

Not set: MASTER_ADDR and MASTER_PORT (removed: this group meets through a file, not a TCP
master; see :mod:`rnnlab.train.distributed`), and torchrun's TORCHELASTIC_* (they say an
elastic agent runs the process, which can restart it; none does here).

A worker has them from its start (:func:`as_worker`, around its start in the parent), as
under torchrun: what a spawned process runs before rnnlab's code in it (the main
script's top level again, the modules that unpickling its task imports) read the
parent's values, or none: ``LOCAL_RANK = int(os.environ.get("LOCAL_RANK", 0))`` at a
module's top was 0 on every rank, and ``os.environ["LOCAL_WORLD_SIZE"]`` a KeyError.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Dict, Iterator

NO_TCP_MASTER = ("MASTER_ADDR", "MASTER_PORT")  # unset in a spawned worker (see above)
ROLE_NAME = "default"  # torchrun's role name when none is given (--role)


def torchrun_env(rank: int, world_size: int) -> Dict[str, str]:
    """The variables torchrun sets for process ``rank`` of ``world_size`` processes that
    all run on one machine."""
    return {"RANK": str(rank), "WORLD_SIZE": str(world_size), "LOCAL_RANK": str(rank),
            "LOCAL_WORLD_SIZE": str(world_size), "GROUP_RANK": "0", "GROUP_WORLD_SIZE": "1",
            "ROLE_RANK": str(rank), "ROLE_WORLD_SIZE": str(world_size), "ROLE_NAME": ROLE_NAME}


def set_worker_env(rank: int, world_size: int) -> None:
    """Set this spawned worker's environment: :func:`torchrun_env`'s variables, and no
    MASTER_ADDR/MASTER_PORT (not even ones its parent had: a job script's)."""
    os.environ.update(torchrun_env(rank, world_size))
    for name in NO_TCP_MASTER:
        os.environ.pop(name, None)


@contextmanager
def as_worker(rank: int, world_size: int) -> Iterator[None]:
    """This process's environment set as worker ``rank``'s (:func:`set_worker_env`) for the
    time of the block, then put back as it was: a process started in it begins with that
    environment (a spawned process copies its parent's when it starts)."""
    names = tuple(torchrun_env(rank, world_size)) + NO_TCP_MASTER
    saved = {name: os.environ.get(name) for name in names}
    try:
        set_worker_env(rank, world_size)
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
