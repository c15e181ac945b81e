"""Calendar feature 'holiday' on dates a week or more apart.

The feature is 1 on a date that is itself a public holiday (:mod:`.calendar`). On weekly
dates that flags a week only when its date falls on the holiday: three years of US
holidays on Sunday-ending weeks gave 3 flagged weeks of 157, while 36 holidays fell
inside them (Thanksgiving, Christmas on a weekday: weeks of no flag). The feature is kept
as it is (a saved model reads it so); :func:`warn_coarse_holidays` says what it holds and
how to give the steps' holidays instead: on monthly or quarterly dates the calendar
features ``month_holidays`` and ``quarter_holidays`` (the count of each month's or
quarter's holidays, :mod:`.calendar`); on weekly ones a column of the user's own.
"""

from __future__ import annotations

import warnings
from typing import Optional, Sequence

import numpy as np
import pandas as pd


class CoarseHolidayWarning(UserWarning):
    """Calendar 'holiday' read from dates a week or more apart: most holidays fall
    between them."""


def warn_coarse_holidays(features: Sequence[str], ds, country: Optional[str],
                         stacklevel: int = 3) -> None:
    """Warn (:class:`CoarseHolidayWarning`) when 'holiday' is among ``features`` and the
    dates ``ds`` (all series') step by more than a day, and fewer than half of the
    country's holidays in their span fall on one of them."""
    from .holiday_features import COUNTS

    if "holiday" not in features or not country or any(f in COUNTS for f in features):
        return  # (a count given beside the flag: the steps' holidays are read)
    days = pd.DatetimeIndex(pd.unique(pd.DatetimeIndex(ds).normalize())).sort_values()
    if len(days) < 3 or _median_step(days) <= pd.Timedelta(days=1):
        return
    from .calendar import holiday_dates  # (the `holidays` package: checked by the config)

    inside = [d for d in holiday_dates(days, country) if days[0] <= d <= days[-1]]
    flagged = int(days.isin(inside).sum())
    if not inside or flagged >= len(inside) / 2:
        return
    warnings.warn(f"calendar feature 'holiday' is 1 on a date that is itself a holiday of "
                  f"{country!r}, and these dates are {_step(days)} apart: {flagged} of the "
                  f"{len(days)} are, while {len(inside)} holidays fall in their span, most between two "
                  f"dates (a week holding Thanksgiving is not flagged). {_instead(days)}",
                  CoarseHolidayWarning,
                  stacklevel=stacklevel)


def _instead(days: pd.DatetimeIndex) -> str:
    """What to give in place of 'holiday' on these dates: the holiday count of each month
    or quarter (calendar features of their own) on dates a month or more apart, else a
    column of the user's own."""
    step = _median_step(days)
    count = ("quarter_holidays" if step >= pd.Timedelta(days=80) else
             "month_holidays" if step >= pd.Timedelta(days=27) else None)
    if count:
        return (f"For each {count.split('_')[0]}'s holidays use the calendar feature "
                f"{count!r} (the count of the country's holidays in the {count.split('_')[0]} "
                f"holding each date: calendar=({count!r},), --calendar {count}) in place "
                f"of 'holiday'")
    return ("For weekly data give the holidays of each step as a column of your own (the "
            "count of the week's holidays) in future_covariates (--future-covariates), and "
            "leave 'holiday' out of calendar")


def _median_step(days: pd.DatetimeIndex) -> pd.Timedelta:
    """The median step between ``days`` (whatever their unit: s, us, ns)."""
    return pd.Timedelta(pd.TimedeltaIndex(np.diff(days.to_numpy())).median())


def _step(days: pd.DatetimeIndex) -> str:
    """'7 days' (the median step between ``days``)."""
    step = _median_step(days)
    return f"{step.days} days" if step.days else str(step)
