"""Dates written in forms pandas does not read by itself: the periods of statistics
offices and retail calendars, each read as its first day (quarters 1998Q1, 1998 Q1,
1998-Q1; months 2019M01, 2019M1, 2019-M01, and Excel's Jan-18; ISO weeks 2019-W02, 2019W02:
the week's Monday), and dates with a UTC offset that changes (daylight saving time): instants, or
the local dates of days, weeks or months (:func:`local_dates`)."""

from __future__ import annotations

from typing import Optional

import numpy as np
import pandas as pd

# the periods' text, for telling a column of dates (beside the forms pandas reads)
PERIOD_TEXT = r"\d{4}\s*-?(Q[1-4]|M\d{1,2}|W\d{2})\b"
_QUARTER = r"^\s*(\d{4})\s*-?Q([1-4])\s*$"
_MONTH = r"^\s*(\d{4})\s*-?M(\d{1,2})\s*$"
_WEEK = r"^\s*(\d{4})\s*-?W(\d{2})\s*$"
_OFFSET = r"(Z|[+-]\d{2}:?\d{2})\s*$"  # 2021-03-28T03:00:00+02:00, ...Z
# Excel's month format: Jan-18, Sept-18, January'18 (dateutil read Jan-18 as 18 January of
# year 1); a two-digit year as strptime's %y reads it (69-99: 1900s, 00-68: 2000s). Not
# Jan 18, which is also a day without its year
_MONTH_YY = r"^\s*([A-Za-z]{3,9})\.?[-'](\d{2})\s*$"
MONTH_YY_TEXT = r"[A-Za-z]{3,9}\.?[-']\d{2}\s*$"  # (for telling a column of dates)
_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december")


def _text(col: pd.Series) -> bool:
    return (col.dtype == object or pd.api.types.is_string_dtype(col)) and len(col) > 0


def period_dates(col: pd.Series) -> Optional[pd.DatetimeIndex]:
    """The first days of the periods ``col`` holds when every value is written in one of
    the period forms; None when they are not. Raises ValueError on a period that does
    not exist (2019M13, 2019-W54)."""
    if not _text(col):
        return None
    text = col.astype(str)
    for pattern, first_day in ((_QUARTER, _quarter), (_MONTH, _month), (_WEEK, _week),
                               (_MONTH_YY, _month_yy)):
        parts = text.str.extract(pattern)
        if not parts.isna().to_numpy().any():
            return pd.DatetimeIndex(first_day(parts[0], parts[1].astype(int)))  # (year: text)
    return None


def period_form(col) -> Optional[str]:
    """The pandas period frequency of a text column of quarters (1998Q1: 'Q-DEC') or months
    (2019M01: 'M'), every value in that form; None otherwise (weeks included: their text
    has no period form of pandas')."""
    if not _text(pd.Series(col)):
        return None
    text = pd.Series(col).astype(str)
    for pattern, freq in ((_QUARTER, "Q-DEC"), (_MONTH, "M")):
        if text.str.match(pattern).all():
            return freq
    return None


def _quarter(year, q):
    return pd.to_datetime(pd.DataFrame({"year": year.astype(int), "month": 3 * q - 2,
                                        "day": 1}))


def _month(year, m):
    if ((m < 1) | (m > 12)).any():
        raise ValueError(f"month {int(m[(m < 1) | (m > 12)].iloc[0])} does not exist")
    return pd.to_datetime(pd.DataFrame({"year": pd.Series(year).astype(int).to_numpy(),
                                        "month": m.to_numpy(), "day": 1}))


def _month_yy(name, yy):
    """Jan-18: the first day of January 2018 (a name that is no month: ValueError)."""
    m = name.str.lower().map(lambda t: next((i + 1 for i, full in enumerate(_MONTH_NAMES)
                                             if full.startswith(t)), 0))
    if (m == 0).any():
        raise ValueError(f"{name[m == 0].iloc[0]!r} is not the name of a month")
    return _month(yy.to_numpy() + np.where(yy < 69, 2000, 1900), m)


def _week(year, w):
    text = year.astype(int).astype(str) + "-W" + w.map("{:02d}".format) + "-1"
    days = pd.to_datetime(text, format="%G-W%V-%u")
    if ((w < 1) | (days.dt.isocalendar().week.to_numpy() != w.to_numpy())).any():
        raise ValueError("an ISO week that its year does not have (W00, or W53 of a year "
                         "of 52 weeks)")
    return days


def with_offsets(col: pd.Series) -> bool:
    """Whether every value is text of a date and time ending in a UTC offset."""
    if not _text(col):
        return False
    text = col.astype(str)
    return bool(text.str.contains(r"\d[T ]?\d{2}:\d{2}").all() and
                text.str.contains(_OFFSET).all())


def local_dates(col: pd.Series, dayfirst: bool) -> Optional[pd.DatetimeIndex]:
    """The dates of ``col`` (text ending in UTC offsets, :func:`with_offsets`) as their
    local clock reads them, the offsets dropped, when every one is at the same time of
    day: days, weeks or months of a zone that keeps daylight saving time (pandas writes
    ``2021-10-30 00:00:00+02:00``, ``2021-11-01 00:00:00+01:00``), whose calendar is the
    local one (in UTC its days start at 22:00, then 23:00: no frequency). None for times
    of day that differ (hours: instants, read in UTC) or fewer than two dates."""
    text = col.astype(str).str.replace(_OFFSET, "", regex=True)
    local = pd.DatetimeIndex(pd.to_datetime(text, errors="raise", dayfirst=dayfirst))
    if len(local) < 2 or local.hasnans or len(set(local.time)) != 1:
        return None
    return local
