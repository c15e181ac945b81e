"""Dates given as periods come back as periods.

A panel's dates may come as pandas periods (a PeriodIndex, or a column of Periods): they
are read as the periods' first days, timestamps on whose calendar the windows and
forecasts are made (:func:`rnnlab.panel.frame.read_panel`), and the outputs (forecasts,
backtest tables) give them back as periods of the frequency they came in, as the ids come
back in their own type (:mod:`.ids`). A model saved from such a panel records the frequency.
Integer time steps (NeuralForecast's int ``ds``) are one more kind, :data:`STEPS`, kept the
same way: days on a fixed grid inside, integers in the outputs (:mod:`.int_steps`).
"""

from __future__ import annotations

from typing import Optional

import pandas as pd

from ..data.date_forms import period_form
from ..data.freq_names import this_pandas_period_freq
from ..io.errors import CheckpointError
from .ids import restore_ids
from .int_steps import STEPS, dates_to_steps, is_steps
from .long_table import DS

DATE_COLUMNS = (DS, "origin", "cutoff")  # the outputs' columns of dates


def period_freq(data, date_column=None) -> Optional[str]:
    """The frequency ('M', 'Q-DEC', ...) of the periods ``data``'s dates are given as: a
    DataFrame's date column (``date_column``, else ``ds`` when it has one: that column
    alone counts, another column of periods is not its dates; Periods, or text of quarters
    1998Q1 or months 2019M01 as a CSV holds them, also in a date column found by its name),
    else its PeriodIndex (or index level) or Period column; a dict's Series with a
    PeriodIndex; None for dates of any other kind; :data:`STEPS` for integer time steps
    (the date column, or a dict's Series' indexes)."""
    if isinstance(data, dict):
        found = [s.index for s in data.values() if isinstance(getattr(s, "index", None),
                                                               pd.PeriodIndex)]
        # (an array or a list: its positions, as dict_to_long reads it; they were days of
        # 1970, a weekly season made up)
        if not found and data and all(is_steps(_positions(s)) for s in data.values()):
            return STEPS
        return found[0].freqstr if found else None
    if not isinstance(data, pd.DataFrame):
        return None
    named = given = DS if date_column is None else date_column
    if not (isinstance(named, str) and named in data.columns) and date_column is None:
        from .long_table import date_column_of  # found by name (year, Quarter, ...) or values

        named = date_column_of(data)
    if named is not None and named in data.columns:
        col = data[named]  # (quarters 1998Q1 and months 2019M01 as text: periods too)
        return STEPS if is_steps(col) else (_freq(col) or period_form(col))
    if isinstance(data.index, pd.MultiIndex) and given in data.index.names:
        level = data.index.get_level_values(given)  # (statsforecast's set_index)
        if is_steps(level):
            return STEPS
    index = data.index
    levels = index.levels if isinstance(index, pd.MultiIndex) else [index]
    for level in levels:
        if isinstance(level, pd.PeriodIndex):
            return level.freqstr
    for c in data.columns:
        if _freq(data[c]):
            return _freq(data[c])
    return None


def _freq(column: pd.Series) -> Optional[str]:
    """A Period column's frequency ('M'; its dtype's freq says 'ME'), else None."""
    return pd.PeriodIndex(column).freqstr if isinstance(column.dtype, pd.PeriodDtype) else None


def restore_dates(df: pd.DataFrame, freq: Optional[str]) -> pd.DataFrame:
    """``df`` with its columns of dates (:data:`DATE_COLUMNS`) as periods of ``freq``
    (None: unchanged)."""
    if freq is None:
        return df

    def given(col):  # integer steps, or periods of freq
        return dates_to_steps(col) if freq == STEPS else pd.DatetimeIndex(col).to_period(freq)

    cols = {c: given(df[c]) for c in DATE_COLUMNS
            if c in df.columns and pd.api.types.is_datetime64_any_dtype(df[c])}
    return df.assign(**cols) if cols else df


