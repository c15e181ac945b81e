"""What the torch.nn drop-ins (:mod:`rnnlab.nn.torch_compat`'s ``RNN``, ``GRU``, ``LSTM``)
share: their ``impl`` setting and its checks, which path a call takes (torch's fused kernel,
the padded kernel for a PackedSequence that trains on the CPU, or the reference path of
:mod:`rnnlab.nn.compat_reference`) and their forward."""

from __future__ import annotations

import torch
from torch import Tensor, nn
from torch.nn.utils.rnn import PackedSequence

from .graph_capture import fx_leaf_call
from .compat_reference import ReferencePath
from .compat_state import check_input
from .dispatch import COMPAT_IMPLS as IMPLS, LOOP_IMPLS, _transformed
from .fast.fused import needs_grad, pads_at
from .keras_names import RefusesKerasCall
from .fast.lowp_lstm import (as_torchs_lstm, fp32_lstm_where_needed, lowp_cpu_autocast,
                              no_forward_ad_here)
from .recurrent import Recurrent
from .stacked import warn_unused_dropout
from .variational import DropsInside, refuse_kernel_impl
from ..io.errors import ConfigError, ConfigTypeError, UnsupportedError


class _Compat(RefusesKerasCall, DropsInside, ReferencePath):
    """Mixin: validation and path selection for the torch subclasses (the reference path
    itself is :class:`~rnnlab.nn.compat_reference.ReferencePath`)."""

    _dropin_call = True  # (Keras' call arguments refused in torch's words: hx, packing)

    # -- set-up ----------------------------------------------------------------
    def _setup(self, impl: str, input_dropout: float = 0.0,
               recurrent_dropout: float = 0.0) -> None:
        self.impl = impl
        self.input_dropout = input_dropout
        self.recurrent_dropout = recurrent_dropout
        self._attach_reference()
        # (torch's own warning, left out while torch built it, with where Keras' go)
        warn_unused_dropout(type(self).__name__, self.num_layers, self.dropout, stacklevel=3)

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
        names of :func:`rnnlab.nn.dispatch.family`; while training with
        ``recurrent_dropout``, "reference", and impl="fused" (or a kernel impl of rnnlab's)
        raises the UnsupportedError the call raises (it said "reference" for a call refused)."""
        if self.drops_state():
            self._refuse_unmasked_impl()
            return "reference"
        if self.impl == "reference":
            return "reference"
        return "fused" if self.fused_supported else "fast"

    def path_for(self, x: Tensor, hx=None) -> str:
        """The path a call on ``x`` (from state ``hx``, as ``forward`` takes them) runs:
        "fused", "reference", or rnnlab's loop as "fast-torch" / "fast-triton" /
        "fast-triton-split" (see ``Recurrent.path_for``); a PackedSequence that trains
        (its data, the parameters or ``hx`` need a gradient) runs on the template's layers
        (:meth:`_pads`), which take the masked loop under forward AD."""
        if self._torch_runs(x, hx):
            return "fused"
        self._refuse_unmasked_impl()
        if self.path == "fused" and self._loop_only(x):
            return "reference"  # torch's kernel has no vmap rule (nor, here, forward AD)
        if self.path == "reference" or self._no_sequences(x):
            return "reference"  # no sequences: no loop runs (forward's _empty_forward)
        self._set_loop_impl()
        layer = next(m for m in self._reference.modules() if isinstance(m, Recurrent))
        return layer.path_for(x)

    def extra_repr(self) -> str:
        """torch's, and ``impl`` when it is not "auto"."""
        impl = self.__dict__.get("_impl", "auto")  # (not set yet while _setup checks it)
        rates = self.rates_repr()
        return (super().extra_repr() + ("" if impl == "auto" else f", impl={impl!r}")
                + (f", {rates}" if rates else ""))

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
    def forward(self, input, hx=None, *, lengths=None):
        """As torch's: ``(output, h_n)``, an LSTM's ``(output, (h_n, c_n))`` (:attr:`path`).
        ``lengths`` is refused, saying how to run sequences of different lengths (it was
        "_Compat.forward() got an unexpected keyword argument", a class of rnnlab's inside),
        and so are Keras' ``initial_state``, ``mask`` and ``training``, by the call
        (:class:`~.keras_names.RefusesKerasCall`)."""
        if lengths is not None and not isinstance(input, torch.fx.Proxy):
            refuse_lengths(type(self).__name__)
        leaf = fx_leaf_call(self, input, hx)  # (torch.fx.symbolic_trace: one node, as torch.nn's)
        if leaf is not None:
            return leaf
        tracing = torch.jit.is_tracing()  # shapes are traced values: no checks in the graph
        if not tracing:
            self._validate(input, hx)
        if self._torch_runs(input, hx):
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
        if not tracing and self._no_sequences(input):
            return self._empty_forward(input, hx)
        self._refuse_unmasked_impl()
        result = self._reference_forward(input, hx)
        # (an LSTM under a bf16 CPU autocast: bf16 where torch's call gives bf16)
        return as_torchs_lstm(input, result) if isinstance(self, nn.LSTM) else result

    def _torch_runs(self, input, hx=None) -> bool:
        """True when ``forward`` hands the call to torch's own RNN (``super().forward``):
        the one rule :meth:`path_for` (which reports) and :meth:`forward` (which runs) read.
        Not under a ``torch.func`` transform or forward AD (:meth:`_loop_only`), nor for a
        PackedSequence the template's layers run padded (:meth:`_pads`)."""
        return (self.path == "fused" and not self.drops_any() and not self._loop_only(input)
                and not self._pads(input, hx))

    def _refuse_unmasked_impl(self) -> None:
        """impl='fused' (or a kernel impl of rnnlab's) while h_{t-1} is masked: refused,
        not run without the mask (:func:`.variational.refuse_kernel_impl`)."""
        if self.drops_state():
            refuse_kernel_impl(type(self).__name__, self.impl)

    def _loop_only(self, input) -> bool:
        """torch's kernel has no vmap rule (nor, for oneDNN's CPU LSTM, forward AD)."""
        return _transformed() or self._no_forward_ad(input)

    def _no_sequences(self, input) -> bool:
        """A (padded) batch of no sequences: no loop runs (:meth:`_empty_forward`)."""
        return (isinstance(input, Tensor) and input.dim() == 3
                and input.shape[0 if self.batch_first else 1] == 0)

    def _no_forward_ad(self, input) -> bool:
        """True where torch's call would be oneDNN's CPU LSTM, which has no forward AD, in
        ``forward_ad.dual_level()`` (torch.nn.LSTM dies there): the loop runs instead."""
        return isinstance(self, nn.LSTM) and no_forward_ad_here(torch.lstm, input)

    def _pads(self, input, hx) -> bool:
        """True when a PackedSequence that trains runs faster padded, layer by layer on
        torch's kernel, than on torch's packed kernel (a slow step loop on the CPU; see
        :func:`rnnlab.nn.fast.fused.pads`): the template's layers then run it."""
        if not isinstance(input, PackedSequence) or self.impl != "auto" or \
                bool(getattr(self, "proj_size", 0)) or torch.jit.is_tracing():
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


def refuse_lengths(name: str) -> None:
    """The drop-ins take torch.nn's arguments, (input, hx): sequences of different lengths
    go in packed, as into torch.nn's, or into the layers that take ``lengths=``."""
    raise ConfigTypeError(
        f"{name}: takes torch.nn.{name}'s arguments (input, hx), not lengths=; pack a padded "
        f"batch as for torch.nn.{name}, {name.lower()}(pack_padded_sequence(x, lengths, "
        f"enforce_sorted=False)) (batch_first=True there too if the layer has it; the output "
        f"is packed: pad_packed_sequence), or run Recurrent({name}Cell(...)) or Stacked, "
        f"which take lengths= and give padded outputs, zero past each end")
