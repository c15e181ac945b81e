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
* :class:`Naive`: the seasonal naive with ``m = 1`` (``yhat_{n+h} = y_n``).
* :class:`ETS`: statsmodels' ``ETSModel`` per series, additive errors, additive season when
  the series holds two seasons, and either no trend or a damped additive trend, whichever
  has the lower AICc; initial states by statsmodels' heuristic (estimated for short series). Quantiles are Gaussian, from the model's own forecast variance.

``history=``: predict from a longer history than the one fitted on (the backtest's
``refit="never"``): the naive ones simply read it; ETS keeps its fitted parameters and
initial states and re-runs its filter over the history (nothing is re-estimated).
"""

from __future__ import annotations

import math
import warnings
from typing import Dict, Optional, Sequence, Tuple

import numpy as np
import pandas as pd

from ..io.errors import DataError
from .frame import readable_panel
from .date_kind import given_kinds
from .int_steps import STEPS
from .call_args import check_quantiles, horizon_steps  # (check_quantiles was defined here)
from .metrics import quantile_column
from .peer_arguments import refuse_peer_arguments

DEFAULT_QUANTILES = (0.1, 0.5, 0.9)


def series_of(panel) -> Dict[str, Tuple[np.ndarray, np.ndarray]]:
    """``{id: (ds, y)}`` in the panel's order (``ds`` as datetime64, ``y`` as float64)."""
    df = panel.df
    out = {}
    for uid, g in df.groupby("unique_id", sort=False):
        out[uid] = (g["ds"].to_numpy(), g["y"].to_numpy(np.float64))
    ids = [i for i in getattr(panel, "ids", ()) if i in out] or list(out)
    return {i: out[i] for i in ids}


def future_dates(last, horizon: int, freq: str) -> pd.DatetimeIndex:
    """The ``horizon`` dates after ``last`` on the grid of ``freq``."""
    return pd.date_range(pd.Timestamp(last), periods=horizon + 1, freq=freq)[1:]


def forecast_frame(uid, dates, mean, quant: Optional[np.ndarray], levels) -> pd.DataFrame:
    """One series' forecast in the protocol's long form (``quant``: (horizon, K))."""
    h = len(mean)
    cols = {"unique_id": [uid] * h, "ds": dates, "step": np.arange(1, h + 1),
            "mean": np.asarray(mean, np.float64)}
    for k, t in enumerate(levels):
        cols[quantile_column(t)] = quant[:, k]
    return pd.DataFrame(cols)


def _concat(frames, levels, panel) -> pd.DataFrame:
    """The series' forecasts in one frame, ids and dates of the panel's kinds (:mod:`.ids`,
    :mod:`.date_kind`)."""
    if not frames:
        return pd.DataFrame(columns=["unique_id", "ds", "step", "mean"]
                            + [quantile_column(t) for t in levels])
    return given_kinds(pd.concat(frames, ignore_index=True), panel)


