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

from .recurrent import IMPLS, Recurrent, path_of  # IMPLS: what set_impl and the --impl flags take


def set_impl(model: nn.Module, impl: str) -> None:
    """Choose the implementation of every recurrent layer of ``model`` (see
    ``Recurrent(impl=...)``): "auto", "fast" (rnnlab's torch-ops kernels), "triton",
    "triton-split" (its Triton loops, CUDA) or "reference" (the step loop everywhere).

    Layers that run torch's fused kernel keep it for every choice but "reference";
    that includes the template of the torch-compatible modules (``gru-cho`` runs
    through it), which they keep outside their submodules."""
    from .fast.fused import fused_op

    if impl not in IMPLS:
        raise ValueError(f"impl must be one of {', '.join(IMPLS)}, got {impl!r}")
    for m in model.modules():
        if isinstance(m, nn.RNNBase) and hasattr(m, "_reference"):  # torch-compatible module
            if m.fused_supported:  # torch's kernel unless the loop is asked for
                m.impl = "reference" if impl == "reference" else "auto"
            else:  # its loops (the template) take impl at each call
                m.impl = impl
        elif isinstance(m, Recurrent):
            standard = fused_op(m.cell) is not None  # torch's kernel: no Triton loop of ours
            m.impl = "auto" if standard and impl.startswith("triton") else impl


def describe_path(model: nn.Module, dtype: torch.dtype = torch.float32,
                  device: torch.device = torch.device("cpu"),
                  context=contextlib.nullcontext) -> str:
    """The path(s) a call of ``model`` on (dtype, device) takes, under ``context()``
    (e.g. the training loop's autocast, under which rnnlab's kernels give way to the
    loop); ``"none"`` when the model has no recurrent layer."""
    probe = torch.empty(1, 1, 1, dtype=dtype, device=device)
    with context():
        return path_of(model, probe)
