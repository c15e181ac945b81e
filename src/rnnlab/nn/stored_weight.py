"""Weights that ``torch.nn.utils.parametrize`` computes, read as torch.nn reads them: each
read computes one anew, and a parametrization with state steps it at each
(``spectral_norm``'s power iteration), so the number of reads is part of the result."""

from __future__ import annotations

import contextlib
from typing import ContextManager

import torch
from torch import Tensor, nn
from torch.nn.utils import parametrize


def stored_weight(module: nn.Module, name: str) -> Tensor:
    """``getattr(module, name)`` for a check of dtype and device. A weight that
    ``torch.nn.utils.parametrize`` computes is computed at each read, and a parametrization
    with state steps it at each (``spectral_norm``'s power iteration): a check that read it
    made rnnlab's modules step it once more a call than torch.nn's, and their outputs drift
    from torch.nn's in training. The tensor it is computed from has the same dtype and
    device in every parametrization torch ships; a pruned weight is a plain attribute."""
    computed = getattr(module, "parametrizations", None)
    if computed is not None and name in computed:
        holder = computed[name]
        return holder.original if hasattr(holder, "original") else holder.original0
    return getattr(module, name)


def computed_once(cell: nn.Module) -> ContextManager:
    """For a layer's call: a parametrized cell's weights computed once, at their first read
    (``parametrize.cached()``), as torch.nn's RNNs compute theirs once a call. The step loop
    read ``weight_hh`` at each step: ``spectral_norm`` stepped T times a call on the
    reference path and once on the kernel, and the two trained apart. Not under
    ``torch.jit.trace``, which parametrize's cache refuses ("Cannot trace a model while
    caching parametrizations"): the trace records the reads as the call makes them."""
    if parametrize.is_parametrized(cell) and not torch.jit.is_tracing():
        return parametrize.cached()
    return contextlib.nullcontext()
