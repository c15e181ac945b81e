"""Why an impl asked for by name (a kernel: :data:`rnnlab.names.LOOP_IMPLS`) is refused
for a layer, in one wording each: :mod:`.dispatch` raises them where the kernel cannot
run, rather than running the step loop in its place (said only by the path), as
``impl="auto"`` does."""

from __future__ import annotations

from typing import Optional

from torch import Tensor

from ..io.errors import UnsupportedError
from .autocast_on import autocast_on
from .fast.dt import mixed_biases
from ..names import UNDER_AUTOCAST


def no_kernel(cell, impl: str) -> str:
    """Why ``impl`` (a kernel asked for by name) cannot run ``cell``: it has no
    whole-sequence kernel, neither torch's nor rnnlab's (a cell of one's own; a subclass,
    which may change the equation), or not for this one (:func:`mixed_bias_reason`). It
    ran the step loop, said only by the path."""
    mixed = mixed_bias_reason(cell)
    if mixed is not None:
        return (f"impl={impl!r} cannot run this {type(cell).__name__}: {mixed}. Use "
                f"impl='auto' or impl='reference' (the step loop, which reads each layer's).")
    return (f"impl={impl!r} cannot run {type(cell).__name__}: it has no whole-sequence "
            f"kernel (torch's run RNNCell, GRUCell and LSTMCell, rnnlab's DTRNNCell and "
            f"GRUCell(reset_after=False), each of exactly that type: a subclass may change "
            f"the equation), so only the step loop runs it. Use impl='auto' (the fastest "
            f"path each layer has) or impl='reference' (the step loop).")


def mixed_bias_reason(cell) -> Optional[str]:
    """Why rnnlab's kernels do not run a DTRNNCell of mixed biases (one set to None after
    it was built), or None for any other cell."""
    lacking = mixed_biases(cell)
    return None if lacking is None else (
        f"it lacks {lacking} while its other layers have a bias, and rnnlab's kernels read "
        f"one bias setting for every layer; give every layer a bias or none (bias=False "
        f"when built)")


def refuse_under_autocast(cell, impl: str, x: Tensor) -> None:
    """A kernel asked for by name (:data:`LOOP_IMPLS`) under autocast, which the kernels do
    not follow: refused, saying what runs instead (it ran the step loop, said only by the
    path: ``--impl triton-split --precision bf16-mixed`` trained on the loop)."""
    if autocast_on(x.device.type):
        raise UnsupportedError(
            f"impl={impl!r} cannot run {type(cell).__name__} under autocast "
            f"({x.device.type}): {UNDER_AUTOCAST}. Use "
            f"impl='auto' (the step loop under autocast, the kernel without it) or "
            f"'reference', or run without autocast (precision '32').")
