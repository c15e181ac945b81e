"""The loss of a data-parallel rank that has no rows of a batch.

The loop splits every task's global batch across the ranks (:func:`~rnnlab.train.
collectives.shard_batch`); a short last batch leaves a rank with none. Its loss must still
reach every parameter (DDP waits for each one's gradient), be exactly zero with exactly
zero gradients (the other ranks' average stays theirs, bit for bit), and be finite
whatever the model outputs: a batch mean over no rows is NaN, and ``output.sum() * 0.0``
is NaN when the output holds an infinity. Either made every rank skip the step.

Its forward pass still runs (DDP's forward syncs buffers and readies the backward's
gradient hooks: a rank that skipped it left the others waiting), but changes no buffer
of the model (:func:`buffers_kept`): TensorTask runs it on one row of its data, which
moved a BatchNorm's running mean and variance on that rank, and a forward on no rows
still counts a batch in ``num_batches_tracked``.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Dict, Iterator, List, Optional

import torch
from torch import Tensor, nn


def zero_over_parameters(model: nn.Module) -> Tensor:
    """An exact zero with an exactly zero gradient for each trainable parameter of
    ``model`` (a DDP wrapper reads its module's). Built from the parameters, not the
    model's output: zeroing the output first (nan_to_num) still sent its zero gradient
    back through the model, where a backward such as exp's multiplied it by inf. Each
    parameter is zeroed before its sum (a sum of large values can overflow)."""
    zero: Optional[Tensor] = None
    for p in model.parameters():
        if p.requires_grad:
            term = (p * 0.0).sum()
            zero = term if zero is None else zero + term
    return zero if zero is not None else torch.zeros(())


@contextmanager
def buffers_kept(model: nn.Module) -> Iterator[None]:
    """The buffers of ``model`` (running statistics) as they were when its first forward
    pass in the block began, put back after the block: a share of no rows trains nothing,
    so its forward pass leaves them too. Read at that forward (a hook of ``model``, inside
    a DDP wrapper's forward), not before the block: DDP's forward first copies rank 0's
    buffers to every rank, and that copy stays."""
    kept: List[Dict[str, Tensor]] = []  # (a task calling the model twice: its first call's)

    def read(module: nn.Module, args) -> None:
        if not kept:
            kept.append({n: b.detach().clone() for n, b in module.named_buffers()})

    hook = model.register_forward_pre_hook(read)
    try:
        yield
    finally:
        hook.remove()
        with torch.no_grad():
            for name, b in model.named_buffers():
                old = kept[0].get(name) if kept else None
                if old is not None and old.shape == b.shape:
                    b.copy_(old)
