"""What each window's model-space values are measured from and in (``anchor``).

Every window the network reads, in training and in forecasting, is put in its own frame
before it goes in, and every output is taken back out of that frame:

    x = (z - shift) / spread          z = x * spread + shift

- ``anchor='last'`` (the default): shift = the window's last input z_T, spread = 1, so the
  network predicts the change from there;
- ``anchor='none'``: shift = 0, spread = 1 (z itself);
- ``anchor='mean_scale'`` (DeepAR's scaling, Salinas et al. 2020): shift = 0, spread =
  1 + mean |z| over the window's inputs (its look-back part only, never the targets), so
  a window that moves widely is read at the size of a quiet one, and a window of all
  zeros has spread 1 (it is read as it is).

Counts (``likelihood='negbin'``) are neither shifted nor spread: they are already divided
by 1 + their series' mean (:mod:`.scaling`), DeepAR's scale for counts. The functions work
on torch tensors and numpy arrays alike (plain arithmetic, broadcast)."""

from __future__ import annotations

from typing import Tuple

import torch
from torch import Tensor

def spread_windows(cfg) -> bool:
    """Whether each window is divided by its own 1 + mean |z| (``anchor='mean_scale'``,
    not counts); how much of its last value comes off is
    :func:`~rnnlab.panel.global_table.anchored`."""
    return cfg.likelihood != "negbin" and cfg.anchor == "mean_scale"


def window_frame(z: Tensor, shift_by: float, spread: bool) -> Tuple[Tensor, Tensor]:
    """``(shift (B, 1), spread (B, 1))`` of the windows' look-back inputs ``z`` (B, L), in
    their dtype: shift ``shift_by`` x the last input, spread 1 + mean |z| when ``spread``
    else 1."""
    shift = z[:, -1:] * shift_by if shift_by else torch.zeros_like(z[:, :1])
    if not spread:
        return shift, torch.ones_like(shift)
    return shift, 1.0 + z.abs().mean(dim=1, keepdim=True)


def into_frame(z, shift, spread):
    """Values ``z`` measured in a window's frame: ``(z - shift) / spread``."""
    return (z - shift) / spread


def out_of_frame(x, shift, spread):
    """Outputs ``x`` of the network (quantiles, draws, points) back in model space:
    ``x * spread + shift`` (spread > 0 keeps quantiles in order)."""
    return x * spread + shift


__all__ = ["into_frame", "out_of_frame", "spread_windows", "window_frame"]
