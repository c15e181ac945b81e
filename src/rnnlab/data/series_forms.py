"""How each input form becomes a series' values and dates: a DataFrame (its value column
and its date column or index), a pandas Series (its index as dates), an array or list, and
a pandas object indexed by (id, date) levels (:func:`levels_as_columns`); read by
:func:`rnnlab.data.series.load_series`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np
import pandas as pd

from ..io.errors import DataError
from .date_forms import period_form
from .date_forms import written_form
from .dates import find_date_column, index_dates, looks_like_dates, parse_dates
from .freq_names import this_pandas_period_freq
from .labels import step_column
from .table_forms import panel_hint, readable_numbers, year_and_part
from .value_column import one_column, pick_column


@dataclass(frozen=True)
class Dates:
    """A series' dates as read from its date column or index."""

    index: Optional[pd.DatetimeIndex] = None  # the dates (None: the values have none)
    period_freq: Optional[str] = None  # the freq of dates given as periods, given back so
    written: Optional[str] = None  # the strftime form of dates written as text, not ISO


def _dates(given, index) -> Dates:
    """The :class:`Dates` of a date column or index ``given``, read as ``index``."""
    if index is None:
        return Dates()
    return Dates(index, period_freq(given), written_form(given, index))


def from_frame(data: pd.DataFrame, source, column, date_column, name):
    """(the values' column, the series' name, its :class:`Dates`) of a DataFrame."""
    if data.empty:
        raise DataError(f"{source}: no rows")
    data, dcol, dates = _frame_dates(data, source, date_column)
    steps = step_column(data, column) if dates.index is None and dcol is None else None
    if dcol is not None and column is not None and str(column) == str(dcol):
        values = [str(c) for c in data.columns if str(c) != str(dcol)]
        raise DataError(f"{source}: column {column!r} holds the dates (read as the "
                        f"series' calendar), not values to forecast; choose one of "
                        f"{values} (column=NAME, --column NAME)")
    data = readable_numbers(data, dcol)
    candidates = data.drop(columns=[c for c in (dcol, steps) if c is not None and c != column])
    col = pick_column(candidates if column is None else data, column, source)
    raw = data[col] if steps is None else data[col].set_axis(  # (1.0, 2.0: as 1, 2)
        pd.Index(data[steps].to_numpy(np.int64)))
    return raw, name or str(col), dates


def _frame_dates(data: pd.DataFrame, source, date_column):
    """(the frame, its date column or None, its :class:`Dates`): from a date column
    (``date_column``, or one found), else the index."""
    if date_column not in (None, False) and date_column not in data.columns and \
            date_column == data.index.name:  # the dates named as the frame's index
        data = data.reset_index()
    if date_column is None:
        data = year_and_part(data)
    dcol = find_date_column(data, date_column, source)
    if dcol is not None:
        try:
            index = parse_dates(data[dcol], source, dcol)
        except DataError as e:
            raise DataError(panel_hint(data, dcol, source) or str(e)) from None
        return data, dcol, _dates(data[dcol], index)
    if date_column is not False:  # the dates as the frame's index
        found = index_dates(data.index, source)
        if found is None:
            _refuse_several_dates(data, source)
        return data, dcol, _dates(data.index, found)
    return data, dcol, Dates()


def _refuse_several_dates(data: pd.DataFrame, source) -> None:
    """Several columns of dates, none named as dates are (week_start, week_end), and no
    dates in the index: which one dates the series is asked, not left out (the series
    had no calendar: no seasonal period, forecasts numbered by step, without a word)."""
    found = [str(c) for c in data.columns if looks_like_dates(data[c])]
    if len(found) > 1:
        raise DataError(f"{source}: columns {', '.join(map(repr, found))} all hold dates; "
                        f"expected one date column: choose it (date_column=NAME, "
                        f"--date-column NAME), or date_column=False (--date-column none) "
                        f"for none")


def from_series(data: pd.Series, source, column, date_column, name):
    """As :func:`from_frame`, of a pandas Series (its index: the dates, if dates)."""
    one_column(column, data.name, source)
    name = name or (str(data.name) if data.name is not None else "value")
    if date_column is False:
        return data, name, Dates()
    # a DatetimeIndex, a PeriodIndex or dates as text
    return data, name, _dates(data.index, index_dates(data.index, source))


def from_array(data, source, column, name):
    """As :func:`from_frame`, of an array of values (or a list): no dates."""
    one_column(column, None, source)
    if np.ma.isMaskedArray(data) and np.ma.getmask(data).any():  # masked values are missing
        # ones (np.asarray kept what lay under the mask as if it had been measured)
        data = np.ma.filled(np.ma.asarray(data, dtype=np.float64), np.nan)
    arr = np.asarray(data)
    if arr.ndim == 2 and 1 in arr.shape:
        arr = arr.reshape(-1)
    if arr.ndim == 0:
        raise DataError(f"expected a series: a dataset name, a CSV path, a pandas Series "
                        f"or DataFrame, or a 1-D array of values; got {type(data).__name__}")
    if arr.ndim != 1:
        rows, cols = arr.shape[:2]  # (fewer rows than columns: series by row, np.vstack's)
        part = (f"one row, data[k] (k < {rows}; {cols} values each)" if rows < cols else
                f"one column, data[:, k] (k < {cols})")
        hint = (f": one series is {part}, or a DataFrame and column=NAME; several series are "
                f"a panel (rnnlab.panel.read_panel)") if arr.ndim == 2 else ""
        raise DataError(f"expected a 1-D array of values, got shape {arr.shape}{hint}")
    return pd.Series(arr), name or "value", Dates()


def levels_as_columns(data):
    """A pandas object indexed by several levels (``df.set_index(["unique_id", "ds"])``):
    its levels of one value (one series' id) dropped, so a date level left alone dates the
    series as an index does; levels left beside it become columns, so several series are
    refused as a long table is (``panel_hint``). Read as it was, the levels were dropped:
    the series lost its dates, and several series were joined end to end into one."""
    levels = data.index
    one = [i for i in range(levels.nlevels) if levels.get_level_values(i).nunique() <= 1]
    data = data.droplevel(one[: levels.nlevels - 1])
    if not isinstance(data.index, pd.MultiIndex):
        return data
    if isinstance(data, pd.Series):
        data = data.to_frame("value" if data.name is None else data.name)
    return data.reset_index()


def period_freq(dates) -> Optional[str]:
    """The frequency ('M') of a PeriodIndex or a column of periods, of text written as
    quarters (1998Q1: 'Q-DEC') or months (2019M01: 'M'), as a panel reads them
    (:func:`~rnnlab.data.date_forms.period_form`), or years ('Y-DEC'; 'A-DEC' under
    pandas < 2.2) for years written as numbers (1970: forecast as 2010, not 2010-01-01
    00:00:00); else None."""
    if isinstance(getattr(dates, "dtype", None), pd.PeriodDtype):
        return pd.PeriodIndex(dates).freqstr
    return period_form(dates) or (this_pandas_period_freq("Y-DEC") if _years(dates) else None)


def _years(col) -> bool:
    """Whether ``col`` holds whole numbers from 1000 to 2999 (a date column: years)."""
    col = pd.Series(col)
    if not pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col):
        return False
    v = col.to_numpy(dtype=np.float64, na_value=np.nan)
    return bool(len(v)) and bool(((v >= 1000) & (v <= 2999) & (v == np.round(v))).all())
