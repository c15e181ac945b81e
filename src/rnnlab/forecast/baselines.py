"""Baselines reported beside every model, on the same split.

- naive: the last training value, repeated;
- seasonal naive: the value one period earlier (y_{t-period}), repeated season by season;
- linear AR: least squares from ``lookback`` past values to the next one, in the same
  model space as the network (same transform, differencing and scaler), forecast recursively.
"""

from __future__ import annotations

from typing import Optional

import numpy as np

from ..data.windows import make_windows


def naive(history: np.ndarray, steps: int) -> np.ndarray:
    return np.full(steps, float(history[-1]))


def seasonal_naive(history: np.ndarray, steps: int, period: int) -> np.ndarray:
    last = np.asarray(history[-period:], dtype=np.float64)
    return np.array([last[h % period] for h in range(steps)])


class LinearAR:
    """z_t = w . z_{t-lookback..t-1} + b, fitted by least squares."""

    def __init__(self, lookback: int):
        self.lookback = lookback
        self.coef: Optional[np.ndarray] = None

    def fit(self, z: np.ndarray) -> "LinearAR":
        x, y = make_windows(z, self.lookback, "one")
        a = np.hstack([x, np.ones((len(x), 1))])
        self.coef = np.linalg.lstsq(a, y[:, 0], rcond=None)[0]
        return self

    def forecast(self, z: np.ndarray, steps: int) -> np.ndarray:
        """(K, N) or (N,) model-space histories -> (K, steps) or (steps,)."""
        hist = np.atleast_2d(np.asarray(z, dtype=np.float64))[:, -self.lookback:]
        out = np.empty((hist.shape[0], steps))
        for h in range(steps):
            out[:, h] = hist[:, -self.lookback:] @ self.coef[:-1] + self.coef[-1]
            hist = np.hstack([hist, out[:, h:h + 1]])
        return out if np.ndim(z) > 1 else out[0]
