"""Sliding windows over a series: inputs of ``lookback`` steps and their targets.

Targets (``mode``):
- ``one``: the next value, (N, 1) — seq-to-one;
- ``direct``: the next ``horizon`` values, (N, horizon) — direct multi-horizon;
- ``seq2seq``: the window shifted by one step, (N, lookback) — as E1.

X and Y are read-only strided views of one float64 copy of the series: N windows cost
the series' memory, not N x lookback values (a 7M-point series would otherwise need
GBs). :func:`window_tensor` turns such a view into a torch view the same way.
"""

from __future__ import annotations

from typing import Tuple

import numpy as np

from ..io.errors import ConfigError, DataError

MODES = ("one", "direct", "seq2seq")


def target_width(mode: str, lookback: int, horizon: int) -> int:
    return {"one": 1, "direct": horizon, "seq2seq": lookback}[mode]


def make_windows(values: np.ndarray, lookback: int, mode: str = "one",
                 horizon: int = 1) -> Tuple[np.ndarray, np.ndarray]:
    """X (N, lookback), Y (N, k): window i reads values[i : i+lookback]."""
    if mode not in MODES:
        raise ConfigError(f"unknown window mode {mode!r}; choose one of {MODES}")
    if lookback <= 0 or horizon <= 0:
        raise DataError(f"lookback and horizon must be >= 1, got lookback={lookback}, "
                        f"horizon={horizon}")
    v = np.asarray(values, dtype=np.float64)
    ahead = horizon if mode == "direct" else 1
    n = len(v) - lookback - ahead + 1
    if n < 1:
        raise DataError(f"a series of {len(v)} points has no window of lookback {lookback} "
                        f"+ {ahead} target step(s); it needs at least {lookback + ahead} points")
    view = np.lib.stride_tricks.sliding_window_view
    x = view(v, lookback)[:n]  # (N, lookback), no copy
    if mode == "seq2seq":
        y = view(v[1:], lookback)[:n]  # (N, lookback)
    else:
        y = view(v[lookback:], ahead)[:n]  # (N, ahead)
    return x, y


def window_tensor(a: np.ndarray, dtype, device=None):
    """A (N, W) array as a torch tensor. Windows sliding by one value over a 1-D series
    (strides (s, s), as :func:`make_windows` returns them) become a strided torch view of
    that series converted once (N + W - 1 values); any other array is converted whole."""
    import torch

    a = np.asarray(a)
    s = a.itemsize
    if a.ndim == 2 and a.shape[0] > 1 and a.shape[1] > 1 and a.strides == (s, s):
        flat = np.lib.stride_tricks.as_strided(a, (a.shape[0] + a.shape[1] - 1,), (s,))
        base = torch.as_tensor(np.array(flat), dtype=dtype, device=device)  # (N + W - 1,)
        return base.as_strided(a.shape, (1, 1))
    return torch.as_tensor(a if a.flags.writeable else np.array(a), dtype=dtype, device=device)
