"""``Recurrent(cell)``: run any cell over a sequence (the reference time loop)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional, Tuple, overload

import torch
from torch import Tensor, nn
from torch.nn.utils.rnn import PackedSequence

from . import dispatch
from .base import CellBase, State, zip_state
from .cell_hooks import run_cell_hooks
from .dispatch import IMPLS  # noqa: F401  (the names callers import from here)
from .paths import path_of  # noqa: F401
from .fast.fused import run_fused
from .graph_capture import fx_leaf_call, refuse_torchscript, warn_unrolled
from .keras_names import RefusesKerasArguments, RefusesKerasCall
from .layer_path import layer_path
from .fast.lowp_lstm import lstm_autocast_dtype
from .packed_call import (composed_call, refuse_lengths_with_packed,  # noqa: F401
                          run_packed)  # (composed_call: the name callers import from here)
from .state_hints import check_layer_state, state_or_hx
from .stored_weight import computed_once
from .torch_names_hint import load_state_dict_hinting
from .sequence import (check_lengths, check_sequence, masking_lengths,  # noqa: F401
                       refuse_lengths_as_state, reverse_padded)
from .variational import DropsInside, draw_masks, mask_like, refuse_kernel_impl
from ..io.errors import ConfigTypeError


class Recurrent(RefusesKerasArguments, RefusesKerasCall, DropsInside, nn.Module):
    """Runs a cell over time: ``outputs, final_state = Recurrent(cell)(x, state, lengths)``.

    Args:
        cell: any :class:`~rnnlab.nn.base.CellBase`.
        reverse: read the sequence from its end (each sequence from its own last
            valid step when lengths are given).
        batch_first: inputs and outputs are (B, T, F) instead of (T, B, F).
        impl: "auto" (default) runs the standard cells (``RNNCell``, ``GRUCell``,
            ``LSTMCell``) on torch's fused kernel, the one ``torch.nn.LSTM`` calls
            (:mod:`rnnlab.nn.fast.fused`); the cells torch has no kernel for on their
            whole-sequence kernel from :mod:`rnnlab.nn.fast` when they have one
            (``GRUCell(reset_after=False)``, ``DTRNNCell``) and autocast is off, on the
            backend measured fastest on the input's device (on CUDA with Triton: the
            split Triton loop; else torch ops; :data:`rnnlab.nn.dispatch.AUTO`); any
            other cell on this loop. "fast" runs rnnlab's kernel as torch ops (torch's
            kernel for the standard cells; refused for a cell with neither);
            "triton" / "triton-split" as one Triton kernel each way on CUDA (an error
            says why where they cannot run; "fast" and these are refused under
            autocast, which "auto" gives way to); "triton-resident" the same with the
            weights kept on chip (small H; else "triton-split":
            :func:`rnnlab.nn.dispatch.resident_reason`); "reference" always runs this loop.
            :attr:`path` and :meth:`path_for` say which; :mod:`rnnlab.nn.dispatch`
            decides. The kernels are tested equal to the loop.
        input_dropout: Keras' cell ``dropout``: in training, the fraction p of x_t's
            features dropped, one mask per sequence (per row and feature) kept for every
            step and scaled by 1/(1-p); any path runs it (the mask is on x).
        recurrent_dropout: Keras' ``recurrent_dropout`` (Gal & Ghahramani, 2016): in
            training, the same for h_{t-1} where it enters the recurrent weights
            (``cell.recur_dropped``; a GRU's blend z ⊙ h_{t-1} keeps h whole, as Keras').
            No kernel takes that mask: the step loop runs the call (path "reference";
            an impl that asks for a kernel, "fast" / "triton…" here, a drop-in's or
            ``build_model``'s "fused", is refused then). In eval mode, or at 0 (the
            defaults), neither changes anything. :mod:`rnnlab.nn.variational`.

    Keras' arguments (``return_sequences``, ``go_backwards``, ``stateful``) are refused
    naming what does the same here (:mod:`rnnlab.nn.keras_names`).

    Forward:
        x: (T, B, I), (B, T, I) if batch_first, or a ``PackedSequence``.
        state: the cell's state, (B, H) or a tuple of them; zeros when omitted
            (``hx=``, torch.nn's name, is the same argument).
        lengths: optional (B,) valid lengths. Outputs past a sequence's end are
            zero, and its final state is the one at its last valid step.

    Returns ``(outputs (…, H_out), final_state)``; a ``PackedSequence`` in gives one out.

    The input projection is computed for all steps at once (one matrix product);
    the loop then runs only the recurrent part of the cell.
    """

    dispatched = True  # rnnlab.nn.dispatch sets its impl and reports its path

    def __init__(self, cell: CellBase, reverse: bool = False, batch_first: bool = False,
                 impl: str = "auto", *, input_dropout: float = 0.0,
                 recurrent_dropout: float = 0.0):
        super().__init__()
        if not isinstance(cell, CellBase):
            fix = (f"use rnnlab.nn.{type(cell).__name__} (the same parameters: "
                   f"load_state_dict(torch_cell.state_dict()))"
                   if type(cell).__name__ in ("RNNCell", "GRUCell", "LSTMCell") else
                   "derive the cell from rnnlab.nn.CellBase (project_input and recur)")
            raise ConfigTypeError(f"Recurrent: expected an rnnlab cell (RNNCell, GRUCell, LSTMCell, "
                                  f"DTRNNCell or a CellBase), got {type(cell).__module__}."
                                  f"{type(cell).__name__}; {fix}")
        for name, flag in (("reverse", reverse), ("batch_first", batch_first)):
            if not (flag in (0, 1) and type(flag).__name__ in ("bool", "int", "bool_")):
                # ("yes" and "False" are both true)
                raise ConfigTypeError(f"Recurrent: {name} must be True or False, got {flag!r} "
                                      f"({type(flag).__name__})")
        self.cell = cell
        self.reverse = bool(reverse)
        self.batch_first = bool(batch_first)
        self.impl = impl
        self.input_dropout = input_dropout
        self.recurrent_dropout = recurrent_dropout

    @property
    def impl(self) -> str:
        return self._impl

    @impl.setter
    def impl(self, value: str) -> None:
        self._impl = dispatch.check_impl(value, "Recurrent")

    @property
    def path(self) -> str:
        """``"fused"`` when torch's kernel runs the sequence, ``"fast"`` when one of
        rnnlab's whole-sequence kernels does, else ``"reference"`` (under autocast the
        reference loop runs even where this says "fast"): :func:`rnnlab.nn.dispatch.family`;
        "reference" while training with ``recurrent_dropout``, where a kernel impl raises
        the UnsupportedError the call raises (it said "reference" for a call refused)."""
        if self.drops_state():
            refuse_kernel_impl(f"Recurrent({type(self.cell).__name__})", self.impl)
            return "reference"
        return dispatch.family(self.cell, self.impl)

    def path_for(self, x: Tensor, lengths: Optional[Tensor] = None) -> str:
        """The path a call on ``x`` (a tensor with ``lengths``, or a PackedSequence) runs:
        "fused", "reference", "fast-torch", "fast-triton", "fast-triton-split" or
        "fast-triton-resident" (raises, as the call would, where a Triton impl cannot run
        or the lengths are wrong): :func:`rnnlab.nn.dispatch.path_for`; "reference" for a
        batch of no sequences, and for variable lengths torch's packing cannot serve
        (forward-mode AD, ``torch.func``, ``torch.export``: :func:`.sequence.lengths_need_loop`),
        which the step loop runs (:meth:`_run`)."""
        dispatch.path_for(self.cell, self.impl, x)  # (raises first, as the call would)
        if isinstance(x, PackedSequence):
            refuse_lengths_with_packed(type(self).__name__, lengths)
            sizes = x.batch_sizes  # (T,): how many sequences run at each step
            B, T = int(sizes[0]), len(sizes)
            lengths = (sizes.unsqueeze(0) > torch.arange(B).unsqueeze(1)).sum(1)  # (B,)
        elif isinstance(x, Tensor) and x.dim() == 3:
            B, T = (x.shape[0], x.shape[1]) if self.batch_first else (x.shape[1], x.shape[0])
        else:
            return dispatch.path_for(self.cell, self.impl, x)  # (the call says what is wrong)
        return layer_path(self.cell, self.impl, x, B, masking_lengths(self, lengths, B, T),
                          self.drops_state())

    @property
    def input_size(self) -> int:
        return self.cell.input_size

    @property
    def output_size(self) -> int:
        return self.cell.output_size

    __prepare_scriptable__ = refuse_torchscript
    load_state_dict = load_state_dict_hinting  # (torch.nn's names: says how to load them)

    def extra_repr(self) -> str:
        """The settings away from their defaults (``reverse=True, batch_first=True,
        impl='reference'``): a backward layer printed as a forward one did."""
        shown = [f"reverse={self.reverse}" if self.reverse else "",
                 f"batch_first={self.batch_first}" if self.batch_first else "",
                 f"impl={self.impl!r}" if self.impl != "auto" else "", self.rates_repr()]
        return ", ".join(s for s in shown if s)

    if TYPE_CHECKING:  # module(x) as forward (torch.nn.Module's __call__ is Any to a checker);
        # the state is the cell's (a tensor, LSTMCell's (h, c), your cell's): Any here, so that
        # `out, h = layer(x)` and `out, (h, c) = layer(x)` both read as written
        @overload
        def __call__(self, x: Tensor, state: Any = None,
                     lengths: Optional[Tensor] = None,
                     *, hx: Any = None) -> Tuple[Tensor, Any]: ...
        @overload
        def __call__(self, x: PackedSequence, state: Any = None,
                     lengths: None = None, *, hx: Any = None) -> Tuple[PackedSequence, Any]: ...
        def __call__(self, x: Any, state: Any = None, lengths: Any = None, *,
                     hx: Any = None) -> Any: ...

    @overload
    def forward(self, x: Tensor, state: Optional[State] = None,
                lengths: Optional[Tensor] = None, *, hx: Any = None) -> Tuple[Tensor, State]: ...
    @overload
    def forward(self, x: PackedSequence, state: Optional[State] = None,
                lengths: None = None, *, hx: Any = None) -> Tuple[PackedSequence, State]: ...
    def forward(self, x, state: Optional[State] = None, lengths: Optional[Tensor] = None, *,
                hx: Any = None):
        """``(outputs, final_state)`` of ``x`` from ``state``: the class docstring's Forward.
        (Keras' ``initial_state=``, ``mask=``, ``training=``: refused by the call,
        :class:`~.keras_names.RefusesKerasCall`.)"""
        state = state_or_hx("Recurrent", state, hx, x)  # (torch.nn's name for it too)
        leaf = fx_leaf_call(self, x, state, lengths)  # (torch.fx: one node, as torch.nn's RNNs)
        if leaf is not None:
            return leaf
        refuse_lengths_as_state(type(self).__name__, state)
        if isinstance(x, PackedSequence):
            return run_packed(self, x, state, lengths)  # (runs forward: the hooks below)
        cell = self.cell
        if (cell._forward_hooks or cell._forward_pre_hooks or cell._backward_hooks
                or cell._backward_pre_hooks):
            run_cell_hooks(cell)  # (prune's and weight_norm's weights computed; others warned)
        check_sequence(f"{type(self).__name__}({type(self.cell).__name__})", self.cell, x,
                       self.batch_first)
        if self.batch_first:
            x = x.transpose(0, 1)
        with computed_once(cell) as view:
            out, state = self._run(x, state, lengths, view)
        if self.batch_first:
            out = out.transpose(0, 1)
        return out, state

    def _run(self, x: Tensor, state: Optional[State], lengths: Optional[Tensor],
             cell: CellBase):
        """Time-major loop: x (T, B, I) -> outputs (T, B, H_out), final state; ``cell``:
        this layer's, its computed weights computed for the call (:func:`computed_once`)."""
        T, B, _ = x.shape
        if state is None:
            state = cell.initial_state(B, x.dtype, x.device)
        else:
            check_layer_state(cell, state, B, T, self.batch_first)
        lengths = masking_lengths(self, lengths, B, T)
        path = layer_path(cell, self.impl, x, B, lengths, self.drops_state())  # (x time-major)
        drop = draw_masks(self.input_dropout if self.training else 0.0,
                          self.recurrent_dropout if self.training else 0.0, B,
                          cell.input_size, cell.state_sizes()[0], mask_like(x, cell))
        if drop.input is not None:
            # (T, B, I): one mask for every step; a bf16 x scaled in the mask's float32,
            # then rounded once, as the layer reads it (mask_like)
            x = (x * drop.input).to(x.dtype)
        if path == "fused":
            out, state = run_fused(cell, x, state, lengths, self.reverse)
            return in_torchs_lstm_dtype(cell, x, lengths, out, state)
        mask = None
        if lengths is not None:
            mask = (torch.arange(T).unsqueeze(1) < lengths.unsqueeze(0)).to(x.device)
            mask = mask.unsqueeze(-1)  # (T, B, 1)
            # the padding is never read: cleared, whatever it holds (NaN) stays out of the
            # arithmetic, forward and backward
            x = torch.where(mask, x, 0.0)
        xp = cell.project_input(x)  # (T, B, G*H), hoisted out of the loop
        if self.reverse:
            xp = reverse_padded(xp, lengths) if lengths is not None else xp.flip(0)
        if path != "reference":  # the same loop, one kernel
            out, state = dispatch.run_kernel(cell, xp, state, mask, path)
        else:
            if torch.jit.is_tracing():
                warn_unrolled(f"Recurrent({type(cell).__name__})", T)
            outs = []
            # unbind, not xp[t]: each xp[t]'s backward is a zero tensor of xp's whole shape
            # with one step filled, T of them summed: O(T^2) (T=8000: 700 s against 7 s)
            steps = xp.unbind(0)
            masks = mask.unbind(0) if mask is not None else None
            for t in range(T):
                out, new = (cell.recur(steps[t], state) if drop.hidden is None else
                            cell.recur_dropped(steps[t], state, drop.hidden))
                if masks is not None:
                    m = masks[t]
                    # (in the new state's dtype, as the unmasked loop's: under autocast a
                    # bf16 step kept past a sequence's end gave an fp32 final state)
                    state = zip_state(lambda n, o: torch.where(m, n, o.to(n.dtype)), new, state)
                    out = out * m
                else:
                    state = new
                outs.append(out)
            out = torch.stack(outs)  # (T, B, H_out)
        if self.reverse:
            out = reverse_padded(out, lengths) if lengths is not None else out.flip(0)
        return in_torchs_lstm_dtype(cell, x, lengths, out, state)


def in_torchs_lstm_dtype(cell, x: Tensor, lengths: Optional[Tensor], out: Tensor, state):
    """An LSTM layer's result in the dtype torch's LSTM call gives under a bf16/fp16 CPU
    autocast, whichever path ran (:func:`rnnlab.nn.fast.lowp_lstm.lstm_autocast_dtype`):
    the step loop gave fp32 where the kernel gave bf16, the padded kernel bf16 where the
    packed one (inference) gave fp32, for the same call."""
    dtype = lstm_autocast_dtype(x, lengths is not None)
    if dtype is None or dispatch.fused_op(cell) is not torch.lstm:
        return out, state
    return out.to(dtype), tuple(s.to(dtype) for s in state)
