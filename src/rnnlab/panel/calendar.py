"""Calendar features from dates, as cyclic pairs so December sits next to January:
``month -> (sin 2pi(m-1)/12, cos 2pi(m-1)/12)``, ``dayofweek`` over 7, ``hour`` over 24,
``dayofyear`` over 365.25, ``quarter`` over 4 (fable's ``season()`` of quarterly data, a
coarser season of monthly data: Jan-Mar one value); ``holiday`` is 1 on a public holiday
of ``country`` (the `holidays` package; ``"AU-VIC"`` names a subdivision), else 0.
``quarter_holidays`` and ``month_holidays`` count the country's holidays in the quarter
(month) holding each date: the regressor fable users build by hand for quarterly or
monthly data, where ``holiday`` flags only the few holidays that fall on a step's own
date (:mod:`.coarse_holidays`). A quarterly frequency's quarters are its own
(:func:`count_period`: ``QS-FEB``'s run February to April), other dates' the calendar's.
"""

from __future__ import annotations

import re
import warnings
from typing import List, Optional, Sequence

import numpy as np
import pandas as pd

from ..io.errors import DataError
from .holiday_features import COUNTS as _COUNTS, HOLIDAY_FEATURES

_CYCLES = {"month": (lambda d: d.month - 1, 12.0), "dayofweek": (lambda d: d.day_of_week, 7.0),
           "hour": (lambda d: d.hour, 24.0), "dayofyear": (lambda d: d.day_of_year - 1, 365.25),
           "quarter": (lambda d: d.quarter - 1, 4.0)}


def calendar_width(features: Sequence[str]) -> int:
    return sum(1 if f in HOLIDAY_FEATURES else 2 for f in features)


def calendar_features(ds, features: Sequence[str], country: Optional[str] = None,
                      freq=None) -> np.ndarray:
    """(T, calendar_width) float32 features of the dates ``ds``, steps of ``freq`` (pandas'
    name or offset: the quarters the holiday counts count, :func:`count_period`)."""
    ds = pd.DatetimeIndex(ds)
    cols: List[np.ndarray] = []
    for f in features:
        if f == "holiday":
            cols.append(_holidays(ds, country))
            continue
        if f in _COUNTS:
            cols.append(holiday_counts(ds, country, _COUNTS[f], freq))
            continue
        get, n = _CYCLES[f]
        a = 2 * np.pi * np.asarray(get(ds), dtype=np.float64) / n
        cols += [np.sin(a), np.cos(a)]
    if not cols:
        return np.zeros((len(ds), 0), dtype=np.float32)
    return np.stack(cols, axis=1).astype(np.float32)


def _holidays(ds: pd.DatetimeIndex, country: Optional[str]) -> np.ndarray:
    cal = _calendar(ds, country)
    return np.array([d in cal for d in ds.date], dtype=np.float64)


def holiday_counts(ds, country: Optional[str], unit: str, freq=None) -> np.ndarray:
    """(T,) float64: how many public holidays of ``country`` fall in the period (``unit``:
    pandas' ``"Q"`` or ``"M"``, read as :func:`count_period` says for dates of ``freq``)
    that holds each date of ``ds``, whatever day of it the date names (a quarter's first
    day or its last). A holiday is counted once, however many names it has that day."""
    ds = pd.DatetimeIndex(ds)
    if not len(ds):
        return np.zeros(0)
    local = ds.tz_localize(None) if ds.tz is not None else ds  # (the dates' own clock)
    codes = _period_codes(local, unit, freq)
    out = np.zeros(len(local))
    for code in pd.unique(codes):  # (one code but where 3MS series start in other months)
        at = codes == code
        out[at] = _counted(local[at], code, country)
    return out


