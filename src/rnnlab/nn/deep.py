r"""Deep-transition cells: DT-RNN and DT(S)-RNN, and the deep output of DOT-RNN.

After R. Pascanu, C. Gulcehre, K. Cho and Y. Bengio, "How to Construct Deep Recurrent
Neural Networks", ICLR 2014 (arXiv:1312.6026), section 3 ("Deep Recurrent Neural Networks").

The paper starts from the shallow RNN (column vectors, biases left implicit)

.. math::  h_t = f_h(x_t, h_{t-1}) = \phi_h(W^\top h_{t-1} + U^\top x_t), \qquad
           y_t = f_o(h_t) = \phi_o(V^\top h_t)

and points out three places with no intermediate layer: input-to-hidden,
hidden-to-hidden (the transition) and hidden-to-output. Making the transition a
multilayer perceptron of L layers gives the DT-RNN (Fig. 2(b) of the paper):

.. math::  h_t = \phi_L\bigl(W_L^\top \phi_{L-1}(W_{L-1}^\top \cdots
           \phi_1(W_1^\top h_{t-1} + U^\top x_t))\bigr)

A deep transition puts L nonlinear steps between h_{t-1} and h_t, so the gradient
crosses L times more of them per time step going back in time. DT(S)-RNN
(Fig. 2(b*)) adds shortcut connections that skip the intermediate layers: h_{t-1}
and x_t also feed the layer that outputs h_t directly. Making the hidden-to-output
map an MLP as well gives the DOT-RNN (Fig. 2(c)), see :class:`DeepOutput`.

In the paper's operator view (section 3, "Formal descriptions"), an RNN is
``h_t = x_t ⊕ h_{t-1}`` and ``y_t = ▷ h_t``: a plus operator ⊕ that summarises the
input and the previous state, and a predictor operator ▷. The shallow RNN implements
each with one affine map and a nonlinearity; DT-RNN implements ⊕ with an MLP,
DT(S)-RNN with an MLP that has shortcut connections, DOT-RNN implements both ⊕ and
▷ with MLPs. A stacked RNN (:class:`~rnnlab.nn.Stacked`) instead chains one shallow ⊕
per level, each level's state summarising the level below and its own past; the two
are orthogonal, and stacking DT cells gives both.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple

import torch
from torch import Tensor, nn
from torch.nn import functional as F

from .base import CellBase, DeviceLike
from .cells import _NONLINEARITIES
from .deep_output import DeepOutput, _check_depth_width, _check_nonlinearity
from .keras_names import RefusesKerasArguments
from ..io.errors import ConfigError


class DTRNNCell(RefusesKerasArguments, CellBase):  # (a keyword it lacks: what to use)
    r"""Deep-transition RNN cell: DT-RNN, or DT(S)-RNN with ``shortcut=True`` (Pascanu et al. 2014).

    The transition from (h_{t-1}, x_t) to h_t is an MLP of ``depth`` = L layers,
    written here with row vectors and torch's (out, in) weights like the other cells.
    With F = ``width`` (intermediate units; the first layer has F units when L > 1):

    .. math::
        z^{(1)}_t &= \phi(x_t U^\top + b_{ih} + h_{t-1} W_1^\top + b_{hh})
            && (B, F), \text{ or } (B, H) \text{ when } L = 1 \\
        z^{(l)}_t &= \phi(z^{(l-1)}_t W_l^\top + b_l), \quad l = 2, \dots, L-1
            && (B, F) \\
        h_t = z^{(L)}_t &= \phi(z^{(L-1)}_t W_L^\top + b_L
            \;[\, + h_{t-1} W_s^\top + x_t U_s^\top \,])
            && (B, H)

    The bracketed term is present only with ``shortcut=True`` (DT(S)-RNN): the
    shortcut connections take h_{t-1} and x_t straight to the layer that outputs h_t,
    skipping the intermediate layers (Fig. 2(b*) of the paper), so the shortest path
    from h_{t-1} to h_t crosses one nonlinearity whatever the depth. It has no bias of
    its own (b_L already serves that layer). The paper draws DT(S) with one
    intermediate layer (L = 2); for L > 2 the shortcut still goes to the last layer,
    h_t, not to every layer. With L = 1 the cell is exactly
    :class:`~rnnlab.nn.RNNCell`: same equation, same parameter names and shapes, so an
    ``RNNCell`` state_dict loads with ``strict=True`` and the outputs are identical.
    The paper writes the biases into the weights; here every layer has one, and the
    first layer has torch's two (b_ih, b_hh) so that L = 1 stays torch-compatible.

    Args:
        input_size: features of x_t (I).
        hidden_size: features of h_t (H), the state and the output.
        depth: layers L of the transition MLP, >= 1 (the paper's DT-RNN has L >= 2).
        width: units F of the intermediate layers (default ``hidden_size``). With
            depth=1 there are none: a width given then would do nothing and is refused,
            as ``build_model("dt-rnn", depth=1, width=...)`` and ``--depth 1 --width``
            are (leave it out at depth 1).
        nonlinearity: φ for every layer, ``"tanh"`` or ``"relu"``.
        shortcut: DT(S)-RNN; needs depth >= 2 (with one layer h_{t-1} and x_t already
            reach h_t directly).
        bias: create the biases (all of them).
        device, dtype: where and of what type the parameters are made, as in torch.nn.

    Parameters, stored (out, in) like torch's, i.e. the transposes of the paper's
    (in, out) matrices (the paper's name in brackets):

    * ``weight_ih`` (F1, I) [U^T], ``bias_ih`` (F1,): input to the first layer. The
      input part is :meth:`project_input`, which ``Recurrent`` hoists out of the loop.
    * ``weight_hh`` (F1, H) [W_1^T], ``bias_hh`` (F1,): previous state to the first
      layer. F1 = F when L > 1, H when L = 1.
    * ``weight_tl{l}``, ``bias_tl{l}`` for l = 2..L [W_l^T, b_l]: the deeper transition
      layers ("tl" = transition layer, numbered like the paper's W_l); (F, F) for
      l < L, (H, F) for l = L. :meth:`transition_layers` lists them in order.
    * with ``shortcut=True``: ``weight_sh`` (H, H) [W_s^T, shortcut from h_{t-1}] and
      ``weight_sx`` (H, I) [U_s^T, shortcut from x_t]. :meth:`project_input` then
      returns ``[x U^T + b_ih, x U_s^T]``, (…, F1 + H).

    Initialisation: every parameter ~ U(-1/sqrt(H), 1/sqrt(H)), torch's RNN convention
    (the paper's experiments used their own sparse/scaled schemes, an experimental
    choice, not part of the model). With depth=1 and the same seed the draws are
    those of ``RNNCell``.

    Shapes: x (B, I), state h (B, H), output h (B, H). Run it over a sequence with
    ``Recurrent(DTRNNCell(...))``; stack with :class:`~rnnlab.nn.Stacked`.

    >>> import torch
    >>> from rnnlab.nn import DTRNNCell, Recurrent
    >>> cell = DTRNNCell(3, 8, depth=3, width=16, shortcut=True)
    >>> out, h = Recurrent(cell)(torch.randn(5, 2, 3))      # x: (T, B, I)
    >>> out.shape, h.shape                                  # (T, B, H), the last h (B, H)
    (torch.Size([5, 2, 8]), torch.Size([2, 8]))
    """

    def __init__(self, input_size: int, hidden_size: int, depth: int = 2,
                 width: Optional[int] = None, nonlinearity: str = "tanh",
                 shortcut: bool = False, bias: bool = True, *,
                 device: DeviceLike = None, dtype: Optional[torch.dtype] = None) -> None:
        name = type(self).__name__
        _check_depth_width(name, depth, width)
        _check_nonlinearity(name, nonlinearity)
        if shortcut and depth < 2:
            raise ConfigError(
                f"{name}: shortcut=True (DT(S)-RNN) needs depth >= 2, got depth={depth}; "
                f"with one layer h_(t-1) and x_t already reach h_t directly, so use "
                f"shortcut=False"
            )
        if depth == 1 and width is not None:  # (as build_model and the commands refuse it)
            raise ConfigError(
                f"{name}: width={width} shapes the intermediate layers of the transition, "
                f"and depth=1 has none (h_t comes straight from h_(t-1) and x_t): it would "
                f"do nothing; leave width out at depth 1, or give depth >= 2")
        width = hidden_size if width is None else width
        first = width if depth > 1 else hidden_size
        super().__init__(input_size, hidden_size, bias, num_chunks=1, first_layer_size=first,
                         device=device, dtype=dtype)
        factory: Dict[str, Any] = dict(device=device, dtype=dtype)
        self.depth = depth
        self.width = width
        self.nonlinearity = nonlinearity
        self.shortcut = bool(shortcut)
        self.first_layer_size = first

        new: List[nn.Parameter] = []
        for l in range(2, depth + 1):
            rows = hidden_size if l == depth else width
            w = nn.Parameter(torch.empty(rows, width, **factory))
            setattr(self, f"weight_tl{l}", w)
            new.append(w)
            if bias:
                b = nn.Parameter(torch.empty(rows, **factory))
                setattr(self, f"bias_tl{l}", b)
                new.append(b)
            else:
                self.register_parameter(f"bias_tl{l}", None)
        if self.shortcut:
            self.weight_sh = nn.Parameter(torch.empty(hidden_size, hidden_size, **factory))
            self.weight_sx = nn.Parameter(torch.empty(hidden_size, input_size, **factory))
            new += [self.weight_sh, self.weight_sx]
        # The base class already drew the first layer; draw only what is new, so that
        # depth=1 consumes the random stream exactly like RNNCell.
        k = 1.0 / math.sqrt(hidden_size)
        with torch.no_grad():
            for p in new:
                p.uniform_(-k, k)

    def transition_layers(self) -> List[Tuple[Tensor, Optional[Tensor]]]:
        """``[(W_l, b_l) for l = 2..L]``: the layers after the first, in order (b_l may be None)."""
        return [(getattr(self, f"weight_tl{l}"), getattr(self, f"bias_tl{l}"))
                for l in range(2, self.depth + 1)]

    def project_input(self, x: Tensor) -> Tensor:
        """The input's part of the step for any leading shape.

        Without shortcut: ``x U^T + b_ih``, (..., F1). With shortcut:
        ``[x U^T + b_ih, x U_s^T]`` concatenated, (..., F1 + H), one matrix product.
        """
        if not self.shortcut:
            return F.linear(x, self.weight_ih, self.bias_ih)
        w = torch.cat([self.weight_ih, self.weight_sx], dim=0)  # (F1 + H, I)
        b = None
        if self.bias_ih is not None:
            b = torch.cat([self.bias_ih, self.bias_ih.new_zeros(self.hidden_size)])
        return F.linear(x, w, b)

    if TYPE_CHECKING:  # the step's types: one state tensor h (the code: CellBase.forward)
        def forward(self, input: Tensor, hx: Optional[Tensor] = None, *,
                    state: Optional[Tensor] = None) -> Tensor: ...
        def __call__(self, input: Tensor, hx: Optional[Tensor] = None, *,  # cell(x) too
                     state: Optional[Tensor] = None) -> Tensor: ...

    def recur(self, xp: Tensor, h: Tensor) -> Tuple[Tensor, Tensor]:
        phi = _NONLINEARITIES[self.nonlinearity]
        if self.shortcut:
            xp, xs = xp.split([self.first_layer_size, self.hidden_size], dim=-1)
        z = phi(xp + F.linear(h, self.weight_hh, self.bias_hh))  # (B, F1)
        for l, (w, b) in enumerate(self.transition_layers(), start=2):
            a = F.linear(z, w, b)  # (B, F) or (B, H) at l = L
            if self.shortcut and l == self.depth:
                a = a + F.linear(h, self.weight_sh) + xs
            z = phi(a)
        return z, z

    def extra_repr(self) -> str:
        width = f"width={self.width}, " if self.depth > 1 else ""  # depth 1: no such layer
        return (super().extra_repr() + f", depth={self.depth}, {width}"
                f"nonlinearity={self.nonlinearity!r}, shortcut={self.shortcut}")


__all__ = ["DTRNNCell", "DeepOutput"]
