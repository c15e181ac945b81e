"""Dates of a series: the date column and how its text is read (day first or month
first). The calendar it keeps (its pandas frequency, allowing some missing dates) and the
seasonal period that calendar usually carries: :mod:`rnnlab.data.frequency`."""

from __future__ import annotations

import datetime
from typing import Optional, Union

import numpy as np
import pandas as pd

from ..io.errors import DataError
from ..listing import first_few
from .csv_file import require_column
from .date_forms import (MONTH_YY_TEXT, PERIOD_TEXT, local_dates, period_dates,
                         with_offsets)
from .date_order import check_order
from .day_month import both_ways
from .fiscal_years import refuse_fiscal_years
from .half_years import refuse_bad_halves
from .iso_weeks import refuse_bad_weeks
from .end_of_day import end_of_day, plus_a_day
from .frequency import infer_freq_with_gaps, infer_period  # noqa: F401  (their old home)

Freq = Union[str, pd.offsets.BaseOffset]  # a step: an alias ('MS') or an offset


def describe_rows(mask: np.ndarray, labels) -> str:
    """The labels (dates or row numbers) of the rows ``mask`` marks, the first eight."""
    rows = [str(labels[i]) for i in np.flatnonzero(mask)[:8]]
    return first_few(rows, 8, total=int(mask.sum()))


def find_date_column(df: pd.DataFrame, date_column, source=None):
    """The date column of ``df``: ``date_column`` (checked: a DataError naming ``source``,
    the file or table read, when it is missing), else one named like dates or the one whose
    values are dates; None for ``date_column=False`` or when none is found."""
    if date_column is False:
        return None
    if date_column is not None:
        require_column(df, date_column, "date column", source)
        return date_column
    for c in df.columns:
        if str(c).lower() in _DATE_NAMES and not _counter_named_like_dates(df[c]):
            return c
    # no usual name (week, Quarter, Period, ...): the one column whose values are dates
    found = [c for c in df.columns if looks_like_dates(df[c])]
    return found[0] if len(found) == 1 else None


_DATE_NAMES = ("date", "data", "month", "time", "timestamp", "datetime", "ds", "day", "week",
               "quarter", "period", "year")
# a year of four digits beside a month, day, quarter or month name: 1949-01, 07/01/2018,
# 01/2018, 1998Q1, Jan 1949, Jan-1949, 1949-Jan, 01-Jan-2020, January 01, 2020, Wed 01 Jan
# 2020; or Excel's Jan-18 (a number alone, such as a price or a year, is not a date here)
_DATE_TEXT = (r"^\s*(\d{4}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4}|\d{1,2}[-/][12]\d{3}\b|"
              + PERIOD_TEXT + "|" + MONTH_YY_TEXT + "|"
              r"([A-Za-z]{3,9},?\s+)?\d{1,2}[-\s]+[A-Za-z]{3,9}\.?[-\s]+\d{4}|"
              r"[A-Za-z]{3,9}\.?[-\s]+(\d{1,2}(st|nd|rd|th)?,?\s+)?\d{4}|"
              r"\d{4}[-\s]+[A-Za-z]{3,9}\b)")


def _counter_named_like_dates(col) -> bool:
    """A numeric column named time/day/period that holds no dates (0, 1, 2, ... steps):
    the rows' numbers, not a calendar."""
    if not pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col):
        return False
    try:
        _numeric_dates(col)
    except ValueError:
        return True
    return False


def looks_like_dates(col) -> bool:
    """Whether a column (or an index) holds dates: datetime or period values (Python's
    ``datetime.date`` and ``datetime`` objects too), or text whose every value is written
    like a date and reads as one."""
    if isinstance(col.dtype, pd.PeriodDtype) or pd.api.types.is_datetime64_any_dtype(col):
        return True
    if not (col.dtype == object or pd.api.types.is_string_dtype(col)):
        return False
    col = pd.Series(col).dropna().iloc[:1000]  # enough to tell; parse_dates reads them all
    if len(col) and all(isinstance(v, (datetime.date, np.datetime64)) for v in col):
        return True  # Python dates (groupby(ts.dt.date) gives an index of them), datetimes
    if len(col) == 0 or not all(isinstance(v, str) for v in col.iloc[:50]):
        return False
    if not col.astype(str).str.match(_DATE_TEXT).all():
        return False
    for dayfirst in (False, True):  # 01/02/2020 then 13/02/2020: day first
        try:
            _to_dates(col.iloc[:50].reset_index(drop=True), dayfirst)
            return True
        except pd.errors.OutOfBoundsDatetime:  # (pandas 2, past 2262: dates, refused
            return True  # by parse_dates as a date typed wrong, not read as steps)
        except (ValueError, TypeError, OverflowError):
            continue
    return False


