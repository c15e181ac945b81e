"""``Stacked(layers, dropout)``: layer l reads layer l-1's output sequence."""

from __future__ import annotations

from typing import Optional, Sequence

from torch import Tensor, nn
from torch.nn.utils.rnn import PackedSequence

from .recurrent import _run_packed, path_of


class Stacked(nn.Module):
    r"""A stacked (deep) RNN, the sRNN of Pascanu et al. (2014), section 3.3.

    .. math::  h^{(l)}_t = f^{(l)}(h^{(l-1)}_t, h^{(l)}_{t-1}), \quad h^{(0)}_t = x_t

    Each layer is any recurrent layer (:class:`Recurrent`, :class:`Bidirectional`);
    dropout is applied to the output of every layer but the last, as in ``torch.nn.LSTM``.
    A stack of standard cells (``Recurrent`` of ``RNNCell``/``GRUCell``/``LSTMCell``,
    plain or ``Bidirectional``) runs as one call of torch's multi-layer kernel, as
    ``torch.nn.LSTM(num_layers=L)`` does (:func:`rnnlab.nn.fast.fused.stack_cells`).

    Forward: ``state`` is a sequence with one state per layer (or None);
    returns ``(top layer's outputs, [final state of each layer])``.
    """

    def __init__(self, layers: Sequence[nn.Module], dropout: float = 0.0):
        super().__init__()
        if len(layers) == 0:
            raise ValueError("Stacked: expected at least one layer, got none")
        if not 0.0 <= dropout <= 1.0:  # torch.nn.RNN accepts 1.0 too
            raise ValueError(f"Stacked: dropout must be in [0, 1], got {dropout}")
        firsts = [bool(getattr(layer, "batch_first", False)) for layer in layers]
        if len(set(firsts)) > 1:
            raise ValueError(
                f"Stacked: every layer must use the same batch_first, got {firsts}; a layer "
                f"reads its input in the layout the previous one wrote. Build them all with "
                f"batch_first={firsts[0]} (or all with the other value).")
        self.layers = nn.ModuleList(layers)
        self.dropout = nn.Dropout(dropout) if dropout > 0 else None
        self.batch_first = firsts[0]

    @property
    def output_size(self) -> int:
        return self.layers[-1].output_size

    def path_for(self, x: Tensor) -> str:
        """The path(s) a call on ``x`` runs, as :meth:`Recurrent.path_for` says for each
        layer ("+"-joined when they differ)."""
        return path_of(self, x)

    def forward(self, x, state: Optional[Sequence] = None, lengths: Optional[Tensor] = None):
        if isinstance(x, PackedSequence):
            return _run_packed(self, x, state)
        if isinstance(state, Tensor) and state.dim() == 2:
            raise ValueError(
                f"Stacked: expected one state per layer ({len(self.layers)}), a list, or a "
                f"tensor of shape (layers, B, H); got one tensor of shape {tuple(state.shape)}: "
                f"for a single layer pass [state]")
        from .fast.fused import run_fused_stack, stack_cells

        cells = stack_cells(self, x, lengths)
        if cells is not None:  # standard cells throughout: torch's multi-layer kernel, one call
            return run_fused_stack(self, cells, x, state, lengths)
        if state is not None and len(state) != len(self.layers):
            raise ValueError(
                f"Stacked: expected one state per layer ({len(self.layers)}), got {len(state)}"
            )
        finals = []
        for i, layer in enumerate(self.layers):
            x, fin = layer(x, None if state is None else state[i], lengths)
            finals.append(fin)
            if self.dropout is not None and i < len(self.layers) - 1:
                x = self.dropout(x)
        return x, finals
