"""Dates written in forms pandas does not read by itself: the periods of statistics
offices and retail calendars, each read as its first day (quarters 1998Q1, 1998 Q1,
1998-Q1, Q1 1998; months 2019M01, 2019M1, 2019-M01, and Excel's Jan-18; ISO weeks
2019-W02, 2019W02: the week's Monday, and their days 2019-W02-3 (:mod:`.iso_weeks`);
half-years 2015-H1 (:mod:`.half_years`); in either case), and dates with a UTC offset that
changes (daylight saving time): instants, or the local dates of days, weeks or months
(:func:`local_dates`); and the form a file's text dates are written in, for outputs to
write theirs alike (:func:`written_form`)."""

from __future__ import annotations

from typing import Optional

import numpy as np
import pandas as pd

from .half_years import HALF_FORMS, HALF_TEXT, dates_text, half_starts
from .iso_weeks import WEEK, WEEK_DAY, week_days

# the periods' text, for telling a column of dates (beside the forms pandas reads)
# (either case: 2021q1 was read by pandas as a date, its forecasts as dates, not quarters)
# (and a quarter before its year, as in reports: Q1 2021, Q1-2021, Q1/2021); lower case
# only without a space (Stata's 2021q1, 2019m1: "1200 m2", square metres, is no month)
PERIOD_TEXT = (r"(\d{4}(\s*-?(Q[1-4]|M\d{1,2}|W\d{2}(-?\d)?|H[12])|"
               r"-?(q[1-4]|m\d{1,2}|w\d{2}(-?\d)?|h[12]))\b|"
               r"[Qq][1-4][\s/-]*\d{4}\s*$)")
