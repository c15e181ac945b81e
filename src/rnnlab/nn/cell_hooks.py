"""The hooks on a cell that ``Recurrent`` runs, and the ones it cannot.

``Recurrent`` runs a cell's equation over the whole sequence (``cell.recur`` on inputs
projected at once, or a kernel), never ``cell(x_t, h)``, so the hooks torch calls around a
module's call never run on the cell. Most hooks are about a step's inputs and outputs,
which never exist as a call: those are warned about (:func:`warn_cell_hooks`). torch's own
weight hooks are not: ``torch.nn.utils.prune``, ``torch.nn.utils.weight_norm`` and
``torch.nn.utils.spectral_norm`` register a forward pre-hook that computes the weight
(``weight_hh = weight_hh_orig * weight_hh_mask``) before each call and read no input.
Left unrun, the layer read the weight computed when the pruning was applied: stale after
an optimizer step, and the second backward died with "Trying to backward through the
graph a second time"; on torch's kernel the layer died with ``KeyError: 'weight_hh'``.
They run here once per layer call, as ``torch.nn.LSTM`` runs them once per call.
"""

from __future__ import annotations

import warnings

from torch.nn.utils.prune import BasePruningMethod
from torch.nn.utils.spectral_norm import SpectralNorm
from torch.nn.utils.weight_norm import WeightNorm

from .base import CellBase
from ..callers_line import callers_level

# torch's hooks that compute a weight from others before a call and read no input
WEIGHT_HOOKS = (BasePruningMethod, WeightNorm, SpectralNorm)


def run_cell_hooks(cell: CellBase) -> None:
    """Before a layer call: run the cell's weight hooks (:data:`WEIGHT_HOOKS`), in the
    order registered, and warn when any other hook is registered on it (it cannot run):
    a backward hook too (``register_full_backward_hook``), which needs a call of the cell."""
    others = bool(cell._forward_hooks or cell._backward_hooks or cell._backward_pre_hooks)
    for hook in list(cell._forward_pre_hooks.values()):
        if isinstance(hook, WEIGHT_HOOKS):
            hook(cell, ())
        else:
            others = True
    if others:
        warn_cell_hooks(cell)


def warn_cell_hooks(cell: CellBase) -> None:
    """Hooks registered on a cell inside ``Recurrent`` never ran, without a word: the layer
    runs the cell's equation (``cell.recur`` on inputs projected for the whole sequence,
    or a kernel), never ``cell(x_t, h)``. Said at each call (once per place, as warnings go)."""
    name = type(cell).__name__
    warnings.warn(
        f"Recurrent({name}): hooks registered on the cell do not run: Recurrent runs the "
        f"cell's equation over the whole sequence (cell.recur, or a kernel), never "
        f"cell(x_t, h); hook the Recurrent layer instead (its outputs hold every step's h), "
        f"or step the cell yourself (for x_t in x: h = cell(x_t, h))", UserWarning,
        stacklevel=callers_level(4))
