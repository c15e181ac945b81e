"""The calendar of a series' dates: its pandas frequency (allowing some missing dates)
and the seasonal period that frequency usually carries."""

from __future__ import annotations

from typing import List, Optional, Tuple

import numpy as np
import pandas as pd

from .freq_names import quarter_start_named_as_pandas_2_2

# pandas frequency bases -> the seasonal period they usually carry (a business month,
# quarter or year (BMS, BQE, ...) is read as the month, quarter or year)
_PERIODS = {"MS": 12, "ME": 12, "M": 12, "QS": 4, "QE": 4, "Q": 4, "W": 52, "h": 24, "H": 24,
            "B": 5, "D": 7, "SMS": 24, "SME": 24, "SM": 24, "min": 1440, "T": 1440}
MAX_INTRADAY = 96  # minutes: a daily cycle of at most this many steps (every 15 minutes or more)


def infer_period(freq: Optional[str]) -> Optional[int]:
    """Seasonal period of a pandas frequency: monthly 12, quarterly 4, weekly 52, daily 7,
    hourly 24; a multiple divides it (2h: 12, 3MS: 4, 30min: 48) when it divides evenly,
    else None (2D: no whole week)."""
    if not freq:
        return None
    digits = len(freq) - len(freq.lstrip("0123456789"))
    n = int(freq[:digits]) if digits else 1
    base = freq[digits:].split("-")[0]
    if base[:1] == "B" and base[1:2] in ("M", "Q"):  # business month / quarter start or end
        base = base[1:]
    period = _PERIODS.get(base)
    if period is None or n < 1 or period % n:
        return None
    period //= n
    if base in ("min", "T") and period > MAX_INTRADAY:
        return None
    return period if period >= 2 else None


def seasonal_period(given: Optional[int], freq: Optional[str],
                    calendar: Optional[dict] = None) -> Optional[int]:
    """The seasonal period a model uses: ``given`` when given (1: no season, as
    statsforecast's ``season_length=1``: None), else the week of a custom business-day
    ``calendar`` (Mon-Sat: 6; :mod:`.custom_days`), else the one the frequency ``freq``
    usually carries (:func:`infer_period`)."""
    if given == 1:
        return None
    if not given and calendar is not None:
        from .custom_days import week_period

        return week_period(calendar)
    return given or infer_period(freq)


def _infer_freq(index: pd.DatetimeIndex) -> Optional[str]:
    import warnings

    if len(index) < 3:
        return None
    with warnings.catch_warnings():  # pandas 3 may return an offset, not a string
        warnings.simplefilter("ignore")
        try:
            f = pd.infer_freq(index)
        except (ValueError, TypeError):
            return None
    return quarter_start_named_as_pandas_2_2(getattr(f, "freqstr", f))  # QS-OCT: pandas < 2.2


MAX_GAP_FRACTION = 0.2  # at most this share of a frequency's grid may be missing


def infer_freq_with_gaps(index: pd.DatetimeIndex) -> Tuple[Optional[str], int]:
    """(pandas frequency, dates of its grid missing) of a date index.

    ``pd.infer_freq`` needs every date present: one holiday in business-day prices or
    one missing month makes it give up. Here the frequency of short stretches (five
    dates at a time) is tried on the whole index: it is taken when every date lies on
    its grid and at most :data:`MAX_GAP_FRACTION` of the grid is missing. Otherwise
    (None, 0): the dates are irregular."""
    whole = _infer_freq(index)
    if whole is not None or len(index) < 5:
        return whole, 0
    for cand in voted_freqs(index) + _semi_months(index):
        if _far_too_long(index, cand):
            continue  # (the same answer, without a grid of millions: one date typed 9021)
        try:
            grid = pd.date_range(index[0], index[-1], freq=cand)
        except (ValueError, TypeError):
            continue
        missing = len(grid) - len(index)
        if 0 <= missing <= MAX_GAP_FRACTION * len(grid) and index.isin(grid).all():
            return cand, missing
    return None, 0


def voted_freqs(index: pd.DatetimeIndex, top: int = 4) -> List[str]:
    """The ``top`` frequencies pandas reads most often in stretches of five dates of
    ``index`` (at most 64 stretches), most often first."""
    from collections import Counter

    votes: Counter = Counter()
    for start in range(0, len(index) - 4, max(1, (len(index) - 4) // 64)):
        f = _infer_freq(index[start:start + 5])
        if f is not None:
            votes[f] += 1
    return [c for c, _ in votes.most_common(top)]


def _far_too_long(index: pd.DatetimeIndex, freq: str) -> bool:
    """Whether ``freq``'s grid from the first date of ``index`` to its last holds more than
    twice its dates (so more than :data:`MAX_GAP_FRACTION` of it missing), told without
    building it (an hourly series whose last year read 9010 built 61 million dates)."""
    from pandas.tseries.frequencies import to_offset

    try:
        return bool(index[0] + (2 * len(index) + 2) * to_offset(freq) < index[-1])
    except (ValueError, TypeError, OverflowError):  # (past the dates pandas holds)
        return False


def _semi_months(index: pd.DatetimeIndex) -> List[str]:
    """The semi-month frequencies (SMS: the 1st and the 15th, SME: the 15th and the month's
    end, or another day for the 15th) whose days of the month are those of ``index``, at
    one time of day; pandas' ``infer_freq`` names none of them (payrolls, bond coupons,
    fortnightly reports read as dates of no frequency: forecasts numbered by step)."""
    end = np.asarray(index.day == index.days_in_month)  # (is_month_end raised a ValueError
    # for an index whose freq is a CustomBusinessDay: a shop's Mon-Sat calendar)
    days = set(index[~end].day)  # (the 1st and one more, or one beside the month ends)
    mid = days - {1} if not end.any() else days
    if len(set(index.time)) != 1 or len(mid) != 1 or not 2 <= min(mid) <= 27:
        return []
    d = min(mid)
    if end.any():
        return [pd.offsets.SemiMonthEnd(day_of_month=d).freqstr]
    return [pd.offsets.SemiMonthBegin(day_of_month=d).freqstr] if 1 in days else []


def fixed_step(offset: Optional[pd.offsets.BaseOffset]) -> Optional[pd.Timedelta]:
    """The length of one step of ``offset`` where every step has it (hours, minutes, ...:
    a Tick; days); None for the others, which pd.Timedelta refuses (months, business
    days, weeks: anchored on a weekday) and for no offset."""
    if isinstance(offset, pd.offsets.Tick):  # (days too, before pandas 3)
        return pd.Timedelta(offset)
    if isinstance(offset, pd.offsets.Day):
        return pd.Timedelta(days=offset.n)
    return None
