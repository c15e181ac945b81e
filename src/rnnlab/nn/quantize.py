"""Dynamic quantization of models holding rnnlab's torch drop-ins.

``torch.ao.quantization.quantize_dynamic`` picks modules by their exact type
(``type(m) in {nn.LSTM, ...}``), so it passes over rnnlab's ``LSTM``, ``GRU`` and cells,
which subclass torch's, and returns them in float without a word. :func:`quantize_dynamic`
takes the same arguments and gives each rnnlab module torch would quantize as its torch
class (``nn.LSTM`` with the same weights: the same kernel, the same numbers) before torch
quantizes it. Modules torch has no quantized form for stay in float, as torch leaves them:
a ``GRU`` or ``GRUCell`` with ``reset_after=False``, an ``LSTMCell`` with ``proj_size``, a
cell run over time by a ``Recurrent`` (the layer runs the cell's equation, never the
cell); where the arguments asked for them, a warning names them. The deep cells, which no
torch class has, stay in float as any module torch does not know. A module torch leaves in float (``RNN``, which
torch has no quantized form of; one its ``qconfig_spec`` gives the qconfig None) keeps its
rnnlab class.
"""

from __future__ import annotations

import copy
import warnings
from typing import Any, Dict, Iterable, List, Optional, Set, Tuple

import torch
from torch import nn
from torch.nn.utils.parametrize import type_before_parametrizations

from .cells import GRUCell, LSTMCell, RNNCell
from .recurrent import Recurrent
from .torch_compat import GRU, LSTM, RNN

# rnnlab's class -> torch's, for the modules torch has a dynamically quantized form of
_TORCH_CLASS = {LSTM: nn.LSTM, GRU: nn.GRU, RNN: nn.RNN,
                LSTMCell: nn.LSTMCell, GRUCell: nn.GRUCell, RNNCell: nn.RNNCell}
# what torch's quantize_dynamic quantizes with qconfig_spec=None, by dtype
_DEFAULT_TYPES = {torch.qint8: (nn.LSTM, nn.GRU, nn.LSTMCell, nn.GRUCell, nn.RNNCell),
                  torch.float16: (nn.LSTM, nn.GRU, nn.LSTMCell, nn.GRUCell, nn.RNNCell)}


def quantize_dynamic(model: nn.Module, qconfig_spec: Any = None, dtype: torch.dtype = torch.qint8,
                     mapping: Optional[Dict[type, type]] = None,
                     inplace: bool = False) -> nn.Module:
    """``torch.ao.quantization.quantize_dynamic(model, ...)`` for a model holding rnnlab's
    modules: the same arguments and result. ``qconfig_spec`` may name rnnlab's classes or
    torch's (``{nn.LSTM, nn.Linear}`` quantizes rnnlab's ``LSTM`` too) or modules by name."""
    if not inplace:
        model = copy.deepcopy(model)
    spec = _torch_spec(qconfig_spec)
    wanted = _wanted_types(spec, dtype)
    names = {k for k in (spec or ()) if isinstance(k, str)}
    left: List[str] = []
    held = {id(layer.cell) for layer in model.modules() if isinstance(layer, Recurrent)}
    swapped: Dict[int, Tuple[nn.Module, nn.Module]] = {}
    model = _swap(model, "", wanted, names, held, left, swapped)
    from torch.ao.quantization import quantize_dynamic as torchs  # (on use: a slow import)
    from torch.ao.quantization.quantization_mappings import \
        get_default_dynamic_quant_module_mappings as torchs_mapping
    model = torchs(model, spec, dtype=dtype, mapping=mapping, inplace=True)
    _restore(model, "", swapped, mapping if mapping is not None else torchs_mapping(), left)
    if left:
        warnings.warn(f"quantize_dynamic: {', '.join(left)} stay in float: torch has no "
                      f"dynamically quantized form of them; leave them out of qconfig_spec "
                      f"to silence this", UserWarning, stacklevel=2)
    return model


def _torch_spec(spec: Any) -> Any:
    """The spec with rnnlab's classes named as torch's (the modules it meets are torch's)."""
    if isinstance(spec, dict):
        return {_TORCH_CLASS.get(k, k): v for k, v in spec.items()}
    if isinstance(spec, (set, frozenset, list, tuple)):
        return {_TORCH_CLASS.get(k, k) for k in spec}
    return spec