_QUARTER = r"^\s*(\d{4})\s*-?[Qq]([1-4])\s*$"
_QUARTER_FIRST = r"^\s*[Qq]([1-4])[\s/-]*(\d{4})\s*$"
_MONTH = r"^\s*(\d{4})\s*-?[Mm](\d{1,2})\s*$"
_OFFSET = r"(Z|[+-]\d{2}:?\d{2})\s*$"  # 2021-03-28T03:00:00+02:00, ...Z
_OFFSET_TEXT = r"(?:Z|[+-]\d{2}:?\d{2})\s*$"  # (the same without its group, to tell one)
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
    the period forms (an ISO week day: that day); None when they are not. Raises
    ValueError on a period that does not exist (2019M13, 2019-W54, 2015-H3)."""
    if not _text(col):
        return None
    text = col.astype(str)
    for pattern, first_day in ((_QUARTER, _quarter), (_MONTH, _month_parts), (WEEK, week_days),
                               (WEEK_DAY, week_days), (HALF_TEXT, half_starts),
                               (_MONTH_YY, _month_yy), (_QUARTER_FIRST, _quarter)):
        parts = text.str.extract(pattern)
        if pattern == _QUARTER_FIRST:
            parts = parts[[1, 0]].set_axis([0, 1], axis=1)  # (year, quarter)
        if not parts.isna().to_numpy().any():
            return pd.DatetimeIndex(first_day(parts))  # (year: text)
    return None


def period_form(col) -> Optional[str]:
    """The pandas period frequency of a text column of quarters (1998Q1: 'Q-DEC') or months
    (2019M01: 'M'), every value in that form; None otherwise (weeks included: their text
    has no period form of pandas')."""
    if not _text(pd.Series(col)):
        return None
    text = pd.Series(pd.unique(pd.Series(col))).astype(str)  # (a panel repeats each date)
    for pattern, freq in ((_QUARTER, "Q-DEC"), (_QUARTER_FIRST, "Q-DEC"), (_MONTH, "M")):
        if text.str.match(pattern).all():
            return freq
    return None


def _quarter(parts):
    year, q = parts[0], parts[1].astype(int)
    return pd.to_datetime(pd.DataFrame({"year": year.astype(int), "month": 3 * q - 2,
                                        "day": 1}))


def _month_parts(parts):
    return _month(parts[0], parts[1].astype(int))


def _month(year, m):
    if ((m < 1) | (m > 12)).any():
        raise ValueError(f"month {int(m[(m < 1) | (m > 12)].iloc[0])} does not exist")
    return pd.to_datetime(pd.DataFrame({"year": pd.Series(year).astype(int).to_numpy(),
                                        "month": m.to_numpy(), "day": 1}))


def _month_yy(parts):
    """Jan-18: the first day of January 2018 (a name that is no month: ValueError)."""
    name, yy = parts[0], parts[1].astype(int)
    m = name.str.lower().map(lambda t: next((i + 1 for i, full in enumerate(_MONTH_NAMES)
                                             if full.startswith(t)), 0))
    if (m == 0).any():
        raise ValueError(f"{name[m == 0].iloc[0]!r} is not the name of a month")
    return _month(yy.to_numpy() + np.where(yy < 69, 2000, 1900), m)


def with_offsets(col: pd.Series) -> bool:
    """Whether every value is text of a date and time ending in a UTC offset."""
    if not _text(col):
        return False
    text = col.astype(str)  # (_OFFSET's group would have str.contains warn: "match groups")
    return bool(text.str.contains(r"\d[T ]?\d{2}:\d{2}").all() and
                text.str.contains(_OFFSET_TEXT).all())


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


# the forms a file's dates are written in that outputs write theirs in too (ISO dates,
# pandas' own way of writing them, need none)
_WRITTEN_FORMS = ("%m/%d/%Y", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%Y/%m/%d", "%Y.%m.%d",
                  "%m/%d/%y", "%d/%m/%y", "%d.%m.%y", "%Y-%m", "%Y/%m", "%m/%Y", "%d-%b-%Y",
                  "%d %b %Y", "%b-%Y", "%b %Y", "%B %Y", "%b-%y", "%m/%d/%Y %H:%M",
                  "%d/%m/%Y %H:%M", "%d.%m.%Y %H:%M", "%G-W%V", "%GW%V", "%G-W%V-%u",
                  "%GW%V%u", "%G-w%V", "%Gw%V", "%G-w%V-%u", "%Gw%V%u") + HALF_FORMS


def written_form(col, idx: Optional[pd.DatetimeIndex]) -> Optional[str]:
    """The strftime form (``'%m/%d/%Y'``) in which every date of the text ``col``, read as
    ``idx``, is written, so that outputs write their dates alike (a forecast joined back to
    the file on its date text); None for ISO dates, other forms, dates in a time zone or
    values that are not text."""
    col = pd.Series(col)
    if idx is None or len(col) != len(idx) or not len(col) or idx.tz is not None or \
            not (col.dtype == object or pd.api.types.is_string_dtype(col)):
        return None
    text = col.astype(str).str.strip().to_numpy()
    for form in _WRITTEN_FORMS:  # (the first rows tell; all of them must agree)
        if (dates_text(idx[:20], form) == text[:20]).all() and \
                (dates_text(idx, form) == text).all():
            return form
    return None


def object_periods(values) -> Optional[pd.PeriodIndex]:
    """``values`` (a column or an index) of Period objects of one frequency in an object
    dtype as a PeriodIndex; else None."""
    if getattr(values, "dtype", None) != object or isinstance(values, pd.MultiIndex) \
            or pd.api.types.infer_dtype(values, skipna=False) != "period":
        return None
    try:
        return pd.PeriodIndex(list(values), name=getattr(values, "name", None))
    except (ValueError, TypeError):  # (several frequencies)
        return None


def typed_periods(data):
    """``data`` (a DataFrame or Series) with its index and columns of Period objects in an
    object dtype (``astype(object)``, ``pd.Index(periods, dtype=object)``, rows built one
    by one) as the period dtype pandas gives a list of them, so they are read as periods
    and come back as periods. They were "not dates" in a panel, and a series' index of
    them was read as no dates (forecasts numbered 0, 1, ...). Periods of several
    frequencies, or mixed with other values, stay as they are (refused where read)."""
    index = object_periods(data.index)
    if index is not None:
        data = data.set_axis(index)
    if isinstance(data, pd.DataFrame) and data.columns.is_unique:
        found = {c: object_periods(data[c]) for c in data.columns}
        found = {c: v for c, v in found.items() if v is not None}
        if found:
            data = data.copy(deep=False)  # (the caller's frame keeps its columns)
            for c, v in found.items():
                data[c] = v.array  # (a PeriodArray: its dtype kept)
    return data
