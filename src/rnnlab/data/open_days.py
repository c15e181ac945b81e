"""The week a daily series is open, given by the user (``weekmask="Mon Tue Wed Thu Fri
Sat"``, ``--weekmask``): its dates are read on that custom business-day calendar, as an
index whose ``freq`` is ``pd.offsets.CustomBusinessDay(weekmask=...)`` is
(:mod:`.custom_days`): the forecasts are dated on open days only and the week's open days
are its seasonal period.

A file's dates carry no freq: a shop closed on Sundays whose CSV leaves them out was read
as the daily calendar with every Sunday missing (period 7 on a 6-step week, forecasts
dated on Sundays), with no way to say otherwise from the command line."""

from __future__ import annotations

from typing import Optional

import numpy as np
import pandas as pd

_WEEK = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_FULL = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def week_mask(text) -> str:
    """``text`` (pandas' weekmask: 'Mon Tue Wed Thu Fri Sat' or '1111110'; a holiday clause
    after it, 'holidays=US', :mod:`.closed_holidays`) as day names, Monday first;
    ConfigError (a ValueError) saying what is expected for anything else."""
    from ..io.errors import ConfigError
    from .closed_holidays import country_problem, split_week

    text, country = split_week(text)
    if country is not None and country_problem(country):
        raise ConfigError(f"weekmask: {country_problem(country)}")
    days = None
    if isinstance(text, str) and len(text) == 7 and set(text) <= {"0", "1"}:
        days = [c == "1" for c in text]
    elif isinstance(text, str):
        named = [w[:3].title() for w in text.replace(",", " ").split()]
        if named and all(w in _WEEK for w in named) and len(set(named)) == len(named):
            days = [d in named for d in _WEEK]
    if days is None or sum(days) < 2:
        raise ConfigError(f"weekmask must name the open days of the week, at least two, as "
                         f"pandas' CustomBusinessDay takes them ('Mon Tue Wed Thu Fri Sat', or "
                         f"'1111110' from Monday), got {text!r}")
    return " ".join(d for d, on in zip(_WEEK, days) if on)


def blank_closed_hint(weekmask) -> str:
    """With ``weekmask``, what to do with NaN rows that are its closed days (a trading
    calendar's file listing every weekday, blank on holidays): ``fill='ffill'`` filled them
    and then they were refused as rows on closed holidays; '' without a weekmask."""
    if weekmask is None:
        return ""
    return (f"; blank rows on days weekmask={weekmask!r} closes (its holidays, the weekdays "
            f"it leaves out) are no values: fill='drop' (--fill drop) leaves them out")


def on_week(index, freq, gaps: int, calendar: Optional[dict], weekmask: Optional[str],
            whose: str):
    """(freq, calendar, gaps) of dates ``index`` read on the open days ``weekmask`` (None:
    as they are): 'C', the calendar (the index' own holidays kept) and its dates missing;
    DataError when there are no dates or some fall on a closed day or between days."""
    from ..io.errors import DataError
    from .closed_holidays import closed_holidays, holiday_rows, split_week

    if weekmask is None:
        return freq, calendar, gaps
    try:
        mask = week_mask(weekmask)
    except ValueError as e:
        raise DataError(f"{whose}: {e}") from None
    if index is None or not len(index):
        raise DataError(f"{whose}: weekmask={mask!r} dates the forecasts on the open days, "
                        f"and these values have no dates; drop weekmask (--weekmask) or give "
                        f"the dates (a date column, a DatetimeIndex)")
    holidays = list(calendar["holidays"]) if calendar else []
    country = split_week(weekmask)[1]
    if country:  # (a trading week closed on a country's public holidays)
        holidays = sorted(set(holidays) | set(closed_holidays(
            country, index[0].year, index[-1].year)))
    week = {"weekmask": mask, "holidays": holidays}
    off = pd.offsets.CustomBusinessDay(weekmask=mask, holidays=holidays)
    grid = pd.date_range(index[0].normalize(), index[-1], freq=off, tz=index.tz)
    _refuse_not_daily(index, grid, freq, mask, whose)
    off_grid = ~index.isin(grid)
    if off_grid.any():
        shown = ", ".join(f"{d:%Y-%m-%d %H:%M}".removesuffix(" 00:00") + f" ({_FULL[d.day_of_week]})"
                          for d in index[off_grid][:5])
        said = holiday_rows(index[off_grid], holidays, f"holidays={country}") if country else ""
        raise DataError(f"{whose}: weekmask={mask!r}, and {int(off_grid.sum())} of its dates "
                        f"are not open days of that week at midnight ({shown}); " + (
                            said or f"expected daily dates on {mask} only: drop those rows, "
                            f"or pass the weekmask of the days the data has"))
    return "C", week, max(0, len(grid) - len(index))


def _refuse_not_daily(index, grid, freq, mask: str, whose: str) -> None:
    """DataError for dates that are not daily (business-month starts, weeks, months), before
    the closed days are looked at: airline's months were refused for their Sundays ("drop
    those rows"), and with a week of seven days read as a daily series with 4,209 open days
    missing, its period 7."""
    from ..io.errors import DataError
    from .date_typo import TYPED_WRONG

    missing = max(0, len(grid) - len(index))
    steps = np.diff(grid.searchsorted(index.normalize()))  # (open days from one to the next)
    if not ((freq and freq.lstrip("0123456789") not in ("D", "B", "C"))
            or missing > len(index) or (len(steps) > 1 and np.median(steps) > 1)):
        return
    if not (freq and freq.lstrip("0123456789") not in ("D", "B", "C")) and \
            len(steps) > 1 and np.median(steps) <= 1:  # (daily, and one jump: a typo?)
        at = int(np.argmax(steps))
        raise DataError(f"{whose}: weekmask={mask!r}, and its daily dates jump from "
                        f"{index[at]:%Y-%m-%d} to {index[at + 1]:%Y-%m-%d} (more open days of "
                        f"that week without a date, {missing}, than it has dates, "
                        f"{len(index)}): {TYPED_WRONG}")
    raise DataError(f"{whose}: weekmask={mask!r} reads daily dates on a week of open days, "
                    f"and these are {f'{freq!r} dates' if freq else 'not daily'} "
                    f"({len(index)} dates, {missing} open days of that week between them "
                    f"without one); drop weekmask (--weekmask)")
