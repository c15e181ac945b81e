"""Where Keras' recurrent layers are in an rnnlab or torch.nn module, in Keras' order.

One Keras layer (one direction) is a :class:`KerasUnit`: its kind (SimpleRNN, GRU, LSTM),
the state_dict keys of its four weights, its sizes and a GRU's form. :func:`keras_units`
lists them as Keras' ``get_weights()`` of the same layers joined in order would: a
``Stacked``'s layers in turn, a ``Bidirectional``'s forward then backward, a torch.nn
``RNN``/``GRU``/``LSTM``'s layer l then its reverse. :mod:`rnnlab.nn.keras_weights`
converts the arrays.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, List

from torch import nn

from .bidirectional import Bidirectional
from .cells import GRUCell, LSTMCell, RNNCell
from .dispatch import table_type
from .recurrent import Recurrent
from .stacked import Stacked
from ..io.errors import ConfigTypeError

# torch's gate blocks in Keras' order: Keras' block k is torch's block GATE_ORDER[kind][k]
# (the permutation is its own inverse: GRU swaps the first two, the others keep theirs)
GATE_ORDER = {"rnn": (0,), "lstm": (0, 1, 2, 3), "gru": (1, 0, 2)}
_KIND = {RNNCell: "rnn", GRUCell: "gru", LSTMCell: "lstm",
         nn.RNNCell: "rnn", nn.GRUCell: "gru", nn.LSTMCell: "lstm"}
KERAS_LAYER = {"rnn": "SimpleRNN", "gru": "GRU", "lstm": "LSTM"}


@dataclass(frozen=True)
class KerasUnit:
    """One Keras recurrent layer (one direction): where its weights live in the module."""
    kind: str         # "rnn", "gru" or "lstm"
    keys: tuple       # state_dict keys of weight_ih, weight_hh, bias_ih, bias_hh (None: no bias)
    hidden: int       # H
    inputs: int       # I
    reset_after: bool  # a GRU's form (True for the others)
    where: str        # how an error names it

    @property
    def has_bias(self) -> bool:
        return self.keys[2] is not None

    def keras_shapes(self) -> List[tuple]:
        G = len(GATE_ORDER[self.kind])
        shapes: List[tuple] = [(self.inputs, G * self.hidden), (self.hidden, G * self.hidden)]
        if self.has_bias:
            two = self.kind == "gru" and self.reset_after
            shapes.append((2, G * self.hidden) if two else (G * self.hidden,))
        return shapes


def _cell_unit(cell: Any, prefix: str, where: str) -> KerasUnit:
    kind = _KIND.get(table_type(cell))  # (a parametrized cell: the class it was made from)
    projected = bool(getattr(cell, "proj_size", 0))
    if kind is None or projected:
        raise ConfigTypeError(
            f"keras weights: {where} is a {type(cell).__name__}"
            f"{' with proj_size' if kind else ''}; Keras' layouts exist for RNNCell "
            f"(SimpleRNN), GRUCell (GRU) and LSTMCell (LSTM) only")
    bias = cell.bias_ih is not None
    keys = tuple(prefix + n for n in ("weight_ih", "weight_hh")) + (
        (prefix + "bias_ih", prefix + "bias_hh") if bias else (None, None))
    return KerasUnit(kind, keys, cell.hidden_size, cell.input_size,
                 bool(getattr(cell, "reset_after", True)), where or type(cell).__name__)


def _layer_units(layer: Any, prefix: str, where: str) -> List[KerasUnit]:
    if isinstance(layer, Bidirectional):
        return [_cell_unit(layer.forward_layer.cell, prefix + "forward_layer.cell.",
                           where + "forward_layer"),
                _cell_unit(layer.backward_layer.cell, prefix + "backward_layer.cell.",
                           where + "backward_layer")]
    if isinstance(layer, Recurrent):
        return [_cell_unit(layer.cell, prefix + "cell.", where + "cell")]
    return [_cell_unit(layer, prefix, where.rstrip("."))]


def _dropin_units(rnn: nn.RNNBase) -> List[KerasUnit]:
    """torch.nn's RNN, GRU, LSTM (and rnnlab's drop-ins): layer l, then its reverse."""
    if getattr(rnn, "proj_size", 0):
        raise ConfigTypeError("keras weights: an LSTM with proj_size has no Keras layout "
                              "(Keras' LSTM has no projection)")
    kind = {"RNN_TANH": "rnn", "RNN_RELU": "rnn", "GRU": "gru", "LSTM": "lstm"}[rnn.mode]
    units = []
    for l in range(rnn.num_layers):
        for sfx in ("", "_reverse")[: 2 if rnn.bidirectional else 1]:
            keys = (f"weight_ih_l{l}{sfx}", f"weight_hh_l{l}{sfx}") + (
                (f"bias_ih_l{l}{sfx}", f"bias_hh_l{l}{sfx}") if rnn.bias else (None, None))
            inputs = rnn.input_size if l == 0 else rnn.hidden_size * (1 + rnn.bidirectional)
            units.append(KerasUnit(kind, keys, rnn.hidden_size, inputs,
                               bool(getattr(rnn, "reset_after", True)), f"layer {l}{sfx}"))
    return units


def _recurrent(module: nn.Module) -> bool:
    """True for a module whose weights have a Keras layout (:func:`keras_units`)."""
    return isinstance(module, (nn.RNNBase, Stacked, Recurrent, Bidirectional)) or \
        table_type(module) in _KIND  # (a parametrized cell: the class it was made from)


def python_path(name: str) -> str:
    """A submodule's dotted name as Python reaches it from ``model``: ``body.layers.0`` is
    ``model.body.layers[0]`` (``model.0`` is a syntax error)."""
    return "model" + "".join(f"[{p}]" if p.isdigit() else f".{p}" for p in name.split("."))


def keras_units(module: nn.Module, caller: str = "from_keras_weights") -> List[KerasUnit]:
    """The Keras layers ``module`` holds, in ``get_weights()``'s order; ``caller`` (the
    function the user called) is named in the refusal of a larger model."""
    if isinstance(module, nn.RNNBase):
        return _dropin_units(module)
    if isinstance(module, Stacked):
        units: List[KerasUnit] = []
        for k, layer in enumerate(module.layers):
            units += _layer_units(layer, f"layers.{k}.", f"layers.{k}.")
        return units
    if _recurrent(module):
        return _layer_units(module, "", "")
    raise ConfigTypeError(
        f"keras weights: expected an rnnlab cell (RNNCell, GRUCell, LSTMCell), Recurrent, "
        f"Bidirectional, Stacked or a torch.nn / rnnlab.nn RNN, GRU or LSTM, got "
        f"{type(module).__name__}; {_parts_fix(module, caller)}")


def _parts_fix(module: nn.Module, caller: str) -> str:
    """What to pass instead of a larger model: its recurrent parts (rnnlab's models hold
    one as .body), every one, as Python reaches them: naming only the first left a
    second (a decoder after an encoder) at torch's start, with no word."""
    parts: List[str] = []
    for n, m in module.named_modules():  # (a parent before its children)
        if n and _recurrent(m) and not any(n.startswith(p + ".") for p in parts):
            parts.append(n)
    if not parts:
        return "it holds no recurrent layer"
    where = [python_path(p) for p in parts]
    calls = [f"{w}.load_state_dict(from_keras_weights({w}, weights))"
             if caller == "from_keras_weights" else f"{caller}({w})" for w in where]
    if len(parts) == 1:
        return f"pass its recurrent part, {where[0]}: {calls[0]}"
    each = ("each with its own Keras layers' arrays as weights"
            if caller == "from_keras_weights" else "each")
    return (f"it holds {len(parts)} recurrent parts, {', '.join(where)}: pass {each}, "
            f"{'; '.join(calls)}")
