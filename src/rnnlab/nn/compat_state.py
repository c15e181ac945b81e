"""The initial-state (``hx``) check of the torch.nn drop-ins (:mod:`rnnlab.nn.torch_compat`):
what shape each state tensor must have, and what to change when it has another."""

from __future__ import annotations

from typing import Optional

from torch import Tensor, nn
from torch.nn.utils.rnn import PackedSequence

from .base import ShapeError, check_input_type, check_like, describe_state
from .sequence import missing_features_hint
from .state_hints import batch_changed_fix, swapped_hint
from .stored_weight import stored_weight


def check_hx(module: nn.RNNBase, hx, batch: int, batched: bool, weight: Tensor,
             steps: Optional[int] = None) -> None:
    """``hx`` as ``module`` takes it for an input of ``batch`` sequences (``batched``: a
    3-D input or a PackedSequence; else one unbatched (T, I) sequence) of ``steps`` steps
    (None: not known, a PackedSequence): one tensor, or an LSTM's pair (h_0, c_0), each
    (num_layers*num_directions, B, features), without B for an unbatched input; the dtype
    and device of ``weight``."""
    name = type(module).__name__
    D = 2 if module.bidirectional else 1
    rows = D * module.num_layers
    tensors = hx if isinstance(hx, (tuple, list)) else (hx,)
    want = 2 if isinstance(module, nn.LSTM) else 1
    proj = getattr(module, "proj_size", 0)
    sizes = (proj or module.hidden_size, module.hidden_size)[:want]  # h has P features
    shapes = [(rows, batch, n) if batched else (rows, n) for n in sizes]
    expected = shapes[0]
    if (len(tensors) != want or not all(isinstance(t, Tensor) for t in tensors)
            or (want == 1 and not isinstance(hx, Tensor))):
        shape = f"shape {expected}"
        pair = (f"(h_0, c_0) of shapes {shapes[0]} and {shapes[1]}" if want == 2 and proj
                else f"(h_0, c_0), each of {shape}")
        raise ShapeError(
            f"{name}: expected hx as "
            f"{pair if want == 2 else f'one tensor of {shape}'}, "
            f"got {describe_state(hx, inner=False)}"
            + ("; only an LSTM's state is a pair (h_0, c_0)" if want == 1 else
               "; pass (h_0, torch.zeros_like(h_0)) for a cell state of zeros, or None for "
               "both" if isinstance(hx, Tensor) and not proj else ""))
    for t, expected, what in zip(tensors, shapes, ("h_0", "c_0")):
        if tuple(t.shape) != expected:
            size = "proj_size" if proj and what == "h_0" else "hidden_size"
            layout = f"(num_layers*num_directions, batch, {size})" if batched else \
                f"(num_layers*num_directions, {size})"
            raise ShapeError(
                f"{name}: expected initial state of shape {expected} {layout}"
                f"{f' for {what}' if want == 2 else ''}"
                f"{'' if batched else f' with an unbatched input (T, {module.input_size})'}, "
                f"got {tuple(t.shape)}; {_fix(t, what, batched, rows, D, batch, expected[-1], want == 2)}"
                f"{swapped_hint(t.shape[1] if t.dim() == 3 else None, batch, steps, module.batch_first)}")
        check_like(name, t, weight, "initial state")


def _fix(t: Tensor, what: str, batched: bool, rows: int, D: int, batch: int,
         size: int, pair: bool) -> str:
    """What to change in a state of the wrong shape."""
    if not batched and t.dim() == 3:
        return (f"an unbatched input's state has no batch dimension: pass {what}.squeeze(1), "
                "or the input batched as (T, 1, I)" if t.shape[1] == 1 else
                f"a state of {t.shape[1]} sequences goes with a batched input, (T, "
                f"{t.shape[1]}, I) (or (B, T, I) with batch_first)")
    if batched and t.dim() == 2 and t.shape[0] == batch and batch != rows:
        # (B, H): a cell's or rnnlab's Recurrent's state, without torch's layer dimension
        return (f"a (batch, features) state lacks torch.nn's first dimension, one row per "
                f"layer and direction: pass {what}.unsqueeze(0)" if rows == 1 else
                f"a (batch, features) state is one layer's: stack one per layer and direction "
                f"into {rows} rows, torch.stack([...])")
    if batched and t.dim() == 2:
        return (f"a batched input's state has a batch dimension: pass {what}.unsqueeze(1) for "
                "a batch of one, or one column per sequence")
    if batched and t.dim() == 3 and t.shape[0] == rows and t.shape[2] == size:
        cut = "h_0[:, :{b}]" if what == "h_0" and not pair else "(h_0[:, :{b}], c_0[:, :{b}])"
        return batch_changed_fix(t.shape[1], batch, cut)
    give = (f"give one row per layer and direction ({rows}"
            f"{' = 2 directions x num_layers' if D == 2 else ' = num_layers'})")
    if not batched:  # (no batch dimension to speak of)
        return f"{give} and the features above"
    return (f"{give}, one column per sequence of the batch and the features above (torch.nn's "
            f"layout: hx is never batch-first)")