class SeasonalNaive:
    """The last value of the same season; intervals from empirical h-step residuals."""

    name = "seasonal_naive"

    def __init__(self, period: Optional[int] = None, quantiles=DEFAULT_QUANTILES,
                 min_residuals: int = 10):
        self.period = period  # None: the panel's
        self.quantiles = check_quantiles(quantiles)
        self.min_residuals = min_residuals
        self._panel = None

    def fit(self, panel, static: Optional[pd.DataFrame] = None, **peer) -> "SeasonalNaive":
        refuse_peer_arguments("fit", peer, type(self).__name__)  # (static_df=: static=)
        self._panel = readable_panel(panel)
        return self

    def _m(self, panel) -> int:
        m = self.period if self.period is not None else getattr(panel, "period", None)
        if m is None and getattr(panel, "ds_period", None) == STEPS:  # no calendar: no guess
            raise DataError(f"{type(self).__name__}: the panel's ds are integer time steps, "
                            f"which have no season; pass period=N (the season length in "
                            f"steps; --period N), or use Naive")
        return int(m) if m and m > 1 else 1

    def predict(self, horizon: int, future: Optional[pd.DataFrame] = None,
                history=None, **peer) -> pd.DataFrame:
        refuse_peer_arguments("predict", peer, type(self).__name__)  # (futr_df=: future=)
        panel = readable_panel(history) if history is not None else self._panel
        if panel is None:
            raise RuntimeError(f"{type(self).__name__}.predict() before fit(); call fit(panel)")
        horizon = horizon_steps(horizon)  # (2.0 was an IndexError, 0 an empty frame)
        m = self._m(panel)
        frames = []
        for uid, (ds, y) in series_of(panel).items():
            mean, quant = self._one(y, horizon, m if len(y) > m else 1)
            frames.append(forecast_frame(uid, future_dates(ds[-1], horizon, panel.freq),
                                         mean, quant, self.quantiles))
        return _concat(frames, self.quantiles, panel)

    def _one(self, y: np.ndarray, horizon: int, m: int):
        n = len(y)
        steps = np.arange(1, horizon + 1)
        lags = m * np.ceil(steps / m).astype(int)  # L_h
        mean = y[n - 1 + steps - lags].astype(np.float64)  # y_{n+h-L_h}
        levels = np.asarray(self.quantiles)
        if not len(levels):
            return mean, None
        quant = np.empty((horizon, len(levels)))
        base = y[m:] - y[:-m] if n > m else np.zeros(1)
        for i, (h, lag) in enumerate(zip(steps, lags)):
            if n - lag >= self.min_residuals:
                r = y[lag:] - y[:-lag]
            else:  # too few h-step residuals: one-season ones, spread as a random walk's
                r = base * math.sqrt(lag // m)
            quant[i] = mean[i] + np.quantile(r, levels)
        return mean, quant


class Naive(SeasonalNaive):
    """The last value; intervals from empirical h-step residuals ``y_t - y_{t-h}``."""

    name = "naive"

    def __init__(self, quantiles=DEFAULT_QUANTILES, min_residuals: int = 10):
        super().__init__(period=1, quantiles=quantiles, min_residuals=min_residuals)


class ETS:
    """Per-series ETS (statsmodels ``ETSModel``): additive error, additive season when
    the series holds ``2 * period + 2`` values, trend ``None`` or damped additive by AICc
    (``trend="auto"``; or fix ``trend=None`` / ``"damped"``). Gaussian quantiles from the
    model's forecast variance."""

    name = "ets"
    requires = ("statsmodels", "scipy")  # the `panel` extra (rnnlab.extras)

    def __init__(self, quantiles=DEFAULT_QUANTILES, trend: str = "auto",
                 period: Optional[int] = None, initialization: str = "heuristic"):
        if initialization not in ("heuristic", "estimated"):
            raise ValueError(f"ETS initialization must be 'heuristic' or 'estimated'; got "
                             f"{initialization!r}")
        self.initialization = initialization
        if trend not in ("auto", "damped", None):
            raise ValueError(f"ETS trend must be 'auto', 'damped' or None; got {trend!r}")
        self.quantiles = check_quantiles(quantiles)
        self.trend = trend
        self.period = period
        self._fits: Dict[str, tuple] = {}  # id -> (spec, params)
        self._panel = None

    @staticmethod
    def _model(y: np.ndarray, spec: dict):
        from statsmodels.tsa.exponential_smoothing.ets import ETSModel

        return ETSModel(pd.Series(y), error="add", **spec)  # (a RangeIndex: statsmodels
        # needs a pandas index to label its predictions)

    def _fit_one(self, y: np.ndarray, spec: dict):
        """Heuristic initial states (from the first seasons; 8x faster than estimating
        them, and as good by AICc on us_employment), estimated where the series is too
        short for the heuristic; ``spec`` records which, for ``smooth`` later."""
        if self.initialization == "heuristic":
            try:
                s = dict(spec, initialization_method="heuristic")
                return s, self._model(y, s).fit(disp=False)
            except ValueError:
                pass
        return spec, self._model(y, spec).fit(disp=False)

    def _specs(self, n: int, m: int):
        season = ({"seasonal": "add", "seasonal_periods": m} if m > 1 and n >= 2 * m + 2
                  else {})
        none = dict(trend=None, **season)
        damped = dict(trend="add", damped_trend=True, **season)
        return {"auto": [none, damped], "damped": [damped], None: [none]}[self.trend]

    def fit(self, panel, static: Optional[pd.DataFrame] = None, **peer) -> "ETS":
        from ..extras import require

        refuse_peer_arguments("fit", peer, "ETS")
        for module in self.requires:  # a MissingExtraError naming the `panel` extra
            require(module, "the ETS baseline", instead="leave 'ets' out of the baselines")
        panel = readable_panel(panel)
        self._panel = panel
        self._fits = {uid: self._fit_series(uid, y, panel)
                      for uid, (_, y) in series_of(panel).items()}
        return self

    def _fit_series(self, uid, y: np.ndarray, panel) -> tuple:
        """``(spec, params)`` of the specification with the lowest AICc on ``y``."""
        m = self.period if self.period is not None else (getattr(panel, "period", None) or 1)
        best = None
        with warnings.catch_warnings(record=True):  # the optimiser's convergence chatter
            warnings.simplefilter("ignore")  # (record=True: statsmodels resets filters)
            for spec in self._specs(len(y), int(m)):
                try:
                    spec, res = self._fit_one(y, spec)
                except Exception:  # noqa: BLE001 - a spec that cannot fit is skipped
                    continue
                if best is None or res.aicc < best[2]:
                    best = (spec, np.asarray(res.params), res.aicc)
        if best is None:
            raise ValueError(f"ETS: no model could be fitted to series {uid!r} "
                             f"({len(y)} values); drop it or use another baseline")
        return best[:2]

    def predict(self, horizon: int, future: Optional[pd.DataFrame] = None,
                history=None, **peer) -> pd.DataFrame:
        from scipy.stats import norm

        refuse_peer_arguments("predict", peer, "ETS")
        panel = readable_panel(history) if history is not None else self._panel
        if panel is None:
            raise RuntimeError("ETS.predict() before fit(); call fit(panel)")
        horizon = horizon_steps(horizon)
        z = norm.ppf(self.quantiles) if self.quantiles else None
        frames = []
        with warnings.catch_warnings(record=True):
            warnings.simplefilter("ignore")
            for uid, (ds, y) in series_of(panel).items():
                # a series not fitted on (too short then): fitted on the history given, which
                # holds nothing after its origin (and not kept: the model is not changed)
                spec, params = self._fits.get(uid) or self._fit_series(uid, y, panel)
                res = self._model(y, spec).smooth(params)
                pred = res.get_prediction(start=len(y), end=len(y) + horizon - 1)
                mean = np.asarray(pred.predicted_mean, np.float64)
                quant = None
                if z is not None:
                    sd = np.sqrt(np.maximum(np.asarray(pred.forecast_variance, np.float64), 0))
                    quant = mean[:, None] + sd[:, None] * z[None, :]
                frames.append(forecast_frame(uid, future_dates(ds[-1], horizon, panel.freq),
                                             mean, quant, self.quantiles))
        return _concat(frames, self.quantiles, panel)


BASELINES = {"naive": Naive, "seasonal_naive": SeasonalNaive, "ets": ETS}


def make_baseline(name: str, quantiles: Sequence[float] = DEFAULT_QUANTILES):
    """A baseline by name (``naive``, ``seasonal_naive``, ``ets``)."""
    if name not in BASELINES:
        raise ValueError(f"unknown baseline {name!r}; choose from {', '.join(BASELINES)}")
    return BASELINES[name](quantiles=quantiles)


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
