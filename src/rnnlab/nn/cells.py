"""The three standard cells, each written from its equation.

Parameter names, shapes and gate order are torch's, so a ``torch.nn.LSTMCell``
state_dict loads into :class:`LSTMCell` with ``strict=True`` and back.
Each cell is also an instance of torch's cell of the same name (it subclasses it, with
none of its code running: the parameters, the step and the printing are ours), so code
that picks torch's cells out of a model (``isinstance(m, nn.LSTMCell)``: an initialiser,
a forget-gate bias) finds these too.
Row vectors as in the articles: x_t is (B, I), W_ih is stored (G*H, I) as torch
stores it, so x_t W^T is what the equations write as x_t W.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Optional, Tuple

import torch
from torch import Tensor, nn

from .base import CellBase, DeviceLike
from .gru_form import FormMarked
from .keras_names import RefusesKerasArguments
from ..io.errors import ConfigError, ConfigTypeError

_NONLINEARITIES = {"tanh": torch.tanh, "relu": torch.relu}


class RNNCell(RefusesKerasArguments, CellBase, nn.RNNCell):
    r"""Elman cell.

    .. math::  h_t = \phi(x_t W_{ih}^T + b_{ih} + h_{t-1} W_{hh}^T + b_{hh}),
               \quad \phi \in \{\tanh, \mathrm{relu}\}

    Shapes: x (B, I), h (B, H). Parameters: ``weight_ih`` (H, I), ``weight_hh`` (H, H),
    ``bias_ih`` (H,), ``bias_hh`` (H,).

    Args:
        input_size: features of x_t (I).
        hidden_size: features of h_t (H).
        bias: create ``bias_ih`` and ``bias_hh`` (default True).
        nonlinearity: φ, ``"tanh"`` (default) or ``"relu"``.
        device, dtype: where and of what type the parameters are made, as in torch.nn.

    Keras' arguments (``recurrent_dropout``, ``unit_forget_bias``, ``activation``) are
    refused naming what does the same here (:mod:`rnnlab.nn.keras_names`).

    One step is ``h = cell(x, h)`` (state omitted: zeros), as torch's cell;
    ``Recurrent(cell)`` runs it over a sequence.

    >>> import torch
    >>> from rnnlab.nn import RNNCell
    >>> cell = RNNCell(3, 8)
    >>> cell(torch.zeros(2, 3)).shape          # the new h: (B, H)
    torch.Size([2, 8])
    """

    # None with bias=False, as in torch's cell, whose inferred type (Parameter) omits None
    bias_ih: Optional[Tensor]  # type: ignore[assignment]
    bias_hh: Optional[Tensor]  # type: ignore[assignment]

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True,
                 nonlinearity: str = "tanh", device: DeviceLike = None,
                 dtype: Optional[torch.dtype] = None) -> None:
        if nonlinearity not in _NONLINEARITIES:
            raise ConfigError(
                f"RNNCell: nonlinearity must be one of {sorted(_NONLINEARITIES)}, "
                f"got {nonlinearity!r}"
            )
        super().__init__(input_size, hidden_size, bias, num_chunks=1, device=device, dtype=dtype)
        self.nonlinearity = nonlinearity

    if TYPE_CHECKING:  # the step's types, torch.nn.RNNCell's (the code: CellBase.forward)
        def forward(self, input: Tensor, hx: Optional[Tensor] = None, *,
                    state: Optional[Tensor] = None) -> Tensor: ...
        def __call__(self, input: Tensor, hx: Optional[Tensor] = None, *,  # cell(x) too
                     state: Optional[Tensor] = None) -> Tensor: ...

    def recur(self, xp: Tensor, h: Tensor) -> Tuple[Tensor, Tensor]:
        h = _NONLINEARITIES[self.nonlinearity](
            xp + torch.nn.functional.linear(h, self.weight_hh, self.bias_hh)
        )
        return h, h

    def extra_repr(self) -> str:
        return super().extra_repr() + ("" if self.nonlinearity == "tanh" else
                                       f", nonlinearity={self.nonlinearity}")  # (torch's, unquoted)


class GRUCell(RefusesKerasArguments, FormMarked, CellBase, nn.GRUCell):
    r"""Gated recurrent unit (Cho et al., 2014), gates in torch's order r, z, n.

    .. math::
        r_t &= \sigma(x_t W_{ir}^T + b_{ir} + h_{t-1} W_{hr}^T + b_{hr}) \\
        z_t &= \sigma(x_t W_{iz}^T + b_{iz} + h_{t-1} W_{hz}^T + b_{hz}) \\
        n_t &= \tanh(x_t W_{in}^T + b_{in} + r_t \odot (h_{t-1} W_{hn}^T + b_{hn}))
               \quad\text{(reset\_after=True, torch's form)} \\
        n_t &= \tanh(x_t W_{in}^T + b_{in} + (r_t \odot h_{t-1}) W_{hn}^T + b_{hn})
               \quad\text{(reset\_after=False, Cho et al.'s form: reset before the product)} \\
        h_t &= z_t \odot h_{t-1} + (1 - z_t) \odot n_t

    The two forms share the same parameters; only where r_t is applied differs.
    Shapes: x (B, I), h (B, H); ``weight_ih`` (3H, I), ``weight_hh`` (3H, H).
    ``device`` and ``dtype`` may be passed by position, as to ``torch.nn.GRUCell``;
    ``reset_after`` is keyword-only.

    Args:
        input_size: features of x_t (I).
        hidden_size: features of h_t (H).
        bias: create ``bias_ih`` and ``bias_hh`` (default True).
        reset_after: torch's form (True, the default) or Cho et al.'s (False), above.
        device, dtype: where and of what type the parameters are made, as in torch.nn.

    Keras' arguments (``recurrent_dropout``, ``unit_forget_bias``, ``activation``) are
    refused naming what does the same here (:mod:`rnnlab.nn.keras_names`).

    One step is ``h = cell(x, h)`` (state omitted: zeros), as torch's cell;
    ``Recurrent(cell)`` runs it over a sequence.

    >>> import torch
    >>> from rnnlab.nn import GRUCell
    >>> cell = GRUCell(3, 8)
    >>> cell(torch.zeros(2, 3)).shape          # the new h: (B, H)
    torch.Size([2, 8])
    """

    # None with bias=False, as in torch's cell, whose inferred type (Parameter) omits None
    bias_ih: Optional[Tensor]  # type: ignore[assignment]
    bias_hh: Optional[Tensor]  # type: ignore[assignment]

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True,
                 device: DeviceLike = None, dtype: Optional[torch.dtype] = None, *,
                 reset_after: bool = True) -> None:
        if isinstance(device, bool):  # GRUCell(I, H, bias, False): the old 4th argument
            raise ConfigTypeError(f"GRUCell: the 4th argument is device, as torch.nn.GRUCell's, got "
                                  f"{device!r}; pass reset_after by keyword: GRUCell({input_size}, "
                                  f"{hidden_size}, {bias}, reset_after={device})")
        super().__init__(input_size, hidden_size, bias, num_chunks=3, device=device, dtype=dtype)
        self.reset_after = reset_after

    if TYPE_CHECKING:  # the step's types, torch.nn.GRUCell's (the code: CellBase.forward)
        def forward(self, input: Tensor, hx: Optional[Tensor] = None, *,
                    state: Optional[Tensor] = None) -> Tensor: ...
        def __call__(self, input: Tensor, hx: Optional[Tensor] = None, *,  # cell(x) too
                     state: Optional[Tensor] = None) -> Tensor: ...

    def recur(self, xp: Tensor, h: Tensor) -> Tuple[Tensor, Tensor]:
        return self._step(xp, h, h)

    def recur_dropped(self, xp: Tensor, h: Tensor, mask: Tensor) -> Tuple[Tensor, Tensor]:
        """The masked h_{t-1} enters the recurrent products; the blend z ⊙ h_{t-1} keeps
        h_{t-1} whole (Keras 3's GRUCell: its ``h = z * h_tm1 + (1 - z) * hh``). A subclass
        with a ``recur`` of its own runs it, from the masked h (:meth:`CellBase.recur_dropped`,
        a cell of your own's default): this equation ran in its place."""
        if type(self).recur is not GRUCell.recur:
            return super().recur_dropped(xp, h, mask)
        return self._step(xp, h * mask, h)

    def _step(self, xp: Tensor, h_in: Tensor, h: Tensor) -> Tuple[Tensor, Tensor]:
        """One step: ``h_in`` is what the recurrent weights read, ``h`` what z keeps."""
        H = self.hidden_size
        x_r, x_z, x_n = xp.split(H, dim=-1)  # each (B, H)
        # (each read once: a weight torch.nn.utils.parametrize computes is computed at each)
        w_hh, b_hh = self.weight_hh, self.bias_hh
        w_rz, w_n = w_hh[: 2 * H], w_hh[2 * H:]
        b_rz = b_n = None
        if b_hh is not None:
            b_rz, b_n = b_hh[: 2 * H], b_hh[2 * H:]
        h_r, h_z = torch.nn.functional.linear(h_in, w_rz, b_rz).split(H, dim=-1)
        r = torch.sigmoid(x_r + h_r)
        z = torch.sigmoid(x_z + h_z)
        if self.reset_after:
            n = torch.tanh(x_n + r * torch.nn.functional.linear(h_in, w_n, b_n))
        else:
            n = torch.tanh(x_n + torch.nn.functional.linear(r * h_in, w_n, b_n))
        h = z * h + (1.0 - z) * n
        return h, h

    def extra_repr(self) -> str:
        return super().extra_repr() + ("" if self.reset_after else ", reset_after=False")


class LSTMCell(RefusesKerasArguments, CellBase, nn.LSTMCell):
    r"""Long short-term memory (Hochreiter & Schmidhuber, 1997), gates in torch's order i, f, g, o.

    The form of ``torch.nn.LSTMCell``: with the forget gate f_t, which the 1997 LSTM did
    not have (Gers, Schmidhuber & Cummins, 2000), and without peephole connections (Gers
    & Schmidhuber, 2000): the gates read x_t and h_{t-1} only, never c_{t-1}.

    .. math::
        i_t &= \sigma(x_t W_{ii}^T + b_{ii} + h_{t-1} W_{hi}^T + b_{hi}) \\
        f_t &= \sigma(x_t W_{if}^T + b_{if} + h_{t-1} W_{hf}^T + b_{hf}) \\
        g_t &= \tanh(x_t W_{ig}^T + b_{ig} + h_{t-1} W_{hg}^T + b_{hg}) \quad(\tilde c_t) \\
        o_t &= \sigma(x_t W_{io}^T + b_{io} + h_{t-1} W_{ho}^T + b_{ho}) \\
        c_t &= f_t \odot c_{t-1} + i_t \odot g_t \\
        h_t &= o_t \odot \tanh(c_t) \qquad
               h_t = (o_t \odot \tanh(c_t)) W_{hr}^T \quad\text{(proj\_size } P > 0\text{)}

    State is the pair (h, c), each (B, H); ``weight_ih`` (4H, I), ``weight_hh`` (4H, H).
    With ``proj_size`` P > 0 (Sak et al., 2014; ``torch.nn.LSTM``'s ``proj_size``), h is
    projected to P features by ``weight_hr`` (P, H): h (B, P), c (B, H), ``weight_hh``
    (4H, P), and the output has P features. ``device`` and ``dtype`` may be passed by
    position, as to ``torch.nn.LSTMCell``.

    Args:
        input_size: features of x_t (I).
        hidden_size: features of h_t (H).
        bias: create ``bias_ih`` and ``bias_hh`` (default True).
        proj_size: P, the projected h's features (default 0: none).
        device, dtype: where and of what type the parameters are made, as in torch.nn.

    Keras' arguments (``recurrent_dropout``, ``unit_forget_bias``, ``activation``) are
    refused naming what does the same here (:mod:`rnnlab.nn.keras_names`).

    One step is ``(h, c) = cell(x, (h, c))`` (state omitted: zeros), as torch's cell;
    ``Recurrent(cell)`` runs it over a sequence.

    >>> import torch
    >>> from rnnlab.nn import LSTMCell
    >>> cell = LSTMCell(3, 8)
    >>> [s.shape for s in cell(torch.zeros(2, 3))]   # the new (h, c)
    [torch.Size([2, 8]), torch.Size([2, 8])]
    """

    # None with bias=False, as in torch's cell, whose inferred type (Parameter) omits None
    bias_ih: Optional[Tensor]  # type: ignore[assignment]
    bias_hh: Optional[Tensor]  # type: ignore[assignment]

    num_state_tensors = 2
    proj_size: int = 0  # (the default of cells pickled before it existed)

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True,
                 device: DeviceLike = None, dtype: Optional[torch.dtype] = None, *,
                 proj_size: int = 0) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=4, device=device, dtype=dtype)
        if not isinstance(proj_size, int) or isinstance(proj_size, bool) or \
                not 0 <= proj_size < hidden_size:
            raise ConfigError(f"LSTMCell: proj_size must be a whole number >= 0 and smaller "
                              f"than hidden_size ({hidden_size}), got {proj_size!r}")
        self.proj_size = proj_size
        if proj_size:  # h has P features: the recurrent weights read P, a projection makes them
            new: Dict[str, Any] = dict(device=device, dtype=dtype)
            self.weight_hh = nn.Parameter(torch.empty(4 * hidden_size, proj_size, **new))
            self.weight_hr = nn.Parameter(torch.empty(proj_size, hidden_size, **new))
            CellBase.reset_parameters(self)  # (a subclass's override: its parameters later)

    @property
    def output_size(self) -> int:
        return self.proj_size or self.hidden_size

    def state_sizes(self) -> Tuple[int, ...]:
        return (self.output_size, self.hidden_size)  # (h, c)

    if TYPE_CHECKING:  # the step's types, torch.nn.LSTMCell's (the code: CellBase.forward)
        def forward(self, input: Tensor, hx: Optional[Tuple[Tensor, Tensor]] = None, *,
                    state: Optional[Tuple[Tensor, Tensor]] = None) -> Tuple[Tensor, Tensor]: ...
        def __call__(self, input: Tensor, hx: Optional[Tuple[Tensor, Tensor]] = None, *,
                     state: Optional[Tuple[Tensor, Tensor]] = None) -> Tuple[Tensor, Tensor]: ...

    def recur(self, xp: Tensor, state: Tuple[Tensor, Tensor]
              ) -> Tuple[Tensor, Tuple[Tensor, Tensor]]:
        h, c = state
        gates = xp + torch.nn.functional.linear(h, self.weight_hh, self.bias_hh)  # (B, 4H)
        i, f, g, o = gates.chunk(4, dim=-1)
        c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        h = torch.sigmoid(o) * torch.tanh(c)  # (B, H)
        if self.proj_size:
            h = torch.nn.functional.linear(h, self.weight_hr)  # (B, P)
        return h, (h, c)

    def extra_repr(self) -> str:
        return super().extra_repr() + (f", proj_size={self.proj_size}" if self.proj_size else "")
