"""Small series the forecasting tests share."""

import numpy as np
import pandas as pd


def seasonal(n=96, seed=0, noise=0.5):
    """Monthly: a trend, a yearly sine and Gaussian noise (seeded)."""
    idx = pd.date_range("2000-01-01", periods=n, freq="MS")
    t = np.arange(n)
    v = 100 + 0.3 * t + 10 * np.sin(2 * np.pi * t / 12)
    return pd.Series(v + np.random.default_rng(seed).normal(0, noise, n), index=idx, name="y")
