"""The process group as the training loop sees it: each process's :class:`DistContext`
and what the loop does across the group.

A global batch is cut into contiguous rows per rank (:func:`shard_rows`,
:func:`shard_batch`), carried recurrent states likewise (:func:`cut_state`,
:func:`join_states`), and metrics are summed or averaged over the ranks (:func:`all_sum`,
:func:`all_mean`, :func:`gather_to_all`). With one process (``ctx.active`` false) every
collective is the identity. Starting the processes is :mod:`rnnlab.train.distributed`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, List, Sequence

import torch
import torch.distributed as dist


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


def shard_rows(n: int, rank: int, world: int) -> slice:
    """Contiguous rows of a batch of n owned by ``rank`` (sizes differ by at most one)."""
    base, extra = divmod(n, world)
    start = rank * base + min(rank, extra)
    return slice(start, start + base + (1 if rank < extra else 0))


def shard_batch(batch, rank: int, world: int):
    """Slice every tensor of a (nested) batch along dim 0; returns (local batch, rows, n)."""
    # (only the top level was cut: a batch ((x, lengths), y) trained each rank on all of
    # x, and one of ((x, lengths), (y, lengths)) failed with StopIteration)
    found: List[Any] = []  # (each leaf of the batch: a tensor, or what else it holds)
    map_tree(found.append, batch)
    if not found:
        from ..io.errors import ConfigTypeError

        raise ConfigTypeError(f"shard_batch: the batch holds no tensor to split across "
                              f"processes (got {type(batch).__name__}); to train data-parallel, "
                              f"get_batch must return tensors, or tuples, lists and dicts of them")
    n = found[0].shape[0]
    rows = shard_rows(n, rank, world)
    return map_tree(lambda t: t[rows], batch), rows, n


def state_batch_dim(t: torch.Tensor) -> int:
    """Recurrent states are (B, H) (rnnlab's layers) or (L*D, B, H) (torch's)."""
    return 1 if t.dim() == 3 else 0


def map_tree(fn, tree):
    """``fn`` on every tensor of a batch or a carried state: tuples (a namedtuple stays
    one), lists and dicts of them, nested; anything else as it is. (A dict was left as it
    was: a carry {"h": state} was never detached, and the next step died in torch's
    "Trying to backward through the graph a second time".)"""
    if tree is None:
        return None
    if isinstance(tree, torch.Tensor):
        return fn(tree)
    if isinstance(tree, tuple):
        parts = [map_tree(fn, t) for t in tree]
        return type(tree)(*parts) if hasattr(tree, "_fields") else tuple(parts)
    if isinstance(tree, list):
        return [map_tree(fn, t) for t in tree]
    if isinstance(tree, dict):
        return {k: map_tree(fn, v) for k, v in tree.items()}
    return tree


def cut_state(state, rows: slice):
    return map_tree(lambda t: t if t.dim() == 0 else  # (a 0-d tensor, a step count: whole)
                    t.narrow(state_batch_dim(t), rows.start, rows.stop - rows.start), state)


def join_states(states: list):
    """Concatenate per-rank states along their batch dimension."""
    if states[0] is None:
        return None
    first = states[0]
    if isinstance(first, torch.Tensor) and first.dim() > 0:
        return torch.cat(states, dim=state_batch_dim(first))
    if isinstance(first, dict):
        return {k: join_states([s[k] for s in states]) for k in first}
    if not isinstance(first, (tuple, list)):
        return first  # (a number, a 0-d tensor such as a step count: rank 0's)
    parts = [join_states([s[i] for s in states]) for i in range(len(first))]
    if hasattr(first, "_fields"):
        return type(first)(*parts)
    return tuple(parts) if isinstance(first, tuple) else parts


def like_tree(template, tree):
    """A carried state read back from a checkpoint (``tree``, whose namedtuples came back as
    classes built anew, of their names and fields) in the types of ``template``, the task's initial carry, where the two nest
    alike: a carry ``Carry(state, steps)`` resumed as a plain tuple failed in the user's
    ``carry.state``."""
    if isinstance(template, tuple) and isinstance(tree, (tuple, list)) and \
            len(template) == len(tree):
        parts = [like_tree(a, b) for a, b in zip(template, tree)]
        return type(template)(*parts) if hasattr(template, "_fields") else type(tree)(parts)
    if isinstance(template, dict) and isinstance(tree, dict):
        return {k: like_tree(template.get(k), v) for k, v in tree.items()}
    return tree


def all_mean(values: Sequence[float], ctx: DistContext) -> list:
    """:func:`all_sum` over the ranks, divided by their number (float64 throughout)."""
    total = all_sum(values, ctx)
    return [v / ctx.world_size for v in total] if ctx.active else total


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