def _wanted_types(spec: Any, dtype: torch.dtype) -> Set[type]:
    if spec is None:
        return set(_DEFAULT_TYPES.get(dtype, ()))
    return {k for k in spec if isinstance(k, type)}


def _swap(module: nn.Module, name: str, wanted: Set[type], names: Set[str],
          held: Set[int], left: List[str], swapped: Dict) -> nn.Module:
    """``module`` or, where torch would quantize its torch class, that class's copy;
    its children likewise."""
    # (a parametrized module's class is parametrize's subclass of it: it stayed in float,
    # unnamed; torch's own looks it up as its class too)
    base = _TORCH_CLASS.get(type_before_parametrizations(module))
    # (the model itself is never swapped: torch's convert swaps children only)
    asked = bool(name) and base is not None and (base in wanted or _named(name, names))
    if asked and base is not None:  # (asked: base is not None)
        reason = _why_not(module, held)
        if reason is None:
            plain = _as_torch(module, base)
            swapped[id(plain)] = (plain, module)
            return plain
        left.append(f"{name or 'the model'} ({reason})")
    for child_name, child in list(module.named_children()):
        full = f"{name}.{child_name}" if name else child_name
        new = _swap(child, full, wanted, names, held, left, swapped)
        if new is not child:
            setattr(module, child_name, new)
    return module


def _restore(module: nn.Module, name: str, swapped: Dict, kernels: Dict, left: List[str]) -> None:
    """Each rnnlab module whose torch copy torch left in float put back, in the mode torch
    set: the copy stayed, an ``nn.RNN`` for rnnlab's ``RNN`` (which torch has no quantized
    form of: named in ``left``) or for a module its spec gave the qconfig None."""
    for child_name, child in list(module.named_children()):
        full = f"{name}.{child_name}" if name else child_name
        plain, original = swapped.get(id(child), (None, None))
        if plain is not child:
            _restore(child, full, swapped, kernels, left)
            continue
        setattr(module, child_name, original.train(child.training))
        if type(child) not in kernels:
            left.append(f"{full} ({type(original).__name__}: the quantization mapping "
                        f"has no nn.{type(child).__name__})")


def _named(name: str, names: Iterable[str]) -> bool:
    """Whether torch's spec reaches the module ``name`` by its name or an enclosing one's."""
    return any(name == n or name.startswith(n + ".") or n == "" for n in names)


def _why_not(module: nn.Module, held: Set[int]) -> Optional[str]:
    if id(module) in held:
        return f"{type(module).__name__} run over time by a Recurrent"
    if isinstance(module, (GRU, GRUCell)) and not module.reset_after:
        # (a GRUCell too: torch's kernel ran Cho et al.'s cell on its own equation, 0.29 off)
        kind = type_before_parametrizations(module).__name__
        return f"{kind}(reset_after=False), which torch has no kernel for"
    if isinstance(module, LSTMCell) and module.proj_size:
        return "LSTMCell with proj_size, which torch.nn.LSTMCell has not"
    return None


def _as_torch(module: nn.Module, base: type) -> nn.Module:
    """``module`` as ``base``, torch's class, holding the weights it computes now (a
    pruned or parametrized weight's value)."""
    first = next(module.parameters())
    kwargs: Dict[str, Any] = dict(bias=module.bias, device=first.device, dtype=first.dtype)
    if isinstance(module, nn.RNNBase):
        kwargs.update(num_layers=module.num_layers, batch_first=module.batch_first,
                      dropout=module.dropout, bidirectional=module.bidirectional)
        if base is nn.LSTM:
            kwargs["proj_size"] = module.proj_size
        names = list(module._flat_weights_names)
    else:
        names = ["weight_ih", "weight_hh"] + (["bias_ih", "bias_hh"] if module.bias else [])
    if base in (nn.RNN, nn.RNNCell):
        kwargs["nonlinearity"] = module.nonlinearity
    plain = base(module.input_size, module.hidden_size, **kwargs)
    with torch.no_grad():
        for weight in names:
            getattr(plain, weight).copy_(getattr(module, weight))
    plain.train(module.training)
    return plain
