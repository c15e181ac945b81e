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
from typing import Dict, Optional, Sequence

import numpy as np
import pandas as pd


class CoarseHolidayWarning(UserWarning):
    """Calendar 'holiday' read from dates a week or more apart: most holidays fall
    between them."""


def warn_coarse_holidays(features: Sequence[str], ds, country: Optional[str],
                         stacklevel: int = 3) -> None:
    """Warn (:class:`CoarseHolidayWarning`) when 'holiday' is among ``features`` and the
    dates ``ds`` (one series') step by more than a day, and fewer than half of the
    country's holidays in their span fall on one of them. A holiday count beside the flag
    silences it only where it counts the steps' own periods (``quarter_holidays`` on
    quarters): on weekly dates any count did, though a month's or quarter's count is not
    the holidays of a week. A panel's series: :func:`warn_panel_coarse_holidays`."""
    if "holiday" not in features or not country:
        return
    days = pd.DatetimeIndex(pd.unique(pd.DatetimeIndex(ds).normalize())).sort_values()
    found = _coarse(features, days, country)
    if found is not None:
        warnings.warn(_said(features, country, days, _median_step(days), *found),
                      CoarseHolidayWarning, stacklevel=stacklevel)


def warn_panel_coarse_holidays(features: Sequence[str], df: pd.DataFrame,
                               country: Optional[str], stacklevel: int = 3) -> None:
    """:func:`warn_coarse_holidays` decided for each series of ``df`` (``unique_id``,
    ``ds``) on its own dates: all series' dates read together stepped by neither a
    series' period nor its phase (quarterly series from January and from February
    stepped by about a month and were told month_holidays, which counts neither's
    quarters). Series told the same thing share one warning, which names them where
    other series are told something else or nothing."""
    if "holiday" not in features or not country:
        return
    told: Dict[Optional[str], list] = {}  # count: [(ids, the dates they share)]
    n_series, groups = _decided_per_series(features, df, country)
    for verdict, days, ids in groups:
        if verdict is not None:
            told.setdefault(verdict[2], []).append((ids, days))
    for count, shared in told.items():
        days = shared[0][1].append([d for _, d in shared[1:]]).unique().sort_values()
        numbers = _missed(days, country) + (count,)  # (those of all their dates)
        step = pd.Timedelta(int(np.median(np.repeat(  # (each group's once, by its series)
            [_median_step(d).value for _, d in shared], [len(ids) for ids, _ in shared]))))
        some = [u for ids, _ in shared for u in ids]
        named = (f"Series {', '.join(map(repr, some[:5]))}"
                 f"{f' ({len(some) - 5} more)' if len(some) > 5 else ''}: "
                 if len(some) < n_series else "")
        warnings.warn(named + _said(features, country, days, step, *numbers),
                      CoarseHolidayWarning, stacklevel=stacklevel)


def _decided_per_series(features: Sequence[str], df: pd.DataFrame, country: str) -> tuple:
    """``(the number of series, [(_coarse's verdict, the dates, the ids of the series of
    those dates)])``. Series of the same dates (a panel's usual case) are decided once: a
    signature of their first and last date, count and a sum of the dates' hashes finds
    them without a step per series (5,000 weekly series: 0.2 s, not 2 s)."""
    frame = pd.DataFrame({"unique_id": df["unique_id"].to_numpy(),
                          "ds": pd.DatetimeIndex(df["ds"]).normalize()}).drop_duplicates()
    frame["h"] = (pd.util.hash_pandas_object(frame["ds"], index=False).to_numpy()
                  % np.uint64(2 ** 31)).astype(np.int64)
    by = frame.groupby("unique_id", sort=False)
    sig = pd.DataFrame({"lo": by["ds"].min(), "hi": by["ds"].max(), "n": by.size(),
                        "h": by["h"].sum()})
    where, stamps = by.indices, pd.DatetimeIndex(frame["ds"])
    groups: Dict[tuple, list] = {}
    for uid, key in zip(sig.index, sig.itertuples(index=False)):
        if key not in groups:
            days = stamps[where[uid]].sort_values()
            groups[key] = [_coarse(features, days, country), days, []]
        groups[key][2].append(uid)
    return len(sig), [tuple(g) for g in groups.values()]


def _coarse(features: Sequence[str], days: pd.DatetimeIndex, country: str) -> Optional[tuple]:
    """``(flagged, inside, count)`` where 'holiday' on ``days`` misses most of the
    country's holidays in their span (:func:`_missed`; ``count``: the holiday count to
    give instead, or None), else None (the dates step by a day or less, a count of their
    own periods is given, or most holidays are flagged)."""
    if len(days) < 3 or _median_step(days) <= pd.Timedelta(days=1):
        return None
    count = _calendar_count(days)
    if count in features:
        return None  # (the steps' holidays are read, counted beside the flag)
    flagged, inside = _missed(days, country)
    if not inside or flagged >= len(inside) / 2:
        return None
    return flagged, inside, count


def _missed(days: pd.DatetimeIndex, country: str) -> tuple:
    """``(flagged, inside)``: how many of ``days`` are a holiday of ``country``, and the
    holidays in their span, read on the dates' own clock (dates with a time zone raised
    a TypeError, compared with the calendar's dates, which have none)."""
    from .calendar import holiday_dates  # (the `holidays` package: checked by the config)

    local = days.tz_localize(None) if days.tz is not None else days  # (the dates' own
    inside = [d for d in holiday_dates(local, country) if local[0] <= d <= local[-1]]  # clock)
    return int(local.isin(inside).sum()), inside


def _said(features: Sequence[str], country: str, days: pd.DatetimeIndex,
          step: pd.Timedelta, flagged: int, inside: list, count: Optional[str]) -> str:
    """The warning: how many of ``days`` are flagged, of how many holidays, and what to
    give instead (:func:`_instead`)."""
    from .holiday_features import COUNTS

    given = [f for f in features if f in COUNTS]
    units = " and ".join(sorted({"quarters" if COUNTS[f] == "Q" else "months" for f in given}))
    beside = (f" ({', '.join(given)} beside it count{'' if len(given) > 1 else 's'} the "
              f"holidays of {units}, not of these steps.)" if given else "")
    fall = "1 holiday falls" if len(inside) == 1 else f"{len(inside)} holidays fall"
    apart = f"{step.days} days" if step.days else str(step)
    return (f"calendar feature 'holiday' is 1 on a date that is itself a holiday of "
            f"{country!r}, and these dates are {apart} apart: {flagged} of the "
            f"{len(days)} {'is' if flagged == 1 else 'are'}, while {fall} in their "
            f"span, most between two dates (a week holding Thanksgiving is not "
            f"flagged).{beside} {_instead(step, count)}")


def _instead(step: pd.Timedelta, count: Optional[str]) -> str:
    """What to give in place of 'holiday' on dates ``step`` apart: ``count``, the holiday count of
    each month or quarter (calendar features of their own) where each date names a month
    or quarter (:func:`_calendar_count`), else a column of the user's own."""
    if count:
        unit = count.split("_")[0]
        return (f"For each {unit}'s holidays use the calendar feature {count!r} (the count "
                f"of the country's holidays in the {unit} holding each date: "
                f"calendar=({count!r},), --calendar {count}) in place of 'holiday'")
    coarse = step >= pd.Timedelta(days=27)
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
