"""Dates of a series: the date column, how its text is read (day first or month
first), and the calendar it keeps (its pandas frequency, allowing some missing dates)
with the seasonal period that calendar usually carries."""

from __future__ import annotations

from typing import Optional, Tuple

import numpy as np
import pandas as pd

from ..io.errors import DataError

# pandas frequency prefixes -> the seasonal period they usually carry
_PERIODS = {"MS": 12, "ME": 12, "M": 12, "QS": 4, "QE": 4, "Q": 4, "W": 52, "h": 24, "H": 24,
            "B": 5, "D": 7}


def infer_period(freq: Optional[str]) -> Optional[int]:
    """Seasonal period of a pandas frequency: monthly 12, quarterly 4, weekly 52, ..."""
    if not freq:
        return None
    base = freq.lstrip("0123456789").split("-")[0]
    for key in sorted(_PERIODS, key=len, reverse=True):
        if base == key or (len(key) > 1 and base.startswith(key)):
            return _PERIODS[key]
    return _PERIODS.get(base[:1])


def describe_rows(mask: np.ndarray, labels) -> str:
    """The labels (dates or row numbers) of the rows ``mask`` marks, the first eight."""
    rows = [str(labels[i]) for i in np.flatnonzero(mask)[:8]]
    more = int(mask.sum()) - len(rows)
    return ", ".join(rows) + (f" and {more} more" if more > 0 else "")


def find_date_column(df: pd.DataFrame, date_column):
    if date_column is False:
        return None
    if date_column is not None:
        if date_column not in df.columns:
            raise DataError(f"date column {date_column!r} not found; columns are "
                            f"{[str(c) for c in df.columns]}")
        return date_column
    for c in df.columns:
        if str(c).lower() in ("date", "data", "month", "time", "timestamp", "datetime", "ds", "day"):
            return c
    return None


def _infer_freq(index: pd.DatetimeIndex) -> Optional[str]:
    import warnings

    if len(index) < 3:
        return None
    with warnings.catch_warnings():  # pandas 3 may return an offset, not a string
        warnings.simplefilter("ignore")
        try:
            f = pd.infer_freq(index)
        except (ValueError, TypeError):
            return None
    return getattr(f, "freqstr", f)


MAX_GAP_FRACTION = 0.2  # at most this share of a frequency's grid may be missing


def infer_freq_with_gaps(index: pd.DatetimeIndex) -> Tuple[Optional[str], int]:
    """(pandas frequency, dates of its grid missing) of a date index.

    ``pd.infer_freq`` needs every date present: one holiday in business-day prices or
    one missing month makes it give up. Here the frequency of short stretches (five
    dates at a time) is tried on the whole index: it is taken when every date lies on
    its grid and at most :data:`MAX_GAP_FRACTION` of the grid is missing. Otherwise
    (None, 0): the dates are irregular."""
    whole = _infer_freq(index)
    if whole is not None or len(index) < 5:
        return whole, 0
    from collections import Counter

    votes: Counter = Counter()
    for start in range(0, len(index) - 4, max(1, (len(index) - 4) // 64)):
        f = _infer_freq(index[start:start + 5])
        if f is not None:
            votes[f] += 1
    for cand, _ in votes.most_common(4):
        try:
            grid = pd.date_range(index[0], index[-1], freq=cand)
        except (ValueError, TypeError):
            continue
        missing = len(grid) - len(index)
        if 0 <= missing <= MAX_GAP_FRACTION * len(grid) and index.isin(grid).all():
            return cand, missing
    return None, 0


_NUMERIC_DATE = r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-]\d{4}"  # 01/02/2015, 31.12.2020


def _to_dates(col: pd.Series, dayfirst: bool) -> pd.DatetimeIndex:
    import warnings

    with warnings.catch_warnings():  # pandas warns when dayfirst disagrees with its guess
        warnings.simplefilter("ignore")
        return pd.DatetimeIndex(pd.to_datetime(col, errors="raise", dayfirst=dayfirst))


def _day_first(col: pd.Series, source: str, name) -> bool:
    """Whether dates written dd/mm/yyyy or mm/dd/yyyy put the day first. A field above 12
    decides; otherwise the reading whose dates increase on a regular calendar is taken,
    and a column both readings fit is refused rather than guessed."""
    fields = col.astype(str).str.extract(_NUMERIC_DATE)
    if fields.isna().to_numpy().any():
        return False  # not (all) of that form: pandas' own reading
    first, second = fields[0].astype(int), fields[1].astype(int)
    if (first > 12).any() or (second > 12).any():
        return bool((first > 12).any())
    fits = []
    for dayfirst in (False, True):
        try:
            idx = _to_dates(col, dayfirst)
        except (ValueError, TypeError):
            continue
        if idx.is_monotonic_increasing and idx.is_unique and \
                infer_freq_with_gaps(idx)[0] is not None:
            fits.append(dayfirst)
    if len(fits) == 1:
        return fits[0]
    raise DataError(f"{source}: date column {name!r} holds dates like {col.iloc[0]!r} that read "
                    f"as day/month and as month/day alike; write them as ISO dates "
                    f"(2015-02-01), or pass date_column=False (--date-column none)")


def parse_dates(col: pd.Series, source: str, name) -> pd.DatetimeIndex:
    try:
        text = col.dtype == object or pd.api.types.is_string_dtype(col)
        idx = _to_dates(col, _day_first(col, source, name) if text else False)
    except (ValueError, TypeError) as e:
        bad = _unparsed_dates(col)
        what = (f"values that are not dates ({bad})" if bad
                else f"dates in mixed formats ({str(e).split('. You might')[0][:120]})")
        raise DataError(f"{source}: date column {name!r} has {what}; fix them in the file (one "
                        f"format, e.g. 2020-01-31), or pass date_column=False (--date-column "
                        f"none) to ignore the column") from None
    if not idx.is_monotonic_increasing:
        raise DataError(f"{source}: date column {name!r} is not in increasing order; sort the file")
    dup = idx.duplicated(keep=False)
    if dup.any():
        raise DataError(f"{source}: date column {name!r} repeats dates ({describe_rows(dup, idx)}); "
                        f"expected one value per date: drop or aggregate the repeated rows")
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
