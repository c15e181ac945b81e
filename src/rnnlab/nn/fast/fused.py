"""torch's fused kernel for the standard cells when they run inside ``Recurrent``.

``RNNCell``, ``GRUCell`` (``reset_after=True``) and ``LSTMCell`` hold torch's parameters
in torch's gate order, so a layer built by composition, ``Recurrent(LSTMCell(I, H))``,
can hand its whole sequence to the same kernel ``torch.nn.LSTM`` calls (cuDNN on GPU,
oneDNN or ATen's fused loop on CPU) instead of stepping through ``cell.recur``. The
reference loop and this path are tested equal in float64, forward and backward.

What ``Recurrent`` needs beyond a plain call:

* lengths, where padding does not pay: the padded batch is packed (the kernel then
  stops each sequence at its own end), the output unpacked with zeros past each end,
  the final state taken at each sequence's last valid step: what the loop's masks do;
* lengths, where it pays (:func:`pads`): torch's kernel for packed input is a slow step
  loop on the CPU, and cuDNN's packed path is several times slower than the full batch
  on CUDA, so (on the CPU: training, or an LSTM's forward, with most of the batch
  valid; on CUDA: a batch at least PAD_FILL_CUDA valid) the padded batch runs whole on
  the fast kernel instead (:func:`_run_padded`).
  The padding, set to zero, runs too and computes values nobody reads; the outputs
  there are set to zero (and pass no gradient back), and the final state is read at
  each sequence's last step. An LSTM's final cell state is not an output: one extra
  input feature, 1 past the end and 0 before it, with weight +K on the forget gate and
  -K on the input gate (K = 1000: the sigmoids give exactly 1 and 0), holds the cell
  state fixed after the end, so the kernel's last cell state is the one at the last
  valid step. The ReLU RNN, whose values past the end could grow without bound, is
  always packed;
* ``reverse``: each sequence is reversed within its own length, run, and reversed back;
* the state is the cell's ``(B, H)`` (or ``(h, c)``), torch's is ``(1, B, H)``.

On CUDA the cell's weights are separate tensors, not torch.nn's one flat buffer, so
cuDNN copies them into one buffer at each call (a copy of the weights, not of the
activations) and would warn about it every time; the warning is silenced here.
"""

from __future__ import annotations

import contextlib
import warnings
from typing import Any, Callable, Dict, Optional

import torch
from torch import Tensor
from torch.nn.utils.rnn import PackedSequence, pack_padded_sequence, pad_packed_sequence

from ..dispatch import _exporting, fused_op
from ..sequence import reverse_padded
from .common import run_untraced
from .lowp_lstm import fp32_lstm_where_needed


def run_fused(cell, x: Tensor, state, lengths: Optional[Tensor], reverse: bool):
    """The loop of ``Recurrent._run`` on torch's kernel.

    x: (T, B, I) raw input (the kernel projects it itself); state: the cell's state;
    lengths: (B,) int64 on CPU, or None when every sequence runs all T steps.
    Returns (outputs (T, B, H), final state)."""
    params = weights(cell)
    if x.is_cuda:
        flatten_for_cudnn(cell, params, 1, False)
    lstm = cell.num_state_tensors == 2
    if reverse:
        x = x.flip(0) if lengths is None else reverse_padded(x, lengths)
    if lengths is not None and pads(cell, x, lengths, needs_grad(x, state, params)):
        out, finals = _run_padded(cell, x, state, params, lengths)
    else:
        out, finals = _call(cell, x, [state], params, 1, False, lengths)
    if reverse:
        out = out.flip(0) if lengths is None else reverse_padded(out, lengths)
    finals = [f.squeeze(0) for f in finals]
    return out, (tuple(finals) if lstm else finals[0])


FREEZE = 1000.0  # K: sigmoid(K) == 1 and sigmoid(-K) == 0 exactly, in every float dtype

# Padded beats packed on the CPU when at least this fraction of the T x B steps is valid
# (sum(lengths) / (T * B)). Measured (2 cores, torch 2.13, fp32, lengths uniform up to
# 2x the mean, fwd+bwd): padded/packed time at C3 (T=168, B=32, H=128) LSTM 0.74x at a
# fill of 0.07, 0.16x at 0.77; GRU 1.05x at 0.14, 0.64x at 0.32; RNN 0.84x at 0.18; at
# C1-256 (T=100, B=64, H=256) LSTM 1.36x at 0.11, 0.90x at 0.26, 0.39x at 0.75; GRU
# 0.90x at 0.26; RNN 0.64x at 0.29. Forward only, packed is the faster but for an LSTM
# mostly full (C3 0.46x at 0.77, C1-256 0.79x at 0.75; GRU and RNN 1.03-4x slower padded
# at every fill). Command: benchmarks/pad_vs_pack.py; BENCHMARKS.md has the table.
PAD_FILL_TRAIN = 0.3
PAD_FILL_INFER_LSTM = 0.7
# On CUDA, cuDNN's packed kernel pays per step, while the padded batch costs what the full
# one does. Measured (H200, torch 2.11, cuDNN 9.19, fp32, lengths uniform in [T/2, T], a
# fill of about 0.75, fwd+bwd; ../shared/gpu): torch.nn.LSTM packed 20.8 ms at C3 against
# 2.2 ms for the same batch at full length, 13.1 against 6.2 at C1. Padded from a fill of
# PAD_FILL_CUDA, training or not; below it (mostly padding) not measured: packed.
PAD_FILL_CUDA = 0.25


