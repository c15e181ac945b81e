"""The line ``rnnlab forecast`` prints about the seasonal period the run used
(seasonal_naive's lag, MASE's scale, the seasonal difference) and where it came from, or
why there is none."""

from __future__ import annotations

import pandas as pd

from ..data.frequency import MAX_INTRADAY, infer_period


def period_line(f) -> str:
    """The seasonal period the run used (seasonal_naive's lag, MASE's scale, the seasonal
    difference) and where it came from: printed nowhere, it was a guess from the table."""
    p, given, freq = f.period, f.config.period, f.series.freq
    if p:
        cal = getattr(f.series, "calendar", None)  # (a Mon-Sat week: 6, said so)
        whence = "--period" if given else f"from the dates' {freq!r} calendar" + (
            f", its week {cal['weekmask']}" if cal else "")
        week = "" if given or not _a_day(freq, p) else (
            f"; a day: hourly or finer data with a weekly cycle too (load, traffic) "
            f"take --period {7 * p}, a week")
        words = "" if given or cal else _in_words(freq, p)
        return (f"seasonal period: {p} ({whence}; {words}--period N sets another, --period 1 "
                f"none{week})")
    usual = infer_period(freq)
    day = _steps_a_day(freq)
    why = ("--period 1" if given == 1 else
           f"the {usual} of the dates' {freq!r} calendar is more than the data hold" if usual
           else f"a day of {freq!r} steps is {day} of them, more than the {MAX_INTRADAY} "
                f"taken from the dates" if day else
           f"dates of {freq!r} carry none" if freq else "its dates follow no single "
           "frequency" if f.series.index is not None else "the data have no dates")
    return f"seasonal period: none ({why}; --period N sets one)"


# a pandas frequency's base in words, and the cycle its usual period spans ('MS' was all a
# newcomer read of the airline run's calendar)
_YEAR, _WEEK, _DAY = "per year", "per week", "per day"
_WORDS = {"MS": ("monthly", _YEAR), "ME": ("monthly", _YEAR), "M": ("monthly", _YEAR),
          "QS": ("quarterly", _YEAR), "QE": ("quarterly", _YEAR), "Q": ("quarterly", _YEAR),
          "W": ("weekly", _YEAR), "D": ("daily", _WEEK), "B": ("business-day", _WEEK),
          "h": ("hourly", _DAY), "H": ("hourly", _DAY)}


def _in_words(freq, period: int) -> str:
    """``"monthly steps, 12 per year; "`` for a plain frequency of the usual period; "" for a
    multiple (2h), another period or a frequency not named here."""
    base = str(freq or "").split("-")[0]
    if base[:1] == "B" and base[1:2] in ("M", "Q"):  # business month / quarter
        base = base[1:]
    named = _WORDS.get(base)
    if not named or infer_period(base) != period:
        return ""
    return f"{named[0]} steps, {period} {named[1]}; "


def _a_day(freq, period: int) -> bool:
    """Whether ``period`` steps of ``freq`` make one day (hourly 24, half-hourly 48): the
    daily cycle, which hides a weekly one the dates do not name."""
    try:
        step = pd.Timedelta(pd.tseries.frequencies.to_offset(freq))
    except (ValueError, TypeError):
        return False
    return step * period == pd.Timedelta(days=1)


def _steps_a_day(freq) -> int:
    """How many steps of ``freq`` make a day when that is a whole number above
    :data:`~rnnlab.data.frequency.MAX_INTRADAY` (5-minute data: 288), else 0."""
    try:
        step = pd.Timedelta(pd.tseries.frequencies.to_offset(freq))
    except (ValueError, TypeError):
        return 0
    n, rest = divmod(pd.Timedelta(days=1), step) if step > pd.Timedelta(0) else (0, 1)
    return int(n) if not rest and n > MAX_INTRADAY else 0