def _counted(local: pd.DatetimeIndex, code: str, country: Optional[str]) -> np.ndarray:
    """The holidays of ``country`` in the period ``code`` holding each of ``local``."""
    periods = local.to_period(code)
    # (a fiscal quarter, Nov-Jan, reaches into the year after its date: both years read)
    span = pd.DatetimeIndex(periods.start_time).append(pd.DatetimeIndex(periods.end_time))
    days = pd.DatetimeIndex(sorted(pd.Timestamp(d) for d in _calendar(span, country).keys()))
    per = pd.Series(1.0, index=days.to_period(periods.freq)).groupby(level=0).sum()
    return per.reindex(periods).fillna(0.0).to_numpy(np.float64)


def _period_codes(local: pd.DatetimeIndex, unit: str, freq) -> np.ndarray:
    """The period code of each date's count (:func:`count_period`); on dates three months
    apart (``freq="3MS"``, ``"3ME"``), the quarter each steps by: the one its date begins
    (or ends), as the same dates read as ``QS-FEB`` (``QE-APR``) count, not the calendar
    quarter a month off it."""
    off = _offset(freq) if unit == "Q" else None
    begins = isinstance(off, (pd.offsets.MonthBegin, pd.offsets.BusinessMonthBegin))
    if isinstance(off, (pd.offsets.MonthBegin, pd.offsets.BusinessMonthBegin,
                        pd.offsets.MonthEnd, pd.offsets.BusinessMonthEnd)) and off.n == 3:
        last = (local.month + 10) % 12 if begins else local.month - 1
        return np.array(["Q-" + _MONTHS[m] for m in last])
    return np.full(len(local), count_period(unit, freq), dtype=object)


def _offset(freq):
    """pandas' offset of ``freq``, or None (none given, or not a frequency)."""
    if freq is None:
        return None
    try:
        return pd.tseries.frequencies.to_offset(freq)
    except (ValueError, TypeError):
        return None


_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


def count_period(unit: str, freq=None) -> str:
    """The pandas period code of the periods a holiday count of ``unit`` (``"Q"``,
    ``"M"``) counts on dates of ``freq``: a quarterly frequency's own quarters (``QS-FEB``
    and ``QE-APR`` step by quarters from February to April: ``"Q-JAN"``, the quarters of
    a year ending in January), which were calendar quarters, a month off them; else the
    calendar's (a month frequency's months are calendar months; a week's, day's or
    year's date is counted in the calendar quarter or month holding it)."""
    off = _offset(freq) if unit == "Q" else None
    if isinstance(off, (pd.offsets.QuarterBegin, pd.offsets.BQuarterBegin)):
        last = (off.startingMonth + 10) % 12  # type: ignore[union-attr]  # (stubs lack it)
    elif isinstance(off, (pd.offsets.QuarterEnd, pd.offsets.BQuarterEnd)):
        last = off.startingMonth - 1  # type: ignore[union-attr]  # (as above)
    else:
        return unit
    return "Q-" + _MONTHS[last]


def shifted_quarters(freq) -> bool:
    """Whether the quarters of ``freq`` (:func:`count_period`) are not calendar quarters:
    ``QS-FEB``'s run February to April; ``QE-JUN``'s are the calendar's."""
    code = count_period("Q", freq)
    return code != "Q" and _MONTHS.index(code[2:]) % 3 != 2


def holiday_dates(ds, country: Optional[str]) -> pd.DatetimeIndex:
    """The public holidays of ``country`` in the years of the dates ``ds``."""
    cal = _calendar(pd.DatetimeIndex(ds), country)
    return pd.DatetimeIndex(sorted(pd.Timestamp(d) for d in cal.keys()))


def _calendar(ds: pd.DatetimeIndex, country: Optional[str]):
    """The `holidays` package's calendar of ``country`` for the years of ``ds``."""
    try:
        import holidays
    except ImportError:
        raise DataError("calendar feature 'holiday' needs the `holidays` package: pip install "
                        "'rnnlab[panel]'") from None
    code, _, subdiv = (country or "").partition("-")
    try:
        cal = holidays.country_holidays(code, subdiv=subdiv or None,
                                        years=np.unique(ds.year).tolist())
    except NotImplementedError:
        raise DataError(unknown_country(country, code, subdiv, holidays)) from None
    return cal


