"""Daily dates that never fall on some weekday: a shop closed on Sundays whose file leaves
the Sundays out (rows Monday to Saturday).

Such dates read as the daily calendar 'D' with every Sunday missing (a seasonal period of
7 on a week of 6 consecutive steps: the seasonal naive compared different weekdays, its
MAE ten times that of period 6, and forecasts fell on Sundays), or, depending on where the
series starts, as dates of no single frequency (no period at all). Nothing is changed
here: :func:`closed_days_hint` says what the dates are and what to pass (``weekmask=``,
:mod:`.open_days`, reads them on their week).
"""

from __future__ import annotations

from typing import List, Optional

import numpy as np
import pandas as pd

_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MAX_CLOSED = 2  # weekdays never open: a 6- or 5-day week
MAX_MISSING = 0.2  # of the open days' grid, as frequency.MAX_GAP_FRACTION


def closed_weekdays(dates) -> List[int]:
    """The weekdays (0: Monday) on which daily ``dates`` (midnight, at least four weeks)
    never fall, where they are one or two and the rest of the week is (nearly) whole;
    [] otherwise."""
    try:
        idx = pd.DatetimeIndex(dates)
    except (TypeError, ValueError):
        return []
    if len(idx) < 3 or idx.hasnans or (idx != idx.normalize()).any():
        return []
    idx = idx.unique().sort_values()
    if (idx[-1] - idx[0]).days < 28:
        return []
    closed = sorted(set(range(7)) - set(np.asarray(idx.day_of_week).tolist()))
    if not 1 <= len(closed) <= MAX_CLOSED:
        return []
    grid = pd.date_range(idx[0], idx[-1], freq="D", tz=idx.tz)
    grid = grid[~np.isin(np.asarray(grid.day_of_week), closed)]
    if len(grid) - len(idx) > MAX_MISSING * len(grid) or not idx.isin(grid).all():
        return []
    return closed


def closed_names(closed: List[int]) -> str:
    """'Sunday', 'Saturday or a Sunday'."""
    return " or a ".join(_NAMES[d] for d in closed)


def closed_days_hint(dates) -> Optional[str]:
    """What to do with daily ``dates`` that never fall on one or two weekdays
    (:func:`closed_weekdays`); None for any other dates."""
    closed = closed_weekdays(dates)
    if not closed:
        return None
    days = " and ".join(_NAMES[d] + "s" for d in closed)
    week = 7 - len(closed)
    mask = " ".join(_NAMES[d][:3] for d in range(7) if d not in closed)
    return (f"no date is a {closed_names(closed)}: a {week}-day week "
            f"({days} closed, their rows left out), {week} consecutive steps, not the daily "
            f"calendar's 7: pass weekmask={mask!r} (--weekmask {mask!r}) to read them on "
            f"that week (period {week}, forecasts dated on open days only), or "
            f"pass period={week} (--period {week}) for the weekly season alone, or "
            f"put the closed days back as 0 (df.asfreq('D', fill_value=0)): the daily "
            f"calendar whole, its period 7, and the closed days forecast near 0")


def refit_hint(dates) -> Optional[str]:
    """:func:`closed_days_hint` for newer data a fitted model reads (``predict(history=)``,
    ``--run DIR --data``): it reads them on the calendar it was fitted on, so the week is
    a fit's choice (``weekmask=`` and ``period=`` are options ``--run`` ignores); None for
    other dates."""
    closed = closed_weekdays(dates)
    if not closed:
        return None
    week = 7 - len(closed)
    mask = " ".join(_NAMES[d][:3] for d in range(7) if d not in closed)
    return (f"no date is a {closed_names(closed)}: a {week}-day week, {week} consecutive "
            f"steps, read as the model was fitted (the daily calendar, forecasts dated on "
            f"every day); to forecast on that week, fit again with weekmask={mask!r} "
            f"(--weekmask {mask!r}: period {week}, forecasts dated on open days only)")
