"""Which implementation runs a recurrent layer: the one module that decides.

Words (and nothing else names a path):

* **impl**, what a user asks for: :data:`IMPLS` (``Recurrent``, :func:`.paths.set_impl`, the
  ``--impl`` flags, ``TrainConfig.impl``): ``"auto"`` (the fastest measured path here,
  :data:`AUTO`), ``"fast"`` (rnnlab's whole-sequence kernel as torch ops, or torch's
  kernel for the cells it has; a cell with neither is refused, as the Triton impls do),
  ``"triton"`` / ``"triton-split"`` (its Triton loops; CUDA), ``"triton-resident"``
  (the Triton loop with the weights kept on chip, for small H; ``"triton-split"`` where
  they do not fit: :func:`resident_reason`), ``"reference"`` (the step loop).
  :data:`MODEL_IMPLS` adds ``"fused"`` (torch's kernel only; ``ModelSpec.impl`` and the
  torch-compatible modules).
* **path**, what runs: :data:`PATHS`: ``"torch"`` (a plain ``torch.nn`` module),
  ``"fused"`` (torch's kernel behind rnnlab's modules), ``"fast-torch"``,
  ``"fast-triton"``, ``"fast-triton-split"``, ``"fast-triton-resident"`` (rnnlab's
  kernel on that backend), ``"reference"``. :func:`path_for` gives it for one input
  (device, dtype, autocast); :func:`family` the part known without an input (``"fused"``,
  ``"fast"``, ``"reference"``: ``Recurrent.path``, the torch-compatible modules' ``path``).

Tables (adding a cell with a fast path adds one row to :data:`KERNELS`):

* :data:`KERNELS`: per exact cell type, torch's fused op (``torch.lstm`` …) and rnnlab's
  whole-sequence kernel (:mod:`.fast`; every one has Triton loops too), each per
  configuration (``GRUCell(reset_after=False)`` has no torch op);
* :data:`AUTO` (in :mod:`.auto_table`): which backend ``"auto"`` runs rnnlab's kernels
  on, per device (and size, as measurements come), in order of preference, with the
  measurement that put it there.

The choice (cell, impl, input) → path is :func:`path_for`; layers call it, never decide
themselves. Applying an impl to a whole model and asking a model which paths it runs is
:mod:`.paths`. Variable lengths, reverse and given states change nothing here: every path
takes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Dict, Optional, Tuple

import torch
from torch import Tensor, nn
from torch.nn.utils import parametrize
from torch.nn.utils.rnn import PackedSequence

from ..names import IMPLS, LOOP_IMPLS  # (torch-free, for the parsers)
from .cells import GRUCell, LSTMCell, RNNCell
from .deep import DTRNNCell
from .fast.dt import dt_kernel, dt_resident_reason, dt_row_elements
from .fast.gru_cho import gru_cho_resident_reason, gru_cho_row_elements, run_gru_cho
from .fast.lowp_lstm import no_forward_ad_here
from .auto_table import (AUTO as AUTO, DEFAULT_AUTO as DEFAULT_AUTO,  # (X as X: re-exported)
                         AutoRule as AutoRule, auto_rule as auto_rule)
from .autocast_on import autocast_on
from .impl_refusals import mixed_bias_reason, no_kernel, refuse_under_autocast
from ..io.errors import ConfigError, UnsupportedError

MODEL_IMPLS = ("auto", "fused") + LOOP_IMPLS + ("reference",)  # ModelSpec.impl
COMPAT_IMPLS = ("auto", "fused", "reference")  # torch-compatible modules on torch's kernel
BACKENDS = ("torch", "triton", "triton-split", "triton-resident")  # where rnnlab's kernel runs
PATHS = ("torch", "fused") + tuple(f"fast-{b}" for b in BACKENDS) + ("reference",)
FAMILIES = ("fused", "fast", "reference")

Kernel = Callable[..., Tuple[Tensor, Tensor]]  # (cell, xp, state, mask, backend) -> (out, state)


def _none(cell) -> None:
    return None


def _no_resident(cell, dtype: torch.dtype) -> str:
    return (f"{type(cell).__name__} has no resident-weights kernel yet (DTRNNCell and "
            f"GRUCell(reset_after=False) have)")


def _rnn_op(cell):
    return {"tanh": torch.rnn_tanh, "relu": torch.rnn_relu}[cell.nonlinearity]


@dataclass(frozen=True)
class CellKernels:
    """What can run a cell type's whole sequence, per configuration (None: nothing).
    Each function takes a cell of its row's type (``Any``: a table the checker cannot key
    by type; ``object`` said any cell, and the GRU's and LSTM's reads were errors)."""

    torch_op: Callable[[Any], Optional[Callable]] = _none  # torch.lstm, torch.gru, ...
    rnnlab: Callable[[Any], Optional[Kernel]] = _none  # rnnlab.nn.fast (+ Triton loops)
    # (cell, dtype) -> why its Triton loop cannot keep the weights on chip, or None
    resident: Callable[[Any, torch.dtype], Optional[str]] = _no_resident
    # cell -> elements per step and batch row of its Triton loop's largest buffer
    row_elements: Callable[[Any], int] = lambda cell: 0


# Exact types: a subclass may change the equation, and then the step loop runs it
# (a parametrized cell reads its class's row: :func:`table_type`).
KERNELS: Dict[type, CellKernels] = {
    RNNCell: CellKernels(torch_op=_rnn_op),
    GRUCell: CellKernels(torch_op=lambda c: torch.gru if c.reset_after else None,
                         rnnlab=lambda c: None if c.reset_after else run_gru_cho,
                         resident=gru_cho_resident_reason,
                         row_elements=gru_cho_row_elements),
    LSTMCell: CellKernels(torch_op=lambda c: None if c.proj_size else torch.lstm),
    DTRNNCell: CellKernels(rnnlab=dt_kernel, resident=dt_resident_reason,
                           row_elements=dt_row_elements),
}


# -- the tables, read ---------------------------------------------------------------------
def table_type(cell) -> type:
    """The cell's row of :data:`KERNELS`: its class, or for a cell ``torch.nn.utils.parametrize``
    made compute its weights (a subclass of the same equation) the class it was made from."""
    cls = type(cell)
    return cls.__bases__[0] if parametrize.is_parametrized(cell) else cls


def fused_op(cell) -> Optional[Callable]:
    """torch's whole-sequence op for this cell (``torch.lstm`` …), or None."""
    entry = KERNELS.get(table_type(cell))
    return None if entry is None else entry.torch_op(cell)


