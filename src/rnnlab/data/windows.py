"""Sliding windows over a series: inputs of ``lookback`` steps and their targets.

Targets (``mode``):
- ``one``: the next value, (N, 1) — seq-to-one;
- ``direct``: the next ``horizon`` values, (N, horizon) — direct multi-horizon;
- ``seq2seq``: the window shifted by one step, (N, lookback) — as E1.
"""

from __future__ import annotations

from typing import Tuple

import numpy as np

from ..io.errors import DataError

MODES = ("one", "direct", "seq2seq")


def target_width(mode: str, lookback: int, horizon: int) -> int:
    return {"one": 1, "direct": horizon, "seq2seq": lookback}[mode]


def make_windows(values: np.ndarray, lookback: int, mode: str = "one",
                 horizon: int = 1) -> Tuple[np.ndarray, np.ndarray]:
    """X (N, lookback), Y (N, k): window i reads values[i : i+lookback]."""
    if mode not in MODES:
        raise ValueError(f"unknown window mode {mode!r}; choose one of {MODES}")
    if lookback <= 0 or horizon <= 0:
        raise DataError(f"lookback and horizon must be >= 1, got lookback={lookback}, "
                        f"horizon={horizon}")
    v = np.asarray(values, dtype=np.float64)
    ahead = horizon if mode == "direct" else 1
    n = len(v) - lookback - ahead + 1
    if n < 1:
        raise DataError(f"a series of {len(v)} points has no window of lookback {lookback} "
                        f"+ {ahead} target step(s); it needs at least {lookback + ahead} points")
    idx = np.arange(n)[:, None]
    x = v[idx + np.arange(lookback)]  # (N, lookback)
    if mode == "seq2seq":
        y = v[idx + 1 + np.arange(lookback)]  # (N, lookback)
    else:
        y = v[idx + lookback + np.arange(ahead)]  # (N, ahead)
    return x, y
