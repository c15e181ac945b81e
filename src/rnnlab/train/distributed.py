"""Data-parallel training on torch.distributed: DDP over NCCL (GPU) or gloo (CPU).

Two ways in, both standard:

* ``torchrun --nnodes M --nproc-per-node N -m rnnlab.cli …``: torchrun sets RANK,
  WORLD_SIZE, LOCAL_RANK, MASTER_ADDR/PORT and rnnlab joins that group;
* ``rnnlab … --devices N`` on one machine: rnnlab starts N worker processes itself
  (``torch.multiprocessing``) on a free localhost port.

Everything a run needs is passed to the workers as arguments; nothing global.
The training loop (:func:`rnnlab.train.fit`) receives a :class:`DistContext` and
does the rest: DDP wrapping, sharding each global batch, reducing metrics, and
letting rank 0 alone write.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from typing import Any, Callable, Optional, Sequence

import torch
import torch.distributed as dist

ACCELERATORS = ("auto", "cpu", "cuda")
STRATEGIES = ("auto", "ddp")


@dataclass(frozen=True)
class DeviceConfig:
    accelerator: str = "auto"  # auto | cpu | cuda
    devices: int = 1  # processes (one per device) on this node
    num_nodes: int = 1  # nodes; more than one needs torchrun (see README)
    strategy: str = "auto"  # auto (ddp when devices*num_nodes > 1) | ddp
    precision: str = "32"  # 32 | bf16-mixed | 16-mixed

    def __post_init__(self):
        if self.accelerator not in ACCELERATORS:
            raise ValueError(f"accelerator must be one of {ACCELERATORS}, got {self.accelerator!r}")
        if self.strategy not in STRATEGIES:
            raise ValueError(f"strategy must be one of {STRATEGIES}, got {self.strategy!r}")
        if self.devices < 1 or self.num_nodes < 1:
            raise ValueError(f"devices and num_nodes must be >= 1, got {self.devices}, {self.num_nodes}")


@dataclass(frozen=True)
class DistContext:
    rank: int = 0
    world_size: int = 1
    local_rank: int = 0
    device: torch.device = torch.device("cpu")

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    @property
    def active(self) -> bool:
        return self.world_size > 1


def _device_for(accelerator: str, local_rank: int) -> torch.device:
    if accelerator == "cuda" or (accelerator == "auto" and torch.cuda.is_available()):
        if not torch.cuda.is_available():
            raise ValueError("accelerator 'cuda' requested but CUDA is not available; use cpu")
        torch.cuda.set_device(local_rank)
        return torch.device("cuda", local_rank)
    return torch.device("cpu")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def launch(fn: Callable[..., Any], args: Sequence, cfg: DeviceConfig) -> Any:
    """Run ``fn(ctx, *args)`` on every process of the group; returns rank 0's result
    when running in this process (single process or under torchrun)."""
    if "RANK" in os.environ and "WORLD_SIZE" in os.environ:  # started by torchrun
        return _worker(int(os.environ.get("LOCAL_RANK", 0)), fn, args, cfg, None)
    if cfg.num_nodes > 1:
        raise ValueError(
            "--num-nodes > 1 needs one launcher per node: run `torchrun --nnodes M "
            "--nproc-per-node N --rdzv-endpoint HOST:PORT -m rnnlab.cli …` on every node "
            "(see the README)")
    if cfg.devices == 1:
        ctx = DistContext(device=_device_for(cfg.accelerator, 0))
        return fn(ctx, *args)
    port = _free_port()
    torch.multiprocessing.start_processes(
        _worker, args=(fn, args, cfg, port), nprocs=cfg.devices, join=True, start_method="spawn")
    return None


def _worker(local_rank: int, fn, args, cfg: DeviceConfig, port: Optional[int]):
    if port is not None:
        os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port),
                          RANK=str(local_rank), WORLD_SIZE=str(cfg.devices),
                          LOCAL_RANK=str(local_rank))
    device = _device_for(cfg.accelerator, local_rank)
    backend = "nccl" if device.type == "cuda" else "gloo"
    dist.init_process_group(backend)
    try:
        ctx = DistContext(dist.get_rank(), dist.get_world_size(), local_rank, device)
        return fn(ctx, *args)
    finally:
        dist.destroy_process_group()


# -- helpers used by the training loop -------------------------------------------

def shard_rows(n: int, rank: int, world: int) -> slice:
    """Contiguous rows of a batch of n owned by ``rank`` (sizes differ by at most one)."""
    base, extra = divmod(n, world)
    start = rank * base + min(rank, extra)
    return slice(start, start + base + (1 if rank < extra else 0))


def shard_batch(batch, rank: int, world: int):
    """Slice every tensor of a (nested) batch along dim 0; returns (local batch, rows, n)."""
    tensors = batch if isinstance(batch, (tuple, list)) else (batch,)
    n = next(t.shape[0] for t in tensors if isinstance(t, torch.Tensor))
    rows = shard_rows(n, rank, world)

    def cut(t):
        return t[rows] if isinstance(t, torch.Tensor) else t

    local = type(batch)(cut(t) for t in batch) if isinstance(batch, (tuple, list)) else cut(batch)
    return local, rows, n


def state_batch_dim(t: torch.Tensor) -> int:
    """Recurrent states are (B, H) (rnnlab's layers) or (L*D, B, H) (torch's)."""
    return 1 if t.dim() == 3 else 0


def map_tree(fn, tree):
    if tree is None:
        return None
    if isinstance(tree, torch.Tensor):
        return fn(tree)
    if isinstance(tree, tuple):
        return tuple(map_tree(fn, t) for t in tree)
    if isinstance(tree, list):
        return [map_tree(fn, t) for t in tree]
    return tree


def cut_state(state, rows: slice):
    return map_tree(lambda t: t.narrow(state_batch_dim(t), rows.start, rows.stop - rows.start), state)


def join_states(states: list):
    """Concatenate per-rank states along their batch dimension."""
    if states[0] is None:
        return None
    first = states[0]
    if isinstance(first, torch.Tensor):
        return torch.cat(states, dim=state_batch_dim(first))
    parts = [join_states([s[i] for s in states]) for i in range(len(first))]
    return tuple(parts) if isinstance(first, tuple) else parts


def all_mean(values: Sequence[float], ctx: DistContext) -> list:
    if not ctx.active:
        return list(values)
    t = torch.tensor(list(values), dtype=torch.float64, device=ctx.device)
    dist.all_reduce(t)
    return (t / ctx.world_size).tolist()


def all_sum(values: Sequence[float], ctx: DistContext) -> list:
    if not ctx.active:
        return list(values)
    t = torch.tensor(list(values), dtype=torch.float64, device=ctx.device)
    dist.all_reduce(t)
    return t.tolist()


def gather_to_all(obj, ctx: DistContext) -> list:
    if not ctx.active:
        return [obj]
    out = [None] * ctx.world_size
    dist.all_gather_object(out, obj)
    return out