def unknown_country(country: Optional[str], code: str, subdiv: str, holidays) -> str:
    """Why the `holidays` package refused ``country``: a lower-case code, or a subdivision
    its country lacks, said with what it takes (both were "not known" as an unknown
    country, though 'us' and 'US-XX' are US's)."""
    known = holidays.list_supported_countries()
    if code not in known and code.upper() in known:
        fixed = "-".join(filter(None, (code.upper(), subdiv.upper())))
        return (f"country {country!r}: the `holidays` package's codes are upper-case; "
                f"pass {fixed!r}")
    if code in known and subdiv and subdiv.upper() in known[code]:  # ('AU-vic')
        return (f"country {country!r}: the `holidays` package's codes are upper-case; "
                f"pass '{code}-{subdiv.upper()}'")
    split = re.split(r"[_ /:.]", country or "")  # ('AU_VIC', 'AU VIC': its two codes)
    if len(split) == 2 and split[0].upper() in known and \
            split[1].upper() in known[split[0].upper()]:
        return (f"country {country!r}: a region's code follows its country's after '-': "
                f"pass '{split[0].upper()}-{split[1].upper()}'")
    if code in known and subdiv:
        subs = list(known[code])
        listed = ", ".join(subs[:40]) + (", ..." if len(subs) > 40 else "")
        return (f"country {country!r}: {code!r} has no subdivision {subdiv!r} in the "
                f"`holidays` package; " + (f"its subdivisions: {listed}" if subs else
                                           f"it has none: pass {code!r}"))
    return (f"country {country!r} is not known to the `holidays` package; use a code such "
            f"as 'US', 'AU' or 'AU-VIC'")


class UtcClockWarning(UserWarning):
    """Calendar features of the clock (hour, day, holiday) read from intraday dates in UTC."""


_CLOCK = ("hour", "dayofweek", "dayofyear", "holiday")


def warn_utc_clock(features: Sequence[str], ds, freq: Optional[str], stacklevel: int = 3) -> None:
    """Warn (:class:`UtcClockWarning`) when the clock's calendar features are read from
    hourly or finer dates held in UTC: dates written with a UTC offset that changes
    (daylight saving time: +10:00, then +11:00) are read as UTC instants, and their hour,
    day and holidays were taken in UTC without a word (a Melbourne holiday flagged from
    10:00 or 11:00 the day before)."""
    used = [f for f in features if f in _CLOCK]
    zone = getattr(pd.DatetimeIndex(ds).tz, "key", None) or str(pd.DatetimeIndex(ds).tz)
    if not used or zone not in ("UTC", "Etc/UTC") or not intraday(freq):
        return
    warnings.warn(f"calendar features {used} are read from the dates' UTC clock (dates "
                  f"written with a UTC offset that changes with daylight saving time are "
                  f"read in UTC): values that follow a local clock, or a country's holidays, "
                  f"are hours off it. Name their time zone: GlobalForecaster(..., "
                  f"time_zone='Australia/Melbourne') (--time-zone Australia/Melbourne; "
                  f"read_panel(data, tz=...) reads them so), or df['ds'] = "
                  f"pd.to_datetime(df['ds'], utc=True).dt.tz_convert('Australia/Melbourne'); "
                  f"where UTC is their clock, say so (time_zone='UTC', --time-zone UTC) or "
                  f"silence this with warnings.filterwarnings('ignore', "
                  f"category=UtcClockWarning)",
                  UtcClockWarning, stacklevel=stacklevel)


def intraday(freq: Optional[str]) -> bool:
    """Whether ``freq`` steps by less than a day (hours, minutes)."""
    from ..data.frequency import fixed_step

    try:
        step = fixed_step(pd.tseries.frequencies.to_offset(freq))
    except (ValueError, TypeError):  # (not a frequency)
        return False
    return step is not None and step < pd.Timedelta(days=1)  # (months: no fixed length)
