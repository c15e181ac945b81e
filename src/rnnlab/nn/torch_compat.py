"""Drop-in ``RNN``, ``GRU`` and ``LSTM`` with torch.nn's constructor, forward contract and state_dict.

Each class *is* a ``torch.nn`` module of the same name (it subclasses it), so the
parameters, their names (``weight_ih_l0``, ``weight_hh_l1_reverse``, …), their
initialisation, ``flatten_parameters`` and the fused kernel (cuDNN on GPU, oneDNN
on CPU) are torch's own, and a torch state_dict loads with ``strict=True`` both ways.

What rnnlab adds is a second way to run the same parameters: ``impl="reference"``
runs our cells (:mod:`rnnlab.nn.cells`) step by step through
:class:`~rnnlab.nn.Recurrent`, :class:`~rnnlab.nn.Bidirectional` and
:class:`~rnnlab.nn.Stacked` (that path is :mod:`rnnlab.nn.compat_reference`; this
module holds the classes, their checks and which path runs). Tests assert the two
agree, forward and backward.

When the fused path runs (``impl="auto"``): always, except for ``GRU(reset_after=False)``,
Cho et al.'s GRU (reset before the product), which torch has no kernel for; that one runs
rnnlab's own loop.
A PackedSequence that trains on the CPU runs padded, layer by layer, on torch's kernel
(:mod:`rnnlab.nn.fast.fused`), because torch's packed CPU kernel is a slow step loop;
``impl="fused"`` keeps torch's own call in every case. Every path draws the dropout
between layers as torch.nn's CPU kernel does (on the packed steps of a PackedSequence):
the same masks for one seed (cuDNN draws its own, on CUDA).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional, Tuple, overload

import torch
from torch import Tensor, nn
from torch.nn.utils.rnn import PackedSequence

from .base import DeviceLike, fx_leaf_call
from .cells import GRUCell, LSTMCell, RNNCell
from .compat_reference import ReferencePath
from .compat_state import check_input
from .dispatch import COMPAT_IMPLS as IMPLS, LOOP_IMPLS, _transformed
from .fast.fused import needs_grad, pads_at
from .fast.lowp_lstm import (as_torchs_lstm, fp32_lstm_where_needed, lowp_cpu_autocast,
                              no_forward_ad_here)
from .recurrent import Recurrent
from ..io.errors import ConfigError, ConfigTypeError, UnsupportedError


class _Compat(ReferencePath):
    """Mixin: validation and path selection for the torch subclasses (the reference path
    itself is :class:`~rnnlab.nn.compat_reference.ReferencePath`)."""

    # -- set-up ----------------------------------------------------------------
    def _setup(self, impl: str) -> None:
        self.impl = impl
        self._attach_reference()

    @property
    def impl(self) -> str:
        """"auto", "fused", "reference" or, where rnnlab's own loop runs, how it runs;
        checked when set, at construction or after (``model.impl = "reference"``)."""
        return self.__dict__.get("_impl", "auto")

    @impl.setter
    def impl(self, impl: str) -> None:
        self._check_impl(impl)
        self.__dict__["_impl"] = impl

    def _check_impl(self, impl: str) -> None:
        if impl not in IMPLS + LOOP_IMPLS:
            raise ConfigError(f"{type(self).__name__}: impl must be one of {IMPLS + LOOP_IMPLS}, "
                              f"got {impl!r}")
        if impl in LOOP_IMPLS and self.fused_supported:
            raise ConfigError(f"{type(self).__name__}: impl={impl!r} chooses how rnnlab's own "
                              f"loop runs, and this configuration runs torch's fused kernel; "
                              f"use impl='auto', 'fused' or 'reference'")
        if impl == "fused" and not self.fused_supported:
            raise ConfigError(
                f"{type(self).__name__}: impl='fused' is not available for this configuration "
                f"({self.extra_repr()}); use impl='auto' or 'reference'"
            )

    @property
    def fused_supported(self) -> bool:
        return True

    @property
    def path(self) -> str:
        """Which path ``forward`` runs now: ``"fused"`` (torch's kernel), ``"fast"``
        (rnnlab's own whole-sequence kernel) or ``"reference"`` (the step loop), the
        names of :func:`rnnlab.nn.dispatch.family`."""
        if self.impl == "reference":
            return "reference"
        return "fused" if self.fused_supported else "fast"

    def path_for(self, x: Tensor) -> str:
        """The path a call on ``x`` runs: "fused", "reference", or rnnlab's loop as
        "fast-torch" / "fast-triton" / "fast-triton-split" (see ``Recurrent.path_for``);
        a PackedSequence that trains runs on the template's layers (:meth:`_pads`), which
        take the masked loop under forward AD."""
        if self.path == "fused" and (_transformed() or self._no_forward_ad(x)):
            return "reference"  # torch's kernel has no vmap rule (nor, here, forward AD)
        padded = self.path == "fused" and self._pads(x, None)
        if self.path != "fast" and not padded:
            return self.path
        if isinstance(x, Tensor) and x.dim() == 3 and x.shape[0 if self.batch_first else 1] == 0:
            return "reference"  # no sequences: no loop runs (forward's _empty_forward)
        self._set_loop_impl()
        layer = next(m for m in self._reference.modules() if isinstance(m, Recurrent))
        return layer.path_for(x)

    def extra_repr(self) -> str:
        """torch's, and ``impl`` when it is not "auto"."""
        impl = self.__dict__.get("_impl", "auto")  # (not set yet while _setup checks it)
        return super().extra_repr() + ("" if impl == "auto" else f", impl={impl!r}")

    # -- TorchScript -------------------------------------------------------------
    def __prepare_scriptable__(self):
        """``torch.jit.script`` is refused with what to use instead (rnnlab's paths are
        Python that TorchScript cannot compile; in torch 2.13 a scripted torch.nn.LSTM
        has no forward either)."""
        trace = ("torch.jit.trace(module, example_input) (a graph for any sequence length), "
                 if self.path == "fused" else "")  # rnnlab's loops run through functional_call
        raise UnsupportedError(
            f"{type(self).__name__}: TorchScript (torch.jit.script) cannot compile rnnlab's "
            f"modules; use {trace}torch.export.export(module, (example_input,)) or "
            f"torch.compile(module)")

    # -- forward ----------------------------------------------------------------
    def forward(self, input, hx=None):
        """As torch's: ``(output, h_n)``, an LSTM's ``(output, (h_n, c_n))`` (:attr:`path`)."""
        leaf = fx_leaf_call(self, input, hx)  # (torch.fx.symbolic_trace: one node, as torch.nn's)
        if leaf is not None:
            return leaf
        tracing = torch.jit.is_tracing()  # shapes are traced values: no checks in the graph
        if not tracing:
            self._validate(input, hx)
        if self.path == "fused" and not self._pads(input, hx) and not _transformed() \
                and not self._no_forward_ad(input):
            # (torch's kernel has no vmap rule: the loop runs; no bf16 or fp16 oneDNN LSTM
            # on some CPUs: fp32 there, rnnlab.nn.fast.lowp_lstm; a packed batch of equal
            # lengths runs oneDNN's kernel too, and died there as torch.nn.LSTM's does;
            # differing lengths run torch's own packed loop: left as torch runs it)
            if not isinstance(self, nn.LSTM) or (isinstance(input, PackedSequence) and int(
                    input.batch_sizes[0]) != int(input.batch_sizes[-1])):
                return super().forward(input, hx)
            data = input.data if isinstance(input, PackedSequence) else input
            with fp32_lstm_where_needed(torch.lstm, data):
                return super().forward(input, hx)
        if not tracing and not isinstance(input, PackedSequence) and input.dim() == 3 and \
                input.shape[0 if self.batch_first else 1] == 0:
            return self._empty_forward(input, hx)
        result = self._reference_forward(input, hx)
        # (an LSTM under a bf16 CPU autocast: bf16 where torch's call gives bf16)
        return as_torchs_lstm(input, result) if isinstance(self, nn.LSTM) else result

    def _no_forward_ad(self, input) -> bool:
        """True where torch's call would be oneDNN's CPU LSTM, which has no forward AD, in
        ``forward_ad.dual_level()`` (torch.nn.LSTM dies there): the loop runs instead."""
        return isinstance(self, nn.LSTM) and no_forward_ad_here(torch.lstm, input)

    def _pads(self, input, hx) -> bool:
        """True when a PackedSequence that trains runs faster padded, layer by layer on
        torch's kernel, than on torch's packed kernel (a slow step loop on the CPU; see
        :func:`rnnlab.nn.fast.fused.pads`): the template's layers then run it."""
        if not isinstance(input, PackedSequence) or self.impl != "auto" or \
                getattr(self, "proj_size", 0) or torch.jit.is_tracing():
            return False  # (the template's projecting cells run the loop; a trace: fused.pads_at)
        if isinstance(self, nn.LSTM) and lowp_cpu_autocast(input.data):
            return False  # torch's packed CPU LSTM runs in fp32 under autocast, padded in bf16/fp16
        if not input.data.is_cuda and not needs_grad(input.data, hx, list(self.parameters())):
            return False  # forward only on the CPU: unpacking and repacking cost what it saves
        sizes = input.batch_sizes
        fill = float(sizes.sum()) / (len(sizes) * int(sizes[0]))
        cell = next(m for m in self._reference.modules() if isinstance(m, Recurrent)).cell
        return pads_at(cell, fill, True, input.data.is_cuda)

    def _validate(self, input, hx) -> None:
        check_input(self, input, hx)


class RNN(_Compat, nn.RNN):
    r"""Elman RNN, ``torch.nn.RNN``'s drop-in: h_t = φ(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh).

    Arguments as ``torch.nn.RNN`` (``input_size, hidden_size, num_layers, nonlinearity,
    bias, batch_first, dropout, bidirectional``), plus ``impl`` in
    {"auto", "fused", "reference"}. Cell: :class:`~rnnlab.nn.RNNCell`.
    """

    if TYPE_CHECKING:  # torch.nn.RNN's arguments and forward (the code: *args, _Compat's)
        def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1,
                     nonlinearity: str = "tanh", bias: bool = True, batch_first: bool = False,
                     dropout: float = 0.0, bidirectional: bool = False,
                     device: DeviceLike = None, dtype: Optional[torch.dtype] = None, *,
                     impl: str = "auto") -> None: ...
        @overload
        def forward(self, input: Tensor, hx: Optional[Tensor] = None
                    ) -> Tuple[Tensor, Tensor]: ...
        @overload
        def forward(self, input: PackedSequence, hx: Optional[Tensor] = None
                    ) -> Tuple[PackedSequence, Tensor]: ...
        def forward(self, input: Any, hx: Any = None) -> Any: ...
    else:
        def __init__(self, *args, impl: str = "auto", **kwargs):
            super().__init__(*args, **kwargs)
            self._setup(impl)

    def _make_cell(self, input_size: int):
        # torch's kernel runs self.mode, fixed at construction (a nonlinearity set later is
        # not read): the template's cells follow it, also when rebuilt (copy, pickle)
        return RNNCell(input_size, self.hidden_size, self.bias,
                       "relu" if self.mode == "RNN_RELU" else "tanh")


class GRU(_Compat, nn.GRU):
    r"""GRU, ``torch.nn.GRU``'s drop-in, with Cho et al.'s form one switch away.

    ``reset_after=True`` (default) is torch's form, n_t = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn));
    ``reset_after=False`` is Cho et al.'s, n_t = tanh(W_in x + b_in + W_hn (r ⊙ h) + b_hn),
    which torch has no kernel for: it runs rnnlab's whole-sequence kernel (path "fast-torch";
    ``impl`` may also be "fast", "triton", "triton-split", "triton-resident" or
    "reference", the step loop). Cell: :class:`~rnnlab.nn.GRUCell`.
    """

    if TYPE_CHECKING:  # torch.nn.GRU's arguments and forward (the code: *args, _Compat's)
        def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1,
                     bias: bool = True, batch_first: bool = False, dropout: float = 0.0,
                     bidirectional: bool = False, device: DeviceLike = None,
                     dtype: Optional[torch.dtype] = None, *, reset_after: bool = True,
                     impl: str = "auto") -> None: ...
        @overload
        def forward(self, input: Tensor, hx: Optional[Tensor] = None
                    ) -> Tuple[Tensor, Tensor]: ...
        @overload
        def forward(self, input: PackedSequence, hx: Optional[Tensor] = None
                    ) -> Tuple[PackedSequence, Tensor]: ...
        def forward(self, input: Any, hx: Any = None) -> Any: ...
    else:
        def __init__(self, *args, reset_after: bool = True, impl: str = "auto", **kwargs):
            super().__init__(*args, **kwargs)
            self.reset_after = reset_after
            self._setup(impl)

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

    Arguments as ``torch.nn.LSTM``'s, plus ``impl`` in {"auto", "fused", "reference"}.
    Cell: :class:`~rnnlab.nn.LSTMCell`. ``proj_size`` P > 0 as torch's: h (and the output)
    has P features, c has hidden_size; the fused path is torch's own call, the reference
    path runs ``LSTMCell(proj_size=P)``."""

    if TYPE_CHECKING:  # torch.nn.LSTM's arguments and forward (the code: *args, _Compat's)
        def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1,
                     bias: bool = True, batch_first: bool = False, dropout: float = 0.0,
                     bidirectional: bool = False, proj_size: int = 0,
                     device: DeviceLike = None, dtype: Optional[torch.dtype] = None, *,
                     impl: str = "auto") -> None: ...
        @overload
        def forward(self, input: Tensor, hx: Optional[Tuple[Tensor, Tensor]] = None
                    ) -> Tuple[Tensor, Tuple[Tensor, Tensor]]: ...
        @overload
        def forward(self, input: PackedSequence, hx: Optional[Tuple[Tensor, Tensor]] = None
                    ) -> Tuple[PackedSequence, Tuple[Tensor, Tensor]]: ...
        def forward(self, input: Any, hx: Any = None) -> Any: ...
    else:
        def __init__(self, *args, impl: str = "auto", **kwargs):
            super().__init__(*args, **kwargs)
            self._setup(impl)

    def _make_cell(self, input_size: int):
        return LSTMCell(input_size, self.hidden_size, self.bias, proj_size=self.proj_size)

