"""Which implementation a model's recurrent layers run on: one word per path, for logs.

``"torch"`` (a plain ``torch.nn`` RNN), ``"fused"`` (torch's kernel behind rnnlab's
modules), ``"fast-torch"`` / ``"fast-triton"`` / ``"fast-triton-split"`` (rnnlab's own
whole-sequence kernels) or ``"reference"`` (the step loop); several joined by ``+``
when the layers differ. The bench prints it per row and training records it in the
history, so every result says what produced it.
"""

from __future__ import annotations

import contextlib

import torch
from torch import nn


def describe_path(model: nn.Module, dtype: torch.dtype = torch.float32,
                  device: torch.device = torch.device("cpu"),
                  context=contextlib.nullcontext) -> str:
    """The path(s) a call of ``model`` on (dtype, device) takes, under ``context()``
    (e.g. the training loop's autocast, under which rnnlab's kernels give way to the
    loop); ``"none"`` when the model has no recurrent layer."""
    from .recurrent import Recurrent

    probe = torch.empty(1, 1, 1, dtype=dtype, device=device)
    paths = set()
    with context():
        for m in model.modules():
            if isinstance(m, nn.RNNBase):
                paths.add(m.path_for(probe) if hasattr(m, "path_for") else "torch")
            elif isinstance(m, Recurrent):
                paths.add(m.path_for(probe))
    return "+".join(sorted(paths)) or "none"