def index_dates(index, source: str) -> Optional[pd.DatetimeIndex]:
    """The dates of a pandas index (DatetimeIndex, PeriodIndex, or text written as dates:
    ``pd.read_csv(..., index_col=0)`` without ``parse_dates``), checked like a date column;
    None when the index holds no dates (a RangeIndex, numbers, names)."""
    if isinstance(index, pd.PeriodIndex):
        index = index.to_timestamp()
    if isinstance(index, pd.DatetimeIndex):
        check_order(index, source, "index")
        return index
    if isinstance(index, pd.MultiIndex) or not looks_like_dates(pd.Series(index)):
        return None
    return parse_dates(pd.Series(index), source, "index")


_NUMERIC_DATE = r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?!\d)"  # 01/02/2015, 31.12.20
_DOTTED_DATE = r"^\s*\d{1,2}\.\d{1,2}\.\d{2,4}(?!\d)"


def _numeric_dates(col: pd.Series) -> pd.DatetimeIndex:
    """Dates written as numbers: years (1950), yyyymm (202001) or yyyymmdd (20200131).
    Other numbers are refused (ValueError): pandas would read them as nanoseconds after
    1970, a silently wrong calendar."""
    v = col.to_numpy(dtype=np.float64, na_value=np.nan)
    if len(v) and np.isfinite(v).all() and (v == np.round(v)).all():
        for lo, hi, fmt in ((1000, 2999, "%Y"), (100001, 299912, "%Y%m"),
                            (10000101, 29991231, "%Y%m%d")):
            if ((v >= lo) & (v <= hi)).all():
                return pd.DatetimeIndex(pd.to_datetime(pd.Series(v.astype(np.int64)).astype(str),
                                                       format=fmt))
    such = "no numbers (an empty column)"  # (iloc[0] of none: pandas' IndexError)
    if len(v):
        first = col.iloc[0]  # (as written, not np.float64(1.0))
        such = f"numbers such as {first.item() if hasattr(first, 'item') else first!r}"
    name = str(col.name) if col.name is not None else "ds"
    whole = len(v) and np.isfinite(v).all() and (v == np.round(v)).all() \
        and col.dtype.kind == "f"  # (integer steps that a NaN once made floats)
    raise ValueError(f"{such} are not dates; expected years (1950), yyyymm (202001) or "
                     f"yyyymmdd (20200131) numbers, or dates as text" + (
                         "; whole numbers written as floats (1.0, 2.0) are integer time steps "
                         f"once integers: df[{name!r}] = df[{name!r}].astype(int)" if whole
                         else ""))


def _to_dates(col: pd.Series, dayfirst: bool) -> pd.DatetimeIndex:
    import warnings

    if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
        return _numeric_dates(col)
    periods = period_dates(col)  # 1998Q1, 2019M01, 2019-W02: each one's first day
    if periods is not None:
        return periods
    late = end_of_day(col)  # hour-ending 24:00: the next day's 00:00
    if late is not None:
        return plus_a_day(_to_dates(late[0], dayfirst), late[1])
    with warnings.catch_warnings():  # pandas warns when dayfirst disagrees with its guess
        warnings.simplefilter("ignore")
        try:
            return pd.DatetimeIndex(pd.to_datetime(col, errors="raise", dayfirst=dayfirst))
        except ValueError:
            if not with_offsets(col):
                raise
            # each date with its UTC offset, which changed (daylight saving time, as
            # pandas writes a zone's dates): days, weeks, months at one clock time, as on
            # the calendar (in UTC they drift an hour: no frequency, or month ends at
            # 23:00); times of day: one instant each, in UTC
            local = local_dates(col, dayfirst)
            return local if local is not None else pd.DatetimeIndex(
                pd.to_datetime(col, errors="raise", dayfirst=dayfirst, utc=True))


def _day_first(col: pd.Series, source: str, name, ordered: bool = True,
               freq: Optional[Freq] = None, expected=None) -> bool:
    """Whether dates written dd/mm/yyyy or mm/dd/yyyy put the day first. A field above 12
    decides; otherwise the reading whose dates increase on a regular calendar is taken
    (``ordered=False``: whose distinct dates, sorted, lie on one; ``freq``: the one whose
    dates step by it, where only one does: a week of days 01/03 .. 07/03 is also the 1st
    of seven months; ``expected``: a function giving the dates it should hold, where one
    reading holds one: tomorrow's 02/01/2015 after 2015-01-01), and a column both readings
    fit is refused rather than guessed (:mod:`.day_month`)."""
    fields = col.astype(str).str.extract(_NUMERIC_DATE)
    if fields.isna().to_numpy().any():
        return False  # not (all) of that form: pandas' own reading
    first, second = fields[0].astype(int), fields[1].astype(int)
    if (first > 12).any() or (second > 12).any():
        return bool((first > 12).any())
    if (first == second).all():  # (01/01/2015, 03/03: one date either way, refused as two)
        return False
    if col.astype(str).str.match(_DOTTED_DATE).all():
        return True  # 01.02.2020: written so day first (German, French, Russian, ...), never
        # month first: a short column of them was refused as reading both ways
    if freq is not None:
        stepping = [d for d in (False, True) if _steps_by(col, d, freq)]
        if len(stepping) == 1:
            return stepping[0]
    fits = []
    for dayfirst in (False, True):
        try:
            idx = _to_dates(col, dayfirst)
        except (ValueError, TypeError):
            continue
        if not ordered:  # a long table: every series' dates, in any order
            idx = idx.unique().sort_values()
        if idx.is_monotonic_increasing and idx.is_unique and \
                infer_freq_with_gaps(idx)[0] is not None:
            fits.append(dayfirst)
    if len(fits) == 1:
        return fits[0]
    if expected is not None:  # (called here only: 0.5 s for 10,000 series' ends)
        want = expected()
        hits = [d for d in (False, True) if _to_dates(col, d).isin(want).any()]
        if len(hits) == 1:
            return hits[0]
    v = col[(first != second).to_numpy()].iloc[0]  # (one that reads as two dates)
    day, month = (_to_dates(pd.Series([v]), d)[0].date() for d in (True, False))
    raise both_ways(source, name, v, day, month, asked=expected is not None)


