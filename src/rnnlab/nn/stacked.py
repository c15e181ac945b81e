"""``Stacked(layers, dropout)``: layer l reads layer l-1's output sequence."""

from __future__ import annotations

import inspect
import warnings
from typing import Optional, Sequence

import torch
from torch import Tensor, nn
from torch.nn.modules import module as _module
from torch.nn.utils.rnn import PackedSequence

from .base import CellBase, ShapeError, check_input_type, fx_leaf_call, refuse_torchscript
from .bidirectional import Bidirectional
from .compat_state import refuse_torch_layout
from .dispatch import _transformed, fused_op, loop_only
from .paths import path_of
from .fast import fused
from .fast.fused import needs_grad, weights
from .fast.fused_stack import run_fused_stack
from .recurrent import Recurrent, _run_packed
from .sequence import drop_valid_steps, packs_under_export, refuse_lengths_as_state


class Stacked(nn.Module):
    r"""A stacked (deep) RNN, the sRNN of Pascanu et al. (2014), section 3.3.

    .. math::  h^{(l)}_t = f^{(l)}(h^{(l-1)}_t, h^{(l)}_{t-1}), \quad h^{(0)}_t = x_t

    Each layer is any recurrent layer (:class:`Recurrent`, :class:`Bidirectional`);
    dropout is applied to the output of every layer but the last, drawn as torch.nn.LSTM's
    CPU kernel draws it (:func:`~.sequence.drop_valid_steps`: the same masks for one seed).
    A stack of standard cells (``Recurrent`` of ``RNNCell``/``GRUCell``/``LSTMCell``,
    plain or ``Bidirectional``) runs as one call of torch's multi-layer kernel, as
    ``torch.nn.LSTM(num_layers=L)`` does (:func:`stack_cells`).

    Forward: ``state`` is a sequence with one state per layer (or None);
    returns ``(top layer's outputs, [final state of each layer])``.
    """

    def __init__(self, layers: Sequence[nn.Module], dropout: float = 0.0):
        super().__init__()
        if len(layers) == 0:
            raise ValueError("Stacked: expected at least one layer, got none")
        for k, layer in enumerate(layers):
            if not isinstance(layer, nn.RNNBase):
                _check_layer(k, layer)
            if isinstance(layer, nn.RNNBase):  # forward(x, hx): no lengths, its own layers
                raise TypeError(
                    f"Stacked: layer {k} is a {type(layer).__name__} module, which runs its own "
                    f"layers (num_layers=...) and takes no lengths; stack Recurrent or "
                    f"Bidirectional layers (e.g. Recurrent({type(layer).__name__}Cell(I, H))), "
                    f"or use {type(layer).__name__}(I, H, num_layers={len(layers)})")
        if not 0.0 <= dropout <= 1.0:  # torch.nn.RNN accepts 1.0 too
            raise ValueError(f"Stacked: dropout must be in [0, 1], got {dropout}")
        warn_unused_dropout("Stacked", len(layers), dropout)
        firsts = [bool(getattr(layer, "batch_first", False)) for layer in layers]
        if len(set(firsts)) > 1:
            raise ValueError(
                f"Stacked: every layer must use the same batch_first, got {firsts}; a layer "
                f"reads its input in the layout the previous one wrote. Build them all with "
                f"batch_first={firsts[0]} (or all with the other value).")
        _check_sizes(layers)
        self.layers = nn.ModuleList(layers)
        self.dropout = nn.Dropout(dropout) if dropout > 0 else None
        self.batch_first = firsts[0]

    @property
    def output_size(self) -> int:
        return self.layers[-1].output_size

    __prepare_scriptable__ = refuse_torchscript

    def __getstate__(self):
        """The module's state without the cached :class:`_StackPlan` (rebuilt on the next
        call): pickled, it would name a class ``torch.load(weights_only=True)`` refuses,
        and a deep copy would carry the plan of the layers it was copied from."""
        state = dict(self.__dict__)
        state.pop("_stack_plan", None)
        return state

    def path_for(self, x: Tensor) -> str:
        """The path(s) a call on ``x`` runs, as :meth:`Recurrent.path_for` says for each
        layer ("+"-joined when they differ)."""
        return path_of(self, x)

    def forward(self, x, state: Optional[Sequence] = None, lengths: Optional[Tensor] = None):
        leaf = fx_leaf_call(self, x, state, lengths)  # (torch.fx: one node, as torch.nn's RNNs)
        if leaf is not None:
            return leaf
        check_input_type("Stacked", x)
        refuse_lengths_as_state("Stacked", state)
        if isinstance(x, PackedSequence):
            return _run_packed(self, x, state, lengths)
        refuse_torch_layout("Stacked", state, len(self.layers),
                            2 if getattr(self.layers[0], "bidirectional", False) else 1)
        if isinstance(state, Tensor) and state.dim() == 2:
            raise ShapeError(
                f"Stacked: expected one state per layer ({len(self.layers)}), a list, or a "
                f"tensor of shape (layers, B, H); got one tensor of shape {tuple(state.shape)}: "
                f"for a single layer pass [state]")
        cells = stack_cells(self, x, lengths)
        if cells is not None:  # standard cells throughout: torch's multi-layer kernel, one call
            return run_fused_stack(self, cells, x, state, lengths)
        if state is not None and len(state) != len(self.layers):
            raise ShapeError(
                f"Stacked: expected one state per layer ({len(self.layers)}), got {len(state)}"
            )
        finals = []
        for i, layer in enumerate(self.layers):
            x, fin = layer(x, None if state is None else state[i], lengths)
            finals.append(fin)
            if self.dropout is not None and i < len(self.layers) - 1:
                x = drop_valid_steps(self.dropout, x, lengths, self.batch_first)
        return x, finals