def pads(cell, x: Tensor, lengths: Tensor, grad: bool, steps: Optional[int] = None) -> bool:
    """True where a batch of variable lengths runs padded on the fast kernel rather than
    packed: never for the ReLU RNN, and where it pays (see PAD_FILL_TRAIN and
    PAD_FILL_CUDA). ``steps``: T (default x.shape[0], time-major)."""
    T = x.shape[0] if steps is None else steps
    return pads_at(cell, float(lengths.sum()) / (T * lengths.numel()), grad, x.is_cuda)


def pads_at(cell, fill: float, grad: bool, cuda: bool) -> bool:
    """:func:`pads` for a batch whose valid steps are the fraction ``fill`` of T x B.
    Never inside ``torch.jit.trace``: the choice read the grad mode, and the trace's
    check, run in another, recorded the other path ("Graphs differed across
    invocations": every traced model with lengths on torch's kernel failed); packed, the
    graph is torch.nn's own."""
    if getattr(cell, "nonlinearity", "tanh") == "relu" or torch.jit.is_tracing():
        return False
    if cuda:
        return fill >= PAD_FILL_CUDA
    if grad:
        return fill >= PAD_FILL_TRAIN
    return cell.num_state_tensors == 2 and fill >= PAD_FILL_INFER_LSTM


def needs_grad(x: Tensor, state, params) -> bool:
    """True when this call records a graph for backward (training)."""
    if not torch.is_grad_enabled():
        return False
    states = state if isinstance(state, (tuple, list)) else [state]
    return any(t is not None and t.requires_grad for t in [x, *states, *params])


def weights(cell) -> list:
    """The cell's parameters in the order torch's ops take them (read from the module's
    own table: ``cell.weight_ih`` goes through ``nn.Module.__getattr__``, per call; a
    weight that is not there is one ``torch.nn.utils.prune`` or ``weight_norm`` computes,
    a plain attribute: :mod:`rnnlab.nn.cell_hooks`)."""
    p = cell._parameters
    names = ("weight_ih", "weight_hh", "bias_ih", "bias_hh") if cell.bias else (
        "weight_ih", "weight_hh")
    return [p[n] if n in p else getattr(cell, n) for n in names]


def _call(first, x: Tensor, states: Optional[list], params: list, layers: int,
          bidirectional: bool, lengths: Optional[Tensor]):
    """One call of ``first``'s op over ``layers`` (x ``directions``) cells: x (T, B, I)
    time-major; ``states``: one per cell, torch's order; lengths (or None: all T) are
    packed; None: zeros. Returns (outputs (T, B, D*H), finals [(L*D, B, H), ...]).

    ``torch.compile`` runs this call eagerly, as it runs ``torch.nn.LSTM`` (dynamo's
    ``allow_rnn`` is off by default): traced, the CPU LSTM kernel fails in torch 2.13
    ("expected Tensor() for op: aten.mkldnn_rnn_layer"): :func:`.common.run_untraced`.
    ``torch.export`` records it, as it records ``torch.nn.LSTM``'s (strict, a graph break
    is an error: a layer of standard cells did not export where torch's did)."""
    args = (first, x, states, params, layers, bidirectional, lengths)
    if torch.compiler.is_compiling() and not _exporting():
        return run_untraced(_eager_call, *args)
    return _eager_call(*args)


def _eager_call(first, x: Tensor, states: Optional[list], params: list, layers: int,
                bidirectional: bool, lengths: Optional[Tensor]):
    """:func:`_call`'s work, never traced by dynamo."""
    op, lstm, T = fused_op(first), first.num_state_tensors == 2, x.shape[0]
    assert op is not None  # (the caller's plan: cells torch has an op for)
    zeros: Any = None
    if states is None:  # zeros, made stacked: one allocation, not one per cell and a stack
        zero = x.new_zeros((1 + bidirectional) * layers, x.shape[1], first.hidden_size)
        zeros = (zero, zero) if lstm else zero
    with _quiet_weight_copy(x), fp32_lstm_where_needed(op, x):  # (no bf16/fp16 oneDNN LSTM)
        if lengths is None:
            hx = zeros if states is None else _stack_state(states, lstm, None)
            res = op(x, hx, params, first.bias, layers, 0.0, first.training, bidirectional,
                     False)
            return res[0], list(res[1:])
        packed = _pack(x, lengths)
        hx = zeros if states is None else _stack_state(states, lstm, packed.sorted_indices)
        res = op(packed.data, packed.batch_sizes, hx, params, first.bias, layers, 0.0,
                 first.training, bidirectional)
    out, _ = pad_packed_sequence(PackedSequence(res[0], packed.batch_sizes, packed.sorted_indices,
                                                packed.unsorted_indices), total_length=T)
    return out, [f.index_select(1, packed.unsorted_indices) for f in res[1:]]


