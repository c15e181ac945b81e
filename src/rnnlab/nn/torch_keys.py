"""torch.nn's RNN weight names for rnnlab's composed layers, both ways.

``rnnlab.nn.LSTM`` (and ``GRU``, ``RNN``) keep torch.nn's names (``weight_ih_l0``), so a
``torch.nn.LSTM`` checkpoint loads into them as it is. A layer composed by hand names each
weight by its layer and cell instead: ``Recurrent``'s ``cell.weight_ih``, ``Bidirectional``'s
``forward_layer.cell.weight_ih`` and ``backward_layer.cell.weight_ih``, ``Stacked``'s
``layers.0.cell.weight_ih``. :func:`from_torch_state_dict` renames a torch.nn RNN's
``state_dict()`` for such a layer and :func:`to_torch_state_dict` renames the layer's for
torch.nn, so that

    stack = Stacked([Bidirectional(Recurrent(LSTMCell(8, 32)), Recurrent(LSTMCell(8, 32), reverse=True)),
                     Bidirectional(Recurrent(LSTMCell(64, 32)), Recurrent(LSTMCell(64, 32), reverse=True))])
    stack.load_state_dict(from_torch_state_dict(stack, torch_lstm.state_dict()))

gives the stack the weights of ``torch.nn.LSTM(8, 32, num_layers=2, bidirectional=True)``
(and the same outputs). Only cells with torch.nn's equations have torch names: ``RNNCell``,
``GRUCell`` in torch's form and ``LSTMCell`` (its ``proj_size`` weight ``weight_hr`` too).
"""

from __future__ import annotations

from typing import Dict, List, Mapping, Tuple

from torch import Tensor, nn

from .bidirectional import Bidirectional
from .cells import GRUCell, LSTMCell, RNNCell
from .recurrent import Recurrent
from .stacked import Stacked
from ..io.errors import ConfigError, ConfigTypeError

_TORCH_WEIGHTS = ("weight_ih", "weight_hh", "bias_ih", "bias_hh", "weight_hr")


def torch_key_map(layer: nn.Module) -> Dict[str, str]:
    """``{layer's state_dict key: torch.nn's key}`` for a ``Recurrent``, ``Bidirectional``
    or ``Stacked`` of torch's cells: layer ``l`` of a stack is torch's ``_l{l}``, a
    ``Bidirectional``'s backward direction torch's ``_reverse``."""
    name = type(layer).__name__
    if isinstance(layer, Stacked):
        levels: List[Tuple[nn.Module, str]] = [(sub, f"layers.{l}.")
                                               for l, sub in enumerate(layer.layers)]
    elif isinstance(layer, (Recurrent, Bidirectional)):
        levels = [(layer, "")]
    else:
        raise ConfigTypeError(
            f"torch_key_map: expected a Recurrent, Bidirectional or Stacked layer, got {name}; "
            f"rnnlab.nn.LSTM, GRU and RNN keep torch.nn's names already (load the state_dict "
            f"as it is)")
    out: Dict[str, str] = {}
    for l, (level, prefix) in enumerate(levels):
        if isinstance(level, Bidirectional):
            if level.merge_mode != "concat":  # (torch's outputs are both directions side by side)
                raise ConfigError(
                    f"torch_key_map: a Bidirectional with merge_mode={level.merge_mode!r} has "
                    f"no torch.nn counterpart: torch.nn's bidirectional RNNs concatenate the "
                    f"two directions (merge_mode='concat'); the weights would load and the "
                    f"outputs differ")
            runs = [(level.forward_layer, prefix + "forward_layer.", ""),
                    (level.backward_layer, prefix + "backward_layer.", "_reverse")]
        else:
            runs = [(_forward_layer(level, l, name), prefix, "")]
        for rec, own, reverse in runs:
            for weight in _torch_weights(rec.cell):
                out[f"{own}cell.{weight}"] = f"{weight}_l{l}{reverse}"
    return out


def _forward_layer(level: nn.Module, l: int, name: str) -> Recurrent:
    """``level``, checked as a level of a torch.nn RNN that is not bidirectional: a
    ``Recurrent`` that runs forward in time. Another module (a nested ``Stacked``) has no
    torch names, and a ``Recurrent(..., reverse=True)`` alone would take torch's forward
    weights and run them backward in time: another function, loaded without a word."""
    where = f"layer {l} of the Stacked" if name == "Stacked" else name
    if not isinstance(level, Recurrent):
        raise ConfigTypeError(
            f"torch_key_map: {where} is a {type(level).__name__}; expected a Recurrent or a "
            f"Bidirectional, as each layer of a torch.nn RNN is one: flatten the layers into "
            f"one Stacked")
    if level.reverse:
        raise ConfigError(
            f"torch_key_map: {where} is Recurrent(..., reverse=True), which torch.nn's RNNs "
            f"have only as a bidirectional layer's backward direction (_reverse): its weights "
            f"would load and run backward in time, another function; build it as "
            f"Bidirectional(Recurrent(cell), Recurrent(cell, reverse=True)), or without reverse")
    return level


def _torch_weights(cell: nn.Module) -> List[str]:
    """The names of ``cell``'s weights that torch.nn's RNN of the same cell has."""
    if type(cell) not in (RNNCell, GRUCell, LSTMCell) or not getattr(cell, "reset_after", True):
        what = "GRUCell(reset_after=False), Cho et al.'s GRU," if type(cell) is GRUCell \
            else type(cell).__name__
        raise ConfigError(
            f"{what} has no torch.nn counterpart: torch.nn's weights would load into it but "
            f"compute another function; only RNNCell, GRUCell (torch's form) and LSTMCell "
            f"take torch.nn's RNN, GRU and LSTM weights")
    return [n for n in _TORCH_WEIGHTS if getattr(cell, n, None) is not None]


def from_torch_state_dict(layer: nn.Module, state_dict: Mapping[str, Tensor]) -> Dict[str, Tensor]:
    """A torch.nn RNN's ``state_dict()`` (``weight_ih_l0`` ...) renamed for ``layer`` (a
    ``Recurrent``, ``Bidirectional`` or ``Stacked`` of torch's cells), for
    ``layer.load_state_dict``. A torch weight the layer has no place for, or one it
    needs and the state_dict lacks, is refused, naming both: the layers, directions,
    ``bias`` or ``proj_size`` differ."""
    mapping = torch_key_map(layer)
    wanted = set(mapping.values())
    extra = [k for k in state_dict if k not in wanted]
    missing = sorted(wanted - set(state_dict))
    if extra or missing:
        raise ConfigError(
            f"from_torch_state_dict: {type(layer).__name__} takes torch.nn's "
            f"{', '.join(sorted(wanted))}; the state_dict "
            + "; ".join(part for part in (
                f"has {', '.join(extra)}, which it has no place for" if extra else "",
                f"lacks {', '.join(missing)}" if missing else "") if part)
            + "; build the layer with the torch module's num_layers, bidirectional, bias and "
              "proj_size")
    return {own: state_dict[theirs] for own, theirs in mapping.items()}


def to_torch_state_dict(layer: nn.Module) -> Dict[str, Tensor]:
    """``layer``'s weights under torch.nn's RNN names, for ``torch.nn.LSTM(...)`` (or
    GRU, RNN) ``.load_state_dict``: the inverse of :func:`from_torch_state_dict`."""
    own = layer.state_dict()
    return {theirs: own[mine] for mine, theirs in torch_key_map(layer).items()}