def kernel_for(cell) -> Optional[Kernel]:
    """rnnlab's whole-sequence kernel for this cell, or None (only the loop runs it)."""
    entry = KERNELS.get(table_type(cell))
    return None if entry is None else entry.rnnlab(cell)


def _transformed() -> bool:
    """vmap/grad and friends: the loop composes with them, the kernels do not."""
    return torch._C._are_functorch_transforms_active()


def can_fuse(cell) -> bool:
    """True when ``impl="auto"`` hands this cell's sequence to torch's kernel."""
    return fused_op(cell) is not None and not _transformed()


def chooses_fused(cell, impl: str) -> bool:
    """True when ``impl`` and the cell choose torch's kernel, whatever the call's state (the
    one rule :func:`family`, :func:`fuses` and a ``Stacked``'s one-call plan read)."""
    return impl in ("auto", "fast") and fused_op(cell) is not None


def fuses(cell, impl: str) -> bool:
    """True when a layer of ``cell`` with this impl hands its sequence to torch's kernel."""
    return chooses_fused(cell, impl) and not _transformed()


def loop_only() -> bool:
    """A ``torch.func`` transform or ``forward_ad.dual_level()``: rnnlab's kernels (no jvp:
    "You must implement the jvp") and torch's packing do not serve them; the loop does."""
    return _transformed() or torch.autograd.forward_ad._current_level >= 0


def can_run(cell, x: Tensor) -> bool:
    """True when rnnlab's kernel can run this cell on ``x`` (it has one; no autocast,
    whose per-op casts the kernel does not reproduce; not :func:`loop_only`; not inside
    ``torch.jit.trace``, which records the kernel's forward ops, not its node: the graph
    replays ``out=`` ops autograd refuses and loses the hand-written backward; nor in
    ``torch.export``, which failed in those ops: "addmm(): functions with out=...
    arguments don't support automatic differentiation")."""
    if (kernel_for(cell) is None or loop_only() or torch.jit.is_tracing()
            or _exporting()):
        return False
    return not autocast_on(x.device.type)


def _exporting() -> bool:
    """Inside ``torch.export``; False on a torch without ``torch.compiler.is_exporting``
    (it came after 2.4, the declared floor, where it raised AttributeError on every call)."""
    is_exporting = getattr(torch.compiler, "is_exporting", None)
    return is_exporting is not None and is_exporting()


def triton_reason(cell, x: Tensor) -> Optional[str]:
    """Why the Triton loops cannot run this cell on ``x``, or None when they can."""
    if kernel_for(cell) is None:
        return mixed_bias_reason(cell) or (f"{type(cell).__name__} has no Triton kernel "
                                           f"(DTRNNCell and GRUCell(reset_after=False) have)")
    from .fast.triton_common import index_reason, unavailable_reason  # imports Triton

    return unavailable_reason(x) or index_reason(x, KERNELS[table_type(cell)].row_elements(cell))


