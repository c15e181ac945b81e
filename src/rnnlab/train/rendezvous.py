"""Where the workers that ``--devices N`` starts on one machine find each other: a
``torch.distributed.FileStore`` in a private temporary folder, not a TCP port.

The workers met on a localhost port picked by binding port 0 and closing it again, and
the number went to the workers; anything else on the machine (another program, a second
rnnlab run started at the same moment, a gloo connection of a run beside it) could take
that port before rank 0 bound it. Rank 0 then failed with "EADDRINUSE ... address already
in use" and rank 1 waited a minute on the wrong port before the run was stopped. A file in
a folder this run made is no one else's, and it needs no port, no firewall rule and no
hostname on Linux, macOS and Windows alike. torchrun (``env://``, several machines) keeps
its own TCP rendezvous; this is the single-machine spawn path only.

The folder is made by the parent before any worker starts and removed by it once every
worker has ended, failed or not (the workers end with ``os._exit``, which skips the
store's own clean-up). A parent killed outright (``kill -9``, the out-of-memory killer)
removes nothing: each folder records its processes (``owner-PID``: the parent's and each
worker's id, with its start time where the system tells it, and its machine), and the next
launch removes the folders of this user whose processes, of this machine, are all gone,
and those older rnnlab versions left, once done (:mod:`.stale_stores`).

A worker returns from :func:`join_group` only once every worker has joined: gloo's
connecting side is done once it has sent its greeting, and a rank 0 with nothing to
send ended before a rank 1 slowed by a loaded machine had read it, failing the run
with "Gloo connectFullMesh failed ... Connection closed by peer".
"""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

STORE_NAME = "store"  # the FileStore's file in the run's private folder
JOINED = "rnnlab/joined"  # a rank's key once its connections to every other rank are made
PREFIX = "rnnlab-ddp-"  # the folders' names in the temporary directory
MET = "met-"  # a file in the folder once a rank has seen every rank join (met-RANK)
ARRIVED = "arrived-"  # a file in the folder once a rank has begun to join (arrived-RANK)


@contextmanager
def private_store() -> Iterator[str]:
    """A path, in a new folder of its own, for the workers' FileStore; the folder and what
    is in it are removed on leaving, whatever happened in between."""
    from .stale_stores import record_owner, remove_stale

    folder = tempfile.mkdtemp(prefix=PREFIX)
    try:
        record_owner(folder)
        remove_stale(Path(folder).parent, PREFIX, keep=folder)
        yield str(Path(folder, STORE_NAME))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def join_group(backend: str, rank: int, world_size: int, store_path: str) -> None:
    """Join (create) this worker's default process group through the FileStore at
    ``store_path``, waiting for the others for the join timeout (:mod:`.join_timeout`: 5
    minutes, or RNNLAB_JOIN_TIMEOUT), and return once every rank has joined."""
    import torch.distributed as dist

    from .join_timeout import after_join, joining
    from .stale_stores import record_owner

    folder = Path(store_path).parent
    record_owner(folder)  # (a folder with a live worker is not stale)
    _mark(folder, ARRIVED, rank)  # (the ranks with none are named if the group never forms)
    store = dist.FileStore(store_path, world_size)

    def join(timeout) -> None:
        store.set_timeout(timeout)  # (the rendezvous's waits, not only the group's)
        dist.init_process_group(backend, store=store, rank=rank, world_size=world_size,
                                timeout=timeout)
        # no rank goes on before every rank has made its connections: gloo's connecting
        # side returns once it has sent its greeting, so a rank 0 with nothing to send (a
        # short task) ended while rank 1, slowed by a loaded machine, had yet to read it,
        # and rank 1 failed with "Gloo connectFullMesh failed ... Connection closed by peer"
        store.set(f"{JOINED}/{rank}", "1")
        store.wait([f"{JOINED}/{r}" for r in range(world_size)])

    joining(join, rank, world_size, lambda: absent(folder, world_size))
    after_join(backend, store)  # (the group's operations: torch's default timeout again)
    _mark(folder, MET, rank)  # (for the parent: group_met; without it, a rank that ends
    # stops the rest at once)


def _mark(folder: Path, kind: str, rank: int) -> None:
    """Leave the file ``kind``RANK in ``folder`` (best effort)."""
    try:
        Path(folder, f"{kind}{rank}").touch()
    except OSError:
        pass


def absent(folder, world_size: int) -> list:
    """The ranks that have not reached the rendezvous in ``folder`` (no ``arrived-RANK``)."""
    try:
        names = set(os.listdir(folder))
    except OSError:
        return []
    return [r for r in range(world_size) if f"{ARRIVED}{r}" not in names]


def group_met(store_path: str) -> bool:
    """Whether the workers meeting at ``store_path`` have met: a rank has seen every rank
    join. Until then a worker that ends leaves the others waiting for it."""
    try:
        return any(n.startswith(MET) for n in os.listdir(Path(store_path).parent))
    except OSError:
        return False