def written_form_of(data, date_column, long: pd.DataFrame) -> Optional[str]:
    """The strftime form (``'%Y-%m'``, ``'%m/%d/%Y'``) the text dates of ``data``'s date
    column (found as :func:`period_freq` finds it) are written in, read as ``long``'s
    ``ds`` row by row, so the files a run writes give its dates in that form, as the
    one-series ``forecast.csv`` does (:func:`rnnlab.data.date_forms.written_form`); None for ISO
    dates, periods, steps, other forms or values that are not text."""
    from ..data.date_forms import written_form
    from .long_table import date_column_of

    if not isinstance(data, pd.DataFrame) or not len(data):
        return None
    named = date_column if date_column is not None else (
        DS if DS in data.columns else date_column_of(data))
    if named is None or named not in data.columns or len(data) != len(long):
        return None
    col = data[named]
    if not (col.dtype == object or pd.api.types.is_string_dtype(col)) \
            or not pd.api.types.is_datetime64_any_dtype(long[DS]):
        return None
    first = ~col.astype(str).duplicated().to_numpy()  # (each date's text once)
    return written_form(col[first], pd.DatetimeIndex(long[DS].to_numpy()[first]))


def written_dates(df: pd.DataFrame, form: Optional[str]) -> pd.DataFrame:
    """``df`` with its columns of timestamps (:data:`DATE_COLUMNS`) as text in ``form``
    (the data's own, :func:`written_form_of`), for a file (None: unchanged)."""
    if not form:
        return df
    from ..data.half_years import dates_text  # (a form may hold a half-year: 2015-H1)

    cols = {c: dates_text(pd.DatetimeIndex(df[c]), form).to_numpy() for c in DATE_COLUMNS
            if c in df.columns and pd.api.types.is_datetime64_any_dtype(df[c])}
    return df.assign(**cols) if cols else df


def given_kinds(df: pd.DataFrame, source) -> pd.DataFrame:
    """``df`` (an output: forecasts, a backtest table) with its ids and dates of the kinds
    ``source`` holds: a panel's as given (``id_kind``, ``ds_period``), or those of the panel
    a model was fitted on; the key columns its ids join beside them (:mod:`.key_columns`)."""
    from .key_columns import with_key_columns

    out = restore_dates(restore_ids(df, getattr(source, "id_kind", None)),
                        getattr(source, "ds_period", None))
    return with_key_columns(out, getattr(source, "keys", ()))


def as_given(table: pd.DataFrame, model, history) -> pd.DataFrame:
    """``model``'s forecast ``table`` with its ids and dates of the kinds given: those of
    ``history`` (a panel) when given, else those of the panel ``model`` was fitted on; the
    key columns of the fit's ids where ``history`` has none of its own (``panel.df``)."""
    from .key_columns import with_key_columns

    out = given_kinds(table, model if history is None else history)
    if history is not None and not getattr(history, "keys", ()):
        out = with_key_columns(out, getattr(model, "keys", ()))
    return out


def check_period_freq(freq, source) -> Optional[str]:
    """A saved period frequency (None: dates as timestamps; :data:`STEPS`: integer time
    steps), if pandas knows it."""
    if freq is None or freq == STEPS:
        return freq
    name = this_pandas_period_freq(str(freq))  # (years saved as 'Y-DEC' read by pandas 2.0)
    try:
        pd.Period("2000-01-01", freq=name)
    except (ValueError, TypeError):
        raise CheckpointError(f"{source}: the dates' period frequency {freq!r} is not one "
                              f"pandas knows; the file is damaged: save the model again") from None
    return name


def _positions(values) -> pd.Index:
    """The index of a dict's value: a pandas object's own, an array's or a list's
    positions (0, 1, 2, ...)."""
    index = getattr(values, "index", None)
    return index if isinstance(index, pd.Index) else pd.Series(values).index
