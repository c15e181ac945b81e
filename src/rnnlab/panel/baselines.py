"""Classical anchors for panels, one local model per series, with prediction intervals.

Every baseline implements the panel protocol (``fit(panel, static=None)``,
``predict(horizon, future=None, history=None)``; see ``panel/backtest.py``) on anything
shaped like a ``PanelFrame`` (``.df`` long frame ``unique_id, ds, y, ...``, ``.freq``,
``.period``, ``.ids``).

* :class:`SeasonalNaive` (period ``m``): ``yhat_{n+h} = y_{n+h-L_h}``, ``L_h = m * ceil(h / m)``.
  Its h-step errors are the lag-``L_h`` differences ``y_t - y_{t-L_h}`` of the series, so the
  quantiles are ``yhat + quantile_tau(y_t - y_{t-L_h})`` (empirical h-step residuals); where
  fewer than ``min_residuals`` such differences exist, the lag-``m`` ones scaled by
  ``sqrt(ceil(h / m))`` (their spread under a seasonal random walk) are used instead.
  Fewer than :data:`~.baseline_frames.LEAST_RESIDUALS` lag-``m`` differences: no
  quantiles (NaN, with a warning; one gave an interval of width 0).
* :class:`Naive`: the seasonal naive with ``m = 1`` (``yhat_{n+h} = y_n``).
* :class:`RWDrift` (``rw_drift``; fpp3's ``RW(y ~ drift())``):
  ``yhat_{n+h} = y_n + h b``, ``b = (y_n - y_1) / (n - 1)``; quantiles fpp3's, Gaussian
  about it with variance ``sigma^2 h (1 + h / (n - 1))`` (``sigma``: the one-step changes'
  spread about ``b``), wider than the naive's by the error in ``b``.
* :class:`Croston`, :class:`SBA`, :class:`TSB` (:mod:`.croston`): intermittent demand.
* :class:`ETS` (:mod:`.ets`): statsmodels' ``ETSModel`` per series, additive errors,
  additive season when the series holds two seasons, no trend or a damped additive one
  by AICc; Gaussian quantiles from the model's own forecast variance.
* :class:`Mean` (:mod:`.mean_baseline`; fpp3's ``MEAN()``), :class:`TSLM` (:mod:`.tslm`;
  ``TSLM(y ~ trend() + season())``), :class:`ARIMA` (:mod:`.arima`; statsforecast's
  ``AutoARIMA``, the ``arima`` extra): the rest of fpp3's benchmark set.

``history=``: predict from a longer history than the one fitted on (the backtest's
``refit="never"``): the naive ones simply read it; ETS keeps its fitted parameters and
initial states and re-runs its filter over the history (nothing is re-estimated).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Optional, Sequence, Union

import numpy as np
import pandas as pd

from ..io.errors import ConfigError, DataError
from .baseline_frames import (DEFAULT_QUANTILES, LEAST_RESIDUALS, ForecastRows,
                              concat_forecasts, forecast_frame, future_dates, series_of,
                              warn_no_intervals)
from .baseline_reading import baseline_panel, forecast_panel
from .panel_week import reach_freq
from .int_steps import STEPS


if TYPE_CHECKING:  # (the tables fit and predict take; frame imports no baseline)
    from .frame import PanelData
from .call_args import check_quantiles, horizon_steps  # (check_quantiles was defined here)
from .croston import SBA, TSB, Croston
from .ets import ETS
from .arima import ARIMA
from .mean_baseline import Mean
from .series_baseline import gaussian
from .tslm import TSLM
from .peer_methods import PeerNamedBaseline
from .peer_arguments import refuse_baseline_settings, refuse_peer_call

# (importable from here, their old home)
_OLD_HOME = (concat_forecasts, forecast_frame, future_dates, series_of)


class SeasonalNaive(PeerNamedBaseline):
    """The last value of the same season; intervals from empirical h-step residuals."""

    name = "seasonal_naive"

    def __init__(self, period: Optional[int] = None,
                 quantiles: Union[float, Sequence[float], None] = DEFAULT_QUANTILES,
                 min_residuals: int = 10, **peer: Any):
        refuse_baseline_settings(type(self).__name__, peer, ("period", "quantiles",
                                                              "min_residuals"))
        self.period = period  # None: the panel's
        self.quantiles = check_quantiles(quantiles)
        self.min_residuals = min_residuals
        self._panel = None

    def fit(self, panel: Optional[PanelData] = None, static: Optional[pd.DataFrame] = None,
            *, encoding: Optional[str] = None, off_grid: str = "refuse",
            **peer: Any) -> "SeasonalNaive":
        refuse_peer_call("fit", peer, type(self).__name__, panel)  # (df=; static_df=: static=)
        self._panel = baseline_panel(f"{type(self).__name__}.fit", panel, encoding, off_grid)
        self.off_grid = off_grid  # (predict(history=...)'s default: fit's policy)
        return self

    def _m(self, panel) -> int:
        m = self.period if self.period is not None else getattr(panel, "period", None)
        if m is None and getattr(panel, "ds_period", None) == STEPS:  # no calendar: no guess
            raise DataError(f"{type(self).__name__}: the panel's ds are integer time steps, "
                            f"which have no season; pass period=N (the season length in "
                            f"steps; --period N), or use Naive")
        return int(m) if m and m > 1 else 1

    def predict(self, horizon: Optional[int] = None, future: Optional[pd.DataFrame] = None,
                history: Optional[PanelData] = None, *, encoding: Optional[str] = None,
                off_grid: Optional[str] = None, **peer: Any) -> pd.DataFrame:
        """``horizon`` steps after each series' end (of the panel fitted on, or of
        ``history``, read with ``encoding`` and ``off_grid`` as ``fit`` reads)."""
        refuse_peer_call("predict", peer, type(self).__name__, horizon)  # (h=; futr_df=)
        panel = forecast_panel(self, history, encoding, off_grid)
        horizon = horizon_steps(horizon)  # (2.0 was an IndexError, 0 an empty frame)
        m = self._m(panel)
        series = series_of(panel)
        alike: dict = {}  # series of one length (and season) forecast together
        for uid, (_, y) in series.items():
            alike.setdefault((len(y), m if len(y) > m else 1), []).append(uid)
        out = {}
        for (_, mm), uids in alike.items():
            means, quants = self._many(np.stack([series[u][1] for u in uids]), horizon, mm)
            for k, uid in enumerate(uids):
                out[uid] = (means[k], None if quants is None else quants[k])
        rows = ForecastRows(horizon, reach_freq(panel, horizon), self.quantiles)
        for uid, (ds, y) in series.items():  # (counts: floored at 0)
            rows.add(uid, ds[-1], *out[uid], history=y)
        warn_no_intervals(self.name, [u for u, (_, q) in out.items()
                                      if q is not None and np.isnan(q).all()])
        return rows.frame(panel)

    def _one(self, y: np.ndarray, horizon: int, m: int):
        """(mean (horizon,), quantiles (horizon, levels) or None) of one series."""
        mean, quant = self._many(np.asarray(y)[None], horizon, m)
        return mean[0], None if quant is None else quant[0]

    def _many(self, y: np.ndarray, horizon: int, m: int):
        """:meth:`_one` of the rows of ``y`` (series of one length n): (k, horizon) and
        (k, horizon, levels); each lag's quantiles for all rows in one call (the same
        values as row by row: a quantile per row of the same order statistics)."""
        n = y.shape[1]
        steps = np.arange(1, horizon + 1)
        lags = m * np.ceil(steps / m).astype(int)  # L_h
        mean = y[:, n - 1 + steps - lags].astype(np.float64)  # y_{n+h-L_h}
        levels = np.asarray(self.quantiles)
        if not len(levels):
            return mean, None
        quant = np.empty((len(y), horizon, len(levels)))
        if n - m < LEAST_RESIDUALS:  # (every lag's residuals are fewer still)
            return mean, np.full_like(quant, np.nan)
        base = y[:, m:] - y[:, :-m]
        of_lag = {}  # the residuals' quantiles of each lag (steps 1..m share lag m)
        for i, lag in enumerate(lags):
            if lag not in of_lag:
                if n - lag >= self.min_residuals:
                    r = y[:, lag:] - y[:, :-lag]
                else:  # too few h-step residuals: one-season ones, spread as a random walk's
                    r = base * math.sqrt(lag // m)
                of_lag[lag] = np.quantile(r, levels, axis=1).T  # (k, levels)
            quant[:, i] = mean[:, i, None] + of_lag[lag]
        return mean, quant


class Naive(SeasonalNaive):
    """The last value; intervals from empirical h-step residuals ``y_t - y_{t-h}``."""

    name = "naive"

    def __init__(self, quantiles: Union[float, Sequence[float], None] = DEFAULT_QUANTILES,
                 min_residuals: int = 10, **peer: Any):
        refuse_baseline_settings("Naive", peer, ("quantiles", "min_residuals"))
        super().__init__(period=1, quantiles=quantiles, min_residuals=min_residuals)


class RWDrift(Naive):
    """The last value plus the series' average change per step (a random walk with drift);
    fpp3's intervals: Gaussian, ``sigma^2 h (1 + h / (n - 1))``, the walk's own spread
    and that of the drift estimated from n - 1 changes (the naive's empirical h-step
    differences leave the second out: too narrow on short series, far ahead)."""

    name = "rw_drift"

    def __init__(self, quantiles: Union[float, Sequence[float], None] = DEFAULT_QUANTILES,
                 **peer: Any):
        refuse_baseline_settings("RWDrift", peer, ("quantiles",))
        super().__init__(quantiles=quantiles)

    def _many(self, y: np.ndarray, horizon: int, m: int):
        """(k, horizon) forecasts and (k, horizon, levels) quantiles of the rows of ``y``
        (series of one length n; ``m``, the season, is not read), as fable's
        ``RW(y ~ drift())`` gives them: ``sigma`` the one-step changes' standard deviation
        about the drift ``b`` (n - 2 degrees of freedom, ``lm(diff(y) ~ 1)``'s)."""
        y = np.asarray(y, dtype=np.float64)
        n = y.shape[1]
        b = (y[:, -1] - y[:, 0]) / max(n - 1, 1)  # (a series of one value: no drift)
        steps = np.arange(1, horizon + 1)
        mean = y[:, -1, None] + b[:, None] * steps
        levels = np.asarray(self.quantiles)
        if not len(levels):
            return mean, None
        if n - 1 < LEAST_RESIDUALS:
            return mean, np.full((len(y), horizon, len(levels)), np.nan)
        one = y[:, 1:] - y[:, :-1] - b[:, None]
        sigma = np.sqrt((one ** 2).sum(axis=1) / (n - 2))
        se = sigma[:, None] * np.sqrt(steps * (1 + steps / (n - 1)))  # (k, horizon)
        return mean, gaussian(mean, se, levels)


BASELINES = {"naive": Naive, "seasonal_naive": SeasonalNaive, "ets": ETS, "croston": Croston,
             "sba": SBA, "tsb": TSB, "rw_drift": RWDrift, "mean": Mean, "tslm": TSLM,
             "arima": ARIMA}


def make_baseline(name: str, quantiles: Optional[Sequence[float]] = DEFAULT_QUANTILES):
    """A baseline by name (``naive``, ``seasonal_naive``, ``ets``, ``croston``, ``sba``,
    ``tsb``, ``rw_drift``, ``mean``, ``tslm``, ``arima``); ``quantiles`` None or (): point
    forecasts only."""
    check_baseline_names([name])
    return BASELINES[name](quantiles=quantiles)


def check_baseline_names(baselines: Sequence) -> None:
    """Refuse a baseline given by a name that is none of :data:`BASELINES` (another
    library's, such as fable's ``'drift'``, named with what is here), so that a backtest
    says so before its network trains at every origin, not after."""
    from .baseline_names import peer_hint

    for name in baselines:
        if isinstance(name, str) and name not in BASELINES:
            raise ConfigError(f"unknown baseline {name!r}; choose from "
                              f"{', '.join(BASELINES)}{peer_hint(name)}")


def unavailable_baselines(baselines: Sequence) -> dict:
    """``{name: why}`` for the baselines (names, classes or instances) whose optional
    packages (their ``requires``) are not installed, e.g. ETS without statsmodels."""
    from ..extras import is_installed, missing_reason

    out = {}
    for spec in baselines:
        cls = BASELINES.get(spec) if isinstance(spec, str) else (
            spec if isinstance(spec, type) else type(spec))
        name = str(getattr(cls, "name", None) or spec)
        for module in getattr(cls, "requires", ()):
            if not is_installed(module):
                out[name] = missing_reason(module, f"the {name} baseline")
                break
    return out


def check_baselines_installed(baselines: Sequence, instead: Optional[str] = None) -> None:
    """Refuse, before anything is fitted, a baseline whose optional package is missing:
    a :class:`~rnnlab.extras.MissingExtraError` naming the extra to install (and
    ``instead``, what else to do; default: leave it out of the baselines)."""
    from ..extras import MissingExtraError

    missing = unavailable_baselines(baselines)
    if missing:
        instead = instead or f"leave {', '.join(map(repr, missing))} out of the baselines"
        raise MissingExtraError("; ".join(missing.values()) + f"; or {instead}")
