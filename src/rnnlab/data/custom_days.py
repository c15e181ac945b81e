"""A custom business-day calendar given with a series' dates (a DatetimeIndex whose ``freq``
is ``pd.offsets.CustomBusinessDay(holidays=..., weekmask=...)``): its forecasts are dated on
it, so they skip the holidays named there and the weekdays its week leaves out (a shop's
Mon-Sat week: ``weekmask="Mon Tue Wed Thu Fri Sat"``), its seasonal period is its week (6
steps), and a saved model keeps it.

The calendar was read as plain business days ('B', the holidays as gaps): forecasts fell on
the user's holidays; a Mon-Sat week was read as the daily calendar with every Sunday missing
(period 7 on a 6-step week, forecasts dated on Sundays). Held as data, ``{"weekmask": "Mon Tue Wed Thu Fri", "holidays":
["2020-12-25", ...]}`` (JSON in a saved model), made into the offset when dates are drawn."""

from __future__ import annotations

from typing import Optional

import pandas as pd

_WEEK = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def index_calendar(index) -> Optional[dict]:
    """The calendar of ``index``'s ``freq`` when it is a CustomBusinessDay with holidays or
    a week other than Monday to Friday (one day long, no business hours); else None (a
    plain business day is 'B')."""
    off = getattr(index, "freq", None)
    if not isinstance(off, pd.offsets.CustomBusinessDay) or off.n != 1 or \
            getattr(index, "tz", None) is not None:
        return None
    mask = " ".join(d for d, on in zip(_WEEK, _open_days(off.weekmask)) if on)
    if not len(off.holidays) and mask == _WORK_WEEK:
        return None
    return {"weekmask": mask,
            "holidays": sorted({str(pd.Timestamp(h).date()) for h in off.holidays})}


_WORK_WEEK = "Mon Tue Wed Thu Fri"


def _open_days(weekmask):
    """Seven booleans, Monday first, of a weekmask pandas holds ('1111110', 'Mon Tue ...'
    or an array of seven 0/1)."""
    if isinstance(weekmask, str):
        if set(weekmask) <= {"0", "1"} and len(weekmask) == 7:
            return [c == "1" for c in weekmask]
        named = {w[:3].title() for w in weekmask.split()}
        return [d in named for d in _WEEK]
    return [bool(on) for on in weekmask]


def week_period(calendar: Optional[dict]) -> Optional[int]:
    """The seasonal period of a calendar's week: its open days (a Mon-Sat week: 6); None
    without a calendar or for a week of one day."""
    if calendar is None:
        return None
    days = sum(_open_days(calendar["weekmask"]))
    return days if days >= 2 else None


def read_on_calendar(given, index, freq, gaps):
    """(freq, calendar, gaps) of dates ``index`` whose given index (``given``) carries a
    custom business-day calendar (:func:`index_calendar`): 'C' (or 'B' as read) and the
    dates of that calendar missing, when every date lies on it; else (freq, None, gaps)."""
    calendar = index_calendar(given)
    if calendar is None or index is None or not len(index):
        return freq, None, gaps
    grid = pd.date_range(index[0], index[-1], freq=calendar_offset(calendar))
    if not index.isin(grid).all():
        return freq, None, gaps
    if not (freq and freq.lstrip("0123456789") in ("B", "C")) or \
            calendar["weekmask"] != _WORK_WEEK:
        freq = "C"
    return freq, calendar, max(0, len(grid) - len(index))


def calendar_offset(calendar: dict) -> pd.offsets.CustomBusinessDay:
    """The pandas offset of a calendar :func:`index_calendar` made."""
    return pd.offsets.CustomBusinessDay(weekmask=calendar["weekmask"],
                                        holidays=list(calendar["holidays"]))


