"""The loss of a data-parallel rank that has no rows of a batch.

The loop splits every task's global batch across the ranks (:func:`~rnnlab.train.
collectives.shard_batch`); a short last batch leaves a rank with none. Its loss must still
reach every parameter (DDP waits for each one's gradient), be exactly zero with exactly
zero gradients (the other ranks' average stays theirs, bit for bit), and be finite
whatever the model outputs: a batch mean over no rows is NaN, and ``output.sum() * 0.0``
is NaN when the output holds an infinity. Either made every rank skip the step.
"""

from __future__ import annotations

from typing import Optional

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
