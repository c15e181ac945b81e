"""A whole ``Stacked`` of standard cells as one call of torch's multi-layer kernel
(``torch.lstm`` with ``num_layers`` = L, bidirectional or not): the layer-by-layer path
of :mod:`.fused` for a stack (:func:`~rnnlab.nn.stack_plan.stack_cells` decides when it
applies). Tested equal to the layer-by-layer loop in float64, forward and backward."""

from __future__ import annotations

from typing import Optional

from torch import Tensor

from ..base import ShapeError
from ..sequence import check_sequence, masking_lengths
from ..state_hints import check_layer_state
from .fused import _call, flatten_for_cudnn, weights


def run_fused_stack(stacked, cells: list, x: Tensor, state, lengths: Optional[Tensor]):
    """``Stacked.forward`` as one call of torch's multi-layer kernel (see :func:`stack_cells`).

    x: the stack's input, batch-first if the stack is; state: one state per layer (or
    None; a layer's or a direction's state may be None: zeros). Returns what
    ``Stacked.forward`` returns: (top outputs, [final state of each layer])."""
    first = cells[0]
    L, D = len(stacked.layers), len(cells) // len(stacked.layers)
    check_sequence(f"Stacked({type(first).__name__})", first, x, stacked.batch_first)
    if stacked.batch_first:
        x = x.transpose(0, 1)
    T, B, _ = x.shape
    # (L*D) cell states, or None: all zeros
    per_cell = None if state is None else _states_per_cell(stacked, cells, state, B, x)
    lengths = masking_lengths(stacked, lengths, B, T)
    params = [p for cell in cells for p in weights(cell)]
    if x.is_cuda:
        flatten_for_cudnn(first, params, L, D == 2)
    out, finals = _call(first, x, per_cell, params, L, D == 2, lengths)
    if stacked.batch_first:
        out = out.transpose(0, 1)
    lstm = first.num_state_tensors == 2
    per = [tuple(f[k] for f in finals) if lstm else finals[0][k] for k in range(L * D)]
    layer_finals = [per[k] if D == 1 else (per[2 * k], per[2 * k + 1]) for k in range(L)]
    return out, layer_finals


def _states_per_cell(stacked, cells: list, state, batch: int, x: Tensor) -> list:
    """One state per cell (torch's order), zeros where none was given, each checked."""
    L, D = len(stacked.layers), len(cells) // len(stacked.layers)
    if state is not None and len(state) != L:
        raise ShapeError(f"Stacked: expected one state per layer ({L}), got {len(state)}")
    out = []
    for k in range(L):
        layer_state = None if state is None else state[k]
        parts = [layer_state] if D == 1 else (
            [None, None] if layer_state is None else list(layer_state))
        if len(parts) != D:
            raise ShapeError(f"Stacked: layer {k} is bidirectional; expected its state as "
                             f"(forward_state, backward_state), got {len(parts)} parts")
        for d, s in enumerate(parts):
            cell = cells[k * D + d]
            if s is None:
                s = cell.initial_state(batch, x.dtype, x.device)
            else:
                check_layer_state(cell, s, batch, x.shape[0], stacked.batch_first)
            out.append(s)
    return out
