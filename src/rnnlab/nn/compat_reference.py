"""The reference path of the torch.nn drop-ins: the same parameters run by rnnlab's cells.

:class:`ReferencePath` is the mixin behind :mod:`rnnlab.nn.torch_compat`'s ``RNN``,
``GRU`` and ``LSTM``: it builds a template of :class:`~rnnlab.nn.Recurrent` layers
(bidirectional ones as :class:`~rnnlab.nn.Bidirectional`, stacked by
:class:`~rnnlab.nn.Stacked`) on the meta device, maps torch's parameter names
(``weight_ih_l0``, ``bias_hh_l1_reverse``, …) onto it, and runs it with
``functional_call`` on the module's own parameters, converting torch's input and state
layouts ((T, B, I) or batch_first, unbatched, PackedSequence; (D*L, B, H) states) to
and from the template's.
"""

from __future__ import annotations

import copy
import threading
from typing import TYPE_CHECKING, Dict, List, Tuple

import torch
from torch import Tensor, nn
from torch.func import functional_call
from torch.nn.utils.rnn import PackedSequence

from .bidirectional import Bidirectional
from .paths import layer_impl
from .packing import repack, unpack
from .recurrent import Recurrent
from .stacked import Stacked
from .variational import RATES


if TYPE_CHECKING:  # the mixin's host: what it reads of torch's RNNBase (at run time: object)
    _Host = nn.RNNBase
else:
    _Host = object


