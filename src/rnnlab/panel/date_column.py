"""A long table's date column read as datetimes: dates written in any of the forms
:func:`rnnlab.data.dates.read_dates` reads, periods, integer time steps (as their
internal days, :mod:`.int_steps`), and a DataError naming the first value that is no
date. Read by :func:`rnnlab.panel.long_table.to_long` and by every reader of a forecast's
or a future table's dates (accuracy, ``future=``, ``rnnlab score``)."""

from __future__ import annotations

import warnings
from typing import Optional

import pandas as pd

from ..data.date_forms import object_periods
from ..data.dates import Freq, read_dates
from ..io.errors import DataError


def column_dates(col: pd.Series, source, name, freq: Optional[Freq] = None,
                 expected=None) -> pd.Series:
    """A long table's date column as datetimes (day first or month first decided on its
    distinct dates, or by ``freq`` when known, or by the dates ``expected()`` gives that
    it should hold: a future table's first forecast dates; periods and quarters as their first day;
    integer time steps as their internal days, :mod:`.int_steps`); DataError on other
    values."""
    from .int_steps import is_steps, steps_to_dates

    if is_steps(col):  # integer time steps: days on a fixed grid inside (.int_steps)
        return steps_to_dates(col, source, name)
    if pd.api.types.is_timedelta64_dtype(col):  # (pandas said it "cannot be converted")
        raise DataError(f"{source}: date column {name!r} holds durations ({col.dtype}: "
                        f"{col.iloc[0]}, ...), not dates; add them to the start's date "
                        f"(pd.Timestamp('2024-01-01') + ds) or number the steps "
                        f"(ds // pd.Timedelta(STEP): integer time steps 0, 1, 2, ...)")
    periods = object_periods(col)  # (Periods in an object column: a future table's)
    if periods is not None:
        col = pd.Series(periods.array, index=col.index, name=col.name)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if isinstance(col.dtype, pd.PeriodDtype):
                return col.dt.to_timestamp()
            return pd.Series(read_dates(col, source, name, freq, expected), index=col.index)
    except DataError:
        raise  # its own reason (dates both day and month first), not wrapped in another
    except pd.errors.OutOfBoundsDatetime as e:  # (pandas 2, all Python 3.10 installs)
        raise DataError(f"{source}: date column {name!r} has a date outside the years pandas "
                        f"{pd.__version__} holds, 1677 to 2262 ({str(e).split('. ')[0][:120]}):"
                        f" a date typed wrong? Fix it in the file") from None
    except (ValueError, TypeError) as e:
        raise DataError(f"{source}: date column {name!r} has values that are not dates "
                        f"({_not_a_date(col, e)}); write them as ISO dates (2015-02-01), or "
                        f"as integer time steps (1, 2, 3, ...)") from None


def _not_a_date(col: pd.Series, e: Exception) -> str:
    """pandas' reason, without its advice on pandas' arguments (``format='mixed'``, which
    a command line user cannot pass), and the row of the first value that is no date on
    its own (a line cut short: "2003-0")."""
    said = str(e).split(" You might want to try")[0].strip().rstrip(".")[:240]
    values = col.dropna().drop_duplicates()  # (each distinct value once, at its first row)
    if len(values) > 10000:  # (an error's detail: not worth parsing a huge table twice)
        return said
    try:  # (one call, each value's format its own: a value at a time took 28 s on 40,000
        with warnings.catch_warnings():  # rows, a million rows a quarter of an hour)
            warnings.simplefilter("ignore")
            alone = pd.to_datetime(values, errors="coerce", format="mixed")
    except (ValueError, TypeError, OverflowError):
        return said
    bad = values[alone.isna().to_numpy()]
    return f"{said}; row {bad.index[0]}: {str(bad.iloc[0])[:40]!r}" if len(bad) else said
