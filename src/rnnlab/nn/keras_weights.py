"""Keras' recurrent weights in rnnlab's layers, both ways.

A Keras ``LSTM``, ``GRU`` or ``SimpleRNN`` layer's ``get_weights()`` is a list of arrays
in Keras' layout: ``kernel`` (I, G·H), ``recurrent_kernel`` (H, G·H) and, with
``use_bias=True``, ``bias``. The gate blocks run along the columns: LSTM ``i, f, c, o``
(torch's ``i, f, g, o``: the same order), GRU ``z, r, h`` (torch's ``r, z, n``: the first
two swapped). Keras' LSTM and SimpleRNN have one bias (torch two, added: ours get it as
``bias_ih`` and zeros as ``bias_hh``); Keras' GRU with ``reset_after=True`` (its default,
torch's form) has a (2, 3H) bias, the input one and the recurrent one, and with
``reset_after=False`` (Cho et al.'s form, rnnlab's ``GRUCell(reset_after=False)``) a
(3H,) bias that the recurrent part does not carry.

:func:`from_keras_weights` turns such a list (one layer's, or the recurrent layers' of a
model joined in order; a ``Bidirectional``'s forward then backward) into a state_dict
for ``module.load_state_dict``, and :func:`to_keras_weights` gives the list back for
Keras' ``set_weights``. Keras' default activations are assumed (``tanh``, and
``sigmoid`` for the gates): the arrays cannot say that a layer used others.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Sequence

import numpy as np
import torch
from torch import Tensor, nn

from .keras_units import GATE_ORDER, KERAS_LAYER, KerasUnit, keras_units
from .read_weights import computed_weight, stored_elsewhere
from ..io.errors import ConfigError, ConfigTypeError

__all__ = ["from_keras_weights", "to_keras_weights"]


def _blocks(a: Tensor, kind: str, hidden: int) -> Tensor:
    """``a``'s last axis (G blocks of H) reordered between Keras' and torch's gate order."""
    return torch.cat([a[..., k * hidden:(k + 1) * hidden] for k in GATE_ORDER[kind]], dim=-1)


def _named_arrays_fix(weights: Any) -> str:
    """For arrays by name (a dict, or NumPy's ``np.load`` of a .npz, the way the arrays
    travel to a Python without Keras): how to list them in Keras' order."""
    if not isinstance(weights, Mapping) or not weights:
        return ""
    keys = list(weights.keys())
    if sorted(k for k in keys if type(k) is int) == list(range(len(keys))):
        return ("; arrays by position go in as a list in that order: "
                "[weights[k] for k in range(len(weights))]")
    names = [str(n) for n in keys]  # (a key of any type: its text is named)
    if sorted(names) == sorted(f"arr_{k}" for k in range(len(names))):
        return ("; the arrays of np.savez(f, *layer.get_weights()) are, in order, "
                "[z[f'arr_{k}'] for k in range(len(z.files))] of z = np.load(f) "
                "(sorted(z.files) puts arr_10 before arr_2)")
    if any("weight_ih" in str(n) or "weight_hh" in str(n) for n in names):
        return ("; these are torch's names (a state_dict), not Keras' arrays: load a "
                "module's own with module.load_state_dict(state_dict), a torch.nn "
                "RNN/GRU/LSTM's into Recurrent, Bidirectional or Stacked with "
                "module.load_state_dict(rnnlab.nn.from_torch_state_dict(module, state_dict))")
    return (f"; arrays by name ({', '.join(map(str, names[:4]))}"
            f"{', ...' if len(names) > 4 else ''}) go in as a list in Keras' order: "
            f"kernel, recurrent_kernel, bias of each layer, a Bidirectional's forward "
            f"then backward")


def _as_tensors(weights: Any) -> List[Tensor]:
    """``weights`` (a list of arrays) as tensors; anything else a ConfigTypeError naming
    it (it was NumPy's or torch's error: "can't convert np.ndarray of type numpy.object_",
    "unhashable type: 'slice'")."""
    if not isinstance(weights, (list, tuple)):
        raise ConfigTypeError(
            f"from_keras_weights: expected a list of arrays, got a {type(weights).__name__}; "
            f"pass the list Keras' layer.get_weights() gives (list(...) of an iterator)"
            f"{_named_arrays_fix(weights)}")
    out = []
    for k, w in enumerate(weights):
        if isinstance(w, Tensor):
            out.append(w.detach())
            continue
        try:
            a = np.asarray(w)
        except ValueError:  # (a ragged nested list)
            a = None
        if a is None or a.dtype.kind not in "fiub":
            raise ConfigTypeError(
                f"from_keras_weights: weights[{k}] is a {type(w).__name__}, not an array of "
                f"numbers; pass Keras' layer.get_weights() (NumPy arrays), joined in order")
        out.append(torch.as_tensor(a))
    return out


