"""sktime's and statsforecast's names for a horizon, future covariates and backtest
windows, said as ours: sktime's ``predict(fh=[1, 2, 3])`` and ``fh`` given as a list of
steps or as dates, statsforecast's ``forecast(h=, X_df=)`` and sktime's ``X=``, and
sktime's ``evaluate(cv=ExpandingWindowSplitter(...))``. A horizon here is one number, the
steps after each series' last date (Python's "got [1, 2, 3]" did not say which number)."""

from __future__ import annotations

import datetime as _dt
from typing import Callable, List, NamedTuple

# statsforecast's forecast(df, h, X_df=...), sktime's predict(fh, X=...): the future values
X_FUTURE = ("future= (a long table unique_id, ds and the future covariates' columns over "
            "the horizon's dates; the columns named at creation, "
            "GlobalForecaster(future_covariates=('price',)))")
# sktime's fit(y, X=X): the covariates are columns of the data itself
X_FIT = ("the covariates are columns of the data, named at creation: "
         "GlobalForecaster(future_covariates=('price',)).fit(read_panel(df)), price a "
         "column of df")
# the same given to a baseline (statsforecast's AutoETS reads X_df; ours read no covariates)
X_BASELINE = {"predict": ("future= (taken, as a network's predict takes it, and not read: a "
                          "baseline reads no covariates; a GlobalForecaster made with "
                          "future_covariates=('price',) reads them)"),
              "fit": ("nothing: a baseline reads no covariates, fit(panel) alone; a "
                      "GlobalForecaster made with future_covariates=('price',) reads them")}
# sktime's evaluate(forecaster, cv=ExpandingWindowSplitter(fh=, initial_window=, step_length=))
CV = ("horizon=, first_origin=, stride=: sktime's ExpandingWindowSplitter(fh=range(1, h + 1), "
      "step_length=s) is backtest(panel, horizon=h, stride=s, first_origin=the steps from its "
      "first cutoff to the end, refit=1); every origin's fit reads all the data before it, "
      "as an expanding window's; refit='never' fits once, at the first origin")


class _Words(NamedTuple):
    """The words of a hint that differ between a panel's forecast (a long table: each
    series' dates in 'ds', steps in 'step') and the one-series Forecaster's (one series
    indexed by its dates, its rows steps 1 to n)."""

    last: str  # the date the steps count from
    dates: str  # what predict(n) forecasts
    at: str  # the forecast up to a date
    pick: Callable[[List[int]], str]  # the rows of the steps given
    rows: str  # where the steps are numbered


_PANEL = _Words("each series' last date", "each series' n dates after its last one (its "
                "'ds' column dates them)", "fc[fc['ds'] <= date]",
                lambda steps: f"fc[fc['step'].isin({steps})]",
                "its 'step' column numbers the steps")
_SERIES = _Words("the series' last date", "the n dates after the series' last date (the "
                 "forecast's index)", "fc[fc.index <= date]",
                 lambda steps: f"fc.iloc[{[k - 1 for k in steps]}]", "its rows are steps 1 to n")


def horizon_hint(value, one_series: bool = False) -> str:
    """``"; ..."``: how ``value``, given as a horizon, is said here (a list of steps such as
    sktime's ``fh=[1, 2, 3]``, or dates), else ``""``; in the words of a panel's forecast,
    or of the one-series Forecaster's (``one_series``)."""
    words = _SERIES if one_series else _PANEL
    if callable(getattr(value, "to_pandas", None)):  # (sktime's ForecastingHorizon)
        try:
            value = value.to_pandas()  # (its steps, or its dates where absolute)
        except Exception:  # (another object's to_pandas: read as given)
            pass
    if _is_date(value):
        return (f"; a horizon is a number of steps, not a date: predict(n) forecasts "
                f"{words.dates}; to stop at a date, {words.at} of a horizon that "
                f"reaches it")
    steps = _steps(value)
    if steps is None:
        return ""
    if not steps or min(steps) < 1:
        return (f"; a horizon is the number of steps after {words.last}, from 1 "
                f"(sktime's relative fh); predict(n) gives steps 1 to n")
    last = max(steps)
    shown = f"[1, 2, ..., {last}]" if steps == list(range(1, last + 1)) and last > 5 \
        else str(steps)
    said = f"; a horizon is one number, the last step: fh={shown} is predict({last})"
    if sorted(set(steps)) != list(range(1, last + 1)):
        said += f", then {words.pick(sorted(set(steps)))}"
    return said + f" ({words.rows})"


def fh_hint(value, one_series: bool = False) -> str:
    """Ours for sktime's ``fh=`` keyword given as ``value``: the horizon, the first
    argument, and the number it is where ``value`` is steps; given dates, how to stop at
    a date, as a horizon given as dates says (it said the generic "predict(12)");
    ``one_series``: said of the one-series Forecaster's forecast."""
    said = horizon_hint(value, one_series)
    if said.startswith("; a horizon is one number"):
        return "horizon (the first argument)" + said.replace("; a horizon is one number, "
                                                             "the last step:", ":", 1)
    if said.startswith("; a horizon is a number of steps, not a date"):
        return "horizon (the first argument)" + said
    return "horizon (the first argument: the number of steps, predict(12))"


def _is_date(value) -> bool:
    """Dates, one or many (a Timestamp, a Period, a DatetimeIndex, date text)."""
    if isinstance(value, (_dt.date, _dt.datetime)):
        return True
    kind = type(value).__name__
    if kind in ("Timestamp", "Period", "datetime64", "DatetimeIndex", "PeriodIndex"):
        return True
    if isinstance(value, str):
        return _date_text(value)
    if isinstance(value, (list, tuple)) and value:
        return all(_is_date(v) for v in value)
    return str(getattr(value, "dtype", "")).startswith(("datetime64", "period"))


def _date_text(text: str) -> bool:
    """Whether pandas reads ``text`` as a date (and it is not a number: '12')."""
    try:
        float(text)
        return False
    except ValueError:
        pass
    import pandas as pd

    try:
        pd.Timestamp(text)
        return True
    except (ValueError, TypeError):
        return False


def _steps(value):
    """``value`` as a list of whole numbers (a list, tuple, range, array, Index), else
    None."""
    if isinstance(value, (str, bytes)) or getattr(value, "ndim", 1) == 0:
        return None
    try:
        items = list(value)
    except TypeError:
        return None
    try:
        steps = [int(v) for v in items]
    except (TypeError, ValueError):
        return None
    return steps if all(float(v) == s for v, s in zip(items, steps)) else None
