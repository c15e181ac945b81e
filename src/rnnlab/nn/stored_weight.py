"""Weights that ``torch.nn.utils.parametrize`` computes, read as torch.nn reads them: each
read computes one anew, and a parametrization with state steps it at each
(``spectral_norm``'s power iteration), so the number of reads is part of the result."""

from __future__ import annotations

import contextlib
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Callable, Dict, FrozenSet, Iterator, List, Type, TypeVar, cast

import torch
from torch import Tensor, nn
from torch.nn.utils import parametrize
from torch.nn.utils.prune import BasePruningMethod
from torch.nn.utils.spectral_norm import SpectralNorm
from torch.nn.utils.weight_norm import WeightNorm

from .view_calls import calls_seen_as, needs_own_call


def stored_weight(module: nn.Module, name: str) -> Tensor:
    """``getattr(module, name)`` for a check of dtype and device. A weight that
    ``torch.nn.utils.parametrize`` computes is computed at each read, and a parametrization
    with state steps it at each (``spectral_norm``'s power iteration): a check that read it
    made rnnlab's modules step it once more a call than torch.nn's, and their outputs drift
    from torch.nn's in training. The tensor it is computed from has the same dtype and
    device in every parametrization torch ships; a pruned weight is a plain attribute."""
    computed = getattr(module, "parametrizations", None)
    if computed is not None and name in computed:
        holder = computed[name]
        return holder.original if hasattr(holder, "original") else holder.original0
    return getattr(module, name)


M = TypeVar("M", bound=nn.Module)


@contextlib.contextmanager
def computed_once(cell: M) -> Iterator[M]:
    """For a layer's call (``with computed_once(cell) as cell:``): the cell with its computed
    weights computed once, as torch.nn's RNNs compute theirs once a call. The step loop
    read ``weight_hh`` at each step: ``spectral_norm`` stepped T times a call on the
    reference path and once on the kernel, and the two trained apart. A view
    (:func:`_computed_view`), not ``parametrize.cached()``: that cache is the process's, so
    while one thread's layer ran, every other thread's parametrized module read its weight
    from it (an optimizer step since unseen: a stale weight; one read under ``no_grad``: no
    gradient). What the call sets on the view (``self.last_gate = f`` in ``recur``, a
    submodule or parameter made there) is set on the cell at the end (:func:`_write_back`);
    module-wide hooks are called with the module, not the view (:mod:`.view_calls`). Not
    under ``torch.jit.trace``: the trace records the reads as the call makes them. The cell itself when nothing in it is
    parametrized (a submodule's weight counts: ``spectral_norm`` on a cell's ``nn.Linear``)."""
    if torch.jit.is_tracing() or (not cell._modules and not parametrize.is_parametrized(cell)):
        yield cell
        return
    made: List[_Made] = []
    try:
        yield _computed_view(cell, made)
    finally:
        modules = {id(m.view): m.module for m in made}
        for m in made:
            _write_back(m, modules)


def _computed_view(module: M, made: list) -> M:
    """A shallow copy of ``module`` of the class it was made from, whose computed weights
    are plain tensors computed now from the module's own (in its graph: the gradients
    reach the originals), its submodules' too; its buffers are the module's (a
    parametrization's state, ``spectral_norm``'s vectors, lives on in the module), its
    hooks the module's, called with the module (:func:`_on_module`). Only this call reads
    it: no other thread sees it. ``made`` gets (view, module, the view's
    attributes as made) for each view made."""
    computed = getattr(module, "parametrizations", None)
    if computed is None and not any(parametrize.is_parametrized(m) for m in module.modules()):
        return module
    cls = type(module)
    if computed is not None:  # (parametrize's class, made for the module: its first base
        cls = cast(Type[M], cls.__bases__[0])  # is the class the module was made from)
    view = cls.__new__(cls)
    state = dict(module.__dict__)
    state["_parameters"] = dict(module._parameters)
    state["_modules"] = {k: m if m is None else _computed_view(m, made)  # (None: a slot kept)
                         for k, m in module._modules.items() if k != "parametrizations"}
    for hooks in _HOOKS:
        if state.get(hooks):
            state[hooks] = OrderedDict((k, _on_module(module, h))
                                       for k, h in state[hooks].items())
    if needs_own_call(module):  # (module-wide hooks, non-full backward hooks: the module's)
        state.update(calls_seen_as(view, module))
    view.__dict__.update(state)
    for name in computed or ():
        state["_parameters"][name] = getattr(module, name)  # (computed, once)
    made.append(_Made(view, module, dict(view.__dict__), dict(state["_modules"]),
                      dict(state["_parameters"]), frozenset(computed or ())))
    return view


@dataclass(frozen=True)
class _Made:
    """A view as made: its module, its attributes, submodules and parameters (each dict
    copied: the view's own change in the call) and the names of its computed weights."""

    view: nn.Module
    module: nn.Module
    attributes: Dict[str, Any]
    modules: Dict[str, Any]
    parameters: Dict[str, Any]
    computed: FrozenSet[str]


def _write_back(made: _Made, views: Dict[int, nn.Module]) -> None:
    """What the call set on ``made.view``, set on the module it views, as it was set on the
    cell itself before the view: an attribute (a cell that keeps what its step computed,
    ``self.last_gate = f``, lost it where the cell was parametrized), a submodule or a
    parameter (one made in ``recur``, ``self.norm = nn.LayerNorm(4)``, was made anew at
    each call and trained nowhere: torch.nn's modules keep what their forward adds). Only
    what the call changed: another thread's call on the same cell keeps what it set.
    A view set as a submodule is set as the module it views (``views``: id of view ->
    module). (Buffers are the module's own dict: they need none.)"""
    now = made.view.__dict__
    for name, value in now.items():
        if name not in ("_parameters", "_modules") and \
                made.attributes.get(name, _UNSET) is not value:
            made.module.__dict__[name] = value
    for name in made.attributes.keys() - now.keys():
        made.module.__dict__.pop(name, None)
    for slot, before in (("_modules", made.modules), ("_parameters", made.parameters)):
        after, own = now[slot], made.module.__dict__[slot]
        for name, value in after.items():
            if name not in made.computed and before.get(name, _UNSET) is not value:
                own[name] = views.get(id(value), value)
        for name in before.keys() - after.keys() - made.computed:
            own.pop(name, None)


_UNSET = object()

# a module's hooks that torch calls with the module: on a view, called with the module
_HOOKS = ("_forward_pre_hooks", "_forward_hooks", "_backward_pre_hooks", "_backward_hooks")
# torch's hooks that set a weight they compute on the module they are called with (the
# view's own, which the call reads: they stay as they are, :func:`_write_back` keeps it)
_WEIGHT_HOOKS = (BasePruningMethod, WeightNorm, SpectralNorm)


def _on_module(module: nn.Module, hook: Callable) -> Callable:
    """``hook`` as registered on ``module``, called on a view of it with ``module``, not
    the view: a hook on a parametrized submodule of a cell got an object made for the
    call (``activations[module] = out`` keyed by it, ``module is cell.lin`` False)."""
    if isinstance(hook, _WEIGHT_HOOKS):
        return hook
    return lambda _view, *args, **kwargs: hook(module, *args, **kwargs)
