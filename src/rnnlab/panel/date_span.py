"""A series whose calendar, from its first to its last date, would hold far more dates
than it has rows is refused before its missing dates are added: one date typed wrong
(9999-12-31 among a year of daily rows) made ``read_panel`` build millions of empty rows
per series (seconds, and gigabytes with hourly data) only to refuse their NaN values, or,
with ``fill``, to train on them."""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.tseries.frequencies import to_offset

from ..callers_line import callers_level
from ..data.date_typo import TYPED_WRONG
from ..io.errors import DataError
from .long_table import DS, ID
from .week_freq import freq_name

MAX_DATES_PER_ROW = 100  # a calendar may hold this many dates per row the series has,
MIN_DATES = 100_000  # and this many whatever its rows (sparse series, filled with zero)
MAX_LOOKED_AT = 20  # the series missing much of their calendar looked at for typed dates


def check_spans(long: pd.DataFrame, freq: str, source: str) -> None:
    """Refuse a series of ``long`` (one row per id and date) whose ``freq`` calendar from
    its first to its last date holds more than ``max(MIN_DATES, MAX_DATES_PER_ROW * rows)``
    dates, naming it, its first and last dates and its rows."""
    from .int_steps import shown_date

    try:
        off = to_offset(freq)
    except (ValueError, TypeError):
        return  # (integer steps, or a calendar the caller refuses)
    if long.empty or not pd.api.types.is_datetime64_any_dtype(long[DS]):
        return
    by = long.groupby(ID, sort=False)[DS]
    spans = pd.DataFrame({"first": by.min(), "last": by.max(), "rows": by.size()})
    spans["limit"] = (spans["rows"] * MAX_DATES_PER_ROW).clip(lower=MIN_DATES)
    # only a span longer than limit steps of the calendar's shortest can exceed: the
    # others are let through on the whole column, the few left counted date by date
    wide = spans[_span_seconds(spans) > spans["limit"] * _shortest_step(off)]
    for uid, s in wide.iterrows():
        # (wall clock: pandas cannot localize a date past 9999, a zone's monthly panel was
        # NotImplementedError)
        first, last = (_wall(s[k]) for k in ("first", "last"))
        end = _limit_date(first, int(s["limit"]), off)  # (the limit-th date of its calendar)
        if end is not None and last > end:
            raise DataError(f"{source}: series {uid!r} runs from {shown_date(s['first'])} to "
                            f"{shown_date(s['last'])}: more than {int(s['limit']):,} dates "
                            f"of its {freq_name(freq)} calendar for {int(s['rows'])} rows (refused "
                            f"before adding the missing ones); {TYPED_WRONG}")


def _limit_date(first: pd.Timestamp, n: int, off):
    """``first`` plus ``n`` steps of ``off``, or None past the last date pandas holds (2262
    in nanoseconds). In microseconds where nanoseconds cannot hold the steps themselves
    (pandas 2's only unit: 100,000 business days from 1800, 140,000 days, overflowed though
    2183 is held, and the series was let through)."""
    for date in (first, first.as_unit("us") if first.unit == "ns" else None):
        try:
            return None if date is None else date + n * off
        except (OverflowError, ValueError):  # (OutOfBoundsDatetime/Timedelta: ValueErrors)
            continue
    return None


def _span_seconds(spans: pd.DataFrame) -> pd.Series:
    """Seconds from each series' first date to its last; infinite (counted date by date)
    where nanoseconds cannot hold them: a span past 292 years in a column of nanoseconds
    (pandas 2's only unit: 1700 typed for 2001 was an OverflowError, a traceback)."""
    try:
        return (spans["last"] - spans["first"]).dt.total_seconds()
    except OverflowError:
        return pd.Series(np.inf, index=spans.index)


def _shortest_step(off) -> float:
    """Seconds no step of the calendar ``off`` is shorter than: half the shortest of its
    steps over five years (a month's 28 days, a business day's one, an hour; the half a
    margin for a daylight saving hour and steps those years lack); a nanosecond where
    pandas cannot count them (a step of centuries), which lets no series through unseen."""
    try:
        dates = pd.date_range("2001-01-01", periods=_STEPS_LOOKED_AT, freq=off)
    except (ValueError, TypeError, OverflowError):  # (OutOfBoundsDatetime: a ValueError)
        return 1e-9
    shortest = float(np.diff(dates.asi8).min()) * pd.Timedelta(1, unit=dates.unit).value
    return shortest / 2e9 if len(dates) > 1 and shortest > 0 else 1e-9


