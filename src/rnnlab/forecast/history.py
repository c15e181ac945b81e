"""New data for a fitted Forecaster: ``predict(h, history=...)`` forecasts past its end
with the fitted weights, nothing trained (Darts' ``predict(n, series=...)``,
NeuralForecast's ``predict(df=...)``; ``rnnlab forecast --run DIR --data new.csv``); the
past values and steps ``forecast_with(method, history, steps)`` is given, checked."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..data.closed_days import refit_hint
from ..data.custom_days import (closed_day_dates, other_week, read_off_calendar,
                                read_on_fitted)
from ..data.datasets import resolve_data
from ..data.filling import business_days
from ..data.numbers import real_values
from ..data.outliers import OutlierWarning, spike_note
from ..data.series import Series
from ..io.errors import DataError
from .methods import history_needed
from ..callers_line import callers_level


def read_history(f, data, column=None, date_column=None, fill=None, **read) -> Series:
    """``data`` read as ``Forecaster.fit`` reads it (``column``, ``date_column`` as there,
    and ``read``'s ``encoding``, ``off_grid``; ``fill``: default the config's), refused
    when its calendar is not that of the series ``f`` was fitted on (a model of monthly
    values forecasts monthly values) or when it is shorter than a forecast reads; its
    dates, when irregular or with gaps, noted as fit notes them (the forecast was
    numbered by step without a word).
    (Its NaNs were refused with a hint to pass ``fill=``,
    which predict did not take.)"""
    if column is None:
        column = fitted_column(data, f.series.name, read.get("encoding"))
    s = resolve_data(data, column=column, date_column=date_column,
                     fill=f.config.fill if fill is None else fill, weekmask=f.config.weekmask,
                     **read)
    s = read_on_fitted(s, f.series)  # (a CSV of a shop's Mon-Sat days: the fitted week)
    s = read_off_calendar(s, f.series)  # (its Mon-Sat index, to a model fitted on 'D')
    other_week(s.calendar, f.series.calendar, "the new data (history=, --run --data)")
    fitted = f.series.freq
    closed = closed_day_dates(s.index, f.series.calendar) if s.freq != fitted else []
    if closed:  # (a Sunday row for a Mon-Sat shop: named, not said as another frequency)
        raise DataError(f"the new data (history=, --run --data): {len(closed)} of its dates "
                        f"fall on days the model's week {f.series.calendar['weekmask']} "
                        f"leaves out ({', '.join(closed[:5])}); drop those rows, or fit a "
                        f"model on data of that week")
    if fitted and s.freq and s.freq != fitted:
        raise DataError(f"the new data (history=, --run --data): the model was fitted on "
                        f"{fitted!r} data and this is {s.freq!r} data; pass the same series at "
                        f"the same frequency, or fit a model on this one")
    _note_calendar(s, fitted)
    note = spike_note(s.name, s.values, s.labels())  # (a forecast starts from its end)
    if note:
        import warnings

        warnings.warn(f"the new data (history=, --run --data): {note}", OutlierWarning,
                      stacklevel=3)
    need, season = history_needed(f), _season_read(f)
    if len(s) < max(need, season):
        why = (f"one season of the seasonal naive in the choice {f.choice['method']!r}"
               if season > need else f"look-back {f.config.lookback} + differencing lag "
               f"{f.pipeline.lag}")
        raise DataError(f"the new data (history=, --run --data) has {len(s)} values and a "
                        f"forecast reads the last {max(need, season)} ({why}); pass a longer "
                        f"history")
    _note_older(s, f.series)
    return s


def _note_calendar(s: Series, fitted) -> None:
    """Say (:class:`CalendarWarning`) that the new data's dates miss dates of their
    calendar or follow none, as fit says of its data: a model of ``fitted`` data
    forecast irregular dates numbered by step, without a word."""
    import warnings

    note = s.gap_note()
    if not note or (s.gaps and business_days(s.freq)):
        return
    closed = refit_hint(s.index) if s.freq == "D" else None
    if closed:  # (a shop's Mon-Sat rows: the week is the fit's choice, not --run's)
        note = f"{s.gaps} dates of its 'D' calendar are missing: {closed}"
    if s.freq is None:
        note = (f"its dates follow no single frequency"
                f"{f' (the model was fitted on {fitted!r} data)' if fitted else ''}: its "
                f"values are read as consecutive steps and the forecast is numbered by "
                f"step, not dated")
    warnings.warn(f"the new data (history=, --run --data): {note}", CalendarWarning,
                  stacklevel=4)


class OlderHistoryWarning(UserWarning):
    """The new data (``history=``, ``--run DIR --data``) ends before the series the model
    was fitted on: the forecast starts inside that series' past (a stale file?)."""


def _note_older(s: Series, fitted: Series) -> None:
    """Say (:class:`OlderHistoryWarning`) that the new data ends before the data fitted
    on: a monthly job handed last year's file forecast months already past, without a
    word (deliberate in a backtest of your own: ``warnings.simplefilter`` it away)."""
    if s.index is None or fitted is None or fitted.index is None or not len(s):
        return
    end, known = s.index[-1], fitted.index[-1]
    try:
        older = bool(end < known)
    except TypeError:  # (one zone-aware, one not: another mismatch, said elsewhere)
        return
    if older:
        import warnings

        day = (lambda t: str(t.date()) if t == t.normalize() else str(t))
        warnings.warn(f"the new data (history=, --run --data) ends {day(end)}, before the "
                      f"series the model was fitted on, which ends {day(known)}: the forecast "
                      f"starts inside that past; pass the newest data", OlderHistoryWarning,
                      stacklevel=callers_level(4))


