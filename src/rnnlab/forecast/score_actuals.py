"""The actuals a forecast is scored against, joined to it as long frames (``unique_id, ds``
and ``mean`` and the ``q...`` columns; ``unique_id, ds, y``): a one series' or a panel's,
the forecast's dates read by the reader that read the actuals (:mod:`.score_input` reads
the forecast)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Optional

import numpy as np
import pandas as pd

from .score_input import _quantile_columns

ONE = "series"  # the unique_id of a one-series forecast


def one_series(table: pd.DataFrame, actuals, column, date_column, period: Optional[int],
               off_grid: str = "refuse"):
    """``(forecast, actuals, period)`` long frames of a one-series forecast (the actuals'
    dates off their grid read by ``off_grid``, as ``load_series`` reads them)."""
    from ..data.frequency import seasonal_period
    from ..data.series import load_series

    from .score_made import about_the_forecast, check_blanks

    truth = _actual_series(actuals, column, date_column, off_grid)
    check_blanks(table, "forecast", "time", _quantile_columns(table))
    if truth.index is None and pd.api.types.is_numeric_dtype(table["time"]):
        # an undated series' forecast is numbered by step (50, 51, ...), as its actuals are
        ds = pd.Index(table["time"].to_numpy())
        fc = pd.DataFrame({"unique_id": ONE, "ds": ds, "mean": table["forecast"].to_numpy()})
    else:
        with about_the_forecast():
            made = load_series(table[["time", "forecast"]].reset_index(drop=True),
                               column="forecast", date_column="time")
        fc = pd.DataFrame({"unique_id": ONE, "ds": _dates(made), "mean": made.values})
    from .score_calendar import check_calendars

    check_calendars(fc, truth.freq)  # (monthly forecast, daily actuals: met on the 1st)
    for c in _quantile_columns(table):
        fc[c] = table[c].to_numpy(np.float64)
    ys = pd.DataFrame({"unique_id": ONE, "ds": _dates(truth), "y": truth.values})
    return fc, ys, _week(period, truth) or seasonal_period(period, truth.freq, truth.calendar)


def _week(period: Optional[int], truth) -> Optional[int]:
    """The open days of a shop's week when no ``period`` is given and the actuals' daily
    dates skip a weekday or two (Mon-Sat rows: 6, as ``weekmask=`` reads them; else None): their
    steps are the open days, and the daily calendar's 7 paired a Monday with the next
    week's Tuesday (MASE 0.15 where the week's scale gives 1.26)."""
    from ..data.closed_days import closed_weekdays

    if period is not None or truth.freq != "D" or truth.index is None:
        return None
    closed = closed_weekdays(truth.index)
    return 7 - len(closed) if closed else None


def _actual_series(actuals, column, date_column, off_grid: str = "refuse"):
    """The actuals as a series on their calendar: a date without a value yet (this month's
    row, blank) is an actual still to come, left out, never filled in (the refusal said to
    ffill it: a made-up actual, then scored); a blank or missing date inside the history is
    NaN in place, so MASE's scale leaves out the pairs it is part of (dropped, the values
    around it were paired a step too far apart, and a forecast on it was scored as if the
    next value were its actual)."""
    from ..data.series import Series, load_series
    from .score_made import about_the_actuals

    if isinstance(actuals, Series):  # (load_series' own: "expected a series ...; got Series")
        actuals = actuals.to_pandas()
    read = dict(column=column, date_column=date_column, off_grid=off_grid)
    with about_the_actuals():
        truth = load_series(actuals, fill="ffill", **read)
    if truth.index is None:  # (undated: refused with the rows, as before)
        return load_series(actuals, **read)
    if truth.filled is None or not len(truth.filled):
        return truth
    values = truth.values.copy()
    values[truth.filled] = np.nan  # (what the fill made up: no actual)
    from ..data.closed_days import closed_weekdays

    if closed_weekdays(truth.index[~np.isnan(values)]):  # (a shop's Mon-Sat rows: its
        # closed days are no missing actuals; its steps are the open days, as forecast reads)
        return load_series(actuals, fill="drop", **read)
    end = int(np.flatnonzero(~np.isnan(values))[-1]) + 1
    return replace(truth, values=values[:end], index=truth.index[:end], filled=None)


def _dates(s) -> pd.Index:
    """A series' dates as timestamps (its step numbers when undated)."""
    return pd.Index(s.index if s.index is not None else s.labels())


