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
