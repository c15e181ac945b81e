"""Daily dates that never fall on some weekday: a shop closed on Sundays whose file leaves
the Sundays out (rows Monday to Saturday).

Such dates read as the daily calendar 'D' with every Sunday missing (a seasonal period of
7 on a week of 6 consecutive steps: the seasonal naive compared different weekdays, its
MAE ten times that of period 6, and forecasts fell on Sundays), or, depending on where the
series starts, as dates of no single frequency (no period at all). Nothing is changed
here: :func:`closed_days_hint` says what the dates are and what to pass.
"""

from __future__ import annotations

from typing import Optional

import numpy as np
import pandas as pd

_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MAX_CLOSED = 2  # weekdays never open: a 6- or 5-day week
MAX_MISSING = 0.2  # of the open days' grid, as frequency.MAX_GAP_FRACTION


def closed_days_hint(dates) -> Optional[str]:
    """What to do with daily ``dates`` (midnight, at least four weeks) on which one or two
    weekdays never occur, where the rest of the week is (nearly) whole; None otherwise."""
    try:
        idx = pd.DatetimeIndex(dates)
    except (TypeError, ValueError):
        return None
    if len(idx) < 3 or idx.hasnans or (idx != idx.normalize()).any():
        return None
    if (idx[-1] - idx[0]).days < 28:
        return None
    closed = sorted(set(range(7)) - set(np.asarray(idx.day_of_week).tolist()))
    if not 1 <= len(closed) <= MAX_CLOSED:
        return None
    grid = pd.date_range(idx[0], idx[-1], freq="D", tz=idx.tz)
    grid = grid[~np.isin(np.asarray(grid.day_of_week), closed)]
    if len(grid) - len(idx) > MAX_MISSING * len(grid) or not idx.isin(grid).all():
        return None
    days = " and ".join(_NAMES[d] + "s" for d in closed)
    week = 7 - len(closed)
    return (f"no date is a {' or a '.join(_NAMES[d] for d in closed)}: a {week}-day week "
            f"({days} closed, their rows left out), {week} consecutive steps, not the daily "
            f"calendar's 7: pass period={week} (--period {week}) for the weekly season, or "
            f"put the closed days back as 0 (df.asfreq('D', fill_value=0)): the daily "
            f"calendar whole, its period 7, and the closed days forecast near 0")
