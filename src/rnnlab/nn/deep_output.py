r"""``DeepOutput``: the deep hidden-to-output MLP of DOT-RNN (Pascanu et al., 2014).

R. Pascanu, C. Gulcehre, K. Cho and Y. Bengio, "How to Construct Deep Recurrent Neural
Networks", ICLR 2014 (arXiv:1312.6026), section 3 (deep hidden-to-output function and
the DOT-RNN, Fig. 2(c)). The shallow output ``y_t = φ_o(V^T h_t)`` becomes an MLP with
intermediate layers (column vectors, biases implicit as in the paper):

.. math::  y_t = \psi\bigl(V_L^\top \phi_{L-1}(V_{L-1}^\top \cdots \phi_1(V_1^\top h_t))\bigr)

so the hidden state no longer has to hold the output in a form one affine map can read.
A DOT-RNN is a deep-transition RNN followed by this, per time step:
``Recurrent(DTRNNCell(...))`` then :class:`DeepOutput`, then the task's head
(``build_model("dot-rnn")``, whose ``nonlinearity`` is φ here as in the transition, and
whose ``out_width`` is this module's ``width``: the transition's ``width`` when None). The
paper's experiments train DOT(S)-RNN, the same with the shortcut transition of
DT(S)-RNN: ``Recurrent(DTRNNCell(..., shortcut=True))`` then :class:`DeepOutput`
(``build_model("dots-rnn")``).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Iterable, Optional, cast, overload

import torch
from torch import Tensor, nn
from torch.nn.utils.rnn import PackedSequence

from .base import DeviceLike, ShapeError, check_like
from .graph_capture import refuse_torchscript
from .cells import _NONLINEARITIES
from ..io.errors import ConfigError


def _check_depth_width(name: str, depth, width) -> None:
    if not isinstance(depth, int) or isinstance(depth, bool) or depth < 1:
        raise ConfigError(
            f"{name}: depth must be an integer >= 1 (layers of the MLP), got {depth!r}"
        )
    if width is not None and (not isinstance(width, int) or isinstance(width, bool) or width <= 0):
        raise ConfigError(
            f"{name}: width must be a positive integer (units of the intermediate layers) "
            f"or None for the default, got {width!r}"
        )


def _check_nonlinearity(name: str, nonlinearity) -> None:
    if nonlinearity not in _NONLINEARITIES:
        raise ConfigError(
            f"{name}: nonlinearity must be one of {sorted(_NONLINEARITIES)}, got {nonlinearity!r}"
        )


class DeepOutput(nn.Module):
    r"""The intermediate layers of DOT-RNN's deep output, applied independently at each step.

    With ``depth`` = D = L - 1 intermediate layers of F = ``width`` units (row vectors,
    torch's (out, in) weights):

    .. math::
        o^{(1)}_t &= \phi(h_t V_1^\top + c_1) && (…, F) \\
        o^{(k)}_t &= \phi(o^{(k-1)}_t V_k^\top + c_k), \quad k = 2, \dots, D && (…, F)

    and the module returns o^{(D)}_t. The paper's last layer V_L and output
    nonlinearity ψ are the task's head (a linear layer for regression, linear + softmax
    for a language model), which comes after this module: so ``output_size`` is
    ``width``, not the task's output size.

    Args:
        in_features: features of h_t (the recurrent layer's ``output_size``).
        depth: intermediate layers D >= 1 (the paper's DOT-RNN has one).
        width: units F of every intermediate layer (default ``in_features``).
        nonlinearity: φ, ``"tanh"`` or ``"relu"``.
        dropout: probability of zeroing each output unit of every intermediate layer
            (including the last, which feeds the head) while training; 0 disables it.
        device, dtype: where and of what type the parameters are made, as in torch.nn
            (``torch.nn.utils.skip_init(DeepOutput, H)`` and ``device="meta"`` need them).

    Parameters: ``layers.{k}.weight`` (F, in) and ``layers.{k}.bias`` (F,) for
    k = 0..D-1 (``layers`` is a ModuleList of ``nn.Linear``), initialised
    U(-1/sqrt(fan_in), 1/sqrt(fan_in)): 1/sqrt(H) for the first layer when
    in_features = H, as in the recurrent cells.

    Forward: any ``(…, in_features)`` tensor, e.g. a whole ``(B, T, H)`` output sequence
    at once, or a ``PackedSequence``; returns ``(…, width)``. Padded steps are not
    masked: tanh of a zero input is tanh(bias), so mask them in the loss as usual.
    """

    def __init__(self, in_features: int, depth: int = 1, width: Optional[int] = None,
                 nonlinearity: str = "tanh", dropout: float = 0.0, *,
                 device: DeviceLike = None, dtype: Optional[torch.dtype] = None) -> None:
        super().__init__()
        name = type(self).__name__
        if not isinstance(in_features, int) or isinstance(in_features, bool) or in_features <= 0:
            raise ConfigError(f"{name}: in_features must be a positive integer, got {in_features!r}")
        _check_depth_width(name, depth, width)
        _check_nonlinearity(name, nonlinearity)
        if not isinstance(dropout, (int, float)) or not 0.0 <= dropout < 1.0:
            raise ConfigError(f"{name}: dropout must be in [0, 1), got {dropout!r}")
        self.in_features = in_features
        self.depth = depth
        self.width = in_features if width is None else width
        self.nonlinearity = nonlinearity
        self.layers = nn.ModuleList(
            nn.Linear(in_features if k == 0 else self.width, self.width, device=device, dtype=dtype)
            for k in range(depth)
        )
        self.dropout = nn.Dropout(dropout) if dropout > 0 else None
        self.reset_parameters()

    @property
    def output_size(self) -> int:
        """Features of the output (``width``): what the task's head receives."""
        return self.width

    # (TorchScript's frontend failed on the checks' f-strings: "Expected a value of type
    # 'Tensor' for argument '0' but instead found type DeepOutput"; refused as every other)
    __prepare_scriptable__ = refuse_torchscript

    def reset_parameters(self) -> None:
        """Each layer ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)), weights and biases."""
        for layer in cast(Iterable[nn.Linear], self.layers):  # (Modules to a checker)
            k = 1.0 / math.sqrt(layer.in_features)
            nn.init.uniform_(layer.weight, -k, k)
            nn.init.uniform_(layer.bias, -k, k)

    if TYPE_CHECKING:  # module(x) as forward (torch.nn.Module's __call__ is Any to a checker)
        @overload
        def __call__(self, x: Tensor) -> Tensor: ...
        @overload
        def __call__(self, x: PackedSequence) -> PackedSequence: ...
        def __call__(self, x: Any) -> Any: ...

    @overload
    def forward(self, x: Tensor) -> Tensor: ...
    @overload
    def forward(self, x: PackedSequence) -> PackedSequence: ...
    def forward(self, x):
        """``(…, in_features)`` -> ``(…, width)``; a PackedSequence: its data, mapped."""
        if isinstance(x, PackedSequence):
            return x._replace(data=self.forward(x.data))  # (hooks: run once, for this call)
        # (torch.fx.symbolic_trace: its layers traced, as a torch MLP's; the check, control
        # flow on a traced value, stopped the trace)
        traced = isinstance(x, torch.fx.Proxy)
        if not traced and (x.dim() == 0 or x.shape[-1] != self.in_features):
            raise ShapeError(
                f"{type(self).__name__}: expected input with {self.in_features} features "
                f"(in_features) in its last dimension, got shape {tuple(x.shape)}; pass the "
                f"recurrent layer's output_size as in_features"
            )
        if not traced:  # (an int tensor failed in torch's matmul: "mat1 and mat2 must ...")
            check_like(type(self).__name__, x, self.layers[0].weight)
        phi = _NONLINEARITIES[self.nonlinearity]
        for layer in self.layers:
            x = phi(layer(x))  # (…, F)
            if self.dropout is not None:
                x = self.dropout(x)
        return x

    def extra_repr(self) -> str:
        return (f"{self.in_features}, depth={self.depth}, width={self.width}, "
                f"nonlinearity={self.nonlinearity!r}")


__all__ = ["DeepOutput"]