def refuse_torch_layout(name: str, state, layers: int, directions: int) -> None:
    """A composed layer (``Stacked``, ``Bidirectional``) takes one state per layer and
    direction; a state in torch.nn's layout, h_0 (or an LSTM's (h_0, c_0)) of shape
    (layers*directions, B, H), is refused saying how to split it (the inner cell's message
    named no layout: "expected a state of 2 tensor(s) ... got one tensor of shape (2, 2, 4)")."""
    rows = layers * directions
    pair = (isinstance(state, (tuple, list)) and len(state) == 2
            and all(isinstance(t, Tensor) and t.dim() == 3 and t.shape[0] == rows
                    for t in state))
    single = isinstance(state, Tensor) and state.dim() == 3 and state.shape[0] == rows
    if not (pair or (single and directions == 2)):
        return
    shape = tuple((state[0] if pair else state).shape)
    one = "(h_0[{i}], c_0[{i}])" if pair else "h_0[{i}]"
    if directions == 2:
        per = f"({one.format(i='2 * k')}, {one.format(i='2 * k + 1')})"
    else:
        per = one.format(i="k")
    split = (f"[{per} for k in range({layers})]" if name == "Stacked" else
             per.replace("2 * k + 1", "1").replace("2 * k", "0"))
    given = "(h_0, c_0), each of shape" if pair else "h_0 of shape"
    want = ("expected one state per layer" + (", (forward_state, backward_state) for a "
                                               "bidirectional one" if directions == 2 else "")
            if name == "Stacked" else
            "expected state=(forward_state, backward_state), one state per direction")
    raise ShapeError(f"{name}: {want}; got the state in torch.nn's layout, {given} {shape} "
                     f"(num_layers*num_directions, B, H): pass {split}")


def check_input(self: nn.RNNBase, input, hx) -> None:
    """``input`` (and ``hx``, :func:`check_hx`) as the drop-in ``self`` takes them: a tensor
    (T, B, I), (B, T, I) with batch_first, (T, I) unbatched, or a PackedSequence."""
    name = type(self).__name__
    check_input_type(name, input)
    if isinstance(input, PackedSequence):
        feats, batch, batched, steps = input.data.shape[-1], int(input.batch_sizes[0]), True, None
    else:
        if input.dim() not in (2, 3):
            raise ShapeError(
                f"{name}: expected input of shape (T, B, {self.input_size}), "
                f"(B, T, {self.input_size}) with batch_first, or unbatched "
                f"(T, {self.input_size}); got {tuple(input.shape)}"
            )
        batched = input.dim() == 3
        feats = input.shape[-1]
        batch = (input.shape[0] if self.batch_first else input.shape[1]) if batched else 1
        steps = (input.shape[1] if self.batch_first else input.shape[0]) if batched else \
            input.shape[0]
        if steps == 0:  # a batch of no sequences is fine (torch.nn's answer is empty)
            raise ShapeError(f"{name}: got an input of no time steps, shape "
                             f"{tuple(input.shape)}; pass sequences of at least one step")
    if feats != self.input_size:
        shape = () if isinstance(input, PackedSequence) else input.shape
        raise ShapeError(
            f"{name}: expected input with {self.input_size} features (input_size), "
            f"got {feats}; check the input's last dimension or the module's input_size"
            f"{missing_features_hint(shape, self.input_size, True)}")
    weight = stored_weight(self, "weight_ih_l0")  # (not computed: torch.nn reads it so)
    check_like(name, input.data if isinstance(input, PackedSequence) else input, weight)
    if hx is not None:
        check_hx(self, hx, batch, batched, weight, steps)
