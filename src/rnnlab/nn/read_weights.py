"""The weight a module computes with, by its state_dict name (``layers.0.cell.weight_hh``,
``weight_hh_l0``), also where the state_dict holds something else: a weight
``torch.nn.utils.parametrize`` computes (``parametrize.register_parametrization``,
``torch.nn.utils.parametrizations.weight_norm``) is stored as
``parametrizations.weight_hh_l0.original``; one torch's older hooks compute
(``torch.nn.utils.weight_norm``, ``prune``, ``spectral_norm``) as ``weight_hh_l0_g`` and
``_v``, ``_orig`` and ``_mask``. Read from the state_dict, such a module's weights were a
bare ``KeyError: 'weight_hh_l0'``.
"""

from __future__ import annotations

from typing import Any, Optional

import torch
from torch import Tensor, nn
from torch.nn.utils import parametrize
from torch.nn.utils.prune import BasePruningMethod
from torch.nn.utils.spectral_norm import SpectralNorm
from torch.nn.utils.weight_norm import WeightNorm


def computed_weight(module: nn.Module, name: str) -> Tensor:
    """The weight ``name`` (a state_dict key of a plain module) as ``module`` computes it
    now, detached: a parameter itself, a parametrized one computed, an old-style hook's
    computed from what it holds now (not the copy it made at the last call; no power
    iteration step is taken, nothing in the module changes)."""
    owner_name, _, leaf = name.rpartition(".")
    owner = module.get_submodule(owner_name) if owner_name else module
    with torch.no_grad():
        if not parametrize.is_parametrized(owner, leaf):
            hook = _hook_of(owner, leaf)
            if hook is not None:
                return _hook_weight(hook, owner).detach()
        return getattr(owner, leaf).detach()


def _hook_of(owner: nn.Module, leaf: str) -> Optional[Any]:
    """The old-style forward pre-hook computing ``owner.leaf``, or None. weight_norm's and
    spectral_norm's name the weight ``name``, prune's ``_tensor_name`` (read by ``name``
    alone, a pruned weight was the copy made at the last call: stale after an optimizer
    step)."""
    for hook in owner._forward_pre_hooks.values():
        if leaf in (getattr(hook, "name", None), getattr(hook, "_tensor_name", None)):
            return hook
    return None


def _hook_weight(hook, owner: nn.Module) -> Tensor:
    """The weight an old-style hook would compute before the next call."""
    if isinstance(hook, WeightNorm):
        return hook.compute_weight(owner)
    if isinstance(hook, SpectralNorm):
        return hook.compute_weight(owner, do_power_iteration=False)
    if isinstance(hook, BasePruningMethod):
        return hook.apply_mask(owner)
    return getattr(owner, hook.name)  # (another hook's: the attribute it set)


def stored_elsewhere(module: nn.Module, name: str) -> str:
    """How a weight missing from the state_dict is stored and how to make it a plain
    parameter again (for an error), or ""."""
    owner_name, _, leaf = name.rpartition(".")
    owner = module.get_submodule(owner_name) if owner_name else module
    where = f"module.get_submodule({owner_name!r})" if owner_name else "module"
    if parametrize.is_parametrized(owner, leaf):
        return (f"{name} is computed by torch.nn.utils.parametrize (the state_dict holds "
                f"{owner_name + '.' if owner_name else ''}parametrizations.{leaf}.original); "
                f"remove it first: torch.nn.utils.parametrize.remove_parametrizations("
                f"{where}, {leaf!r})")
    hook = _hook_of(owner, leaf)
    if hook is None:
        return ""
    undo = ("torch.nn.utils.remove_weight_norm" if isinstance(hook, WeightNorm) else
            "torch.nn.utils.remove_spectral_norm" if isinstance(hook, SpectralNorm) else
            "torch.nn.utils.prune.remove" if isinstance(hook, BasePruningMethod) else
            "the hook's own removal")
    return (f"{name} is computed by a forward pre-hook ({type(hook).__name__}); remove "
            f"it first: {undo}({where}, {leaf!r})")
