"""ETS for panels: statsmodels' ``ETSModel`` per series, additive errors, additive season
when the series holds two seasons, and either no trend or a damped additive trend,
whichever has the lower AICc; initial states by statsmodels' heuristic (estimated for
short series). Quantiles are Gaussian, from the model's own forecast variance.
``history=``: the fitted parameters and initial states kept, the filter re-run over the
history (nothing re-estimated). One of the baselines of :mod:`.baselines`."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any, Dict, Optional, Sequence, Union

import numpy as np
import pandas as pd

from .baseline_frames import DEFAULT_QUANTILES, ForecastRows, series_of
from .call_args import check_quantiles, horizon_steps
from .baseline_reading import baseline_panel, forecast_panel
from .panel_week import reach_freq
from .peer_methods import PeerNamedBaseline
from .peer_arguments import refuse_baseline_settings, refuse_peer_call
from ..io.errors import ConfigError, DataError


if TYPE_CHECKING:  # (the tables fit and predict take; frame imports no baseline)
    from .frame import PanelData, PanelFrame


class ETS(PeerNamedBaseline):
    """Per-series ETS (statsmodels ``ETSModel``): additive error, additive season when
    the series holds ``2 * period + 2`` values, trend ``None`` or damped additive by AICc
    (``trend="auto"``; or fix ``trend=None`` / ``"damped"``). Gaussian quantiles from the
    model's forecast variance."""

    name = "ets"
    requires = ("statsmodels", "scipy")  # the `panel` extra (rnnlab.extras)

    def __init__(self, quantiles: Union[float, Sequence[float], None] = DEFAULT_QUANTILES,
                 trend: str = "auto", period: Optional[int] = None,
                 initialization: str = "heuristic", **peer: Any):
        refuse_baseline_settings("ETS", peer, ("quantiles", "trend", "period",
                                               "initialization"))
        if initialization not in ("heuristic", "estimated"):
            raise ConfigError(f"ETS initialization must be 'heuristic' or 'estimated'; got "
                              f"{initialization!r}")
        self.initialization = initialization
        if trend not in ("auto", "damped", None):
            raise ConfigError(f"ETS trend must be 'auto', 'damped' or None; got {trend!r}")
        self.quantiles = check_quantiles(quantiles)
        self.trend = trend
        self.period = period
        self._fits: Dict[str, tuple] = {}  # id -> (spec, params)
        self._panel: Optional[PanelFrame] = None  # the panel fitted on

    @staticmethod
    def _model(y: np.ndarray, spec: dict):
        from statsmodels.tsa.exponential_smoothing.ets import ETSModel

        return ETSModel(pd.Series(y), error="add", **spec)  # (a RangeIndex: statsmodels
        # needs a pandas index to label its predictions)

    def _fit_one(self, y: np.ndarray, spec: dict):
        """``(spec, params, aicc)``: heuristic initial states (from the first seasons; 8x
        faster than estimating them, and as good by AICc on us_employment), estimated where
        the series is too short for the heuristic; ``spec`` records which, for ``smooth``
        later."""
        if self.initialization == "heuristic":
            try:
                s = dict(spec, initialization_method="heuristic")
                return (s, *_fitted(self._model(y, s)))
            except ValueError:
                pass
        return (spec, *_fitted(self._model(y, spec)))

    def _specs(self, n: int, m: int):
        season = ({"seasonal": "add", "seasonal_periods": m} if m > 1 and n >= 2 * m + 2
                  else {})
        none = dict(trend=None, **season)
        damped = dict(trend="add", damped_trend=True, **season)
        return {"auto": [none, damped], "damped": [damped], None: [none]}[self.trend]

    def fit(self, panel: Optional[PanelData] = None, static: Optional[pd.DataFrame] = None,
            *, encoding: Optional[str] = None, off_grid: str = "refuse",
            **peer: Any) -> "ETS":
        from ..extras import require

        refuse_peer_call("fit", peer, "ETS", panel)
        for module in self.requires:  # a MissingExtraError naming the `panel` extra
            require(module, "the ETS baseline", instead="leave 'ets' out of the baselines")
        read = baseline_panel("ETS.fit", panel, encoding, off_grid)
        self.off_grid = off_grid  # (predict(history=...)'s default: fit's policy)
        self._panel = read
        self._fits = {uid: self._fit_series(uid, y, read)
                      for uid, (_, y) in series_of(read).items()}
        return self

    def _fit_series(self, uid, y: np.ndarray, panel) -> tuple:
        """``(spec, params)`` of the specification with the lowest AICc on ``y``."""
        m = self.period if self.period is not None else (getattr(panel, "period", None) or 1)
        best = None
        with warnings.catch_warnings(record=True):  # the optimiser's convergence chatter
            warnings.simplefilter("ignore")  # (record=True: statsmodels resets filters)
            for spec in self._specs(len(y), int(m)):
                try:
                    spec, params, aicc = self._fit_one(y, spec)
                except Exception:  # noqa: BLE001 - a spec that cannot fit is skipped
                    continue
                if best is None or aicc < best[2]:
                    best = (spec, params, aicc)
        if best is None:
            raise DataError(f"ETS: no model could be fitted to series {uid!r} "
                            f"({len(y)} values); drop it or use another baseline")
        return best[:2]

    def predict(self, horizon: Optional[int] = None, future: Optional[pd.DataFrame] = None,
                history: Optional[PanelData] = None, *, encoding: Optional[str] = None,
                off_grid: Optional[str] = None, **peer: Any) -> pd.DataFrame:
        """As :meth:`SeasonalNaive.predict <rnnlab.panel.baselines.SeasonalNaive.predict>`."""
        from scipy.stats import norm

        refuse_peer_call("predict", peer, "ETS", horizon)
        panel = forecast_panel(self, history, encoding, off_grid)
        horizon = horizon_steps(horizon)
        z = norm.ppf(self.quantiles) if self.quantiles else None
        rows = ForecastRows(horizon, reach_freq(panel, horizon), self.quantiles)
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
                rows.add(uid, ds[-1], mean, quant, history=y)  # (counts: floored at 0)
        return rows.frame(panel)


def _fitted(model) -> tuple:
    """``(params, aicc)`` of statsmodels' ``model.fit()``, without the results object it
    builds: ETSResults computes a numerical Hessian (the parameters' covariance), unread
    here, on every fit (about a fifth of its CPU time). The params are those ``fit`` returns,
    the AICc ETSResults' own (the log-likelihood at them, ``nobs``, the parameters + 1;
    none is fixed here): tests/test_panel_ets_fit22.py checks both against statsmodels'."""
    from statsmodels.tools.eval_measures import aicc

    params = np.asarray(model.fit(disp=False, return_params=True))
    return params, aicc(model.loglike(params), model.nobs, model.k_params + 1)