def _check_layer(k: int, layer) -> None:
    """A layer is called ``layer(x, state, lengths)``: a cell (one step), a DeepOutput or a
    Linear is refused saying where it goes (the call failed with "forward() takes 2
    positional arguments but 4 were given")."""
    if isinstance(layer, CellBase):
        fix = f"wrap the cell: Recurrent({type(layer).__name__}(...)) runs it over time"
    elif not isinstance(layer, nn.Module):
        fix = "pass torch modules (Recurrent, Bidirectional)"
    else:
        try:
            inspect.signature(layer.forward).bind(None, None, None)
            return
        except (TypeError, ValueError):
            fix = ("a per-step layer (DeepOutput, Linear) goes after the stack, on its output "
                   "(as build_model('dot-rnn') does)")
    raise TypeError(f"Stacked: layer {k} is a {type(layer).__name__}, but a stacked layer is "
                    f"called as layer(x, state, lengths) (Recurrent, Bidirectional); {fix}")


def _check_sizes(layers: Sequence[nn.Module]) -> None:
    """Layer k reads what layer k-1 writes: its cell's input_size must be the layer below's
    output_size (a bidirectional layer writes both directions' features). Checked where both
    are known, at construction: the call failed with the inner cell's message, naming no
    layer."""
    for k in range(1, len(layers)):
        below = getattr(layers[k - 1], "output_size", None)
        reads = getattr(layers[k], "input_size", None)
        if isinstance(below, int) and isinstance(reads, int) and below != reads:
            two = " (both directions)" if getattr(layers[k - 1], "bidirectional", False) else ""
            raise ValueError(
                f"Stacked: layer {k} reads {reads} features, but layer {k - 1} outputs "
                f"{below}{two}; build layer {k}'s cell(s) with input_size={below}")


def warn_unused_dropout(who: str, num_layers: int, dropout: float, stacklevel: int = 2) -> None:
    """torch.nn.RNN's warning for a stack of one layer with dropout, which never acts (it
    is applied between stacked layers); ``stacklevel`` 2 names the caller's caller."""
    if num_layers == 1 and dropout > 0:
        warnings.warn(f"{who}: dropout adds dropout after all but the last recurrent layer, "
                      f"so non-zero dropout expects num_layers greater than 1, but got "
                      f"dropout={dropout} and num_layers=1: it does nothing here; give "
                      f"num_layers >= 2 for it to act, or dropout=0", UserWarning,
                      stacklevel=stacklevel + 1)


# --- a whole stack in one call of torch's kernel -------------------------------------------


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
      its own dropout masks;
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
    if _global_hooks() or _transformed() or packs_under_export(lengths):
        return None
    plan = stacked.__dict__.get("_stack_plan")
    if plan is None or not plan.holds(stacked):  # checked once, then only re-verified
        plan = _StackPlan(stacked)
        stacked.__dict__["_stack_plan"] = plan
    cells = plan.cells
    if cells is None or plan.hooked():
        return None  # (hooks on the inner modules would not run in one call)
    if lengths is not None:
        if loop_only():  # forward AD: torch's packing has none; the layers' masked loops do
            return None
        first = cells[0]
        T = x.shape[1] if stacked.batch_first else x.shape[0]
        lengths = torch.as_tensor(lengths)
        params = [p for c in cells for p in weights(c)]
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
        cells = []
        for layer in layers:
            if D == 2 and type(layer) is Bidirectional:
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
                cell = rec._modules["cell"]
                self.links.append((rec, "cell", cell))
                self.kinds.append((cell, _cell_kind(cell)))
                self.recs.append((rec, rec.impl, rec.reverse, rec.batch_first))
                if (D == 1 and rec.reverse) or rec.batch_first != self.batch_first or not (
                        rec.impl in ("auto", "fast") and fused_op(cell) is not None):
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
