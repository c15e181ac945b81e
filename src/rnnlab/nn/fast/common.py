"""Helpers shared by the whole-sequence kernels: masking for variable lengths."""

from __future__ import annotations

from typing import Tuple

import torch
from torch import Tensor


def masked_update(m: Tensor, new: Tensor, old: Tensor, out: Tensor) -> None:
    """state_t = new where the sequence is still running (m, (B, 1) bool), else old."""
    torch.where(m, new, old, out=out)


def masked_grads(m: Tensor, g: Tensor, dout: Tensor) -> Tuple[Tensor, Tensor]:
    """Split dL/dstate_t between the cell's new state and the carried old one.

    Reference: ``state_t = where(m, new, old)``, ``out_t = new * m``. Returns
    (dL/dnew, the part of dL/dold that skips the cell).
    """
    zero = g.new_zeros(())
    return torch.where(m, g + dout, zero), torch.where(m, zero, g)
