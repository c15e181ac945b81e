"""Whether a ``Stacked`` can run as one multi-layer call of torch's kernel, as
``torch.nn.LSTM(num_layers=L)`` does (:func:`stack_cells`), and the cached check of its
structure that lets later calls only verify it (:class:`_StackPlan`)."""

from __future__ import annotations

from typing import List, Optional

import torch
from torch import Tensor
from torch.nn.modules import module as _module

from .base import CellBase
from .bidirectional import Bidirectional
from .dispatch import _transformed, chooses_fused, fused_op
from .fast import fused
from .fast.fused import needs_grad
from .fast.lowp_lstm import no_forward_ad_here
from .recurrent import Recurrent
from .sequence import lengths_need_loop


def stack_cells(stacked, x: Tensor, lengths: Optional[Tensor] = None) -> Optional[list]:
    """The cells of a ``Stacked`` in torch's order (layer by layer, forward before backward)
    when the whole stack can run as one multi-layer call of torch's kernel, else None.

    ``torch.nn.LSTM(num_layers=L, bidirectional=True)`` makes one kernel call for all its
    layers and directions (cuDNN overlaps the layers' steps); a hand-composed stack of the
    same cells can make the same call when:

    * every layer is a plain ``Recurrent`` (forward) or a ``Bidirectional`` of two, and
      every one of them would run torch's kernel on its own (``Recurrent.path_for``);
    * the cells are of one kind (one op, one bias setting, one hidden size) and every
      layer reads the one below as it comes (no reversal, one ``batch_first``);
    * no dropout acts between the layers (eval mode, or p = 0): torch's kernel would draw
      its own dropout masks; nor inside one (``input_dropout``, ``recurrent_dropout``);
    * no hooks are registered on the inner layers or cells (they would not run);
    * the lengths, if any, are packed (:func:`rnnlab.nn.fast.fused.pads` is false): padded, the kernel would
      give only the top layer's outputs, and each layer's final state must be read from
      its own outputs.

    Otherwise ``Stacked`` runs its layers one by one (each still on the fused kernel)."""
    if x.dim() != 3 or x.numel() == 0:
        return None  # the layers say what is wrong
    drop = stacked.dropout
    if drop is not None and stacked.training and drop.p > 0:
        return None
    if _global_hooks() or _transformed() or lengths_need_loop(lengths):
        return None
    plan = stacked.__dict__.get("_stack_plan")
    if plan is None or not plan.holds(stacked):  # checked once, then only re-verified
        plan = _StackPlan(stacked)
        stacked.__dict__["_stack_plan"] = plan
    cells = plan.cells
    if cells is None or plan.hooked():
        return None  # (hooks on the inner modules would not run in one call)
    if any(rec.drops_any() for rec, *_ in plan.recs):
        return None  # (a layer's own masks on x or h: each layer draws and runs them)
    if no_forward_ad_here(fused_op(cells[0]), x):
        return None  # (the layers' loops serve forward AD)
    if lengths is not None:
        first = cells[0]
        T = x.shape[1] if stacked.batch_first else x.shape[0]
        lengths = torch.as_tensor(lengths)
        # (the cells' parameters, not weights(c): a weight parametrize computes, read here
        # and again by the call, stepped spectral_norm twice a call, the layers' once)
        params = [p for c in cells for p in c.parameters()]
        if (not bool((lengths == T).all())
                and fused.pads(first, x, lengths, needs_grad(x, None, params), steps=T)):
            return None
    return cells


class _StackPlan:
    """What :func:`stack_cells` found about a stack's structure, and the objects and
    settings it read, so that the next call only verifies them (identity and a few
    attribute reads, no ``nn.Module.__getattr__``) instead of checking again."""

    def __init__(self, stacked):
        self.layers = list(stacked._modules["layers"]._modules.values())
        self.batch_first = stacked.batch_first
        self.links = []  # (parent, name, child): the submodules read
        self.recs = []  # (Recurrent, impl, reverse, batch_first) as read
        self.kinds = []  # (cell, _cell_kind(cell)) as read: what makes the op and its weights
        self.cells = self._check()

    def _check(self) -> Optional[list]:
        layers = self.layers
        D = 2 if type(layers[0]) is Bidirectional else 1
        if D == 1 and len(layers) < 2:
            return None  # one forward layer is one call already
        cells: List[CellBase] = []
        for layer in layers:
            if D == 2 and type(layer) is Bidirectional and layer.merge_mode == "concat":
                names = ["forward_layer", "backward_layer"]
                recs = [layer._modules[n] for n in names]
                self.links += [(layer, n, r) for n, r in zip(names, recs)]
            elif D == 1 and type(layer) is Recurrent:
                recs = [layer]
            else:
                return None
            for rec in recs:
                if type(rec) is not Recurrent:
                    return None
                cell = rec.cell  # (its _modules["cell"], typed)
                self.links.append((rec, "cell", cell))
                self.kinds.append((cell, _cell_kind(cell)))
                self.recs.append((rec, rec.impl, rec.reverse, rec.batch_first))
                if (D == 1 and rec.reverse) or rec.batch_first != self.batch_first or not \
                        chooses_fused(cell, rec.impl):  # (the layer's own rule)
                    return None
                cells.append(cell)
        first, op = cells[0], fused_op(cells[0])
        for k, cell in enumerate(cells):
            want_in = first.input_size if k < D else D * first.hidden_size
            if (fused_op(cell) is not op or cell.bias != first.bias
                    or cell.hidden_size != first.hidden_size or cell.input_size != want_in):
                return None
        return cells

    def holds(self, stacked) -> bool:
        """True when the stack is as it was when checked."""
        now = stacked._modules["layers"]._modules
        if len(now) != len(self.layers) or stacked.__dict__.get("batch_first") != self.batch_first:
            return False
        if any(a is not b for a, b in zip(now.values(), self.layers)):
            return False
        for parent, name, child in self.links:
            if parent._modules.get(name) is not child:
                return False
        for rec, impl, reverse, batch_first in self.recs:
            d = rec.__dict__
            if (d["_impl"], d["reverse"], d["batch_first"]) != (impl, reverse, batch_first):
                return False
        # a cell's nonlinearity or GRU form set anew, a parametrization (another class)
        return all(_cell_kind(cell) == kind for cell, kind in self.kinds)

    def hooked(self) -> bool:
        """True when a hook is registered on a layer, a direction or a cell."""
        return (any(_has_hooks(layer) for layer in self.layers)
                or any(_has_hooks(child) for _, _, child in self.links))


def _cell_kind(cell) -> tuple:
    """What one kernel call of the stack takes from a cell besides its weights: its class
    (``parametrize`` swaps it for one whose weights are computed), the settings that
    choose torch's op for it (``nonlinearity``, ``reset_after``, ``proj_size``) and its
    sizes."""
    d = cell.__dict__
    return (type(cell), d.get("nonlinearity"), d.get("reset_after"), d.get("proj_size"),
            d.get("bias"), d.get("input_size"), d.get("hidden_size"))


def _has_hooks(m) -> bool:
    return bool(m._forward_hooks or m._forward_pre_hooks or m._backward_hooks
                or getattr(m, "_backward_pre_hooks", None))


def _global_hooks() -> bool:
    M = _module
    return bool(M._global_forward_hooks or M._global_forward_pre_hooks
                or M._global_backward_hooks or getattr(M, "_global_backward_pre_hooks", None))
