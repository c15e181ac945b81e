"""Which path a ``Recurrent`` layer runs on a call (:func:`layer_path`): the one rule its
``path_for`` (which reports) and its ``_run`` (which runs) both call, so that what a layer
says it runs is what it runs."""

from __future__ import annotations

from typing import Optional

from torch import Tensor

from .dispatch import path_for
from .sequence import lengths_need_loop


def layer_path(cell, impl: str, x: Tensor, batch: int, lengths: Optional[Tensor]) -> str:
    """The path a ``Recurrent`` of ``cell`` runs on ``x`` holding ``batch`` sequences with
    (masking) ``lengths``: :func:`.dispatch.path_for`, but "reference" for no sequences
    (the step loop's ops give empty outputs, connected to the parameters as torch.nn's;
    the kernels assume rows) and for lengths torch's packing cannot serve
    (:func:`.sequence.lengths_need_loop`: the masked loop runs them)."""
    path = path_for(cell, impl, x)
    if batch == 0 or (path == "fused" and lengths_need_loop(lengths)):
        return "reference"
    return path
