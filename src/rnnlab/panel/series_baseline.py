"""A local baseline fitted series by series: the panel protocol's ``fit`` and ``predict``
(:mod:`.baselines`) around one method, :meth:`SeriesBaseline._forecast`, that forecasts one
series from its values. Shared by the fpp3 benchmarks :class:`~.mean_baseline.Mean`,
:class:`~.tslm.TSLM` and :class:`~.arima.ARIMA`."""

from __future__ import annotations

from statistics import NormalDist
from typing import TYPE_CHECKING, Any, Iterable, Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd

from ..io.errors import ConfigError
from .baseline_frames import (DEFAULT_QUANTILES, LEAST_RESIDUALS, ForecastRows, series_of,
                              warn_no_intervals)
from .baseline_reading import baseline_panel, forecast_panel
from .call_args import check_quantiles, horizon_steps
from .panel_week import reach_freq
from .peer_arguments import refuse_baseline_settings, refuse_peer_call
from .peer_methods import PeerNamedBaseline

if TYPE_CHECKING:  # (the tables fit and predict take; frame imports no baseline)
    from .frame import PanelData


def gaussian(mean: np.ndarray, se: np.ndarray, levels: Iterable[float]) -> np.ndarray:
    """Quantiles of ``N(mean, se^2)`` at each step: ``mean`` and ``se`` of one shape,
    (horizon,) or (series, horizon), the levels a last axis after it."""
    z = np.array([NormalDist().inv_cdf(t) for t in levels])
    return np.asarray(mean)[..., None] + np.asarray(se)[..., None] * z


class SeriesBaseline(PeerNamedBaseline):
    """Fit stores the panel (and, where a subclass keeps them, each series' fitted models:
    :meth:`_fit_series`); predict forecasts each series with :meth:`_forecast`."""

    name = "series"
    settings: Tuple[str, ...] = ("quantiles",)  # the keyword arguments __init__ takes

    def __init__(self, quantiles: Union[float, Sequence[float], None] = DEFAULT_QUANTILES,
                 **peer: Any):
        refuse_baseline_settings(type(self).__name__, peer, self.settings)
        self.quantiles = check_quantiles(quantiles)
        self._panel = None
        self._fits: dict = {}  # id -> what _fit_series kept (None: nothing)

    def fit(self, panel: Optional[PanelData] = None, static: Optional[pd.DataFrame] = None,
            *, encoding: Optional[str] = None, off_grid: str = "refuse",
            **peer: Any) -> "SeriesBaseline":
        refuse_peer_call("fit", peer, type(self).__name__, panel)
        self._check_installed()
        self._panel = baseline_panel(f"{type(self).__name__}.fit", panel, encoding, off_grid)
        self.off_grid = off_grid  # (predict(history=...)'s default: fit's policy)
        m = self._m(self._panel)
        self._fits = {uid: self._fit_series(y, m) for uid, (_, y) in
                      series_of(self._panel).items()}
        return self

    def _check_installed(self) -> None:
        """Refuse, naming the extra, when a package the baseline needs is missing."""
        from ..extras import require

        for module in getattr(self, "requires", ()):
            require(module, f"the {self.name} baseline",
                    instead=f"leave {self.name!r} out of the baselines")

    def _m(self, panel) -> int:
        """The season length: ``period=`` where the baseline takes one, else the panel's."""
        m = getattr(self, "period", None) or getattr(panel, "period", None)
        return int(m) if m and m > 1 else 1

    def _fit_series(self, y: np.ndarray, m: int):
        """What predict(history=...) keeps of a fit on ``y`` (default: nothing; the
        forecast is computed from the values it is given)."""
        return None

    def _forecast(self, y: np.ndarray, horizon: int, m: int, fitted) -> tuple:
        """``(mean (horizon,), quantiles (horizon, levels) or None)`` after ``y``
        (``fitted``: what :meth:`_fit_series` kept of this series, None if not fitted)."""
        raise NotImplementedError

    def predict(self, horizon: Optional[int] = None, future: Optional[pd.DataFrame] = None,
                history: Optional[PanelData] = None, *, encoding: Optional[str] = None,
                off_grid: Optional[str] = None, **peer: Any) -> pd.DataFrame:
        """``horizon`` steps after each series' end (of the panel fitted on, or of
        ``history``, read with ``encoding`` and ``off_grid`` as ``fit`` reads)."""
        refuse_peer_call("predict", peer, type(self).__name__, horizon)
        panel = forecast_panel(self, history, encoding, off_grid)
        horizon = horizon_steps(horizon)
        m = self._m(panel)
        rows = ForecastRows(horizon, reach_freq(panel, horizon), self.quantiles)
        blank = []
        for uid, (ds, y) in series_of(panel).items():
            mean, quant = self._forecast(y, horizon, m, self._fits.get(uid))
            if quant is not None and np.isnan(quant).all():
                blank.append(uid)
            rows.add(uid, ds[-1], mean, quant, history=y)  # (counts: floored at 0)
        warn_no_intervals(self.name, blank)
        return rows.frame(panel)

    def _no_quantiles(self, horizon: int) -> np.ndarray:
        """NaN quantiles: fewer than LEAST_RESIDUALS residuals to read a spread from."""
        return np.full((horizon, len(self.quantiles)), np.nan)


class SeasonalSeriesBaseline(SeriesBaseline):
    """A :class:`SeriesBaseline` that reads a season: ``period=`` (None: the panel's)."""

    settings = ("quantiles", "period")

    def __init__(self, quantiles: Union[float, Sequence[float], None] = DEFAULT_QUANTILES,
                 period: Optional[int] = None, **peer: Any):
        super().__init__(quantiles=quantiles, **peer)
        if period is not None and (isinstance(period, bool) or not isinstance(period, int)
                                   or period < 1):
            raise ConfigError(f"{type(self).__name__} period must be a whole number >= 1 (the "
                              f"season's length in steps) or None (the panel's); got "
                              f"{period!r}")
        self.period = period


__all__ = ["LEAST_RESIDUALS", "SeasonalSeriesBaseline", "SeriesBaseline", "gaussian"]
