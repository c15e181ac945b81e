"""The two tables :func:`rnnlab.forecast.scoring.score_forecast` joins: an archived
forecast and the actuals that arrived since, each as a long frame (``unique_id, ds`` and
``mean`` and the ``q...`` columns, or ``y``), their dates read by the reader that read the
data the forecast was made from, so that ``02/10/2020`` in one meets ``2020-02-10`` in the
other.

The forecast's forms: the CSV of ``rnnlab forecast --run DIR --output F`` (``time,
forecast[, q...]``), a run's ``forecast.csv`` (its ``future`` rows, column ``model``), a
panel's ``forecasts.csv`` or ``GlobalForecaster.predict``'s frame (``unique_id, ds,
mean[, q...]``), or ``Forecaster.predict``'s Series (or frame of ``mean`` and ``q...``
columns) indexed by date, also as ``.to_csv()`` wrote it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Optional, Tuple

import numpy as np
import pandas as pd

from ..io.errors import DataError

ONE = "series"  # the unique_id of a one-series forecast
FORMS = ("time,forecast[,q...] (rnnlab forecast --run DIR --output F.csv); a run's "
         "forecast.csv (time,part,...,model); unique_id,ds,mean[,q...] (a panel's "
         "forecasts.csv, GlobalForecaster.predict; a keyed one's State,Zone,ds,mean: its "
         "key columns for unique_id); or Forecaster.predict's Series "
         "(date,VALUES; its .to_csv())")


def _refuse_origins(forecast: pd.DataFrame, cols: set) -> None:
    """A DataError for a forecast of several origins (a backtest's forecasts.csv, a
    cross-validation's cutoffs): scored as one, every origin's errors were scaled by the
    values before the series' first forecast date, not by those before their own origin
    (MASE 1.194 against the backtest's 1.174 on visnights), without a word."""
    name = next((c for c in ("origin", "cutoff") if c in cols), None)
    origins = sorted(map(str, forecast[name].unique())) if name else []
    if len(origins) > 1:
        raise DataError(f"the forecast holds {len(origins)} origins' rows (column {name!r}: "
                        f"{origins[0]} .. {origins[-1]}; a backtest's or a cross-validation's)"
                        f"; score one origin's rows alone (df[df.{name} == {origins[-1]!r}]), "
                        f"or all of them with rnnlab.panel.accuracy(df, actuals), which scales "
                        f"each origin's errors by the values before it, as a backtest does")


def forecast_table(forecast, model: Optional[str] = None) -> Tuple[pd.DataFrame, bool]:
    """``(table, panel)``: the forecast as a frame (``model``'s rows of one with a
    ``model`` column naming several: :mod:`.score_models`), and whether it is a panel's."""
    forecast = _read(forecast)
    table, is_panel = _as_table(forecast, model)
    if not is_panel:  # (one model's forecast: no column of model names)
        from .score_models import no_model_column

        no_model_column(model, getattr(forecast, "columns", ["(a Series of values)"]))
    return table, is_panel


def _read(forecast):
    """A forecast given as a path, read; else as it is."""
    if isinstance(forecast, (str, Path)):
        from ..data.csv_file import read_csv_checked

        path = _run_file(Path(forecast).expanduser())
        forecast = _without_row_numbers(read_csv_checked(path))
        from ..panel.ids import ids_as_written
        from .score_keys import key_columns

        for name in ("unique_id",) + key_columns(forecast):  # (ids such as 007, as written)
            forecast = ids_as_written(path, forecast, name)
    return forecast


def _as_table(forecast, model: Optional[str]) -> Tuple[pd.DataFrame, bool]:
    if isinstance(forecast, pd.Series):  # Forecaster.predict(h)
        return pd.DataFrame({"time": forecast.index, "forecast": forecast.to_numpy()}), False
    if not isinstance(forecast, pd.DataFrame):
        raise DataError(f"the forecast should be a CSV path, a DataFrame or a Series, got "
                        f"{type(forecast).__name__}; expected one of: {FORMS}")
    from .score_keys import key_columns
    from .score_models import no_model_column, one_model
    from .score_peer import as_ours, point_columns_hint

    forecast = as_ours(forecast, model)  # (NeuralForecast's columns, ids as its index)
    cols = set(map(str, forecast.columns))
    if {"ds", "mean"} <= cols and ("unique_id" in cols or key_columns(forecast)):
        # (a keyed panel's forecast without its unique_id: State, Zone, ds, mean)
        if "model" in cols:  # (a backtest's or test_forecasts.csv: rows per model)
            forecast = one_model(forecast, model)
        else:
            no_model_column(model, forecast.columns)
        _refuse_origins(forecast, cols)
        return forecast, True
    if {"time", "part", "model"} <= cols:  # a run's forecast.csv: the forecast past the data
        future = forecast[forecast["part"] == "future"]
        keep = ["time", "model"] + _quantile_columns(future)
        return future[keep].rename(columns={"model": "forecast"}), False
    if {"time", "forecast"} <= cols:
        return forecast, False
    if "mean" in cols and not isinstance(forecast.index, pd.RangeIndex):  # predict(quantiles=)
        table = forecast[["mean"] + _quantile_columns(forecast)]
        return table.rename(columns={"mean": "forecast"}).rename_axis("time").reset_index(), False
    written = _written_by_pandas(forecast)
    if written is not None:
        return written, False
    raise DataError(f"the forecast has columns {', '.join(map(str, forecast.columns))}; "
                    f"expected one of: {FORMS}" + point_columns_hint(forecast))


def _without_row_numbers(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` without the row numbers ``to_csv()`` wrote as its first, unnamed column
    (``predict(...).reset_index().to_csv(path)``: 'the forecast has columns Unnamed: 0,
    date, mean, ...')."""
    first = table.columns[0] if len(table.columns) > 1 else None
    if first != "Unnamed: 0" or not pd.api.types.is_integer_dtype(table[first]) \
            or not (table[first].to_numpy() == np.arange(len(table))).all():
        return table
    return table.drop(columns=first)


def _run_file(path: Path) -> Path:
    """A run directory as the forecast past its data that it wrote: ``forecast.csv`` (one
    series) or ``forecasts.csv`` (a panel); a file as it is."""
    if not path.is_dir():
        return path
    names = ("forecast.csv", "forecasts.csv")
    found = [path / n for n in names if (path / n).is_file()]
    if len(found) == 1:
        return found[0]
    runs = sorted(str(p.parent) for p in path.glob("*/*.csv") if p.name in names)
    if runs:  # (a --seeds run: one run per seed, seed_N/forecast.csv)
        from ..listing import first_few

        raise DataError(f"{path}: a folder of runs, each with its forecast "
                        f"({first_few(runs, 3)}); score one of them (rnnlab score {runs[0]})")
    raise DataError(f"{path}: a folder without a run's forecast.csv or forecasts.csv; "
                    f"pass the forecast's CSV file (rnnlab forecast --run DIR --output "
                    f"F.csv writes one)")


def _written_by_pandas(frame: pd.DataFrame) -> Optional[pd.DataFrame]:
    """``predict()``'s result saved with ``.to_csv(path)`` and read back: a date column
    and one of values (``date,demand forecast``), or ``mean`` beside ``q...`` columns;
    None for another table."""
    quantiles = _quantile_columns(frame)
    rest = [c for c in frame.columns if c not in quantiles]
    if len(rest) != 2:
        return None
    numeric = [c for c in rest if pd.api.types.is_numeric_dtype(frame[c])]
    value = "mean" if "mean" in rest else numeric[0] if len(numeric) == 1 else None
    if value is None:
        return None
    time = rest[1] if rest[0] == value else rest[0]
    return frame[[time, value] + quantiles].set_axis(["time", "forecast"] + quantiles,
                                                     axis=1)


def _quantile_columns(frame: pd.DataFrame) -> list:
    from ..panel.metrics import quantile_levels
    from ..panel.quantile_columns import quantile_column

    return [quantile_column(t) for t in quantile_levels(frame.columns)]


def one_series(table: pd.DataFrame, actuals, column, date_column, period: Optional[int]):
    """``(forecast, actuals, period)`` long frames of a one-series forecast."""
    from ..data.frequency import seasonal_period
    from ..data.series import load_series

    from .score_made import about_the_forecast, check_blanks

    truth = _actual_series(actuals, column, date_column)
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


def _actual_series(actuals, column, date_column):
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
    with about_the_actuals():
        truth = load_series(actuals, column=column, date_column=date_column, fill="ffill")
    if truth.index is None:  # (undated: refused with the rows, as before)
        return load_series(actuals, column=column, date_column=date_column)
    if truth.filled is None or not len(truth.filled):
        return truth
    values = truth.values.copy()
    values[truth.filled] = np.nan  # (what the fill made up: no actual)
    from ..data.closed_days import closed_weekdays

    if closed_weekdays(truth.index[~np.isnan(values)]):  # (a shop's Mon-Sat rows: its
        # closed days are no missing actuals; its steps are the open days, as forecast reads)
        return load_series(actuals, column=column, date_column=date_column, fill="drop")
    end = int(np.flatnonzero(~np.isnan(values))[-1]) + 1
    return replace(truth, values=values[:end], index=truth.index[:end], filled=None)


def _dates(s) -> pd.Index:
    """A series' dates as timestamps (its step numbers when undated)."""
    return pd.Index(s.index if s.index is not None else s.labels())


def _valued_rows(actuals, column, id_column):
    """A long table's rows that have a value (``column``, else ``y``): a blank is an actual
    still to come (read_panel refused it, suggesting a fill that would make one up). A file
    is read as read_panel reads it (ids such as 007 kept as written, a ``.gz`` file read)."""
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


def panel(table: pd.DataFrame, actuals, id_column, date_column, column,
          period: Optional[int]):
    """``(forecast, actuals, period, keys)``: long frames of a panel's forecast, the
    forecast's dates read on the actuals' calendar (a one-step forecast tells none), and
    the key columns the actuals' ids join (State, Zone: ``PanelFrame.keys``)."""
    from ..data.frequency import seasonal_period
    from ..panel import read_panel
    from ..panel.int_steps import STEPS, dates_to_steps, steps_apart
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
                               fill="zero")
    ys = truth.df[["unique_id", "ds", "y"]]
    if truth.filled is not None and "y" in truth.filled.mask:  # a blank or missing date
        # inside a series: no actual (NaN, as the one series'), where read_panel refused
        # it naming a fill= that score_forecast and `rnnlab score` do not have
        ys = ys.assign(y=ys["y"].mask(truth.filled.mask["y"]))
        ys = ys[_up_to_last_value(ys)]  # (blank rows of a value column found by its name:
        # NaN rows at a series' end are its actuals still to come, not dates it skips)
    quantiles = _quantile_columns(table)
    steps = truth.ds_period == STEPS  # (an undated panel: its forecast numbered by step)
    from .score_made import panel_forecast

    fc = panel_forecast(table[["unique_id", "ds", "mean"] + quantiles], quantiles,
                         steps_apart(truth.freq) if steps else truth.freq, steps)
    if steps:  # (read as internal days: the rows and notes name the steps)
        fc, ys = (t.assign(ds=dates_to_steps(t["ds"])) for t in (fc, ys))
    return fc, ys, (seasonal_period(period, truth.freq) if period else truth.period), \
        truth.keys

