"""An automatic ARIMA per series: statsforecast's ``AutoARIMA(season_length=m)``, the
maintained Python port of R's ``forecast::auto.arima`` (fable's ``ARIMA()`` searches the
same way: KPSS tests for ``d``, a seasonal test for ``D``, a stepwise search by AICc).

It needs the ``arima`` extra (``pip install 'rnnlab[arima]'``: statsforecast); without it
the baseline is refused, naming the extra. Quantiles are the model's own Gaussian ones:
statsforecast's 80% interval read as the forecast's standard deviation at each step, and
every level placed with it (the same values as its ``level=`` at those levels); fewer than
:data:`~.baseline_frames.LEAST_RESIDUALS` values: no quantiles, as :class:`~.mean_baseline.Mean`
and :class:`~.tslm.TSLM` (statsforecast's interval of one value had width 0).
``history=`` (a backtest's ``refit='never'``): the fitted orders and coefficients kept, the
model's filter run over the history (statsforecast's ``forward``); a series not fitted on
is fitted on the history. A series with NaN values is refused (ARIMA reads each step)."""

from __future__ import annotations

import warnings
from statistics import NormalDist

import numpy as np

from ..io.errors import DataError
from .baseline_frames import LEAST_RESIDUALS
from .series_baseline import SeasonalSeriesBaseline, gaussian

_Z80 = NormalDist().inv_cdf(0.9)  # (the 80% interval's upper end, in standard deviations)


class ARIMA(SeasonalSeriesBaseline):
    """statsforecast's ``AutoARIMA`` per series (season ``period=`` or the panel's)."""

    name = "arima"
    requires = ("statsforecast",)  # the `arima` extra (rnnlab.extras)

    @staticmethod
    def _model(m: int):
        from statsforecast.models import AutoARIMA

        return AutoARIMA(season_length=m)

    def _fit_series(self, y: np.ndarray, m: int):
        """``(y, fitted AutoARIMA)``: the values fitted on, to tell a later history apart."""
        y = _checked(y)
        with warnings.catch_warnings():  # (numpy's divide by zero on a very short series)
            warnings.simplefilter("ignore", RuntimeWarning)
            return y, self._model(m).fit(y)

    def _forecast(self, y: np.ndarray, horizon: int, m: int, fitted) -> tuple:
        y = _checked(y)
        want = [80] if self.quantiles else None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            if fitted is None:  # (a series first seen in history=)
                out = self._model(m).forecast(y=y, h=horizon, level=want)
            elif len(fitted[0]) == len(y) and np.array_equal(fitted[0], y):
                out = fitted[1].predict(h=horizon, level=want)
            else:
                out = _forward(fitted, y, horizon, want)
        mean = np.asarray(out["mean"], np.float64)
        if not self.quantiles:
            return mean, None
        if len(y) < LEAST_RESIDUALS:  # (one value: an interval of width 0, as the others')
            return mean, self._no_quantiles(horizon)
        sd = (np.asarray(out["hi-80"], np.float64) - mean) / _Z80
        return mean, gaussian(mean, sd, self.quantiles)


def _forward(fitted, y: np.ndarray, horizon: int, want):
    """The fitted model's filter run over the history ``y`` (statsforecast's ``forward``);
    a history too short for its orders refused as a DataError (statsforecast's ValueError
    "Not enough data to fit the model" escaped predict as it was)."""
    try:
        return fitted[1].forward(y=y, h=horizon, level=want)
    except ValueError as e:
        p, q, sp, sq, m, d, sd = fitted[1].model_["arma"]
        raise DataError(f"ARIMA.predict: a history of {len(y)} values is too short for the "
                        f"ARIMA({p},{d},{q})({sp},{sd},{sq})[{m}] fitted on {len(fitted[0])} "
                        f"values (statsforecast: {e}); give each series' history from its "
                        f"start, or fit ARIMA on this history") from None


def _checked(y: np.ndarray) -> np.ndarray:
    """``y`` as float64, refused when it holds NaN (statsforecast's ARIMA reads every step)."""
    y = np.asarray(y, np.float64)
    bad = int(np.isnan(y).sum())
    if bad:
        raise DataError(f"ARIMA: a series of {len(y)} values has {bad} NaN values; ARIMA "
                        f"reads every step: fill them first (read_panel(..., fill='interpolate'), "
                        f"--fill interpolate), or drop the series")
    return y


__all__ = ["ARIMA"]
