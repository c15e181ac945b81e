"""torch's fused kernel for the standard cells when they run inside ``Recurrent``.

``RNNCell``, ``GRUCell`` (``reset_after=True``) and ``LSTMCell`` hold torch's parameters
in torch's gate order, so a layer built by composition, ``Recurrent(LSTMCell(I, H))``,
can hand its whole sequence to the same kernel ``torch.nn.LSTM`` calls (cuDNN on GPU,
oneDNN or ATen's fused loop on CPU) instead of stepping through ``cell.recur``. The
reference loop and this path are tested equal in float64, forward and backward.

What ``Recurrent`` needs beyond a plain call:

* lengths: the padded batch is packed (torch's kernel then stops each sequence at its
  own end), the output unpacked with zeros past each end, the final state taken at each
  sequence's last valid step: what the loop's masks do;
* ``reverse``: each sequence is reversed within its own length, run, and reversed back;
* the state is the cell's ``(B, H)`` (or ``(h, c)``), torch's is ``(1, B, H)``.

On CUDA the cell's weights are separate tensors, not torch.nn's one flat buffer, so
cuDNN copies them into one buffer at each call (a copy of the weights, not of the
activations) and would warn about it every time; the warning is silenced here.
"""

from __future__ import annotations

import contextlib
import warnings
from typing import Callable, Optional

import torch
from torch import Tensor
from torch.nn.utils.rnn import PackedSequence, pack_padded_sequence, pad_packed_sequence

from ..cells import GRUCell, LSTMCell, RNNCell
from ..recurrent import reverse_padded


def fused_op(cell) -> Optional[Callable]:
    """torch's whole-sequence op for this cell (``torch.lstm`` …), or None.

    Exact types only: a subclass may change the equation."""
    kind = type(cell)
    if kind is LSTMCell:
        return torch.lstm
    if kind is GRUCell:
        return torch.gru if cell.reset_after else None
    if kind is RNNCell:
        return {"tanh": torch.rnn_tanh, "relu": torch.rnn_relu}[cell.nonlinearity]
    return None


def can_fuse(cell) -> bool:
    """True when ``Recurrent(cell, impl="auto")`` hands the sequence to torch's kernel
    (no ``torch.func`` transform is active: vmap and grad compose with the loop only)."""
    return fused_op(cell) is not None and not torch._C._are_functorch_transforms_active()


def run_fused(cell, x: Tensor, state, lengths: Optional[Tensor], reverse: bool):
    """The loop of ``Recurrent._run`` on torch's kernel.

    x: (T, B, I) raw input (the kernel projects it itself); state: the cell's state;
    lengths: (B,) int64 on CPU, or None when every sequence runs all T steps.
    Returns (outputs (T, B, H), final state)."""
    op = fused_op(cell)
    T = x.shape[0]
    params = [cell.weight_ih, cell.weight_hh]
    if cell.bias:
        params += [cell.bias_ih, cell.bias_hh]
    lstm = cell.num_state_tensors == 2
    if reverse:
        x = x.flip(0) if lengths is None else reverse_padded(x, lengths)
    with _quiet_weight_copy(x):
        if lengths is None:
            hx = _to_torch_state(state, lstm, None)
            res = op(x, hx, params, cell.bias, 1, 0.0, cell.training, False, False)
            out, finals = res[0], res[1:]
        else:
            packed = pack_padded_sequence(x, lengths, enforce_sorted=False)
            hx = _to_torch_state(state, lstm, packed.sorted_indices)
            res = op(packed.data, packed.batch_sizes, hx, params, cell.bias, 1, 0.0,
                     cell.training, False)
            out, _ = pad_packed_sequence(
                PackedSequence(res[0], packed.batch_sizes, packed.sorted_indices,
                               packed.unsorted_indices), total_length=T)
            finals = [f.index_select(1, packed.unsorted_indices) for f in res[1:]]
    if reverse:
        out = out.flip(0) if lengths is None else reverse_padded(out, lengths)
    finals = [f.squeeze(0) for f in finals]
    return out, (tuple(finals) if lstm else finals[0])


def _to_torch_state(state, lstm: bool, order: Optional[Tensor]):
    """The cell's (B, H) state(s) as torch's (1, B, H), rows in ``order`` when given."""
    def one(s: Tensor) -> Tensor:
        s = s if order is None else s.index_select(0, order)
        return s.unsqueeze(0)

    return tuple(one(s) for s in state) if lstm else one(state)


@contextlib.contextmanager
def _quiet_weight_copy(x: Tensor):
    """On CUDA, silence cuDNN's warning that the weights are not one flat buffer."""
    if not x.is_cuda:
        yield
        return
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*not part of single contiguous chunk")
        yield


# --- a whole stack in one call ------------------------------------------------------------


