"""Which implementation a whole model's recurrent layers run on: :func:`set_impl` sets it
for every layer, :func:`layer_impl` says what one layer takes of a model-wide choice,
:func:`path_of` / :func:`describe_path` answer which path(s) a call takes.
:mod:`rnnlab.nn.dispatch` decides for one layer; this module walks a model.

``"torch"`` (a plain ``torch.nn`` RNN), ``"fused"`` (torch's kernel behind rnnlab's
modules), ``"fast-torch"`` / ``"fast-triton"`` / ``"fast-triton-split"`` /
``"fast-triton-resident"`` (rnnlab's own whole-sequence kernels) or ``"reference"``
(the step loop); several joined by ``+`` when the layers differ. The bench prints it per
row and training records it in the history, so every result says what produced it.
"""

from __future__ import annotations

import contextlib
from typing import Any, Callable, ContextManager, Optional, Protocol, TypeGuard, cast

import torch
from torch import Tensor, nn

from .dispatch import IMPLS, LOOP_IMPLS, MODEL_IMPLS, check_impl, fused_op
from .sequence import lengths_need_loop

__all__ = ["IMPLS", "describe_path", "layer_impl", "path_of", "set_impl"]


def layer_impl(impl: str, has_torch_kernel: bool) -> str:
    """A model-wide impl (:data:`MODEL_IMPLS`) as one layer takes it: a layer on torch's
    kernel has none of rnnlab's loops ("fast", "triton", "triton-split" keep the kernel:
    "auto"); a layer on rnnlab's loop has no torch kernel ("fused" is "auto" there)."""
    check_impl(impl, "impl", MODEL_IMPLS)
    if has_torch_kernel:
        return "auto" if impl in LOOP_IMPLS else impl
    return "auto" if impl == "fused" else impl


class _DropIn(Protocol):
    """rnnlab's torch.nn drop-in (an ``nn.RNNBase`` with ``fused_supported``:
    :mod:`.compat_paths`), as this module reads it."""

    impl: str
    fused_supported: bool

    def path_for(self, x: Tensor, hx: Any = None) -> str: ...


class _Dispatched(Protocol):
    """A layer whose impl :mod:`.dispatch` sets (``dispatched``: :class:`~.recurrent.Recurrent`,
    whose module imports this one), as this module reads it."""

    impl: str
    cell: nn.Module

    def path_for(self, x: Tensor, lengths: Optional[Tensor] = None) -> str: ...


def _is_drop_in(m: nn.Module) -> TypeGuard[_DropIn]:
    return isinstance(m, nn.RNNBase) and hasattr(m, "fused_supported")


def _is_dispatched(m: nn.Module) -> TypeGuard[_Dispatched]:
    return bool(getattr(m, "dispatched", False))


def set_impl(model: nn.Module, impl: str) -> None:
    """Choose the implementation of every recurrent layer of ``model`` (one of
    :data:`IMPLS`); the only way to change it after construction (``build_model`` and
    the modules take it at construction). Layers on torch's kernel keep it for every
    choice but "reference"."""
    check_impl(impl, "set_impl")
    for m in model.modules():
        if _is_drop_in(m):  # torch-compatible
            m.impl = layer_impl(impl, m.fused_supported)
        elif _is_dispatched(m):  # Recurrent
            m.impl = layer_impl(impl, fused_op(m.cell) is not None)


def path_of(module: nn.Module, x: Tensor, lengths: Optional[Tensor] = None) -> str:
    """The path(s) a call of ``module`` on ``x`` runs: each recurrent layer's, "+"-joined
    when they differ ("torch" for a plain ``torch.nn`` RNN; "none" without any).
    ``lengths``: as the call takes them (rnnlab's layers and the registry's models; a
    PackedSequence ``x`` carries its own): under forward AD or in ``torch.export`` they
    take torch's kernel off for the masked loop."""
    paths = set()
    for m in module.modules():
        if isinstance(m, nn.RNNBase):
            if not hasattr(m, "path_for"):
                paths.add("torch")
            elif lengths_need_loop(lengths):
                paths.add("reference")  # the registry's run_layers: the masked loop
            else:
                paths.add(cast(_DropIn, m).path_for(x))  # (a path_for: a drop-in's)
        elif _is_dispatched(m):
            paths.add(m.path_for(x, lengths))
    return "+".join(sorted(paths)) or "none"


def describe_path(model: nn.Module, dtype: torch.dtype = torch.float32,
                  device: torch.device = torch.device("cpu"),
                  context: Callable[[], ContextManager[Any]] = contextlib.nullcontext) -> str:
    """The path(s) a call of ``model`` on (dtype, device) takes, under ``context()``
    (e.g. the training loop's autocast, under which rnnlab's kernels give way to the
    loop); ``"none"`` when the model has no recurrent layer."""
    probe = torch.empty(1, 1, 1, dtype=dtype, device=device)
    with context():
        return path_of(model, probe)