def _steps_by(col: pd.Series, dayfirst: bool, freq: Freq) -> bool:
    """Whether ``col`` read with ``dayfirst`` holds distinct dates on a grid of ``freq``
    whose first two dates are next to each other on it."""
    try:
        idx = _to_dates(col, dayfirst).unique().sort_values()
        grid = pd.date_range(idx[0], idx[-1], freq=freq)
    except (ValueError, TypeError, IndexError):
        return False
    return bool(idx.isin(grid).all()) and (len(idx) < 2 or grid[1] == idx[1])


def read_dates(col: pd.Series, source: str, name, freq: Optional[Freq] = None,
               expected=None) -> pd.DatetimeIndex:
    """The dates of a column holding several series' dates (a long panel's), in any order
    and repeated: day first or month first is decided on its distinct dates, as
    :func:`parse_dates` does (``freq``, when known: the reading on its grid; ``expected``:
    a function giving dates it should hold, where its grid cannot tell); quarters
    (1998Q1) are read as their first day. Raises ValueError or TypeError on values that
    are not dates."""
    col = pd.Series(col).reset_index(drop=True)
    _refuse_periods(col, source, name)
    text = col.dtype == object or pd.api.types.is_string_dtype(col)
    dayfirst = text and _day_first(pd.Series(pd.unique(col)), source, name, ordered=False,
                                   freq=freq, expected=expected)
    if text:  # each distinct text read once (a panel repeats each date in every series:
        # its period forms' patterns were matched row by row, 5 s per 600,000 rows)
        codes, distinct = pd.factorize(col, use_na_sentinel=False)
        if 1 < len(distinct) < len(col):  # (one date: read as the column, local_dates' rule)
            try:
                return _to_dates(pd.Series(distinct, name=col.name), dayfirst)[codes]
            except (ValueError, TypeError):
                pass  # read again row by row: its error names the row
    return _to_dates(col, dayfirst)


def _refuse_periods(col: pd.Series, source: str, name) -> None:
    """DataError for a column of fiscal years (2005-06, 2006-07: read as months), of ISO
    weeks or half-years that do not exist (2021-W54, 2015-H3), or of those mixed with other
    dates: each said with what to write."""
    for refuse in (refuse_fiscal_years, refuse_bad_weeks, refuse_bad_halves):
        refuse(col, source, name)


def parse_dates(col: pd.Series, source: str, name) -> pd.DatetimeIndex:
    if isinstance(col.dtype, pd.PeriodDtype):  # periods: their first days (as index_dates)
        col = col.dt.to_timestamp()
    _refuse_periods(col, source, name)
    try:
        text = col.dtype == object or pd.api.types.is_string_dtype(col)
        idx = _to_dates(col, _day_first(col, source, name) if text else False)
    except DataError:  # (a ValueError: said already; it was cut to 120 characters inside
        raise  # "dates in mixed formats (...)")
    except (ValueError, TypeError) as e:
        bad = _unparsed_dates(col)
        if isinstance(e, pd.errors.OutOfBoundsDatetime) and bad:  # (pandas 2: nanoseconds)
            raise DataError(f"{source}: date column {name!r} has a date outside the years "
                            f"pandas {pd.__version__} holds, 1677 to 2262 ({bad}): a date "
                            f"typed wrong? correct or drop that row") from None
        what = (f"values that are not dates ({bad})" if bad
                else f"dates in mixed formats ({str(e).split('. You might')[0][:120]})")
        raise DataError(f"{source}: date column {name!r} has {what}; fix them in the file (one "
                        f"format, e.g. 2020-01-31), or pass date_column=False (--date-column "
                        f"none) to ignore the column") from None
    check_order(idx, source, name)
    return idx


def _unparsed_dates(col: pd.Series) -> str:
    """The first values pandas cannot read as dates, with their rows counted from 1 after
    the header ("" when each alone parses, i.e. the column mixes formats)."""
    bad = []
    for i, v in enumerate(col):
        if pd.isna(v):
            bad.append(f"data row {i + 1}: empty")
        else:
            try:
                _to_dates(pd.Series([str(v)]), False)
            except (ValueError, TypeError):
                bad.append(f"data row {i + 1}: {str(v)[:40]!r}")
        if len(bad) == 3:
            break
    return ", ".join(bad)
