"""Why a future table's dates miss a series' forecast dates: the values given one or more
steps early or late (dated on the day before the date they are for, an off-by-one of the
horizon), or dates off the data's calendar (month ends for month-start data)."""

from __future__ import annotations

from typing import Optional

import pandas as pd

from .int_steps import date_word, shown_date
from .week_freq import freq_name


def first_forecast_dates(lasts, freq) -> Optional[pd.DatetimeIndex]:
    """The date after each of ``lasts`` (series' last dates) on ``freq``'s calendar: the
    first forecast dates, which tell a future table's 02/01/2015 as 2 January after
    2015-01-01 (None where they cannot be told). As wall times: the table's text dates are
    read without a zone and put in the data's after (``--time-zone``), and a zone's dates
    matched none of them, so such a table was refused as reading both ways."""
    try:
        first = pd.DatetimeIndex([pd.date_range(d, periods=2, freq=freq)[1]
                                  for d in pd.unique(pd.DatetimeIndex(list(lasts)))])
    except (ValueError, TypeError):
        return None
    return first if first.tz is None else first.tz_localize(None)


def why_missing(g: Optional[pd.DataFrame], last, dates: pd.DatetimeIndex, freq) -> str:
    """What the series' rows ``g`` of a future table (indexed by date) hold instead of the
    forecast ``dates`` after its ``last`` date ('' when nothing tells)."""
    if g is None:
        return ""
    return _shifted(g, last, dates, freq) or _off_calendar(g, last, dates, freq)


def _shifted(g: pd.DataFrame, last, dates: pd.DatetimeIndex, freq) -> str:
    """The table holding a whole horizon of dates ``k`` steps from the forecast dates
    (nearest k first; 1 <= |k| <= horizon), and nothing just before them (a table that
    also holds the history, one date short, is not a shifted one), nor at the forecast
    dates they leave out: the values dated k steps early or late."""
    h = len(dates)
    o = h + 1  # dates[0] is grid[o]; grid[0] the date before the earliest shift (k = -h)
    try:
        grid = pd.date_range(end=last, periods=o, freq=freq).append(
            pd.date_range(last, periods=2 * h + 1, freq=freq)[1:])
    except (ValueError, TypeError):
        return ""
    have = grid.isin(g.index)
    for k in sorted((k for k in range(-h, h + 1) if k), key=lambda k: (abs(k), k)):
        gap = have[o:o + k] if k > 0 else have[o + h + k:o + h]  # forecast dates left out
        if have[o + k:o + h + k].all() and not gap.any() and not have[o + k - 1]:
            w = date_word()
            way = "late" if k > 0 else "early"
            return (f"; the table's {w}s for it are the forecast {w}s {abs(k)} step"
                    f"{'s' if abs(k) > 1 else ''} {way} ({shown_date(grid[o + k])} .. "
                    f"{shown_date(grid[o + h + k - 1])}): date each value on the {w} it is "
                    f"for (step 1 on {shown_date(dates[0])}, the first {w} after the series' "
                    f"last)")
    return ""


def _off_calendar(g: pd.DataFrame, last, dates: pd.DatetimeIndex, freq) -> str:
    """Where the table's dates for a series after its ``last`` date are not the forecast
    ``dates`` (month ends for month-start data, Sundays for weeks of Mondays): those dates,
    and the calendar they must be on ('' otherwise)."""
    off = g.index[(g.index > last) & ~g.index.isin(dates)]
    if not len(off):
        return ""
    shown = ", ".join(shown_date(d) for d in off[:3])
    if all(_on_grid(d, last, freq) for d in off[:20]):  # (a year late is on the calendar)
        return (f"; the table has other dates for it ({shown}{' ...' if len(off) > 3 else ''}"
                f"), none of them the forecast dates ({shown_date(dates[0])} .. "
                f"{shown_date(dates[-1])}): give the values on those dates" + (
                    _newer_data(last) if off[0] > dates[-1] else ""))
    return (f"; the table has other dates for it ({shown}{' ...' if len(off) > 3 else ''}), "
            f"off the data's calendar (frequency {freq_name(freq)}): give the forecast dates above")


def _newer_data(last) -> str:
    """Where a future table's dates all lie past the forecast's: the forecast starts after
    the data the model was fitted on (``last``), and newer data is given as history."""
    return (f"; or, for a forecast after data newer than {shown_date(last)} (the last "
            f"{date_word()} the model read), give that data: predict(history=panel, "
            f"future=...) (rnnlab forecast --run DIR --data FILE.csv --future ...)")


def _on_grid(d, last, freq) -> bool:
    """Whether ``d`` is a date of the data's calendar (``freq`` stepped from ``last``):
    month starts for 'MS', whole days from the last for 'D'."""
    try:
        step = pd.tseries.frequencies.to_offset(freq)
        if isinstance(step, pd.tseries.offsets.Tick):
            return (pd.Timestamp(d) - pd.Timestamp(last)) % pd.Timedelta(step) == pd.Timedelta(0)
        return bool(step.is_on_offset(pd.Timestamp(d))) and \
            pd.Timestamp(d).time() == pd.Timestamp(last).time()
    except (ValueError, TypeError):
        return False
