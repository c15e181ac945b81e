"""A forecast and actuals of different calendars refused by
:func:`.scoring.score_forecast`: a monthly forecast joined to daily actuals met them on each
month's first day and scored that day's value as the month's (MASE scaled by the daily
naive: 27.9, and nothing said); joined to weekly or quarterly ones it met the few dates
that coincide, the rest said to be "a month that never arrived?"."""

from __future__ import annotations

from typing import Optional

import pandas as pd

from ..data.frequency import _infer_freq
from ..io.errors import DataError

DAILY = ("D", "B", "C")  # one family: a forecast of Mon..Fri reads as "D", its actuals as "B"


def check_calendars(fc: pd.DataFrame, freq: Optional[str]) -> None:
    """DataError when the long forecast ``fc`` (``unique_id, ds``) steps by a calendar
    other than ``freq``, the actuals' (one pandas names as a multiple of it, every other
    month '2MS' of 'MS', is the same calendar; every third month, 'QS-MAR', is not: its
    refusal says how to score a monthly forecast kept at those dates). Said nothing when
    either is unknown: undated steps, a forecast of under three dates per series,
    irregular actuals."""
    if freq is None or not pd.api.types.is_datetime64_any_dtype(fc["ds"]):
        return
    made = _forecast_freq(fc)
    if made is None or _same(made, freq, fc["ds"].min()):
        return
    raise DataError(
        f"the forecast's dates step by {made!r} ({_span(fc['ds'])}) and the actuals' by "
        f"{freq!r}: a forecast date meets an actual only where both fall on the same date, "
        f"and that value is not the actual of the forecast's step; "
        + _what_to_do(made, freq, fc["ds"].min()))


def _what_to_do(made: str, freq: str, start) -> str:
    """How to put the two on one calendar: the actuals summed to the forecast's longer
    step, the forecast to theirs, or, of steps of one length, the dates relabelled (weeks
    named by their Monday in one file and their Sunday in the other, months by their first
    day and their last)."""
    mine, theirs = _step(made, start), _step(freq, start)
    if abs(mine - theirs) <= max(mine, theirs) / 20:  # (of one length, a leap day apart)
        return ("its steps are of one length, named by other dates (a week by its Monday in "
                "one file, by its Sunday in the other? a month by its first day, by its "
                "last?): relabel the actuals' dates as the forecast's and score that file")
    if theirs < mine:
        k = _every(made, freq, start)  # (a monthly forecast's steps 3, 6, 9 read as 'QS-MAR')
        return (f"put the actuals on the forecast's calendar first (pandas: df.resample("
                f"{made!r}, on=DATE)[VALUE].sum(), or .mean() for a level) and score that file"
                + (f"; a forecast on the actuals' calendar kept at one date in {k} is "
                   f"scored whole: pass it with every date (--output gives each date's "
                   f"error)" if k > 1 else ""))
    return (f"pass the actuals on the forecast's calendar ({made!r}), or sum the "
            f"forecast to theirs ({freq!r}) first and score that")


def _every(made: str, freq: str, start) -> int:
    """k where the forecast's dates (``made``) are every k-th date of the actuals' calendar
    ``freq`` from ``start`` (its dates alone cannot tell a quarterly forecast from a monthly
    one kept at its steps 3, 6, 9, 12); 0 where they are not (months against days)."""
    from pandas.tseries.frequencies import to_offset

    try:
        dates, step = pd.date_range(start, periods=5, freq=made), to_offset(freq)
        k = len(pd.date_range(start, dates[1], freq=step)) - 1
        return k if dates.equals(pd.date_range(start, periods=5, freq=step * k)) else 0
    except (TypeError, ValueError):
        return 0


def _step(freq: str, start) -> pd.Timedelta:
    """The mean length of a step of ``freq`` over a year of them from ``start`` (a month:
    30.4 days, named by its first day or its last: June 1 to July 1 is 30 days, June 30 to
    July 31 is 31, one step each)."""
    dates = pd.date_range(start, periods=13, freq=freq)
    return (dates[-1] - dates[0]) / 12


def _forecast_freq(fc: pd.DataFrame) -> Optional[str]:
    """The frequency of the first series of ``fc`` with three dates or more that have one."""
    for _, dates in fc.groupby("unique_id", sort=False)["ds"]:
        found = _infer_freq(pd.DatetimeIndex(dates.sort_values().to_numpy()))
        if found is not None:  # (under three dates: None)
            return found
    return None


def _same(made: str, freq: str, start) -> bool:
    """Whether the forecast's ``made`` (perhaps a multiple: '2MS') and the actuals' ``freq``
    are one calendar: the same dates from the forecast's first (QS-OCT and QS-JAN are), the
    forecast's step a multiple of the actuals' (a quarterly forecast against half-yearly
    actuals, '2QS-JAN', met every other one and scored a half-year's value as a quarter's,
    nothing said)."""
    from pandas.tseries.frequencies import to_offset

    try:
        mine, theirs = to_offset(made), to_offset(freq)
    except (TypeError, ValueError):
        return True  # (a frequency pandas cannot read back: not judged)
    if theirs.n > 0 and mine.n % theirs.n:
        return False
    one = mine.base
    if one.rule_code in DAILY and theirs.base.rule_code in DAILY:
        return True
    try:
        return pd.date_range(start, periods=5, freq=one).equals(
            pd.date_range(start, periods=5, freq=theirs.base))
    except (TypeError, ValueError):
        return True


def _span(dates: pd.Series) -> str:
    lo, hi = dates.min(), dates.max()
    shown = [d.date() if d == d.normalize() else d for d in (lo, hi)]
    return f"{shown[0]} .. {shown[1]}"


def in_forecast_zone(fc: pd.DataFrame, ys: pd.DataFrame) -> pd.DataFrame:
    """The actuals ``ys`` with their dates in the forecast's time zone (UTC actuals of a
    Berlin forecast: the same instants, the rows named as the forecast's); dates without a
    zone beside ones with one refused, saying so (the join was pandas' "You are trying to
    merge on datetime64[us, UTC+01:00] and datetime64[us] columns")."""
    if not (pd.api.types.is_datetime64_any_dtype(fc["ds"])
            and pd.api.types.is_datetime64_any_dtype(ys["ds"])):
        return ys
    mine, theirs = getattr(fc["ds"].dt, "tz", None), getattr(ys["ds"].dt, "tz", None)
    if (mine is None) != (theirs is None):
        said = {True: "without a time zone", False: f"in {mine or theirs}"}
        example = (fc if mine is not None else ys)["ds"].min()
        other = "the actuals'" if mine is not None else "the forecast's"
        raise DataError(f"the forecast's dates are {said[mine is None]} and the actuals' "
                        f"{said[theirs is None]}: which instants meet is not known; write "
                        f"{other} dates with their zone or UTC offset, as the other file's "
                        f"({example}), or both without")
    return ys if mine is None else ys.assign(ds=ys["ds"].dt.tz_convert(mine))
