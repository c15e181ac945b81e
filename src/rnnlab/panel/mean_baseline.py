"""The mean method (fpp3's ``MEAN(y)``, statsforecast's ``HistoricAverage``): each series
forecast by the mean of its history, the same at every step.

Intervals are fpp3's (section 5.5): Gaussian about the mean with standard deviation
``sigma * sqrt(1 + 1 / T)``, ``sigma`` the residuals' standard deviation (``T - 1`` degrees
of freedom, fable's ``sd(y - mean(y))``) and ``1 / T`` the error of the mean estimated from
``T`` values. Fewer than :data:`~.baseline_frames.LEAST_RESIDUALS` values: no quantiles.
NaN values are left out. ``history=``: the mean of that history (as the naive reads it)."""

from __future__ import annotations

from typing import Any, Sequence, Union

import numpy as np

from .baseline_frames import DEFAULT_QUANTILES, LEAST_RESIDUALS
from .series_baseline import SeriesBaseline, gaussian


class Mean(SeriesBaseline):
    """The history's mean at every step; fpp3's intervals, ``sigma sqrt(1 + 1/T)``."""

    name = "mean"

    def __init__(self, quantiles: Union[float, Sequence[float], None] = DEFAULT_QUANTILES,
                 **peer: Any):
        super().__init__(quantiles=quantiles, **peer)

    def _forecast(self, y: np.ndarray, horizon: int, m: int, fitted) -> tuple:
        y = np.asarray(y, np.float64)
        y = y[~np.isnan(y)]
        n = len(y)
        mean = np.full(horizon, y.mean() if n else np.nan)
        if not self.quantiles:
            return mean, None
        if n < LEAST_RESIDUALS:
            return mean, self._no_quantiles(horizon)
        sigma = y.std(ddof=1)  # (fable's sd of the residuals y - mean)
        se = np.full(horizon, sigma * np.sqrt(1 + 1 / n))
        return mean, gaussian(mean, se, self.quantiles)


__all__ = ["Mean"]
