"""Which path a ``Recurrent`` layer runs on a call (:func:`layer_path`): the one rule its
``path_for`` (which reports) and its ``_run`` (which runs) both call, so that what a layer
says it runs is what it runs."""

from __future__ import annotations

from typing import Optional

from torch import Tensor

from .dispatch import path_for
from .sequence import lengths_need_loop
from .variational import refuse_kernel_impl


def layer_path(cell, impl: str, x: Tensor, batch: int, lengths: Optional[Tensor],
               drops_state: bool = False) -> str:
    """The path a ``Recurrent`` of ``cell`` runs on ``x`` holding ``batch`` sequences with
    (masking) ``lengths``: :func:`.dispatch.path_for`, but "reference" for no sequences
    (the step loop's ops give empty outputs, connected to the parameters as torch.nn's;
    the kernels assume rows), for lengths torch's packing cannot serve
    (:func:`.sequence.lengths_need_loop`: the masked loop runs them) and when the call
    masks h_{t-1} (``drops_state``: training with ``recurrent_dropout``), which no kernel
    takes; an impl that asks for a kernel is refused then (:mod:`.variational`)."""
    if drops_state:
        refuse_kernel_impl(f"Recurrent({type(cell).__name__})", impl)
        return "reference"
    path = path_for(cell, impl, x)
    if batch == 0 or (path == "fused" and lengths_need_loop(lengths)):
        return "reference"
    return path
