"""Calendar feature 'holiday' on dates a week or more apart.

The feature is 1 on a date that is itself a public holiday (:mod:`.calendar`). On weekly
dates that flags a week only when its date falls on the holiday: three years of US
holidays on Sunday-ending weeks gave 3 flagged weeks of 157, while 36 holidays fell
inside them (Thanksgiving, Christmas on a weekday: weeks of no flag). The feature is kept
as it is (a saved model reads it so); :func:`warn_coarse_holidays` says what it holds and
how to give the steps' holidays instead: on dates of months or quarters the
calendar features ``month_holidays`` and ``quarter_holidays`` (the count of each month's or
quarter's holidays, :mod:`.calendar`, fiscal quarters too); on others (weeks, years) a
column of the user's own. A count beside the flag silences the warning only where it counts
the steps' own periods.
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
    country's holidays in their span fall on one of them. A holiday count beside the flag
    silences it only where it counts the steps' own periods (``quarter_holidays`` on
    quarters): on weekly dates any count did, though a month's or quarter's count is not
    the holidays of a week."""
    if "holiday" not in features or not country:
        return
    days = pd.DatetimeIndex(pd.unique(pd.DatetimeIndex(ds).normalize())).sort_values()
    if len(days) < 3 or _median_step(days) <= pd.Timedelta(days=1):
        return
    count = _calendar_count(days)
    if count in features:
        return  # (the steps' holidays are read, counted beside the flag)
    from .calendar import holiday_dates  # (the `holidays` package: checked by the config)

    inside = [d for d in holiday_dates(days, country) if days[0] <= d <= days[-1]]
    flagged = int(days.isin(inside).sum())
    if not inside or flagged >= len(inside) / 2:
        return
    from .holiday_features import COUNTS

    given = [f for f in features if f in COUNTS]
    units = " and ".join(sorted({"quarters" if COUNTS[f] == "Q" else "months" for f in given}))
    beside = (f" ({', '.join(given)} beside it count{'' if len(given) > 1 else 's'} the "
              f"holidays of {units}, not of these steps.)" if given else "")
    fall = "1 holiday falls" if len(inside) == 1 else f"{len(inside)} holidays fall"
    warnings.warn(f"calendar feature 'holiday' is 1 on a date that is itself a holiday of "
                  f"{country!r}, and these dates are {_step(days)} apart: {flagged} of the "
                  f"{len(days)} {'is' if flagged == 1 else 'are'}, while {fall} in their "
                  f"span, most between two dates (a week holding Thanksgiving is not "
                  f"flagged).{beside} "
                  f"{_instead(days, count)}",
                  CoarseHolidayWarning,
                  stacklevel=stacklevel)


def _instead(days: pd.DatetimeIndex, count: Optional[str]) -> str:
    """What to give in place of 'holiday' on these dates: ``count``, the holiday count of
    each month or quarter (calendar features of their own) where each date names a month
    or quarter (:func:`_calendar_count`), else a column of the user's own."""
    if count:
        unit = count.split("_")[0]
        return (f"For each {unit}'s holidays use the calendar feature {count!r} (the count "
                f"of the country's holidays in the {unit} holding each date: "
                f"calendar=({count!r},), --calendar {count}) in place of 'holiday'")
    coarse = _median_step(days) >= pd.Timedelta(days=27)
    return ("Give the holidays of each step as a column of your own (the count of the "
            "step's holidays) in future_covariates (--future-covariates), and leave "
            "'holiday' out of calendar" + (
                " (the calendar features month_holidays and quarter_holidays count the "
                "holidays of months and quarters, which these dates do not step "
                "by)" if coarse else ""))


# the quarters a count may read (count_period): a year's ending in December (the
# calendar's), January or February; any other ending groups its months as one of these
_QUARTERS = ("Q-DEC", "Q-JAN", "Q-FEB")


def _calendar_count(days: pd.DatetimeIndex) -> Optional[str]:
    """``'quarter_holidays'`` (``'month_holidays'``) when ``days`` step by a quarter (a
    month) and each is the first or last day of its quarter (month): the steps are then
    the periods those features count, a quarterly frequency's own quarters
    (:func:`~.calendar.count_period`: fiscal ones too, from February, May, ...). Yearly
    dates (Jan 1) were pointed to quarter_holidays, which counts the first quarter's
    alone."""
    step = _median_step(days)
    local = days.tz_localize(None) if days.tz is not None else days
    for count, codes, low, high in (("quarter_holidays", _QUARTERS, 80, 100),
                                    ("month_holidays", ("M",), 27, 32)):
        if pd.Timedelta(days=low) <= step <= pd.Timedelta(days=high):
            return count if any(_all_edges(local, code) for code in codes) else None
    return None


def _all_edges(days: pd.DatetimeIndex, code: str) -> bool:
    """Whether each of ``days`` is the first or last day of its period ``code``."""
    per = days.to_period(code)
    return bool(((days == per.start_time.normalize())
                 | (days == per.end_time.normalize())).all())


def _median_step(days: pd.DatetimeIndex) -> pd.Timedelta:
    """The median step between ``days`` (whatever their unit: s, us, ns)."""
    return pd.Timedelta(pd.TimedeltaIndex(np.diff(days.to_numpy())).median())


def _step(days: pd.DatetimeIndex) -> str:
    """'7 days' (the median step between ``days``)."""
    step = _median_step(days)
    return f"{step.days} days" if step.days else str(step)
