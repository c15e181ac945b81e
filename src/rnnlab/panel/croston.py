"""Croston's method and its variants: the classical baselines for intermittent demand
(spare parts, slow movers: most periods 0, whole-number demand now and then).

Each series' demand sizes and the intervals between them are smoothed apart (smoothing
constant ``alpha``, 0.1 by default, as in Syntetos and Boylan's studies), and the forecast
is flat over the horizon:

* :class:`Croston` (Croston 1972): ``z / p``, the smoothed size over the smoothed interval,
  both updated only in periods with demand.
* :class:`SBA` (Syntetos-Boylan approximation, 2005): ``(1 - alpha / 2) z / p``, Croston's
  forecast with its upward bias removed.
* :class:`TSB` (Teunter, Syntetos and Babai 2011): ``d z``, the smoothed size times the
  probability of demand ``d``, updated every period (``beta``, 0.1), so a product that
  stopped selling is forecast towards 0 (Croston's stays where the last demand left it).

Initial states: the first demand's size, its position + 1 as the interval (``1 / that``
as the probability). Quantiles: the forecast plus the empirical quantiles of the in-sample
one-step errors ``y_t - f_t`` (from the period after the first demand), the same at every
step; floored at 0 with the forecast after a history that reaches 0 and never goes below
(:class:`~rnnlab.panel.baseline_frames.ForecastRows`). A history without demand is
forecast 0. NaN values are left out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional, Sequence, Union

import numpy as np
import pandas as pd

from ..io.errors import ConfigError
from .baseline_frames import (DEFAULT_QUANTILES, LEAST_RESIDUALS, ForecastRows, series_of,
                              warn_no_intervals)
from .call_args import check_quantiles, horizon_steps
from .baseline_reading import baseline_panel, forecast_panel
from .panel_week import reach_freq
from .peer_methods import PeerNamedBaseline
from .peer_arguments import refuse_baseline_settings, refuse_peer_call


if TYPE_CHECKING:  # (the tables fit and predict take; frame imports no baseline)
    from .frame import PanelData


def croston_fit(y, variant: str = "croston", alpha: float = 0.1,
                beta: float = 0.1) -> tuple:
    """``(fitted, forecast)``: the one-step forecasts of ``y`` made before each value (NaN
    up to its first demand) and the forecast after its last value."""
    y = np.asarray(y, dtype=np.float64)
    y = y[~np.isnan(y)]
    fitted = np.full(len(y), np.nan)
    demand = np.flatnonzero(y != 0)
    if not len(demand):
        return fitted, 0.0
    first = int(demand[0])
    z, p, q = y[first], float(first + 1), 1.0  # size, interval, periods since the last demand
    d = 1.0 / p  # (TSB) probability of demand
    for t in range(first + 1, len(y)):
        fitted[t] = _forecast(variant, z, p, d, alpha)
        if variant == "tsb":
            d += beta * (float(y[t] != 0) - d)
        if y[t] != 0:
            z += alpha * (y[t] - z)
            if variant != "tsb":
                p += alpha * (q - p)
            q = 1.0
        else:
            q += 1.0
    return fitted, _forecast(variant, z, p, d, alpha)


def _forecast(variant: str, z: float, p: float, d: float, alpha: float) -> float:
    if variant == "tsb":
        return d * z
    return (1.0 - alpha / 2 if variant == "sba" else 1.0) * z / p


class Croston(PeerNamedBaseline):
    """Croston's method (see the module); ``SBA`` and ``TSB`` are its variants."""

    name = "croston"

    def __init__(self, quantiles: Union[float, Sequence[float], None] = DEFAULT_QUANTILES,
                 alpha: float = 0.1, beta: float = 0.1, **peer: Any):
        refuse_baseline_settings(type(self).__name__, peer, ("quantiles", "alpha", "beta"))
        if not (0 < alpha <= 1 and 0 < beta <= 1):
            raise ConfigError(f"{type(self).__name__}: alpha and beta are smoothing constants "
                             f"in (0, 1], got alpha={alpha!r}, beta={beta!r}")
        self.quantiles = check_quantiles(quantiles)
        self.alpha, self.beta = float(alpha), float(beta)
        self._panel = None

    def fit(self, panel: Optional[PanelData] = None, static: Optional[pd.DataFrame] = None,
            *, encoding: Optional[str] = None, off_grid: str = "refuse",
            **peer: Any) -> "Croston":
        refuse_peer_call("fit", peer, type(self).__name__, panel)
        self._panel = baseline_panel(f"{type(self).__name__}.fit", panel, encoding, off_grid)
        self.off_grid = off_grid  # (predict(history=...)'s default: fit's policy)
        return self

    def predict(self, horizon: Optional[int] = None, future: Optional[pd.DataFrame] = None,
                history: Optional[PanelData] = None, *, encoding: Optional[str] = None,
                off_grid: Optional[str] = None, **peer: Any) -> pd.DataFrame:
        """As :meth:`SeasonalNaive.predict <rnnlab.panel.baselines.SeasonalNaive.predict>`."""
        refuse_peer_call("predict", peer, type(self).__name__, horizon)
        panel = forecast_panel(self, history, encoding, off_grid)
        horizon = horizon_steps(horizon)
        levels = np.asarray(self.quantiles, dtype=np.float64)
        rows = ForecastRows(horizon, reach_freq(panel, horizon), self.quantiles)
        few = []  # the series without intervals (too few errors to read them from)
        for uid, (ds, y) in series_of(panel).items():
            fitted, f = croston_fit(y, self.name, self.alpha, self.beta)
            mean = np.full(horizon, f)
            quant = None
            if len(levels):
                known = ~np.isnan(y)
                err = (y[known] - fitted)[~np.isnan(fitted)]
                if len(err) < LEAST_RESIDUALS:  # (none: width 0 was given)
                    few.append(uid)
                spread = (np.quantile(err, levels) if len(err) >= LEAST_RESIDUALS
                          else np.full(len(levels), np.nan))
                quant = np.broadcast_to(f + spread, (horizon, len(levels))).copy()
            rows.add(uid, ds[-1], mean, quant, history=y)
        warn_no_intervals(self.name, few)
        return rows.frame(panel)


class SBA(Croston):
    """The Syntetos-Boylan approximation: Croston's forecast times ``1 - alpha / 2``."""

    name = "sba"


class TSB(Croston):
    """Teunter-Syntetos-Babai: smoothed size times a probability of demand updated every
    period (``beta``), so an obsolete item's forecast decays to 0."""

    name = "tsb"