def _valued_rows(actuals, column, id_column):
    """A long table's rows that have a value (``column``, else ``y``): a blank is an actual
    still to come (read_panel refused it, suggesting a fill that would make one up). A file
    is read as read_panel reads it (ids such as 007 kept as written, a compressed file read)."""
    if isinstance(actuals, (str, Path)) and Path(actuals).expanduser().is_file():
        from ..panel.csv_panel import read_csv_panel

        actuals = read_csv_panel(Path(actuals).expanduser(), id_column)
    target = column if column is not None else "y"
    if isinstance(actuals, pd.DataFrame) and target in actuals.columns:
        return actuals[actuals[target].notna()]
    return actuals


def _up_to_last_value(ys: pd.DataFrame) -> np.ndarray:
    """Which rows of ``ys`` (long, sorted by series and date) are not after their series'
    last value."""
    seen = ys["y"].notna()[::-1].groupby(ys["unique_id"][::-1], sort=False).cummax()
    return seen[::-1].to_numpy()


def panel_period(truth, period: Optional[int]):
    """MASE's seasonal period: ``period`` as given (on the panel's calendar), else the
    panel's own."""
    from ..data.frequency import seasonal_period

    return seasonal_period(period, truth.freq) if period else truth.period


def panel_actuals(table: pd.DataFrame, actuals, id_column, date_column, column,
                  off_grid: str = "refuse"):
    """``(truth, ys, table)``: the actuals read as a panel (a PanelFrame), their long
    frame ``unique_id, ds, y`` (a blank inside a series: NaN, no actual), and the
    forecast ``table`` with a ``unique_id`` (a keyed one's made from its key columns)."""
    from ..panel import read_panel
    from .score_keys import actuals_id_column, joining_keys, with_ids

    import warnings

    # (the actuals of a keyed panel, State and Zone without a unique_id, read by the keys
    # the forecast carries: --id-column State,Zone was needed)
    id_column, table = (actuals_id_column(actuals, id_column, joining_keys(table)),
                        with_ids(table, id_column))

    from ..panel.frame import PanelFrame

    if isinstance(actuals, PanelFrame):  # (read_panel's, as accuracy() takes it: was
        truth = actuals  # "expected a CSV path, a DataFrame, ... got PanelFrame")
    else:
        with warnings.catch_warnings():  # (the blanks at the end: the rows still to come
            warnings.filterwarnings("ignore", message=".*filled in target values at the end")
            truth = read_panel(_valued_rows(actuals, column, id_column), id_column=id_column,
                               date_column=date_column, target=column, covariates=(),
                               fill="zero", off_grid=off_grid)
    ys = truth.df[["unique_id", "ds", "y"]]
    if truth.filled is not None and "y" in truth.filled.mask:  # a blank or missing date
        # inside a series: no actual (NaN, as the one series'), where read_panel refused
        # it naming a fill= that score_forecast and `rnnlab score` do not have
        ys = ys.assign(y=ys["y"].mask(truth.filled.mask["y"]))
        ys = ys[_up_to_last_value(ys)]  # (blank rows of a value column found by its name:
        # NaN rows at a series' end are its actuals still to come, not dates it skips)
    return truth, ys, table


def forecast_on(truth, table: pd.DataFrame) -> pd.DataFrame:
    """``table``'s long frame (``unique_id, ds, mean, q...``), its dates read on the
    calendar of ``truth`` (the actuals' PanelFrame); an undated panel's as its steps."""
    from ..panel.int_steps import STEPS, steps_apart

    quantiles = _quantile_columns(table)
    steps = truth.ds_period == STEPS  # (an undated panel: its forecast numbered by step)
    from .score_made import panel_forecast

    fc = panel_forecast(table[["unique_id", "ds", "mean"] + quantiles], quantiles,
                         steps_apart(truth.freq) if steps else truth.freq, steps)
    return on_steps(truth, fc)


def on_steps(truth, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its ``ds`` as the integer steps of an undated panel ``truth``
    (read as internal days: the rows and notes name the steps); as it is otherwise."""
    from ..panel.int_steps import STEPS, dates_to_steps

    if truth.ds_period != STEPS:
        return frame
    return frame.assign(ds=dates_to_steps(frame["ds"]))
