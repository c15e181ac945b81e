"""The future covariates of in-sample forecasts (:mod:`.insample`): each cutoff's steps read
from the panel's own columns. A cutoff of a series' last horizon has steps past the series'
end, whose covariates the panel has not; they reach no step kept (the table has the steps
with an actual value only, and the network forecasts step h from the covariates of steps <=
h: the head reads step h's (and, seasonally differenced, step h - lag's), the recursive
strategy feeds the steps in order; a t or negative binomial head's gamma and Poisson draws
go step after step, their samplers taking as many random numbers as a step's parameters ask:
:mod:`.series_draws`), so they are filled with the series' last row's values and its cutoffs
are forecast as the others (``predict(history=panel.cut(k), future=...)`` gives the same
steps whatever ``future`` holds past the end). They were dropped: the last cutoff lay a
whole horizon before each series' end."""

from __future__ import annotations

import numpy as np
import pandas as pd


def covariate_steps(f, df: pd.DataFrame, b, series: np.ndarray, first: np.ndarray,
                    horizon: int) -> np.ndarray:
    """(W, horizon, C) float64 unscaled: the future covariates of the ``horizon`` steps
    after each cutoff row ``first`` (in ``df``) of ``series`` (series after series as ``b``
    says), the series' last row's for the steps past its end (unread: see the module)."""
    cols = list(f.future)
    if not cols:
        return np.zeros((len(first), horizon, 0))
    rows = first[:, None] + 1 + np.arange(horizon)  # (W, H) rows in df
    end = (b.starts + b.lengths - 1)[series][:, None]  # (W, 1) each series' last row
    values = df[cols].to_numpy(dtype=np.float64)  # (N, C)
    return values[np.minimum(rows, end).ravel()].reshape(len(first), horizon, len(cols))