def read_on_fitted(series, fitted):
    """``series`` (a :class:`~rnnlab.data.series.Series` of newer data, dates without the
    index' freq: a CSV file) read on the calendar of the ``fitted`` one when it has none of
    its own and its dates all lie on it (at the same frequency: its holidays kept); else
    ``series`` as it is."""
    import dataclasses

    calendar = fitted.calendar
    if calendar is None or series.calendar is not None or series.index is None or \
            not len(series.index) or series.index.tz is not None:
        return series
    grid = pd.date_range(series.index[0], series.index[-1], freq=calendar_offset(calendar))
    if not series.index.isin(grid).all():  # (a trading day on a fitted holiday)
        return dataclasses.replace(series, calendar=calendar) \
            if series.freq == fitted.freq else series
    return dataclasses.replace(series, freq=fitted.freq, calendar=calendar,
                               gaps=max(0, len(grid) - len(series.index)))


def read_off_calendar(series, fitted):
    """``series`` whose index carries a custom business-day week (read 'C') without its
    calendar, its dates read as ``fitted`` (a model fitted on another calendar, such as one
    saved before a Mon-Sat week was read as its own: 'D', every Sunday missing) read
    them; else ``series`` as it is. The same index the model was fitted on was refused
    ("fitted on 'D' data and this is 'C' data") once the week was read."""
    import dataclasses

    from .frequency import infer_freq_with_gaps

    if fitted.calendar is not None or series.calendar is None or series.freq != "C" or \
            not fitted.freq or fitted.freq == "C":
        return series
    freq, gaps = infer_freq_with_gaps(series.index)
    return dataclasses.replace(series, freq=freq, calendar=None, gaps=gaps) \
        if freq == fitted.freq else series


def other_week(calendar: Optional[dict], fitted: Optional[dict], whose: str) -> None:
    """A DataError when newer data's week of open days (``calendar``) is not the week of
    the one a model was fitted on (``fitted``): a model of a Mon-Sat shop given Tue-Sun
    dates forecast on Sundays without a word. Refused, not warned: the model's steps are
    its week's open days (its seasonal period, the weekday each step is), so on another
    week its weekly pattern lands on the wrong days. Other holidays on the same week are
    the calendar kept up to date, read as given."""
    if calendar is None or fitted is None or calendar["weekmask"] == fitted["weekmask"]:
        return
    from ..io.errors import DataError

    raise DataError(f"{whose}: its dates are open on {calendar['weekmask']} and the model "
                    f"was fitted on a week open on {fitted['weekmask']}; a model's steps are "
                    f"its week's open days (its seasonal period {week_period(fitted)}, the "
                    f"weekday of each step), so it forecasts that week only: give the data "
                    f"on {fitted['weekmask']} (weekmask={fitted['weekmask']!r}), or fit a "
                    f"model on this week")


def closed_day_dates(index, calendar: Optional[dict]) -> list:
    """The dates of ``index`` on weekdays ``calendar``'s week leaves out (a Sunday row
    for a Mon-Sat shop), as 'YYYY-MM-DD (Sunday)'; [] without a calendar or dates."""
    if calendar is None or index is None or not len(index):
        return []
    open_days = _open_days(calendar["weekmask"])
    closed = index[~pd.Index(index.day_of_week).map(lambda d: open_days[d]).to_numpy(bool)]
    return [f"{d:%Y-%m-%d} ({d.day_name()})" for d in closed]


def checked_calendar(calendar, source) -> Optional[dict]:
    """A calendar read from a file: None, or one pandas makes an offset of; else
    CheckpointError naming ``source`` (the file is damaged)."""
    if calendar is None:
        return None
    from ..io.errors import CheckpointError

    problem = None
    if not (isinstance(calendar, dict) and isinstance(calendar.get("weekmask"), str)
            and isinstance(calendar.get("holidays"), list)):
        problem = "expected weekmask (text) and holidays (a list of dates)"
    else:
        try:
            calendar_offset(calendar)
        except (ValueError, TypeError, KeyError) as e:
            problem = str(e)
    if problem is not None:
        raise CheckpointError(f"{source}: the business-day calendar {calendar!r} cannot be "
                              f"read ({problem}); the file is damaged: save the model again")
    return {"weekmask": calendar["weekmask"], "holidays": list(calendar["holidays"])}
