"""What to do about a cell's state of the wrong structure or shape: the last clause of
the cells' state errors (:meth:`~rnnlab.nn.base.CellBase.check_state`)."""

from __future__ import annotations

from typing import Optional

from torch import Tensor


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
    if batch is None:
        return f"an unbatched input's state is one vector of {n} features"
    return "one row per sequence of the batch, with the number of features above"
