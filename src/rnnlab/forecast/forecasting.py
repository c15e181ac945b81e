"""Forecasting with a fitted :class:`~rnnlab.forecast.forecaster.Forecaster`: its
candidates, a forecast of any of them from a history, and ``predict`` (past the data
given to fit, or past newer data of the same series, with the fitted weights; nothing
trained). The methods of :class:`Forecasting`, which ``Forecaster`` is."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Optional, Sequence, overload

import numpy as np
import pandas as pd

from ..data.closed_holidays import far_calendar
from ..data.series import Series
from ..io.errors import DataError, NotFittedError
from ..panel.call_args import horizon_steps
from ..train.process_state import threads_kept
from . import selection as S
from .holidays import uses_holidays
from .history import checked_history, checked_steps, read_history
from .intervals import quantile_frame, quantile_levels
from .methods import forecast_with

if TYPE_CHECKING:
    from .baselines import ARMA, LinearAR
    from .config import ForecastConfig
    from .net import Ensemble

# predict(): the longest forecast. The network forecasts one step at a time: 1.6 ms a step
# with the default settings (3 members of 16 units) on 2 CPU cores, 1,000 and 5,000 steps
# of forecast_with("network", ...) after fit("airline"); so about half an hour at most
MAX_STEPS = 1_000_000


class Forecasting:
    """The forecasting half of :class:`~rnnlab.forecast.forecaster.Forecaster` (fitting,
    evaluation and saving are there): reads ``net``, ``config``, ``series``, ``period``,
    ``choice``, ``off_grid`` and the baselines a fit sets."""

    if TYPE_CHECKING:  # what Forecaster.__init__ and fit set (forecaster.py), as typed there
        config: ForecastConfig
        series: Optional[Series]
        net: Optional[Ensemble]
        period: Optional[int]
        choice: Dict[str, Any]
        ar0: Optional[LinearAR]
        arma: Optional[ARMA]
        off_grid: str

    if not TYPE_CHECKING:  # (hidden from checkers: a misspelt attribute stays an error there)
        def __getattr__(self, name: str):  # only names not found: the peers' methods named
            from ..panel.peer_methods import SERIES_PEER_METHODS, peer_attribute

            return peer_attribute(self, name, SERIES_PEER_METHODS)

    def _need_fit(self):
        if self.net is None:
            raise NotFittedError("this Forecaster is not fitted; call fit() or "
                                 "Forecaster.load()")  # (a RuntimeError, as it was)

    def candidates(self) -> tuple:
        """The forecasts scored on the validation origins (seasonal naive needs a period);
        ``auto`` chooses among those of :data:`~rnnlab.forecast.selection.AUTO`."""
        base = "seasonal_naive" if self.period else "naive"
        return (base, "drift", "linear_ar") + (S.ON_DIFFERENCES if self.ar0 is not None
                                               else ()) + (S.MODEL, "combined", "blend", "network")

    def on_differences(self) -> dict:
        """The baselines fitted on the differences, by name (None: not differenced)."""
        return {"linear_ar0": self.ar0, "arma": self.arma}

    def forecast_from(self, history: np.ndarray, steps: int, dated=None) -> np.ndarray:
        """Original-scale forecast of ``steps`` values following ``history``: the chosen
        method's (``self.choice["method"]``; the network: the ensemble mean). ``dated``:
        with holidays, a Series whose first dates are ``history``'s (:meth:`forecast_with`)."""
        if dated is None or not uses_holidays(self.config):  # (as before: 3 arguments)
            return self.forecast_with(self.choice["method"], history, steps)
        return self.forecast_with(self.choice["method"], history, steps, dated)

    def forecast_with(self, method: str, history: np.ndarray, steps: int,
                      dated=None) -> np.ndarray:
        """Original-scale forecast of one candidate (see :mod:`rnnlab.forecast.selection`),
        on the fit's CPU threads (``config.threads``; torch's setting restored after).
        ``dated``: with holidays (``calendar=('holiday',)``), a Series whose first dates
        are ``history``'s (default: the series fitted, of which ``history`` is the start)."""
        self._need_fit()
        history, steps = checked_history(history), checked_steps(steps, MAX_STEPS)
        with threads_kept(self.config.threads):
            return forecast_with(self, method, history, steps, dated)

    @overload
    def predict(self, horizon: Optional[int] = None, history: Any = None, *, column: Any = None,
                date_column: Any = None, fill: Optional[str] = None, quantiles: None = None,
                encoding: Optional[str] = None, off_grid: Optional[str] = None,
                **peer: Any) -> pd.Series: ...
    @overload
    def predict(self, horizon: Optional[int] = None, history: Any = None, *, column: Any = None,
                date_column: Any = None, fill: Optional[str] = None,
                quantiles: Sequence[float], encoding: Optional[str] = None,
                off_grid: Optional[str] = None, **peer: Any) -> pd.DataFrame: ...

    def predict(self, horizon: Optional[int] = None, history=None, *, column=None,
                date_column=None, fill: Optional[str] = None, quantiles=None,
                encoding: Optional[str] = None, off_grid: Optional[str] = None, **peer):
        """Forecast ``horizon`` steps (default: the config's) past the end of the data given
        to fit (test part included; a gap filled by ``bfill``/``interpolate`` just before
        the test part as the fit refilled it, from the training part: :attr:`series`),
        without retraining: a pandas Series, indexed by the future dates when the data had
        regular dates.
        ``history``: newer data of the same series (anything ``fit`` takes; ``column``,
        ``date_column``, ``encoding``, ``off_grid`` as there, ``off_grid`` by default the
        policy fit was given, a DataFrame's ``column`` by default the one named as the
        series fitted on; ``fill`` its NaNs, default the config's): forecast past
        its end instead, with the fitted weights (Darts' ``predict(n, series=...)``,
        NeuralForecast's ``predict(df=...)``). ``quantiles`` (e.g. ``(0.1, 0.9)``): a
        DataFrame of ``mean`` and ``q0.1``, ``q0.9`` columns instead of a Series, the
        quantiles from the arma member's error model scaled by the validation
        (:mod:`rnnlab.forecast.intervals`). Darts' and NeuralForecast's names (``n``,
        ``h``, ``series``, ``df``, ``level``) are refused naming ours."""
        from ..panel.peer_arguments import refuse_peer_arguments

        from ..data.reading_options import check_reading, fitted_off_grid

        refuse_peer_arguments("predict", peer, "Forecaster")
        self._need_fit()
        off_grid = fitted_off_grid(self, off_grid)  # (None: fit's policy)
        check_reading("Forecaster.predict", encoding, off_grid)
        levels = None if quantiles is None else quantile_levels(quantiles)  # before any work
        # (12.0 is 12, as the panel models read it; True is not 1 step)
        steps = horizon_steps(self.config.horizon if horizon is None else horizon,
                              one_series=True)
        from ..io.encoded_path import named_call

        with named_call("Forecaster.predict"):  # (its hints name predict, not load_series)
            s = self.series if history is None else read_history(
                self, history, column, date_column, fill, encoding=encoding,
                off_grid=off_grid)
        assert s is not None  # (fitted, as _need_fit checked: series is set)
        point = self._predict(s, steps)
        if levels is None:
            return point
        frame = quantile_frame(self, s, point, levels)
        for c in frame.columns[1:]:  # (an upper quantile may overflow before the mean)
            finite_steps(frame[c].to_numpy(), f"quantile {c}")
        return frame

    def predict_insample(self, step_size: int = 1, history: Any = None, *,
                         quantiles: Optional[Sequence[float]] = None, column: Any = None,
                         date_column: Any = None, fill: Optional[str] = None,
                         encoding: Optional[str] = None,
                         off_grid: Optional[str] = None) -> pd.DataFrame:
        """In-sample (historical) forecasts, nothing trained (Darts'
        ``historical_forecasts(series, stride=step_size, retrain=False)``; the panel's
        ``GlobalForecaster.predict_insample``): the forecast of ``horizon`` steps that
        ``predict(history=series[:k])`` gives, from every cutoff k of ``history`` (default:
        the series given to fit, test part included; ``column``, ``date_column``, ``fill``,
        ``encoding``, ``off_grid`` as predict's), counted back from its end every
        ``step_size`` values while a forecast's history lies before it. Each reads the
        values up to its cutoff only, with what predict forecasts with:
        ``choice["method"]`` (the network's ensemble mean, the weighted ensemble or a
        baseline). A DataFrame of ``unique_id`` (the
        series' name), ``ds``, ``cutoff``, ``step``, ``y`` (the actual value), ``mean`` and,
        with ``quantiles``, the ``q...`` columns; the steps after the series' end left out
        (:mod:`rnnlab.forecast.insample`)."""
        from ..data.reading_options import check_reading, fitted_off_grid
        from .insample import predict_insample

        from ..io.encoded_path import named_call

        off_grid = fitted_off_grid(self, off_grid)  # (None: fit's policy, as predict's)
        check_reading("Forecaster.predict_insample", encoding, off_grid)
        with named_call("Forecaster.predict_insample"):  # (as predict's)
            return predict_insample(self, step_size, history, quantiles, column,
                                    date_column, fill, encoding=encoding, off_grid=off_grid)

    def _predict(self, s: Series, steps: int) -> pd.Series:
        if steps > MAX_STEPS:
            raise DataError(f"horizon {steps} is more than {MAX_STEPS:,} steps (the network "
                            f"forecasts one step at a time, about 1.6 ms a step with the "
                            f"default settings on 2 CPU cores, so {MAX_STEPS:,} steps take "
                            f"about half an hour; and a forecast that far ahead means "
                            f"nothing): forecast fewer steps")
        s = far_calendar(s, self.config.weekmask, steps)  # (a clause's far years' holidays)
        pred = finite_steps(self.forecast_from(s.values, steps, s), "forecast")  # (steps: an int)
        index = s.future_index(steps)
        if index is None:  # dates of no regular frequency: numbered by step
            index = pd.RangeIndex(len(s), len(s) + steps)
        return pd.Series(pred, index=index, name=f"{s.name} forecast")


def finite_steps(values: np.ndarray, what: str) -> np.ndarray:
    """``values`` (a forecast, or one of its quantiles) when all are finite, else a
    DataError naming the step where they stop: a model of the log growth that trends
    outgrows float64 within some thousands of steps, and its forecast turned to inf
    with only numpy's overflow warning."""
    bad = np.flatnonzero(~np.isfinite(values))
    if len(bad):
        k = int(bad[0])
        why = ("it outgrows float64: the model's trend compounds step after step"
               if np.isinf(values[k]) else "NaN: the model gives no number there")
        raise DataError(f"the {what} is not a finite number from step {k + 1} of "
                        f"{len(values)} on ({why})" + (f"; forecast at most {k} steps"
                                                       if k else ""))
    return values