class ReferencePath(_Host):
    """Mixin: the step-loop template of a torch.nn recurrent module and the forward through it."""

    if TYPE_CHECKING:  # set by the host (impl: _Compat's property) or in __dict__ (names)
        impl: str
        _reference_names: Dict[str, str]

    def _attach_reference(self) -> None:
        """(Re)build the template, dropping every thread's: called at construction, on
        load and when the cells change (a GRU's form)."""
        # The reference modules are a template on the meta device: they hold no data and
        # are not registered as submodules, so the state_dict stays exactly torch's.
        with torch.device("meta"):
            template, names = self._build_reference()
        self.__dict__["_reference_names"] = names
        self.__dict__["_templates"] = threading.local()
        self.__dict__["_templates"].template = template

    @property
    def _reference(self) -> Stacked:
        """This thread's template, built on its first use there. ``functional_call`` puts
        the module's parameters into the template for the length of a call, so one
        template shared by threads ran a call on another thread's parameters
        (``DataParallel``'s replicas share the module's ``__dict__``: silently wrong
        outputs) or on none ("Tensor on device meta", two threads calling one module)."""
        local = self.__dict__["_templates"]
        template = getattr(local, "template", None)
        if template is None:
            with torch.device("meta"):
                template, _ = self._build_reference()
            local.template = template
        return template

    # -- pickling (torch.save(model)) ----------------------------------------------
    def __getstate__(self):
        """torch.nn's state, without the reference template (rebuilt on load): the pickle
        then names no class but this one and torch's, so ``torch.load(weights_only=True)``
        reads it (the class is a safe global: ``rnnlab.nn._allow_in_weights_only_load``)."""
        state = super().__getstate__() if hasattr(super(), "__getstate__") else self.__dict__
        return {k: v for k, v in state.items() if k not in ("_templates", "_reference", "_reference_names")}

    def __setstate__(self, state):
        state = dict(state)
        state.setdefault("_impl", state.pop("impl", "auto"))  # (saved before it was checked)
        if "reset_after" in state:  # a GRU saved while its form was a plain attribute
            state.setdefault("_reset_after", state.pop("reset_after"))
        super().__setstate__(state)
        self._attach_reference()

    def __deepcopy__(self, memo):
        """``copy.deepcopy`` through :meth:`__getstate__` and :meth:`__setstate__`, as
        without it, also for a module ``torch.nn.utils.parametrize`` made compute a weight:
        its class copied the ``__dict__`` whole ("cannot pickle '_thread._local' object",
        the template's), and torch's weight list then held the computed weights ("Only
        Tensors created explicitly by the user ... support the deepcopy protocol", as
        ``torch.nn.LSTM`` says after a call): the copy reads its own weights anew."""
        replica = type(self).__new__(type(self))
        memo[id(self)] = replica
        state = ReferencePath.__getstate__(self)  # (a parametrized class refuses its own)
        state = copy.deepcopy({k: v for k, v in state.items() if k != "_flat_weights"}, memo)
        replica.__setstate__({**state, "_flat_weights": []})
        replica._init_flat_weights()  # (torch's list of the copy's weights, by name)
        return replica

    def _make_cell(self, input_size: int):
        raise NotImplementedError

    def _build_reference(self) -> Tuple[Stacked, Dict[str, str]]:
        layers, names = [], {}
        D = 2 if self.bidirectional else 1
        out = getattr(self, "proj_size", 0) or self.hidden_size  # features of h per direction
        for k in range(self.num_layers):
            in_size = self.input_size if k == 0 else out * D
            fwd = Recurrent(self._make_cell(in_size))
            layer: nn.Module
            if self.bidirectional:
                layer = Bidirectional(fwd, Recurrent(self._make_cell(in_size), reverse=True))
                prefixes = {f"layers.{k}.forward_layer.cell.": "",
                            f"layers.{k}.backward_layer.cell.": "_reverse"}
            else:
                layer = fwd
                prefixes = {f"layers.{k}.cell.": ""}
            layers.append(layer)
            for prefix, suffix in prefixes.items():
                for p in ("weight_ih", "weight_hh") + (("bias_ih", "bias_hh") if self.bias else ()) \
                        + (("weight_hr",) if getattr(self, "proj_size", 0) else ()):
                    names[prefix + p] = f"{p}_l{k}{suffix}"
        return Stacked(layers, self._stack_dropout()), names

    def _stack_dropout(self) -> float:
        """The template's dropout: torch's ``dropout``, which acts between layers only (one
        layer: 0, so that torch alone warns that it does nothing)."""
        return self.dropout if self.num_layers > 1 else 0.0

    def _set_loop_impl(self) -> None:
        """The reference template's layers run as this module's impl says, with its
        ``input_dropout`` and ``recurrent_dropout`` in its mode (each layer and direction
        draws its own masks)."""
        loop = layer_impl(self.impl, False)
        rates = {n: getattr(self, n, 0.0) for n in RATES}
        for m in self._reference.modules():
            if isinstance(m, Recurrent):
                m.impl = loop
                for name, p in rates.items():
                    setattr(m, name, p)
                m.training = self.training

    def _empty_forward(self, input, hx=None):
        """A batch of no sequences, as torch.nn answers it: empty outputs and states, in
        the graph (so every parameter, and a given state, gets a zero gradient, not None)."""
        D = 2 if self.bidirectional else 1
        T = input.shape[1] if self.batch_first else input.shape[0]
        H = getattr(self, "proj_size", 0) or self.hidden_size  # h's features
        given = [] if hx is None else list(hx) if isinstance(hx, (tuple, list)) else [hx]
        zero = sum((p.reshape(-1)[:0].sum() for p in [*self.parameters(), *given]),
                   input.reshape(-1)[:0].sum())
        out = input.new_zeros((0, T, D * H) if self.batch_first else (T, 0, D * H)) + zero
        h = input.new_zeros(D * self.num_layers, 0, H) + zero
        c = input.new_zeros(D * self.num_layers, 0, self.hidden_size) + zero
        return out, ((h, c) if isinstance(self, nn.LSTM) else h)

    def _reference_forward(self, input, hx, lengths=None):
        """``forward`` on the step-loop template; ``lengths`` (checked, (B,)) for a padded
        batch (the registry's models under ``torch.func``: no PackedSequence there)."""
        packed = isinstance(input, PackedSequence)
        batched = True
        if packed:
            x, lengths = unpack(input)  # (T, B, I), original batch order
        else:
            batched = input.dim() == 3
            x = input if batched else input.unsqueeze(1)
            if batched and self.batch_first:
                x = x.transpose(0, 1)
        is_lstm = isinstance(self, nn.LSTM)
        if hx is not None and not batched:
            hx = tuple(t.unsqueeze(1) for t in hx) if is_lstm else hx.unsqueeze(1)
        state = None if hx is None else self._split_state(hx, is_lstm)
        params = self._weights_as_torch_reads_them()
        ref, p = self._reference, self._stack_dropout()
        if (ref.dropout.p if ref.dropout is not None else 0.0) != p:
            # torch reads self.dropout at every forward, so a value set after construction counts
            ref.dropout = nn.Dropout(p) if p > 0 else None
        ref.train(self.training)  # (after: a new Dropout is made in training mode)
        self._set_loop_impl()
        if torch.jit.is_tracing():  # torch.jit.trace refuses functional_call
            out, finals = _bound(ref, params)(x, state, lengths)
        else:
            out, finals = functional_call(ref, params, (x, state, lengths))
        h_n = self._join_state(finals, is_lstm)
        if packed:
            return repack(out, input, batch_first=False), h_n
        if not batched:
            out = out.squeeze(1)
            h_n = tuple(t.squeeze(1) for t in h_n) if is_lstm else h_n.squeeze(1)
        elif self.batch_first:
            out = out.transpose(0, 1)
        return out, h_n

    def _weights_as_torch_reads_them(self) -> Dict[str, Tensor]:
        """The template's parameters: the weights torch.nn's forward would run on, read as
        it reads them (``_update_flat_weights``). A weight that ``torch.nn.utils.parametrize``
        computes is computed at each read, and torch reads it twice a call (a check, then
        its list); read once, ``spectral_norm``'s power iteration took one step a call
        where torch.nn's takes two, and a trained GRU drifted from torch.nn's (8e-5 after
        one call in float64)."""
        self._update_flat_weights()
        flat = {n: w for n, w in zip(self._flat_weights_names, self._flat_weights)
                if w is not None}  # (None: a bias of bias=False, which the template lacks too)
        return {k: flat[v] for k, v in self._reference_names.items()}

    def _split_state(self, hx, is_lstm: bool) -> List:
        """torch's (D*L, B, H) state(s) -> one state per layer for Stacked."""
        D = 2 if self.bidirectional else 1

        def one(i):
            return (hx[0][i], hx[1][i]) if is_lstm else hx[i]

        return [(one(k * D), one(k * D + 1)) if D == 2 else one(k) for k in range(self.num_layers)]

    def _join_state(self, finals: List, is_lstm: bool):
        """One state per layer -> torch's (D*L, B, H) tensor(s)."""
        flat: List = []
        for fin in finals:
            flat.extend(fin if self.bidirectional else (fin,))
        if is_lstm:
            return torch.stack([s[0] for s in flat]), torch.stack([s[1] for s in flat])
        return torch.stack(flat)


def _bound(template: nn.Module, params: Dict[str, Tensor]) -> nn.Module:
    """A copy of the (meta-device) template holding ``params`` themselves, for
    ``torch.jit.trace``: the trace then reads the module's own parameters. It runs the
    step loop (rnnlab's whole-sequence kernels write into buffers in place, which the
    tracer cannot record; the loop is tested equal to them), recorded step by step: the
    traced graph is for the traced sequence length."""
    bound = copy.deepcopy(template)
    for name, p in params.items():
        owner, _, leaf = name.rpartition(".")
        # (the tensors themselves, not Parameters: torch's dict is typed for Parameters)
        bound.get_submodule(owner)._parameters[leaf] = p  # type: ignore[assignment]
    for m in bound.modules():
        if isinstance(m, Recurrent):
            m.impl = "reference"
    return bound
