"""A panel's one frequency: the calendar its series share (:func:`common_freq`), and what
to say of a series' dates off it (:func:`off_grid_hint`) or far sparser than it
(:func:`coarser_dates`)."""

from __future__ import annotations

from typing import Dict

import pandas as pd

from ..data.frequency import infer_freq_with_gaps
from ..data.month_days import month_day_hint
from ..io.errors import DataError
from .int_steps import date_word
from .long_table import DS, ID


# (the command line has no --freq: "pass freq=" alone named an option it lacks)
_NO_FREQ = ("pass freq='MS' (or 'D', 'QS', ...) to read_panel; on the command line, which "
            "reads the frequency from the dates, write each series' missing dates as rows "
            "with a blank value and pass --fill ffill (or bfill, interpolate)")


def common_freq(groups, source) -> str:
    """The frequency every series of ``groups`` ({id: its rows}) is on, as pandas names
    it; a DataError when none can be told or the series differ. Series of the very same
    dates (a panel's series that start and end together) are told once."""
    found: Dict[str, list] = {}
    told: dict = {}  # the dates (dtype, int64 bytes) -> their frequency
    for uid, g in groups.items():
        idx = pd.DatetimeIndex(g[DS])
        key = (str(idx.dtype), idx.asi8.tobytes())
        if key not in told:
            told[key] = infer_freq_with_gaps(idx)[0]
        f = told[key]
        if f is not None:
            found.setdefault(f, []).append(uid)
    if not found:
        hint = month_day_hint(next(iter(groups.values()))[DS])
        if not hint:  # (a one-series panel's Thursday among Fridays: named, as in a panel)
            _refuse_typed(groups, source)
        raise DataError(f"{source}: cannot tell the frequency of any series (too short or "
                        f"irregular dates); " + (hint or _NO_FREQ))
    if len(found) > 1:
        shown = "; ".join(f"{f}: {', '.join(map(repr, u[:4]))}{' ...' if len(u) > 4 else ''}"
                          for f, u in found.items())
        raise DataError(f"{source}: series have different frequencies ({shown}); a panel needs "
                        f"one frequency: resample the series to a common one")
    return next(iter(found))


def _refuse_typed(groups, source) -> None:
    """A DataError naming a series' one or two dates that break the grid its other dates
    follow, with the dates expected there, where no series' frequency could be told
    because of them (one series, or every one so broken): the generic "cannot tell the
    frequency ... pass freq='MS'" named neither the date nor the grid."""
    for uid, g in groups.items():
        typed = _typed(g[DS])
        if typed:
            raise DataError(f"{source}: series {uid!r}: {typed}")


def off_grid_hint(dates: pd.Series, freq: str) -> str:
    """What to do with a series' dates off the ``freq`` calendar: the frequency they lie on
    when it is another (freq='M' or 'ME' given for month starts: 'MS'; 'W' for Mondays)."""
    from ..data.closed_holidays import holiday_rows
    from .week_freq import week_of

    week = week_of(freq)
    if week is not None:  # (a Sunday row of a Mon-Sat shop; a trading day on a holiday)
        said = holiday_rows(pd.DatetimeIndex(dates), week["holidays"], "its week")
        if said:
            return said
        return (f"expected {date_word()}s on {week['weekmask']} only: drop those rows, or "
                f"pass the weekmask of the days the data has")
    hint = month_day_hint(dates)
    if hint:
        return hint
    found, _ = infer_freq_with_gaps(pd.DatetimeIndex(dates))
    if found and found != freq:
        return f"its {date_word()}s lie on {found!r}: pass freq={found!r} (or no freq=)"
    typed = _typed(dates)
    if typed:  # (a Thursday among Fridays: "give every series the same frequency", it had)
        return typed
    return "give every series the same frequency (and freq= one they lie on)"


def _typed(dates: pd.Series):
    """The one or two dates that break the grid the series' other dates follow, named
    with the dates expected there, and what to do (:mod:`rnnlab.data.grid_typos`)."""
    from ..data.grid_typos import option_words, typed_dates

    found = typed_dates(pd.DatetimeIndex(dates)) if len(dates) >= 6 else None
    if not found:
        return None
    one = found.startswith("its date ")
    it, s = ("it", "") if one else ("them", "s")
    where = (f"write the date{s} the grid expects for {it} (a holiday moved {it}, say), or "
             if "grid expects" in found else "")
    return (f"{found}: {where}drop th{'at row' if one else 'ose rows'}; or "
            f"{option_words(one, 'grid expects' in found, 'read_panel')}")


def read_freq(long: pd.DataFrame, freq, weekmask, source: str, ds_kind):
    """The ``freq`` a panel's dates (``long``) are read on: ``weekmask``'s week or a
    CustomBusinessDay ``freq`` (:mod:`.week_freq`); for integer steps (``ds_kind``) no
    calendar, so no season unless one is given; else ``freq`` checked (None: the dates'
    own, found later)."""
    from ..data.freq_names import checked_freq
    from .int_steps import STEPS, step_freq
    from .week_freq import is_week, on_week, refuse_intraday

    if weekmask is not None or is_week(freq):  # (a shop's Mon-Sat week)
        if weekmask is not None and ds_kind is None:
            refuse_intraday(long, weekmask, source)
        return on_week(freq, weekmask, source, ds_kind, long[DS])
    if ds_kind == STEPS:
        return step_freq(long[DS], long[ID], freq, source)
    return checked_freq(freq, source) if freq is not None else None


def coarser_dates(df: pd.DataFrame, nan: pd.Series, freq) -> str:
    """Where the first series with a missing target (``nan``: rows of ``df``, a panel put
    on its ``freq`` calendar) has values on a coarser calendar that leaves most of
    ``freq``'s dates empty (daily dates read with ``freq='h'``): what it is and the
    ``freq=`` to pass; '' otherwise. "Pass fill='ffill'" sent such a panel to be filled
    with 23 made-up hours a day."""
    from .week_freq import freq_name

    if not nan.any() or date_word() != "date":  # (integer steps: their own step rule)
        return ""
    uid = df.loc[nan, ID].iloc[0]
    rows = df[ID] == uid
    dates = pd.DatetimeIndex(df.loc[rows & ~nan, DS])
    found, _ = infer_freq_with_gaps(dates)
    n = int(rows.sum())  # (its dates on the freq calendar, first to last)
    if found is None or found == freq or n <= 2 * len(dates):
        return ""
    return (f"series {uid!r} has values on {len(dates)} of the {n} dates of its "
            f"{freq_name(freq)} calendar: its dates lie on {found!r}: pass freq={found!r} (or "
            f"no freq=: the dates tell it); a fill would make up the {n - len(dates)} dates "
            f"between")