def resident_reason(cell: nn.Module, x: Tensor) -> Optional[str]:
    """Why ``impl="triton-resident"`` runs this cell on ``"triton-split"`` for ``x``'s dtype
    (no resident kernel for the cell; its weights do not fit on chip), or None when the
    resident kernel runs. The path (``"fast-triton-split"``) says which ran."""
    entry = KERNELS.get(table_type(cell))
    if entry is None or kernel_for(cell) is None:
        return f"{type(cell).__name__} has no Triton kernel"
    return entry.resident(cell, x.dtype)


def auto_backend(cell, x: Tensor) -> str:
    """The backend ``impl="auto"`` runs rnnlab's kernel on for ``x`` (:data:`AUTO`)."""
    if torch.compiler.is_compiling():
        return "torch"  # a trace records torch ops; a Triton launch is none (measured eager)
    rule = auto_rule(cell, x)
    for backend in (DEFAULT_AUTO if rule is None else rule.backends):
        if backend == "torch" or triton_reason(cell, x) is None:
            return backend
    return "torch"


def backend_for(cell, x: Tensor, impl: str = "auto") -> str:
    """The backend of rnnlab's kernel for this impl: one of :data:`BACKENDS`.

    ``"auto"``: :func:`auto_backend`; ``"fast"``: torch ops; ``"triton"``: the whole loop
    in one Triton kernel each way, one program per block of batch rows;
    ``"triton-split"``: each block's tiles over several programs that synchronise after
    every phase; ``"triton-resident"``: the same with each program's weight tiles kept on
    chip, or ``"triton-split"`` where they do not fit (:func:`resident_reason` says
    why). The Triton impls raise a ``RuntimeError`` saying why where they cannot
    run (no Triton, no CUDA, an unsupported dtype)."""
    if impl == "auto":
        return auto_backend(cell, x)
    if impl == "fast":
        return "torch"
    reason = triton_reason(cell, x)
    if reason is not None:
        raise UnsupportedError(f"impl={impl!r} cannot run {type(cell).__name__} here: {reason}. "
                               f"Use impl='auto' for the fastest path that runs here.")
    if impl == "triton-resident" and resident_reason(cell, x) is not None:
        return "triton-split"
    return impl


# -- the choice ---------------------------------------------------------------------------
def check_impl(impl: str, who: str, allowed: Tuple[str, ...] = IMPLS) -> str:
    if impl not in allowed:
        raise ConfigError(f"{who}: impl must be one of {', '.join(map(repr, allowed))}, "
                          f"got {impl!r}")
    return impl


def family(cell, impl: str) -> str:
    """The path without an input: "fused", "fast" or "reference" (under autocast or a
    ``torch.func`` transform the loop runs even where this says "fast")."""
    if impl == "reference":
        return "reference"
    if chooses_fused(cell, impl):
        return "fused"
    return "fast" if kernel_for(cell) is not None else "reference"


def path_for(cell, impl: str, x: Tensor) -> str:
    """The path a layer of ``cell`` with this ``impl`` runs on ``x`` (its device, dtype,
    and the autocast and ``torch.func`` state now): one of :data:`PATHS`; ``x`` may be a
    PackedSequence, as the call takes it. Raises, as the call would, where a Triton impl
    cannot run."""
    if impl == "reference":
        return "reference"
    if isinstance(x, PackedSequence):
        x = x.data  # (its device and dtype are what is read)
    if fuses(cell, impl) and not no_forward_ad_here(fused_op(cell), x):
        return "fused"
    if kernel_for(cell) is None:
        if impl == "fast" and fused_op(cell) is None:
            raise UnsupportedError(no_kernel(cell, impl))
        if impl.startswith("triton"):
            backend_for(cell, x, impl)  # raises: this cell has no Triton kernel
        return "reference"  # (torch's kernel cannot serve a torch.func transform)
    if impl in LOOP_IMPLS:
        refuse_under_autocast(cell, impl, x)
    if not can_run(cell, x):
        return "reference"
    return "fast-" + backend_for(cell, x, impl)


def run_kernel(cell, xp: Tensor, state, mask: Optional[Tensor], path: str):
    """Run rnnlab's kernel on path "fast-<backend>": xp (T, B, G*H), mask (T, B, 1) or None.
    Under ``torch.compile`` untraced, as torch's kernel: traced, its loop unrolled (a dt-rnn
    at T = 160: 316 s to compile, a step 270 ms against 20 ms eager)."""
    kernel, backend = kernel_for(cell), path[len("fast-"):]
    assert kernel is not None  # (a "fast-" path is chosen only for a cell with a kernel)
    if torch.compiler.is_compiling():
        from .fast.common import run_untraced
        return run_untraced(kernel, cell, xp, state, mask, backend)
    return kernel(cell, xp, state, mask, backend)
