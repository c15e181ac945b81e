"""What to do about a cell's state of the wrong structure or shape: the last clause of
the cells' state errors (:meth:`~rnnlab.nn.base.CellBase.check_state`)."""

from __future__ import annotations

from typing import Any, Optional

import torch
from torch import Tensor

from .errors import ShapeError
from ..io.errors import ConfigTypeError


def structure_fix(state, count: int) -> str:
    """What to pass instead of a state of the wrong structure: the tensor itself for a
    one-tensor state given in a tuple; the pair (h, c) for an LSTM given h alone."""
    if count == 1 and isinstance(state, (tuple, list)) and len(state) == 1:
        return "pass the tensor itself, h, not (h,) (only an LSTM's state is a tuple)"
    if count == 2 and isinstance(state, Tensor):
        return ("pass the pair (h, c), e.g. (h, torch.zeros_like(h)) for a cell state of "
                "zeros, or None to start the whole state from zeros")
    return "pass None to start the whole state from zeros"


def state_shape_fix(s: Tensor, batch: Optional[int], n: int) -> str:
    """What to change in a cell's state of the wrong shape (``n`` features wanted)."""
    if batch is None and s.dim() == 2:
        return ("an unbatched input's state has no batch dimension: pass "
                + ("state.squeeze(0), or the input batched as (1, I)" if s.shape[0] == 1 else
                   f"the input batched as ({s.shape[0]}, I), one row per sequence"))
    if batch is not None and s.dim() == 1:
        return "a batched input (B, I) takes a state of one row per sequence, (B, hidden)"
    if batch is not None and s.dim() == 3 and s.shape[0] == 1 and s.shape[1] == batch:
        return ("a layer's state has no num_layers dimension (torch.nn's layout, (1, B, H)): "
                "pass h_0[0] (an LSTM's (h_0[0], c_0[0]))")
    if batch is not None and s.dim() == 3 and s.shape[1] == batch:  # (a 2-layer torch state)
        return (f"a layer's state has no num_layers dimension (torch.nn's layout, "
                f"({s.shape[0]}, B, H), holds {s.shape[0]} layers' and directions'): pass one, "
                f"h_0[k] (an LSTM's (h_0[k], c_0[k])); a Stacked takes them all")
    if batch is None:
        return f"an unbatched input's state is one vector of {n} features"
    if s.dim() == 2 and s.shape[1] == n:  # (only the number of sequences differs)
        return batch_changed_fix(s.shape[0], batch, "h[:{b}] for each state tensor")
    return "one row per sequence of the batch, with the number of features above"


def batch_changed_fix(found: int, batch: int, cut: str) -> str:
    """What to do about a state of the right layout for ``found`` sequences given with an
    input of ``batch``: the state carried from one batch to the next (truncated BPTT) when
    the batches differ in size, most often the short last batch of an epoch (the message
    asked for "one row per sequence of the batch", which the state had, for the last
    batch). ``cut``: how to keep the first rows, e.g. ``"h_0[:, :{b}]"``."""
    size = "shorter" if found > batch else "larger"
    keep = (f"cut it to the sequences that go on, {cut.format(b=batch)} if they are the "
            f"first {batch}; " if found > batch else "")
    return (f"the state is for {found} sequences and the input has {batch}: a state carried "
            f"from a batch of {found} (truncated BPTT) does not fit a {size} one, such as an "
            f"epoch's short last batch; {keep}start this batch from None (zeros), or make "
            f"every batch the same size (drop the short last batch)")


def swapped_hint(found: Optional[int], batch: int, steps: Optional[int], batch_first) -> str:
    """A state of as many sequences (``found``) as the input has steps: the input's time and
    batch dimensions the other way round from the layer's ``batch_first`` (the message said
    only "expected (1, 10, 8), got (1, 4, 8)", 10 being the steps read as the batch)."""
    if steps is None or found != steps or steps == batch:
        return ""
    read, other = ("(B, T, I)", "(T, B, I)") if batch_first else ("(T, B, I)", "(B, T, I)")
    return (f"; the input is read as {read} (batch_first={bool(batch_first)}): {batch} "
            f"sequences of {steps} steps; if it is {other}, pass x.transpose(0, 1)")


def check_layer_state(cell, state, batch: int, steps: int, batch_first: bool) -> None:
    """``cell.check_state(state, batch)`` for a layer whose input has ``steps`` steps: a
    state of as many rows as steps is said to be the input's time and batch swapped (the
    cell knows no time dimension to name)."""
    try:
        cell.check_state(state, batch)
    except ShapeError as e:
        first = state[0] if isinstance(state, (tuple, list)) and state else state
        found = first.shape[0] if isinstance(first, Tensor) and first.dim() == 2 else None
        hint = swapped_hint(found, batch, steps, batch_first)
        if not hint:
            raise
        raise ShapeError(f"{e}{hint}") from None


def state_or_hx(name: str, state: Any, hx: Any, x: Any = None) -> Any:
    """The initial state given to a layer as ``state`` (rnnlab's name) or ``hx`` (torch.nn's,
    which its cells and drop-ins take too): ``layer(x, hx=h0)`` was a bare TypeError.
    Under torch.fx (``x`` a Proxy) not checked: the layer's leaf node, or its refusal as
    the traced root (where every argument is a placeholder), comes next."""
    if hx is None:
        return state
    if isinstance(x, torch.fx.Proxy):
        return hx
    if state is not None:
        raise ConfigTypeError(f"{name}: got the initial state twice, as state and as hx; "
                              f"pass one of them")
    return hx
