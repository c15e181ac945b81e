"""What :meth:`Forecaster.evaluate` returns: a DataFrame of metrics by method that still
answers the dict keys it had before.

    ev = f.evaluate()
    ev                         # rows: model (what predict() uses), network, seasonal_naive,
                               # naive, drift, linear_ar, linear_ar0, arma
                               # columns: rmse, mae, mape, smape, mase, mse (one multi-step
                               # forecast from the end of the training part, original scale)
    ev.loc["model", "rmse"]    # a number
    ev["forecast"]["model"]    # the dict of before, as are ev["one_step"], ev["by_step"],
                               # ev["predictions"], ev["model"], ev["choice"], ...
    ev.details                 # that whole dict (JSON-ready)
    ev.forecasts               # the test part's dates (index), ``actual`` and each method's
                               # forecast: a DataFrame to plot or join
"""

from __future__ import annotations

import warnings
from typing import Any, Callable, Dict, Optional

import numpy as np
import pandas as pd

from ..io.errors import DataError
from . import baselines as B
from .metrics import (MapeSkipWarning, MaseScaleWarning, error_by_step, mape_note, mase_note,
                      mase_scale, metrics)

COLUMNS = ("rmse", "mae", "mape", "smape", "mase", "mse")
ORDER = ("model", "network", "seasonal_naive", "naive", "drift", "linear_ar", "linear_ar0",
         "arma")


class FilledTestWarning(UserWarning):
    """Values of the test part were missing and filled in (``fill=``): the metrics score
    them as if observed. ``rnnlab forecast`` prints it as a note."""


class Evaluation(pd.DataFrame):
    """Metrics by method (rows) of the multi-step forecast over the test part; a key of the
    details dict that is not a column name (``"forecast"``, ``"choice"``, ...) returns that
    detail."""

    _metadata = ["details", "forecasts"]
    # (declared: to a type checker pandas' DataFrame.__getattr__ made them columns, Series)
    details: Dict[str, Any]  # the evaluation as dicts: "forecast", "one_step", "by_step", ...
    forecasts: Optional[pd.DataFrame]  # the test part's dates, actual and each forecast

    @property
    def _constructor(self):  # a slice or a computed frame is a plain DataFrame
        return pd.DataFrame

    @classmethod
    def of(cls, details: Dict[str, Any], forecasts: "pd.DataFrame | None" = None) -> "Evaluation":
        names = [m for m in ORDER if m in details["forecast"]]
        names += [m for m in details["forecast"] if m not in names]
        rows = [[details["forecast"][m].get(c, float("nan")) for c in COLUMNS] for m in names]
        ev = cls(pd.DataFrame(rows, index=pd.Index(names, name="method"), columns=list(COLUMNS)))
        ev.details = details
        ev.forecasts = forecasts
        return ev

    # (mypy's [misc] on copy and __contains__: pandas-stubs mark them final; pandas does not)
    def copy(self, deep: bool = True) -> "Evaluation":
        """A copy that keeps ``details`` and ``forecasts`` (``copy.deepcopy`` too: pandas'
        copy made a plain DataFrame, whose ``["choice"]`` was then a KeyError)."""
        import copy

        out = Evaluation(super().copy(deep=deep))
        out.details = copy.deepcopy(self.details) if deep else self.details
        forecasts = getattr(self, "forecasts", None)
        out.forecasts = forecasts.copy(deep=deep) if forecasts is not None else None
        return out

    def _detail(self, key) -> bool:
        return isinstance(key, str) and key not in self.columns and key in self.details

    def __getitem__(self, key: Any) -> Any:  # (a detail's dict, or pandas' column)
        if self._detail(key):
            return self.details[key]
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        return self._detail(key) or super().__contains__(key)

    def get(self, key: Any, default: Any = None) -> Any:
        if self._detail(key):
            return self.details[key]
        return super().get(key, default)