def refuse_meta_module(module: nn.Module, caller: str) -> None:
    """A module on the meta device holds shapes, no values: there is nothing to give back
    and nowhere to load into (torch said "Cannot copy out of meta tensor; no data!" or
    "Tensor.item() cannot be called on meta tensors"). ``to_empty`` gives memory without
    values: enough to load or initialise into, not to read from."""
    if not any(p.device.type == "meta" for p in module.parameters()):
        return
    if caller == "to_keras_weights":  # (to_empty gives memory, not values: arrays of garbage)
        raise ConfigError(
            "to_keras_weights: the module is on the meta device (shapes, no values): it has "
            "no weights to give; module.to_empty(device='cpu') gives it memory, not values, "
            "so load or initialise its weights after it (module.load_state_dict(...) or "
            "rnnlab.nn.keras_init_(module)), then call to_keras_weights on it")
    raise ConfigError(f"{caller}: the module is on the meta device (shapes, no values); "
                      f"give it memory first, module.to_empty(device='cpu'), then call "
                      f"{caller} on it")


def _check_finite(t: Tensor, name: str, where: str) -> None:
    """A ConfigError for NaN or infinite weights (given so, or beyond the module's dtype):
    the layer would compute NaN from its first step, loaded without a word."""
    bad = int((~torch.isfinite(t)).sum())
    if bad:
        raise ConfigError(f"from_keras_weights: {where}'s {name} holds {bad} NaN or infinite "
                          f"values (in the module's {t.dtype}); Keras' trained weights are "
                          f"finite: a layer whose training diverged, or values too large for "
                          f"{t.dtype}? Load the weights of a good checkpoint")


def _other_kind(u: KerasUnit, got: Tensor, wanted: tuple) -> str:
    """What to do where ``got`` (a kernel or recurrent kernel, not of shape ``wanted``) is
    its transpose, or has another kind's gate blocks of the unit's width: a GRU's list
    given to an LSTM, say."""
    blocks = got.shape[-1] // u.hidden if got.dim() == 2 and u.hidden else 0
    kind = next((k for k, order in GATE_ORDER.items() if len(order) == blocks
                 and got.shape[-1] == blocks * u.hidden), None)
    if got.dim() == 2 and tuple(got.shape)[::-1] == wanted:
        return (": its transpose (torch's weight_ih layout); pass Keras' arrays as "
                "get_weights() gives them, or torch's through from_torch_state_dict")
    if kind is None or kind == u.kind:
        return ""
    return (f": {got.shape[-1]} columns are {blocks} gate block{'s' * (blocks > 1)} of "
            f"{u.hidden}, a Keras {KERAS_LAYER[kind]}'s; load them into rnnlab's "
            f"{KERAS_LAYER[kind].replace('SimpleRNN', 'RNN')} (or its cell), or pass the "
            f"{KERAS_LAYER[u.kind]}'s weights")


def _check_count(units: List[KerasUnit], weights: Sequence[Any], module: nn.Module) -> None:
    wanted = [s for u in units for s in u.keras_shapes()]
    if len(weights) != len(wanted):
        raise ConfigError(
            f"from_keras_weights: {type(module).__name__} takes {len(wanted)} Keras arrays "
            f"(shapes {wanted}: kernel, recurrent_kernel, bias of each layer in order, a "
            f"Bidirectional's forward then backward), got {len(weights)}; pass the recurrent "
            f"layers' get_weights() joined in order, and build the module with Keras' units, "
            f"layers and use_bias (bias=False for use_bias=False){_other_layers(wanted, weights)}")


def _other_layers(wanted: List[tuple], weights: Sequence[Any]) -> str:
    """Where the module's arrays sit, in order, inside a longer list (Keras'
    ``model.get_weights()`` lists every layer's: an Embedding's before, a Dense's after):
    which slice to pass."""
    shapes = [tuple(np.shape(w)) for w in weights]
    n = len(wanted)
    at = [o for o in range(len(shapes) - n + 1) if shapes[o:o + n] == wanted]
    if len(at) != 1:
        return ""
    o = at[0]
    others = shapes[:o] + shapes[o + n:]
    return (f"; weights[{o}:{o + n}] are such arrays, the other {len(others)} (shapes "
            f"{others}) another layer's (model.get_weights() lists every layer's, a "
            f"Dense's or an Embedding's too): pass weights[{o}:{o + n}], or the recurrent "
            f"layer's own model.layers[k].get_weights()")


def _gru_form_refusal(u: KerasUnit, shape: tuple) -> ConfigError:
    keras_form = len(shape) == 1  # (3H,): Keras' reset_after=False
    ours = ("GRUCell(I, H, reset_after=False) (or GRU(I, H, reset_after=False))" if keras_form
            else "GRUCell(I, H) (torch's form; or GRU(I, H))")
    return ConfigError(
        f"from_keras_weights: {u.where}'s bias has shape {shape}, a Keras "
        f"GRU(reset_after={not keras_form})'s, but the module's GRU has reset_after="
        f"{u.reset_after}: the weights would compute another function; build it as {ours}")


