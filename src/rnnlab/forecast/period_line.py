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
        return (f"seasonal period: {p} ({whence}; --period N sets another, --period 1 "
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