_STEPS_LOOKED_AT = 61  # five years of months: a February of 28 days, 31-day months


def _wall(date: pd.Timestamp) -> pd.Timestamp:
    """``date``'s clock time, without its time zone."""
    return date.tz_localize(None) if date.tz is not None else date


def check_typed_dates(long: pd.DataFrame, freq: str, source: str) -> None:
    """Refuse a series of ``long`` missing more than :data:`MAX_GAP_FRACTION` of its
    ``freq`` calendar when one or two of its dates break the grid the others follow
    (:mod:`rnnlab.data.grid_typos`), naming them: 2012-01-01 typed for 2019-01-01 among
    30 months was refused as 84 NaN values to fill, and ``fill='ffill'`` filled them. A
    date on the grid that other series have too is true, not typed (:func:`_shared`)."""
    from ..data.frequency import MAX_GAP_FRACTION
    from ..data.grid_typos import grid_break, option_words

    if long.empty or not pd.api.types.is_datetime64_any_dtype(long[DS]):
        return
    try:  # (a calendar's mean step: 12 of its steps from the panel's first date)
        start = long[DS].min()
        step = (start + 12 * to_offset(freq) - start) / 12
    except (ValueError, TypeError, OverflowError):
        return  # (integer steps, or a calendar the caller refuses)
    by = long.groupby(ID, sort=False)[DS]
    spans = pd.DataFrame({"first": by.min(), "last": by.max(), "rows": by.size()})
    about = (spans["last"] - spans["first"]) / step + 1  # (the dates its calendar holds)
    wide = spans[about - spans["rows"] > 0.9 * MAX_GAP_FRACTION * about]  # (a margin)
    for uid in wide.index[:MAX_LOOKED_AT]:
        ds = pd.DatetimeIndex(long.loc[long[ID] == uid, DS].sort_values())
        span = len(pd.date_range(ds[0], ds[-1], freq=freq))
        # (in ns as floats: 9021-06-01 in ns was OutOfBoundsDatetime; pandas 3: s, us)
        steps = np.diff(ds.asi8).astype(float) * pd.Timedelta(1, unit=ds.unit).value
        jumps = np.sort(steps)[-2:].sum() / step.value - 2  # (the dates they skip)
        found = grid_break(ds) if span - len(ds) > MAX_GAP_FRACTION * span and \
            jumps > (span - len(ds)) / 2 else None  # (missing dates strewn about: sparse)
        if not found:
            continue
        one = len(found.positions) == 1
        hint = option_words(one, all(e is not None for e in found.expected), "read_panel")
        if not _shared(found, ds, long, uid):
            raise DataError(f"{source}: series {uid!r}: {found.said}; " + (
                TYPED_WRONG if one else "dates typed wrong? correct or drop those rows") +
                f"; or {hint}")
        _say_shared(f"{source}: series {uid!r}: {found.said}", one, hint)


def _say_shared(said: str, one: bool, hint: str) -> None:
    """A CalendarWarning that the dates ``said`` were read as true after a gap: a date
    typed wrong that lands on a date other series have (2012-01-01 for 2019-01-01, the
    panel's first month) is read so too, and ``fill=`` filled its gap without a word."""
    import warnings

    from ..forecast.history import CalendarWarning

    it = "it" if one else "them"
    warnings.warn(f"{said}; read as a true date{'' if one else 's'} after a gap, as other "
                  f"series have {it} (a series paused, then sold again); if {it} "
                  f"{'was' if one else 'were'} typed wrong, correct {it} or {hint}",
                  CalendarWarning, stacklevel=callers_level(5))  # (read_panel's caller, or fit's)


def _shared(found, ds: pd.DatetimeIndex, long: pd.DataFrame, uid) -> bool:
    """Whether the dates ``found`` names in series ``uid`` (dates ``ds``) all lie on the
    grid, at its ends, and other series of ``long`` have each of them: true dates after a
    real gap (a product sold again on the panel's last month, 2021-07-01, one keystroke
    from the 2020-07-01 its grid expected after a pause), not typed wrong."""
    if any(found.off) or not set(found.positions) <= {0, len(ds) - 1}:
        return False  # (off the grid, or amid the series: a typo's usual place)
    dates = ds[list(found.positions)]
    return bool(dates.isin(long.loc[long[ID] != uid, DS]).all())