def evaluate_forecaster(fc) -> Evaluation:
    """:meth:`Forecaster.evaluate <rnnlab.forecast.forecaster.Forecaster.evaluate>` of a
    fitted forecaster ``fc``: every method's forecast of the test part from the end of the
    training part, its one-step predictions and its error by horizon step."""
    cfg, values, nt = fc.config, fc.series.values, fc.n_train
    test = values[nt:]
    k = len(test)
    if k == 0:
        raise DataError("no test part (test_size=0, or a fit with val_data, after which "
                        "nothing is held out): fit with test_size > 0 to evaluate, or compare "
                        "predict() with the values that follow")
    filled = fc.series.filled
    fill = fc.series.fill or cfg.fill  # (a Series load_series filled says how; cfg's None)
    invented = 0 if filled is None else int((filled >= nt).sum())
    if invented:
        warnings.warn(f"{invented} of the {k} test values were missing and filled in "
                      f"(fill={fill!r}); the metrics score those as if observed",
                      FilledTestWarning, stacklevel=3)
    train = values[:nt]
    scale = mase_scale(train, fc.period)
    # {name: forecast(history, steps)}
    methods: Dict[str, Callable[..., np.ndarray]] = {"model": lambda h, s: fc.forecast_from(h, s)}
    if fc.choice["method"] != "network" or cfg.select != "network":
        methods["network"] = lambda h, s: fc.forecast_with("network", h, s)
    methods.update({"naive": B.naive,
                    "drift": lambda h, s: fc.forecast_with("drift", h, s),
                    "linear_ar": lambda h, s: fc.forecast_with("linear_ar", h, s)})
    for name, fitted in fc.on_differences().items():
        if fitted is not None:
            methods[name] = lambda h, s, name=name: fc.forecast_with(name, h, s)
    if fc.period and nt >= fc.period:
        methods["seasonal_naive"] = lambda h, s: B.seasonal_naive(h, s, fc.period)
    out = {"test_size": k, "n_train": nt, "period": fc.period, "choice": fc.choice,
           "lag": fc.pipeline.lag,  # 0: no differencing ('drift' is then the mean level)
           "forecast": {}, "one_step": {}, "by_step": {}, "predictions": {}}
    H = cfg.horizon
    from ..data.filling import history_before

    def before(end):  # the history up to ``end``, a fill that reads ahead redone on it
        return history_before(values, filled, fill, end)  # (else: a bfilled gap before a
        # one-step target held that target)

    skipped = mape_note(test)
    if skipped:  # said once, here, not by each method's metrics
        warnings.warn(skipped, MapeSkipWarning, stacklevel=3)
    unscaled = mase_note(train, fc.period)
    if unscaled:  # every method's MASE NaN: said why (it was a column of nan)
        warnings.warn(unscaled, MaseScaleWarning, stacklevel=3)
    # the methods that read the network: forecast from all origins at once (forecast_many)
    batched = {"model": fc.choice["method"], "network": "network"}
    for name, f in methods.items():
        pred = f(train, k)
        many: Callable[[int], np.ndarray]  # steps -> (origins, steps): from each origin
        if name in batched:
            many = _from_origins(fc, batched[name], before, nt, k)
        else:
            many = (lambda g: lambda steps: np.stack([g(before(nt + i), steps)
                                                      for i in range(k)]))(f)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", MapeSkipWarning)
            out["forecast"][name] = metrics(test, pred, scale)
            out["predictions"][name] = [float(v) for v in pred]
            one = many(1)[:, 0]
            out["one_step"][name] = metrics(test, one, scale)
        act = np.full((k, H), np.nan)
        for i in range(k):
            seg = test[i:i + H]
            act[i, :len(seg)] = seg
        out["by_step"][name] = error_by_step(act, many(H))
    out["model"] = out["forecast"]["model"]
    fc.last_evaluation = out
    dates = fc.series.index
    index = fc.series.labels()[nt:]
    frame = pd.DataFrame({"actual": test, **out["predictions"]}, index=index)
    return Evaluation.of(out, frame.rename_axis(dates.name if dates is not None else "step"))


_ORIGINS_AT_ONCE = 64  # histories held at once (each may be a refilled copy of the series)


def _from_origins(fc, method: str, before, nt: int, k: int):
    """``steps -> (k, steps)``: ``method``'s forecasts from the test part's origins
    ``nt .. nt + k - 1`` (history ``before(origin)``), batched by
    :func:`~rnnlab.forecast.methods.forecast_many`, on the fit's CPU threads."""
    from .methods import forecast_many
    from ..train.process_state import threads_kept

    def forecasts(steps: int) -> np.ndarray:
        parts = []
        with threads_kept(fc.config.threads):
            for a in range(0, k, _ORIGINS_AT_ONCE):
                hists = [before(nt + i) for i in range(a, min(k, a + _ORIGINS_AT_ONCE))]
                parts.append(forecast_many(fc, method, hists, steps))
        return np.concatenate(parts)
    return forecasts
