"""``summary(model, *example)``: a model's layers, their parameter counts and, given an
example input, the shapes each one returns (Keras' ``model.summary()``; torch's repr
lists the layers without either). Any ``nn.Module``: rnnlab's, torch's, a Forecaster's
``f.net`` (a member, ``f.net.members[0]``, runs an example of windows (B, lookback)), a
CharLM's ``lm.net`` (token ids (B, T))."""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

import torch
from torch import nn

from .base import CellBase


@dataclass
class Row:
    name: str  # the module's dotted name in the model ("" for the model itself)
    kind: str  # its class name
    params: int  # parameters in it and its children
    shape: Optional[str]  # what its first call returned, e.g. "(4, 10, 32)"; None: not run


@dataclass
class ModelSummary:
    rows: List[Row] = field(default_factory=list)
    total: int = 0  # parameters of the model (shared ones once)
    trainable: int = 0  # of them, those that require grad

    def __str__(self) -> str:
        shapes = any(r.shape is not None for r in self.rows)
        head = ["layer", "type"] + (["output shape"] if shapes else []) + ["params"]
        table = [[r.name or "(model)", r.kind] + ([r.shape or "-"] if shapes else [])
                 + [f"{r.params:,}"] for r in self.rows]
        widths = [max(len(line[i]) for line in [head] + table) for i in range(len(head))]

        def line(cells):
            return "  ".join(c.rjust(w) if i == len(cells) - 1 else c.ljust(w)
                             for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

        rule = "-" * len(line(head))
        return "\n".join([line(head), rule, *map(line, table), rule,
                          f"total parameters: {self.total:,} (trainable {self.trainable:,}, "
                          f"frozen {self.total - self.trainable:,})"])

    __repr__ = __str__


def summary(model: nn.Module, *example: Any, depth: int = 2,
            **example_kwargs: Any) -> ModelSummary:
    """The layers of ``model`` down to ``depth`` levels of nesting (a ModuleList's index is
    not a level: ``body.layers.0`` is a stack's first layer), each with its parameter
    count (its children's included) and, when an ``example`` input is given
    (``summary(model, torch.zeros(4, 10, 8))``; keyword inputs too: ``lengths=...``),
    the shape of what it returned on that input (a tuple's parts in brackets: an LSTM's
    ``[(4, 10, 32), [(1, 4, 32), (1, 4, 32)]]``). The example runs once, in eval mode
    and without gradients; the model is given back with each part in its mode (hooks
    removed, also when the example fails). A cell inside a layer shows no shape: the layer runs its equation over the whole sequence, not the cell's
    call (:mod:`rnnlab.nn.cell_hooks`)."""
    if not isinstance(model, nn.Module):
        from ..io.errors import ConfigTypeError

        raise ConfigTypeError(f"summary: model must be a torch.nn.Module, got "
                              f"{type(model).__name__}; a Forecaster's network is f.net, a "
                              f"CharLM's lm.net")
    # (looked up without running descriptors: a TorchScript model's forward raises there)
    if (example or example_kwargs) and \
            inspect.getattr_static(type(model), "forward", None) is nn.Module.forward:
        from ..io.errors import ConfigError

        parts = [n for n, m in model.named_children()]
        raise ConfigError(f"summary: {type(model).__name__} has no forward to run the example "
                          f"through (its parts are called on their own: {', '.join(parts)}); "
                          f"give one of them (a Forecaster's f.net.members[0], which reads "
                          f"windows (B, lookback)), or leave the example out for the counts")
    modules = [(n, m) for n, m in model.named_modules() if _level(model, n) <= depth]
    shapes = _shapes(model, modules, example, example_kwargs) if (example or example_kwargs) else {}
    rows = [Row(n, type(m).__name__, _count(m), shapes.get(n)) for n, m in modules]
    params = list(model.parameters())  # (each shared parameter once)
    return ModelSummary(rows, sum(p.numel() for p in params),
                        sum(p.numel() for p in params if p.requires_grad))


def _level(model: nn.Module, name: str) -> int:
    """How deep ``name`` is nested, a ModuleList's or ModuleDict's index not counted: a
    stack's layers (``body.layers.0``) are one level below the stack, as a Bidirectional's
    ``forward_layer`` is (the index made them a level deeper, hidden at depth 2)."""
    parts = name.split(".") if name else []
    containers = sum(isinstance(model.get_submodule(".".join(parts[:i])),
                                (nn.ModuleList, nn.ModuleDict)) for i in range(1, len(parts)))
    return len(parts) - containers


def _count(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


def _shapes(model, modules, example, kwargs) -> dict:
    """{name: the shape text of the first thing it returned} for one call on the example."""
    seen: Dict[str, str] = {}
    handles: List[Any] = []
    # each module's own mode (a part kept in eval inside a training model: a frozen
    # encoder's dropout; model.train(was) turned it on)
    was = [(m, m.training) for m in model.modules()]
    try:  # (the hooks put on so far come off too when one cannot be put on)
        for name, m in modules:
            # (on a cell inside a layer hooks cannot run, and warn; a TorchScript part
            # takes none: it shows no shape)
            if (isinstance(m, CellBase) and name) or isinstance(m, torch.jit.ScriptModule):
                continue
            handles.append(m.register_forward_hook(_recorder(seen, name)))
        model.eval()
        with torch.no_grad():
            model(*example, **kwargs)
    finally:
        for h in handles:
            h.remove()
        for m, training in was:
            m.training = training
    return seen


def _recorder(seen: dict, name: str):
    def hook(module, args, out):  # (returns None: a hook's value would replace the output)
        seen.setdefault(name, _shape_text(out))
    return hook


def _shape_text(out) -> str:
    if isinstance(out, torch.Tensor):
        return "(" + ", ".join(str(d) for d in out.shape) + ")"
    if isinstance(out, nn.utils.rnn.PackedSequence):
        return f"packed {_shape_text(out.data)}"
    if isinstance(out, (tuple, list)):
        return "[" + ", ".join(_shape_text(o) for o in out) + "]"
    return "None" if out is None else type(out).__name__