def fitted_column(data, name, encoding=None):
    """The column of the DataFrame or CSV file ``data`` named as the series fitted on
    (``fit(df, column="sales")``, then ``predict(history=newer_df)``: newer rows of the
    same table), else None. A table of several numeric columns was refused, asking which
    to forecast (so was this month's CSV once it gained a column: ``--run DIR --data``).
    ``encoding``: the file's text encoding (None: UTF-8)."""
    if isinstance(data, (str, Path)) and Path(data).expanduser().is_file():
        from ..data.csv_file import read_csv_checked
        from ..io.encoded_path import utf8_file

        try:
            with utf8_file(Path(data).expanduser(), encoding, "fitted_column") as utf8:
                data = read_csv_checked(utf8)
        except DataError:  # (said by the reading that follows)
            return None
    if not isinstance(data, pd.DataFrame) or isinstance(data.index, pd.MultiIndex):
        return None
    found = [c for c in data.columns if str(c) == str(name)]
    return found[0] if len(found) == 1 else None


def backtest_data(f, data, column, encoding=None):
    """``(data, column)`` that ``f.backtest`` runs on: the series given to fit when
    ``data`` is None (refused before a fit), else ``data`` and, unless given, the column of
    it named as the series fitted on (as ``predict(history=...)`` reads it)."""
    from ..io.errors import NotFittedError

    if data is None:
        if f.series is None:  # (a NotFittedError, as every call before fit)
            raise NotFittedError("this Forecaster is not fitted and backtest() was given "
                                 "no series: pass it (backtest(data), anything fit() "
                                 "takes; the backtest fits its own), or fit() first to "
                                 "backtest the series given there")
        return f.series, column
    if column is None and f.series is not None:
        column = fitted_column(data, f.series.name, encoding)
    return data, column


def _season_read(f) -> int:
    """The period when the chosen forecast reads a season back (the seasonal naive, alone
    or weighted in), else 0: a history shorter than it failed inside the forecast."""
    method, weights = f.choice.get("method"), f.choice.get("weights") or {}
    uses = method == "seasonal_naive" or (method == "weighted" and
                                          weights.get("seasonal_naive", 0) > 0)
    return int(f.period) if f.period and uses else 0


def checked_history(history) -> np.ndarray:
    """The past values a forecast reads: one dimension of finite numbers (a NaN made the
    whole forecast NaN without a word)."""
    raw = history
    if np.iscomplexobj(raw):  # an imaginary part refused, not dropped (numpy would)
        raw = np.asarray(raw)
        raw = real_values(pd.Series(raw.reshape(-1)), "history", "values",
                          row=lambda i: f"position {i}").to_numpy().reshape(raw.shape)
    try:
        h = np.asarray(raw, dtype=np.float64)
    except (TypeError, ValueError) as e:
        raise DataError(f"history must be numbers, got {type(history).__name__} ({e})") from None
    if h.ndim == 2 and 1 in h.shape:
        h = h.reshape(-1)
    if h.ndim != 1:
        raise DataError(f"history must be one series of past values (1-D), got shape "
                        f"{h.shape}")
    bad = ~np.isfinite(h)
    if bad.any():
        rows = ", ".join(map(str, np.flatnonzero(bad)[:8]))
        raise DataError(f"history has {int(bad.sum())} NaN or infinite values (positions "
                        f"{rows}); fill or drop them first")
    return h


def checked_steps(steps, most: int) -> int:
    """A number of forecast steps: a whole number from 1 to ``most`` (0 and -1 were numpy
    and torch tracebacks), read as every count of steps is
    (:func:`~rnnlab.panel.call_args.step_count`: 2.0 is 2, as ``predict`` reads it)."""
    from ..panel.call_args import step_count

    try:
        n = step_count(steps, "steps")
    except DataError:
        n = None
    if n is None or not 1 <= n <= most:
        raise DataError(f"steps must be a whole number from 1 to {most:,}, got {steps!r}")
    return n


class CalendarWarning(UserWarning):
    """The dates of a series fitted on follow no single frequency, or miss dates of
    theirs (holidays of a business-day calendar aside): its values are read as
    consecutive steps. ``rnnlab forecast`` prints it as a note."""


def warn_calendar(series: Series, stacklevel: int = 3) -> None:
    """Say (:class:`CalendarWarning`) what :meth:`Series.gap_note` says, but for a
    business-day calendar's holidays: the API was silent where the CLI noted it (a
    forecast numbered by step, not dated; a seasonal lag read across missing months)."""
    import warnings

    note = series.gap_note()
    if note and not (series.gaps and business_days(series.freq)):
        warnings.warn(f"series {series.name!r}: {note}", CalendarWarning,
                      stacklevel=stacklevel)
