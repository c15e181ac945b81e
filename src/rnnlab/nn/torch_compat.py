"""Drop-in ``RNN``, ``GRU`` and ``LSTM`` with torch.nn's constructor, forward contract and state_dict.

Each class *is* a ``torch.nn`` module of the same name (it subclasses it), so the
parameters, their names (``weight_ih_l0``, ``weight_hh_l1_reverse``, …), their
initialisation, ``flatten_parameters`` and the fused kernel (cuDNN on GPU, oneDNN
on CPU) are torch's own, and a torch state_dict loads with ``strict=True`` both ways
(``GRU(reset_after=False)``, which computes another function, adds the mark of its form:
:mod:`rnnlab.nn.gru_form`).

What rnnlab adds is a second way to run the same parameters: ``impl="reference"``
runs our cells (:mod:`rnnlab.nn.cells`) step by step through
:class:`~rnnlab.nn.Recurrent`, :class:`~rnnlab.nn.Bidirectional` and
:class:`~rnnlab.nn.Stacked` (that path is :mod:`rnnlab.nn.compat_reference`; the checks
and which path runs, :mod:`rnnlab.nn.compat_paths`; this module holds the classes). Tests
assert the two agree, forward and backward.

When the fused path runs (``impl="auto"``): always, except for ``GRU(reset_after=False)``,
Cho et al.'s GRU (reset before the product), which torch has no kernel for; that one runs
rnnlab's own loop.
A PackedSequence that trains on the CPU runs padded, layer by layer, on torch's kernel
(:mod:`rnnlab.nn.fast.fused`), because torch's packed CPU kernel is a slow step loop;
``impl="fused"`` keeps torch's own call in every case. Every path draws the dropout
between layers as torch.nn's CPU kernel does (on the packed steps of a PackedSequence):
the same masks for one seed (cuDNN draws its own, on CUDA).

``input_dropout=p`` and ``recurrent_dropout=q`` (keyword-only, 0 by default: Keras'
cell ``dropout`` and ``recurrent_dropout``; torch's ``dropout`` stays the one between
layers) give each layer and direction its own masks on x_t and on h_{t-1}, drawn once per
sequence in training (:mod:`rnnlab.nn.variational`). A call that draws them runs the
template's layers (the step loop where h is masked: ``path_for`` says "reference");
``impl="fused"`` is refused then, as torch's kernel takes no mask.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional, Tuple, overload

import torch
from torch import Tensor, nn
from torch.nn.utils.rnn import PackedSequence

from .base import DeviceLike
from .cells import GRUCell, LSTMCell, RNNCell
from .compat_paths import _Compat
from .dispatch import COMPAT_IMPLS as IMPLS  # noqa: F401  (its old home)
from .gru_form import FormMarked
from .keras_names import refuse_keras_in_kwargs
from .stacked import torchs_dropout_warning_left_out
from ..io.errors import ConfigTypeError

# what each drop-in takes, said when Keras' arguments are given to it
_TAKES = {
    "RNN": "torch.nn.RNN's arguments (input_size, hidden_size, num_layers, nonlinearity, "
           "bias, batch_first, dropout, bidirectional, device, dtype), impl=, input_dropout= and recurrent_dropout=",
    "GRU": "torch.nn.GRU's arguments (input_size, hidden_size, num_layers, bias, "
           "batch_first, dropout, bidirectional, device, dtype), reset_after=, impl=, "
           "input_dropout= and recurrent_dropout=",
    "LSTM": "torch.nn.LSTM's arguments (input_size, hidden_size, num_layers, bias, "
            "batch_first, dropout, bidirectional, proj_size, device, dtype), impl=, input_dropout= and recurrent_dropout=",
}


class RNN(_Compat, nn.RNN):
    r"""Elman RNN, ``torch.nn.RNN``'s drop-in: h_t = φ(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh).

    Arguments as ``torch.nn.RNN`` (``input_size, hidden_size, num_layers, nonlinearity,
    bias, batch_first, dropout, bidirectional``), plus ``impl`` in
    {"auto", "fused", "reference"} and ``input_dropout`` / ``recurrent_dropout`` (Keras'
    cell dropout and recurrent_dropout, in training: the module's docstring). Cell:
    :class:`~rnnlab.nn.RNNCell`.
    """

    if TYPE_CHECKING:  # torch.nn.RNN's arguments and forward (the code: *args, _Compat's)
        def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1,
                     nonlinearity: str = "tanh", bias: bool = True, batch_first: bool = False,
                     dropout: float = 0.0, bidirectional: bool = False,
                     device: DeviceLike = None, dtype: Optional[torch.dtype] = None, *,
                     impl: str = "auto", input_dropout: float = 0.0,
                     recurrent_dropout: float = 0.0) -> None: ...
        @overload
        def forward(self, input: Tensor, hx: Optional[Tensor] = None,
                    *, lengths: None = None) -> Tuple[Tensor, Tensor]: ...
        @overload
        def forward(self, input: PackedSequence, hx: Optional[Tensor] = None,
                    *, lengths: None = None) -> Tuple[PackedSequence, Tensor]: ...
        def forward(self, input: Any, hx: Any = None, *, lengths: None = None) -> Any: ...
        # module(x) as forward (torch.nn.Module's __call__ is Any to a checker)
        @overload
        def __call__(self, input: Tensor, hx: Optional[Tensor] = None,
                     *, lengths: None = None) -> Tuple[Tensor, Tensor]: ...
        @overload
        def __call__(self, input: PackedSequence, hx: Optional[Tensor] = None,
                     *, lengths: None = None) -> Tuple[PackedSequence, Tensor]: ...
        def __call__(self, input: Any, hx: Any = None, *, lengths: None = None) -> Any: ...
    else:
        def __init__(self, *args, impl: str = "auto", input_dropout: float = 0.0,
                     recurrent_dropout: float = 0.0, **kwargs):
            refuse_keras_in_kwargs("RNN", kwargs, _TAKES["RNN"], args)
            with torchs_dropout_warning_left_out():  # (_setup says it, with Keras' names)
                super().__init__(*args, **kwargs)
            self._setup(impl, input_dropout, recurrent_dropout)

    def _make_cell(self, input_size: int):
        # torch's kernel runs self.mode, fixed at construction (a nonlinearity set later is
        # not read): the template's cells follow it, also when rebuilt (copy, pickle)
        return RNNCell(input_size, self.hidden_size, self.bias,
                       "relu" if self.mode == "RNN_RELU" else "tanh")


class GRU(FormMarked, _Compat, nn.GRU):
    r"""GRU, ``torch.nn.GRU``'s drop-in, with Cho et al.'s form one switch away.

    ``reset_after=True`` (default) is torch's form, n_t = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn));
    ``reset_after=False`` is Cho et al.'s, n_t = tanh(W_in x + b_in + W_hn (r ⊙ h) + b_hn),
    which torch has no kernel for: it runs rnnlab's whole-sequence kernel (path "fast-torch";
    ``impl`` may also be "fast", "triton", "triton-split", "triton-resident" or
    "reference", the step loop). ``input_dropout`` / ``recurrent_dropout``: Keras' cell
    dropout and recurrent_dropout, in training (the module's docstring). Cell:
    :class:`~rnnlab.nn.GRUCell`.
    """

    if TYPE_CHECKING:  # torch.nn.GRU's arguments and forward (the code: *args, _Compat's)
        def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1,
                     bias: bool = True, batch_first: bool = False, dropout: float = 0.0,
                     bidirectional: bool = False, device: DeviceLike = None,
                     dtype: Optional[torch.dtype] = None, *, reset_after: bool = True,
                     impl: str = "auto", input_dropout: float = 0.0,
                     recurrent_dropout: float = 0.0) -> None: ...
        @overload
        def forward(self, input: Tensor, hx: Optional[Tensor] = None,
                    *, lengths: None = None) -> Tuple[Tensor, Tensor]: ...
        @overload
        def forward(self, input: PackedSequence, hx: Optional[Tensor] = None,
                    *, lengths: None = None) -> Tuple[PackedSequence, Tensor]: ...
        def forward(self, input: Any, hx: Any = None, *, lengths: None = None) -> Any: ...
        # module(x) as forward (torch.nn.Module's __call__ is Any to a checker)
        @overload
        def __call__(self, input: Tensor, hx: Optional[Tensor] = None,
                     *, lengths: None = None) -> Tuple[Tensor, Tensor]: ...
        @overload
        def __call__(self, input: PackedSequence, hx: Optional[Tensor] = None,
                     *, lengths: None = None) -> Tuple[PackedSequence, Tensor]: ...
        def __call__(self, input: Any, hx: Any = None, *, lengths: None = None) -> Any: ...
    else:
        def __init__(self, *args, reset_after: bool = True, impl: str = "auto",
                     input_dropout: float = 0.0, recurrent_dropout: float = 0.0, **kwargs):
            refuse_keras_in_kwargs("GRU", kwargs, _TAKES["GRU"], args)
            with torchs_dropout_warning_left_out():  # (_setup says it, with Keras' names)
                super().__init__(*args, **kwargs)
            self.reset_after = reset_after
            self._setup(impl, input_dropout, recurrent_dropout)

    @property
    def reset_after(self) -> bool:
        """The GRU's form; set after construction (``gru.reset_after = False``), the
        module runs the new form on every path (the template's cells are rebuilt)."""
        return self.__dict__.get("_reset_after", True)

    @reset_after.setter
    def reset_after(self, value: bool) -> None:
        if not (value in (0, 1) and type(value).__name__ in ("bool", "int", "bool_")):
            raise ConfigTypeError(f"GRU: reset_after must be True or False, got {value!r} "
                                  f"({type(value).__name__})")  # ("no" would be true)
        old = self.__dict__.get("_reset_after", True)
        self.__dict__["_reset_after"] = bool(value)
        if "_templates" in self.__dict__:  # (set after construction)
            try:
                self._check_impl(self.impl)  # (impl='fused' has no Cho form, a loop impl no torch's)
            except ValueError:
                self.__dict__["_reset_after"] = old
                raise
            self._attach_reference()

    @property
    def fused_supported(self) -> bool:
        return self.reset_after

    def _make_cell(self, input_size: int):
        return GRUCell(input_size, self.hidden_size, self.bias, reset_after=self.reset_after)

    def extra_repr(self) -> str:
        return super().extra_repr() + ("" if self.reset_after else ", reset_after=False")


class LSTM(_Compat, nn.LSTM):
    r"""LSTM, ``torch.nn.LSTM``'s drop-in (gates i, f, g, o, no peepholes; state (h, c)).

    Arguments as ``torch.nn.LSTM``'s, plus ``impl`` in {"auto", "fused", "reference"} and
    ``input_dropout`` / ``recurrent_dropout`` (Keras' cell dropout and recurrent_dropout,
    in training: the module's docstring).
    Cell: :class:`~rnnlab.nn.LSTMCell`. ``proj_size`` P > 0 as torch's: h (and the output)
    has P features, c has hidden_size; the fused path is torch's own call, the reference
    path runs ``LSTMCell(proj_size=P)``."""

    if TYPE_CHECKING:  # torch.nn.LSTM's arguments and forward (the code: *args, _Compat's)
        def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1,
                     bias: bool = True, batch_first: bool = False, dropout: float = 0.0,
                     bidirectional: bool = False, proj_size: int = 0,
                     device: DeviceLike = None, dtype: Optional[torch.dtype] = None, *,
                     impl: str = "auto", input_dropout: float = 0.0,
                     recurrent_dropout: float = 0.0) -> None: ...
        @overload
        def forward(self, input: Tensor, hx: Optional[Tuple[Tensor, Tensor]] = None,
                    *, lengths: None = None) -> Tuple[Tensor, Tuple[Tensor, Tensor]]: ...
        @overload
        def forward(self, input: PackedSequence, hx: Optional[Tuple[Tensor, Tensor]] = None,
                    *, lengths: None = None) -> Tuple[PackedSequence, Tuple[Tensor, Tensor]]: ...
        def forward(self, input: Any, hx: Any = None, *, lengths: None = None) -> Any: ...
        # module(x) as forward (torch.nn.Module's __call__ is Any to a checker)
        @overload
        def __call__(self, input: Tensor, hx: Optional[Tuple[Tensor, Tensor]] = None,
                     *, lengths: None = None) -> Tuple[Tensor, Tuple[Tensor, Tensor]]: ...
        @overload
        def __call__(self, input: PackedSequence, hx: Optional[Tuple[Tensor, Tensor]] = None,
                     *, lengths: None = None) -> Tuple[PackedSequence, Tuple[Tensor, Tensor]]: ...
        def __call__(self, input: Any, hx: Any = None, *, lengths: None = None) -> Any: ...
    else:
        def __init__(self, *args, impl: str = "auto", input_dropout: float = 0.0,
                     recurrent_dropout: float = 0.0, **kwargs):
            refuse_keras_in_kwargs("LSTM", kwargs, _TAKES["LSTM"], args)
            with torchs_dropout_warning_left_out():  # (_setup says it, with Keras' names)
                super().__init__(*args, **kwargs)
            self._setup(impl, input_dropout, recurrent_dropout)

    def _make_cell(self, input_size: int):
        return LSTMCell(input_size, self.hidden_size, self.bias, proj_size=self.proj_size)

