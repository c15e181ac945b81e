"""Module-wide hooks (``torch.nn.modules.module.register_module_forward_hook`` and its
kin) on a call's view of a module (:func:`rnnlab.nn.stored_weight.computed_once`): torch
calls them with the module called, which for a parametrized submodule of a cell is the
view made for the call, not the user's module (``module is cell.lin`` False, a dict of
activations keyed by module grew a key a call). The view's call runs torch's own call
with those hooks given the module instead: the view's own hooks already are
(``_on_module``). A non-full backward hook (``register_backward_hook``, the module's own
or module-wide) is kept by torch on the output's grad_fn with a weak reference to the
module called: to the view, gone when the call ended ("You are trying to call the hook of
a dead Module!" in backward); the view's call gives it the module instead.

No public route does this: torch calls every hook with the object called, and the other
way to compute the weights once (``torch.func.functional_call``, ``parametrize.cached``)
swaps them on the user's module, where another thread's call reads them."""

from __future__ import annotations

import types
import weakref
from collections import OrderedDict
from typing import Any, Callable, Dict

from torch import nn
from torch.nn.modules import module as _module

# torch's module-wide hook tables, which its module call reads by these names
_GLOBAL_TABLES = ("_global_forward_pre_hooks", "_global_forward_hooks",
                  "_global_backward_hooks", "_global_backward_pre_hooks")
# the methods of nn.Module that read them (each the view's, given the module's hooks)
_READERS = ("_call_impl", "_get_backward_hooks", "_get_backward_pre_hooks")


def any_global_hooks() -> bool:
    """Whether a module-wide hook is registered now."""
    return any(getattr(_module, t, None) for t in _GLOBAL_TABLES)


def needs_own_call(module: nn.Module) -> bool:
    """Whether a view of ``module`` needs :func:`calls_seen_as`: a module-wide hook is
    registered now, or ``module`` has a non-full backward hook of its own."""
    return any_global_hooks() or bool(
        module._backward_hooks and module._is_full_backward_hook is False)


def calls_seen_as(view: nn.Module, module: nn.Module) -> Dict[str, Any]:
    """Attributes for ``view.__dict__`` that make a call of ``view`` call the module-wide
    hooks with ``module``: torch's own methods, reading the hook tables with each hook
    given ``module`` for the module argument; none for a method its class overrides (its
    call is its own). Made where :func:`needs_own_call` says so as the view is made (else
    the view's calls are torch's own); the tables are read at each call."""
    methods = {}
    for name in _READERS:
        own = getattr(type(view), name, None)
        if own is getattr(nn.Module, name) and own is not None:
            methods[name] = _reading_hooks_of(own, view, module)
    return methods


def _reading_hooks_of(method: Callable, view: nn.Module, module: nn.Module) -> Callable:
    """``method`` bound to ``view``, its module-wide hook tables those of the moment, each
    hook called with ``module`` in place of the module it is given. The view is held
    weakly: the method lives in the view's dict, and a strong hold made a reference cycle
    that kept each call's view, its computed weights with it, to the collector's next pass."""
    held = weakref.ref(view)

    def call(*args, **kwargs):
        tables = {t: OrderedDict((k, _given(module, h)) for k, h in getattr(_module, t).items())
                  for t in _GLOBAL_TABLES if hasattr(_module, t)}
        names = dict(method.__globals__, **tables, _WrappedHook=_on(module))
        fn = types.FunctionType(method.__code__, names, method.__name__, method.__defaults__,
                                method.__closure__)
        return fn(held(), *args, **kwargs)
    return call


def _given(module: nn.Module, hook: Callable) -> Callable:
    return lambda _view, *args, **kwargs: hook(module, *args, **kwargs)


def _on(module: nn.Module) -> Callable:
    """torch's ``_WrappedHook(hook, called)`` for the view's call: the hook held with a
    reference to ``module``, which outlives the call, not to the view (``called``)."""
    return lambda hook, _called=None: _module._WrappedHook(hook, module)
