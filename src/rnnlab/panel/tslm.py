"""A linear trend plus seasonal dummies (fpp3's ``TSLM(y ~ trend() + season())``, section
7.4), fitted by least squares to each series (statsmodels' ``OLS``).

The regressors: an intercept, ``t = 1..T`` and a dummy for each season but the first
(``m - 1`` of them, ``m`` the panel's period or ``period=``); the series' first value is
season 0, which gives the forecasts fable's calendar seasons give (the same columns'
span). A series shorter than two seasons, or a panel without one, gets the trend alone,
and a single value its own level (the columns its values cannot tell apart are left out).
Quantiles are fable's: Gaussian about the forecast with the regression's prediction
standard error, ``sigma sqrt(1 + x' (X'X)^-1 x)`` (statsmodels' ``get_prediction``
``se_obs``; R's ``forecast::tslm`` reads Student's t instead). Fewer than
:data:`~.baseline_frames.LEAST_RESIDUALS` values, or no residual degree of freedom: no
quantiles. NaN values are left out of the fit (their steps still count in ``t``).
``history=``: the regression is fitted again on it (least squares has no state to keep)."""

from __future__ import annotations

import warnings

import numpy as np

from .baseline_frames import LEAST_RESIDUALS
from .series_baseline import SeasonalSeriesBaseline, gaussian


def trend_season(t: np.ndarray, m: int) -> np.ndarray:
    """(len(t), 2 + (m - 1)) regressors of steps ``t`` (1-based): 1, t, and the dummies
    of seasons 1..m-1 (season ``(t - 1) mod m``)."""
    t = np.asarray(t, np.float64)
    season = (t.astype(np.int64) - 1) % m
    dummies = (season[:, None] == np.arange(1, m)[None, :]).astype(np.float64)
    return np.column_stack([np.ones_like(t), t, dummies])


def _readable(x: np.ndarray) -> int:
    """How many of the columns of ``x`` (1, t, season dummies) least squares can estimate:
    all of them, else the intercept and trend, else the intercept alone. Least squares on
    columns the values cannot tell apart (one value; a season whose values are all NaN)
    gave statsmodels' minimum-norm answer: a single value 5 was forecast 7.5, 10, 12.5."""
    for width in (x.shape[1], 2, 1):
        if width <= x.shape[1] and len(x) >= width and \
                np.linalg.matrix_rank(x[:, :width]) == width:
            return width
    return 1


class TSLM(SeasonalSeriesBaseline):
    """Least squares on a linear trend and season dummies; fable's Gaussian intervals
    from the regression's prediction standard error."""

    name = "tslm"
    requires = ("statsmodels",)  # the `panel` extra (rnnlab.extras)

    def _forecast(self, y: np.ndarray, horizon: int, m: int, fitted) -> tuple:
        import statsmodels.api as sm

        y = np.asarray(y, np.float64)
        n = len(y)
        m = m if n >= 2 * m else 1  # (a season's dummies need two seasons to read)
        t = np.arange(1, n + 1)
        ok = ~np.isnan(y)
        x = trend_season(t[ok], m)
        width = _readable(x)  # (the regressors the values can tell apart)
        x, m = x[:, :width], (m if width > 2 else 1)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # (statsmodels on a perfect fit's zero scale)
            res = sm.OLS(y[ok], x).fit()
            ahead = trend_season(np.arange(n + 1, n + horizon + 1), m)[:, :width]
            pred = res.get_prediction(ahead)
            mean = np.asarray(pred.predicted_mean, np.float64)
            if not self.quantiles:
                return mean, None
            if ok.sum() < LEAST_RESIDUALS or res.df_resid < 1:
                return mean, self._no_quantiles(horizon)
            se = np.asarray(pred.se_obs, np.float64)
        return mean, gaussian(mean, se, self.quantiles)


__all__ = ["TSLM", "trend_season"]