def stack_cells(stacked) -> Optional[list]:
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
    * no hooks are registered on the inner layers or cells (they would not run).

    Otherwise ``Stacked`` runs its layers one by one (each still on the fused kernel)."""
    from ..bidirectional import Bidirectional
    from ..recurrent import Recurrent

    if stacked.dropout is not None and stacked.training and stacked.dropout.p > 0:
        return None
    if _global_hooks():
        return None
    layers = list(stacked.layers)
    D = 2 if type(layers[0]) is Bidirectional else 1
    if D == 1 and len(layers) < 2:
        return None  # one forward layer is one call already
    cells = []
    for layer in layers:
        if D == 2 and type(layer) is Bidirectional:
            recs = [layer.forward_layer, layer.backward_layer]
        elif D == 1 and type(layer) is Recurrent and not layer.reverse:
            recs = [layer]
        else:
            return None
        if _has_hooks(layer):
            return None
        for rec in recs:
            if (type(rec) is not Recurrent or rec.batch_first != stacked.batch_first
                    or _has_hooks(rec) or _has_hooks(rec.cell) or not rec._fused()):
                return None
            cells.append(rec.cell)
    first = cells[0]
    op = fused_op(first)
    for k, cell in enumerate(cells):
        want_in = first.input_size if k < D else D * first.hidden_size
        if (fused_op(cell) is not op or cell.bias != first.bias
                or cell.hidden_size != first.hidden_size or cell.input_size != want_in):
            return None
    return cells


def run_fused_stack(stacked, cells: list, x: Tensor, state, lengths: Optional[Tensor]):
    """``Stacked.forward`` as one call of torch's multi-layer kernel (see :func:`stack_cells`).

    x: the stack's input, batch-first if the stack is; state: one state per layer (or
    None; a layer's or a direction's state may be None: zeros). Returns what
    ``Stacked.forward`` returns: (top outputs, [final state of each layer])."""
    from ..recurrent import check_lengths

    first = cells[0]
    L, D = len(stacked.layers), len(cells) // len(stacked.layers)
    name = f"Stacked({type(first).__name__})"
    if x.dim() != 3:
        raise ValueError(
            f"{name}: expected input of shape "
            f"{'(B, T, I)' if stacked.batch_first else '(T, B, I)'} with I={first.input_size}, "
            f"got {tuple(x.shape)}")
    if stacked.batch_first:
        x = x.transpose(0, 1)
    T, B, _ = x.shape
    if B == 0 or T == 0:
        raise ValueError(f"{name}: got an empty batch of shape {tuple(x.shape)}; "
                         f"pass at least one sequence of at least one step")
    first.check_input(x.shape[-1])
    first.check_like_parameters(x)
    lstm = first.num_state_tensors == 2
    per_cell = _states_per_cell(stacked, cells, state, B, x)  # (L*D) cell states
    if lengths is not None:
        lengths = check_lengths(stacked, lengths, B, T)
        if int(lengths.min()) == T:
            lengths = None
    params = []
    for cell in cells:
        params += [cell.weight_ih, cell.weight_hh]
        if cell.bias:
            params += [cell.bias_ih, cell.bias_hh]
    op, bidir, train = fused_op(first), D == 2, stacked.training
    with _quiet_weight_copy(x):
        if lengths is None:
            hx = _stack_state(per_cell, lstm, None)
            res = op(x, hx, params, first.bias, L, 0.0, train, bidir, False)
            out, finals = res[0], res[1:]
        else:
            packed = pack_padded_sequence(x, lengths, enforce_sorted=False)
            hx = _stack_state(per_cell, lstm, packed.sorted_indices)
            res = op(packed.data, packed.batch_sizes, hx, params, first.bias, L, 0.0, train,
                     bidir)
            out, _ = pad_packed_sequence(
                PackedSequence(res[0], packed.batch_sizes, packed.sorted_indices,
                               packed.unsorted_indices), total_length=T)
            finals = [f.index_select(1, packed.unsorted_indices) for f in res[1:]]
    if stacked.batch_first:
        out = out.transpose(0, 1)
    per = [tuple(f[k] for f in finals) if lstm else finals[0][k] for k in range(L * D)]
    layer_finals = [per[k] if D == 1 else (per[2 * k], per[2 * k + 1]) for k in range(L)]
    return out, layer_finals


def _states_per_cell(stacked, cells: list, state, batch: int, x: Tensor) -> list:
    """One state per cell (torch's order), zeros where none was given, each checked."""
    L, D = len(stacked.layers), len(cells) // len(stacked.layers)
    if state is not None and len(state) != L:
        raise ValueError(f"Stacked: expected one state per layer ({L}), got {len(state)}")
    out = []
    for k in range(L):
        layer_state = None if state is None else state[k]
        parts = [layer_state] if D == 1 else (
            [None, None] if layer_state is None else list(layer_state))
        if len(parts) != D:
            raise ValueError(f"Stacked: layer {k} is bidirectional; expected its state as "
                             f"(forward_state, backward_state), got {len(parts)} parts")
        for d, s in enumerate(parts):
            cell = cells[k * D + d]
            if s is None:
                s = cell.initial_state(batch, x.dtype, x.device)
            else:
                cell.check_state(s, batch)
            out.append(s)
    return out


def _stack_state(per_cell: list, lstm: bool, order: Optional[Tensor]):
    """The cells' (B, H) states as torch's (L*D, B, H), rows in ``order`` when given."""
    def stack(ss):
        s = torch.stack(ss)
        return s if order is None else s.index_select(1, order)

    if lstm:
        return stack([s[0] for s in per_cell]), stack([s[1] for s in per_cell])
    return stack(per_cell)


def _has_hooks(m) -> bool:
    return bool(m._forward_hooks or m._forward_pre_hooks or m._backward_hooks
                or getattr(m, "_backward_pre_hooks", None))


def _global_hooks() -> bool:
    from torch.nn.modules import module as M

    return bool(M._global_forward_hooks or M._global_forward_pre_hooks
                or M._global_backward_hooks or getattr(M, "_global_backward_pre_hooks", None))
