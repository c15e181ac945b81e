"""Fast paths for :class:`~rnnlab.nn.Recurrent`: whole-sequence kernels proven equal to its loop.

``Recurrent`` hoists the input projection and then, for each step, calls
``cell.recur`` (a dozen small autograd nodes per step). For the cells torch has no
fused kernel for, a kernel here replaces that loop by one ``torch.autograd.Function``
over the whole sequence: the forward loop writes into preallocated buffers with
``addmm``/in-place ops, and the backward through time is written by hand, with
the recurrent weights' gradients as one matrix product over all steps.

The standard cells (``RNNCell``, ``GRUCell``, ``LSTMCell``) need no kernel of ours:
``Recurrent`` hands their sequence to torch's own (:mod:`.fused`, path ``"fused"``).

When rnnlab's fast path runs (``Recurrent(impl="auto")``, the default):

* the cell is exactly one of the types in :data:`KERNELS` and its configuration is
  supported (:func:`kernel_for`): ``GRUCell(reset_after=False)`` (the ``gru-cho``
  architecture), and ``DTRNNCell`` (``dt-rnn``, ``dts-rnn``, ``dot-rnn``,
  ``stacked-dt-rnn``) when :mod:`rnnlab.nn.deep` provides it;
* autocast is off for the input's device (mixed precision runs the reference loop,
  whose per-op casts the kernel does not reproduce), and no ``torch.func`` transform
  (vmap, grad, jacrev) is active.

Variable lengths, ``reverse``, given initial states, ``Bidirectional`` and ``Stacked``
all run the kernel (masking is part of it). Both loops also run as one Triton kernel
each way (:mod:`.dt_triton`, :mod:`.gru_cho_triton`) with ``impl="triton"`` or
``"triton-split"`` on CUDA; otherwise as torch ops. :func:`backend_for` picks;
``Recurrent.path_for(x)`` says which runs. Anything else runs the reference loop;
``Recurrent.path`` says which one runs. Double backward is not supported by the
kernels: a backward with ``create_graph=True`` raises and says to use ``impl="reference"``.

Tests: ``tests/test_fast_paths.py`` asserts each kernel equals the reference loop in
float64, forward and backward (all parameters, inputs and initial states).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Callable, Optional, Tuple

import torch
from torch import Tensor

from ..cells import GRUCell
from .gru_cho import run_gru_cho

Kernel = Callable[..., Tuple[Tensor, Tensor]]  # (cell, xp, state, mask, backend) -> (out, state)


def _gru_kernel(cell) -> Optional[Kernel]:
    return None if cell.reset_after else run_gru_cho


def _dt_kernel(cell) -> Optional[Kernel]:
    from .dt import dt_kernel

    return dt_kernel(cell)


@lru_cache(maxsize=None)
def _kernels():
    """type -> (cell -> kernel or None). Exact types: a subclass may change the equation."""
    table = {GRUCell: _gru_kernel}
    try:
        from ..deep import DTRNNCell
    except ImportError:  # the deep cells are optional here
        return table
    table[DTRNNCell] = _dt_kernel
    return table


def kernel_for(cell) -> Optional[Kernel]:
    """The whole-sequence kernel for this cell, or None when only the reference loop runs it."""
    pick = _kernels().get(type(cell))
    return None if pick is None else pick(cell)


def can_run(cell, xp: Tensor) -> bool:
    """True when the fast path will run this cell on this projected input."""
    if kernel_for(cell) is None:
        return False
    if torch._C._are_functorch_transforms_active():  # vmap/grad: the loop composes, the kernel not
        return False
    return not torch.is_autocast_enabled(xp.device.type)


def triton_reason(cell, xp: Tensor) -> Optional[str]:
    """Why the Triton loop cannot run this cell on this input, or None when it can.

    Every cell with a whole-sequence kernel has a Triton loop too: ``DTRNNCell`` and
    ``GRUCell(reset_after=False)``."""
    if kernel_for(cell) is None:
        return (f"{type(cell).__name__} has no Triton kernel (DTRNNCell and "
                f"GRUCell(reset_after=False) have)")
    from .triton_common import unavailable_reason

    return unavailable_reason(xp)


def backend_for(cell, xp: Tensor, impl: str = "auto") -> str:
    """The backend that runs the kernel: "torch", "triton" or "triton-split".

    ``impl="auto"`` and ``"fast"`` take torch ops (the Triton loops become ``auto``'s
    choice once they are measured on a GPU; see BENCHMARKS.md). ``"triton"`` runs the
    whole loop in one Triton kernel each way, one program per block of batch rows;
    ``"triton-split"`` spreads each block's tiles over several programs that
    synchronise after every phase (for small batches). Both raise a ``RuntimeError``
    saying why where they cannot run (no Triton, no CUDA, an unsupported dtype).
    """
    if impl in ("auto", "fast"):
        return "torch"
    reason = triton_reason(cell, xp)
    if reason is not None:
        raise RuntimeError(f"impl={impl!r} cannot run {type(cell).__name__} here: {reason}. "
                           f"Use impl='auto' for the torch kernel.")
    return impl


def run(cell, xp: Tensor, state, mask: Optional[Tensor], backend: str = "torch"):
    """Run the loop of ``Recurrent._run``: xp (T, B, G*H), mask (T, B, 1) bool or None."""
    return kernel_for(cell)(cell, xp, state, mask, backend)


__all__ = ["kernel_for", "can_run", "backend_for", "triton_reason", "run"]
