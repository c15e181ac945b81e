"""Local clock times of a zone that keeps daylight saving time, written without their UTC
offset: the hour the clock skips when summer time starts is missing from an hourly (or
finer) calendar. It is no missing value (the series goes on hour after hour, as read),
though filling it in keeps a daily season on the clock: :func:`skipped_hour_hint` says so."""

from __future__ import annotations

from typing import Optional

import pandas as pd

from .frequency import fixed_step

_NIGHT = 4  # the clocks change on a Sunday night, before 04:00 (01:00 UK, 02:00 EU, US)


def skipped_hour_hint(index, freq: Optional[str]) -> Optional[str]:
    """What the dates missing from ``index``'s ``freq`` calendar are when each day's are
    at most one hour of a Sunday night, on local clock times (no zone): the hour the
    clock skipped; None otherwise."""
    if not freq or getattr(index, "tz", None) is not None or len(index) < 2:
        return None
    try:
        step = fixed_step(pd.tseries.frequencies.to_offset(freq))
        grid = pd.date_range(index[0], index[-1], freq=freq)
    except (ValueError, TypeError):
        return None
    if step is None or step > pd.Timedelta(hours=1):
        return None
    missing = grid.difference(index)
    if not len(missing) or (missing.day_of_week != 6).any() or (missing.hour >= _NIGHT).any():
        return None
    per_night = pd.Series(missing).groupby(missing.normalize()).size()
    if (per_night * step > pd.Timedelta(hours=1)).any():
        return None
    nights = ", ".join(str(d.date()) for d in per_night.index[:3])
    return (f"the hour local clocks skip when daylight saving time starts, {nights}"
            f"{', ...' if len(per_night) > 3 else ''}, where no reading is missing: as read, "
            f"that day is 23 steps long and a daily season of 24 steps is an hour off the "
            f"clock after it; fill='interpolate' adds a made-up hour (days of 24 steps, on "
            f"the clock), and times written in UTC or with their UTC offset are hours of "
            f"equal length")