def from_keras_weights(module: nn.Module, weights: Sequence[Any]) -> Dict[str, Tensor]:
    """``module``'s state_dict holding Keras' ``weights`` (``layer.get_weights()``: NumPy
    arrays or tensors in Keras' layout), for ``module.load_state_dict``: the same outputs
    as the Keras layer. ``module``: a cell, ``Recurrent``, ``Bidirectional``, ``Stacked``
    or a (torch.nn or rnnlab.nn) ``RNN``/``GRU``/``LSTM`` of Keras' units, layers, bias
    and GRU form; a count, shape or GRU form that differs is refused, naming what to build."""
    units = keras_units(module)
    refuse_meta_module(module, "from_keras_weights")
    tensors = _as_tensors(weights)
    _check_count(units, tensors, module)
    state = dict(module.state_dict())
    refuse_computed(units, state, module)
    at = 0
    for u in units:
        arrays = tensors[at:at + len(u.keras_shapes())]
        for got, wanted, name in zip(arrays, u.keras_shapes(),
                                     ("kernel", "recurrent_kernel", "bias")):
            if tuple(got.shape) != wanted:
                if name == "bias" and u.kind == "gru" and got.dim() in (1, 2) and \
                        got.shape[-1] == 3 * u.hidden:
                    raise _gru_form_refusal(u, tuple(got.shape))
                raise ConfigError(f"from_keras_weights: {u.where}'s {name} should have "
                                  f"shape {wanted} (Keras {KERAS_LAYER[u.kind]}({u.hidden}) on "
                                  f"{u.inputs} features), got {tuple(got.shape)}"
                                  f"{_other_kind(u, got, wanted)}")
        at += len(arrays)
        own = [state[k] for k in u.keys if k is not None]
        like = dict(dtype=own[0].dtype, device=own[0].device)
        for got, name in zip(arrays, ("kernel", "recurrent_kernel", "bias")):
            _check_finite(got.to(**like), name, u.where)
        state[u.keys[0]] = _blocks(arrays[0], u.kind, u.hidden).T.to(**like).contiguous()
        state[u.keys[1]] = _blocks(arrays[1], u.kind, u.hidden).T.to(**like).contiguous()
        if u.has_bias:
            b = _blocks(arrays[2], u.kind, u.hidden).to(**like)
            two = b.dim() == 2  # a Keras GRU(reset_after=True): input bias, recurrent bias
            state[u.keys[2]] = b[0].clone() if two else b.clone()
            state[u.keys[3]] = b[1].clone() if two else torch.zeros_like(b)
    return state


def refuse_computed(units: List[KerasUnit], state: Mapping[str, Tensor], module: nn.Module,
                    caller: str = "from_keras_weights") -> None:
    """A weight the state_dict does not hold under its name (parametrized, weight_norm):
    refused saying how to load (a KeyError said only the name), naming ``caller``, the
    function the user called."""
    for u in units:
        for key in u.keys:
            if key is not None and key not in state:
                how = stored_elsewhere(module, key) or f"{key} is not in the state_dict"
                if caller == "keras_init_":
                    raise ConfigError(
                        f"keras_init_: Keras' start is set on the weight itself, and {how} "
                        f"(or call keras_init_ before parametrizing or pruning the module)")
                raise ConfigError(
                    f"from_keras_weights: Keras' arrays are the weight itself, and {how} "
                    f"(or load them before parametrizing or pruning the module); "
                    f"to_keras_weights reads such a weight as computed")


def to_keras_weights(module: nn.Module) -> List[np.ndarray]:
    """``module``'s weights as Keras' ``get_weights()`` lists them (NumPy arrays, in the
    parameters' dtype; bfloat16's, which NumPy lacks, as float32), for Keras'
    ``set_weights`` on a layer of the same units, layers, ``use_bias`` and GRU
    ``reset_after``: the inverse of :func:`from_keras_weights`. The two biases of an
    LSTM, SimpleRNN or Cho-form GRU are added into Keras' one (the same function: Keras'
    reset_after=False GRU adds its bias outside the reset gate too). A weight computed by
    ``torch.nn.utils.parametrize`` (or weight_norm, prune, spectral_norm) is given as
    computed: the weight the module runs with."""
    units = keras_units(module, "to_keras_weights")
    refuse_meta_module(module, "to_keras_weights")

    def fetch(key: str) -> Tensor:  # (the weight computed: a parametrized one too)
        t = computed_weight(module, key).cpu()
        return t.float() if t.dtype == torch.bfloat16 else t

    out: List[np.ndarray] = []
    for u in units:
        for key in u.keys[:2]:
            out.append(_blocks(fetch(key).T, u.kind, u.hidden).numpy().copy())
        if u.has_bias:
            b_ih, b_hh = (fetch(k) for k in u.keys[2:])
            if u.kind == "gru" and u.reset_after:
                b = torch.stack([b_ih, b_hh])  # (2, 3H)
            else:
                b = b_ih + b_hh
            out.append(_blocks(b, u.kind, u.hidden).numpy().copy())
    return out
