"""A custom business-day calendar given with a series' dates (a DatetimeIndex whose ``freq``
is ``pd.offsets.CustomBusinessDay(holidays=..., weekmask=...)``): its forecasts are dated on
it, so they skip the holidays named there, and a saved model keeps it.

The calendar was read as plain business days ('B', the holidays as gaps): forecasts fell on
the user's holidays. Held as data, ``{"weekmask": "Mon Tue Wed Thu Fri", "holidays":
["2020-12-25", ...]}`` (JSON in a saved model), made into the offset when dates are drawn."""

from __future__ import annotations

from typing import Optional

import pandas as pd

_WEEK = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def index_calendar(index) -> Optional[dict]:
    """The calendar of ``index``'s ``freq`` when it is a CustomBusinessDay with holidays
    (one day long, no business hours); else None (a plain business day is 'B')."""
    off = getattr(index, "freq", None)
    if not isinstance(off, pd.offsets.CustomBusinessDay) or off.n != 1 or \
            not len(off.holidays) or getattr(index, "tz", None) is not None:
        return None
    mask = off.weekmask if isinstance(off.weekmask, str) else " ".join(
        d for d, on in zip(_WEEK, off.weekmask) if on)
    return {"weekmask": mask,
            "holidays": sorted({str(pd.Timestamp(h).date()) for h in off.holidays})}


def calendar_offset(calendar: dict) -> pd.offsets.CustomBusinessDay:
    """The pandas offset of a calendar :func:`index_calendar` made."""
    return pd.offsets.CustomBusinessDay(weekmask=calendar["weekmask"],
                                        holidays=list(calendar["holidays"]))


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