def _run_padded(cell, x: Tensor, state, params: list, lengths: Tensor):
    """One layer over a padded batch, whole, on torch's kernel; (outputs, finals) as the
    packed call gives them: zeros past each end, final states at each last valid step."""
    T, B, _ = x.shape
    valid = (torch.arange(T).unsqueeze(1) < lengths.unsqueeze(0)).to(x.device)  # (T, B)
    x = torch.where(valid.unsqueeze(-1), x, 0.0)  # whatever the padding holds (NaN too)
    lstm = cell.num_state_tensors == 2
    if lstm:  # hold c fixed past the end: forget gate 1, input gate 0 (gate order i, f, g, o)
        H = cell.hidden_size
        col = x.new_zeros(4 * H, 1)
        col[:H], col[H:2 * H] = -FREEZE, FREEZE
        x = torch.cat([x, (~valid).unsqueeze(-1).to(x.dtype)], dim=-1)
        params = [torch.cat([params[0], col], dim=1)] + params[1:]
    res, finals = _call(cell, x, [state], params, 1, False, None)
    out = torch.where(valid.unsqueeze(-1), res, 0.0)
    last = (lengths - 1).to(x.device)
    h = out[last, torch.arange(B, device=x.device)].unsqueeze(0)  # (1, B, H)
    return out, ([h, finals[1]] if lstm else [h])


def _pack(x: Tensor, lengths: Tensor) -> PackedSequence:
    """Pack a time-major batch; from its batch-first storage when ``x`` is a transposed
    view of one (as ``batch_first`` layers pass it): sorting whole rows is the cheaper
    gather (a composed RNN's forward, C1-256, variable lengths: 1.13x torch.nn packing the
    transposed view, 1.00x this way). The same PackedSequence."""
    if not x.is_contiguous() and x.transpose(0, 1).is_contiguous():
        return pack_padded_sequence(x.transpose(0, 1), lengths, batch_first=True,
                                    enforce_sorted=False)
    return pack_padded_sequence(x, lengths, enforce_sorted=False)


@contextlib.contextmanager
def _quiet_weight_copy(x: Tensor):
    """On CUDA, silence cuDNN's warning that the weights are not one flat buffer."""
    if not x.is_cuda:
        yield
        return
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*not part of single contiguous chunk")
        yield


_CUDNN_MODES: Dict[Callable[..., Any], str] = {
    torch.lstm: "LSTM", torch.gru: "GRU", torch.rnn_tanh: "RNN_TANH", torch.rnn_relu: "RNN_RELU"}


def flatten_for_cudnn(first, params: list, layers: int, bidirectional: bool) -> None:
    """Make a stack's weights views of one buffer in cuDNN's layout, once (as
    ``torch.nn.LSTM.flatten_parameters`` does at ``.to(device)``): cuDNN then reads them
    in place, where separate tensors are copied into a buffer at every call, and the
    buffer's gradient split back, in the backward. Done only while every weight still has
    a storage of its own (the first call after construction or a move), never again: a
    stack that also runs layer by layer (dropout in training) keeps the first grouping,
    and cuDNN copies in the other. Not inside a CUDA graph capture (the buffer would live
    in the graph's memory)."""
    w = params[0]
    if not (w.is_cuda and torch.backends.cudnn.is_acceptable(w)
            and torch._use_cudnn_rnn_flatten_weight()):
        return
    if torch.cuda.is_current_stream_capturing():
        return
    if not all(isinstance(p, torch.nn.Parameter) for p in params):
        return  # a weight computed at each call (prune, weight_norm): nothing to keep flat
    if any(p.untyped_storage().nbytes() != p.numel() * p.element_size() for p in params):
        return  # flattened once already (in this grouping or another): never moved again,
        # so a CUDA graph captured since keeps reading the weights where they are
    if any(p.dtype != w.dtype for p in params) or len({p.data_ptr() for p in params}) != len(params):
        return  # mixed dtypes or shared weights: cuDNN's copying path
    import torch.backends.cudnn.rnn as cudnn_rnn

    op = fused_op(first)
    assert op is not None  # (a stack the fused path runs: cells torch has an op for)
    with torch.no_grad(), torch.cuda.device_of(w):
        torch._cudnn_rnn_flatten_weight(params, 4 if first.bias else 2, first.input_size,
                                        cudnn_rnn.get_cudnn_mode(_CUDNN_MODES[op]),
                                        first.hidden_size, 0, layers, False, bidirectional)


def _stack_state(per_cell: list, lstm: bool, order: Optional[Tensor]):
    """The cells' (B, H) states as torch's (L*D, B, H), rows in ``order`` when given."""
    def stack(ss):
        s = torch.stack(ss)
        return s if order is None else s.index_select(1, order)

    if lstm:
        return stack([s[0] for s in per_cell]), stack([s[1] for s in per_cell])
    return stack(per_cell)


