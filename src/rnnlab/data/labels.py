"""The labels of a series' values: row labels for messages, and the whole numbers that
label a series without dates (an integer pandas index), continued by its forecasts."""

from __future__ import annotations

import numpy as np
import pandas as pd


def number_labels(idx: pd.Index):
    """(first, step) of whole numbers rising by a constant step (a slice 100, 101, ... of a
    longer series, years 1950, 1951, ..., also as floats 1950.0: a year column of a CSV
    with an empty cell, set as the index), so forecasts continue them; else (0, 1)."""
    v = _whole_numbers(idx)
    if v is None or len(v) == 0:
        return 0, 1
    d = np.diff(v)
    if len(d) > 1 and d[0] < 0 and (d == d[0]).all():  # 2020, 2019, ...: newest first
        from ..io.errors import DataError

        raise DataError(f"series: the index decreases ({v[0]}, {v[1]}, ... {v[-1]}), so the "
                        f"values run newest first; expected them in time order: sort it "
                        f"(.sort_index())")
    if len(d) and not _evenly_rising(v):
        return 0, 1
    return int(v[0]), int(d[0]) if len(d) else 1


def _whole_numbers(idx: pd.Index):
    """The labels ``idx`` as int64 when they are whole numbers (an integer index, or a
    float one whose values are all whole and finite); else None."""
    if pd.api.types.is_bool_dtype(idx):
        return None
    if pd.api.types.is_integer_dtype(idx) and not idx.hasnans:
        return idx.to_numpy(dtype=np.int64)
    if idx.dtype == object and pd.api.types.infer_dtype(idx, skipna=False) == "integer":
        try:  # (Python ints: an index made from a list, or a column of mixed rows)
            return np.asarray(idx, dtype=np.int64)
        except OverflowError:
            return None
    if pd.api.types.is_float_dtype(idx):
        v = idx.to_numpy(dtype=np.float64, na_value=np.nan)
        if np.isfinite(v).all() and (v == np.round(v)).all() and (np.abs(v) < 2 ** 53).all():
            return v.astype(np.int64)
    return None


def lost_labels(idx: pd.Index, n: int):
    """What to say when the index ``idx`` of a series without dates labels its values in a
    way forecasts cannot continue (durations, fractions 0.5, 1.0, ..., names, whole numbers
    with uneven steps): they are numbered 0, 1, ... and forecasts n, n + 1, ..., where the
    index' labels were dropped without a word. None when ``idx`` is continued or is the
    default 0, 1, ... (an array's)."""
    if len(idx) < 2 or isinstance(idx, pd.RangeIndex):
        return None
    v = _whole_numbers(idx)
    if v is not None and _evenly_rising(v):
        return None
    shown = ", ".join(str(x) for x in idx[:3])
    return (f"its index ({type(idx).__name__} of {idx.dtype}: {shown}, ...) is neither dates "
            f"nor whole numbers rising by a constant step, so it does not label the "
            f"forecasts: the values are read as steps 0, 1, ... and forecasts are numbered "
            f"{n}, {n + 1}, ...; give the series a DatetimeIndex or PeriodIndex "
            f"(pd.to_datetime) or an integer index to continue")


class RowLabels:
    """Row labels for messages, made when asked: the dates' days, else the index (a list
    of millions of date strings made in advance cost more memory than the series)."""

    def __init__(self, rows, dates):
        self.rows, self.dates = rows, dates

    def __getitem__(self, i):
        return str(self.dates[i].date()) if self.dates is not None else self.rows[i]


def step_column(df: pd.DataFrame, column):
    """The column of whole numbers labelling the rows in time (NeuralForecast's integer
    ``ds``: 1, 2, 3, ...; ``time`` 0, 5, 10, ...) of a table without dates: a numeric
    column named like a date column whose values are no dates, beside another numeric
    column to forecast (``column`` is never it); else None. Its numbers label the values and
    their forecasts continue them (they were dropped, and the forecasts numbered from the
    frame's index 0, 1, ...: ds 101..140 forecast as 40, 41, ...); whole numbers written as
    floats (1.0, 2.0: a merge's NaN made them floats once) too, as the integers they are."""
    from .dates import _DATE_NAMES, _counter_named_like_dates

    found = [c for c in df.columns if str(c).lower() in _DATE_NAMES and str(c) != str(column)
             and _whole(df[c]) and _counter_named_like_dates(df[c])
             and _evenly_rising(df[c].to_numpy(np.int64))]  # (a day of the month is not)
    others = [c for c in df.columns if c not in found and pd.api.types.is_numeric_dtype(df[c])]
    return found[0] if len(found) == 1 and (others or column is not None) else None


def _evenly_rising(v: np.ndarray) -> bool:
    """Whole numbers rising by one positive step: labels a forecast can continue."""
    d = np.diff(v)
    return len(d) > 0 and d[0] > 0 and bool((d == d[0]).all())


def _whole(col: pd.Series) -> bool:
    """Integers, or floats that are all whole numbers (no NaN, none past 2**53)."""
    if pd.api.types.is_integer_dtype(col):
        return True
    if not pd.api.types.is_float_dtype(col):
        return False
    v = col.to_numpy(np.float64, na_value=np.nan)
    return bool(len(v) and (np.abs(v) < 2.0 ** 53).all() and (v == np.round(v)).all())
