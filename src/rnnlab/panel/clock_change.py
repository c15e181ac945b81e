"""Local clock times read without their zone, where a clock change breaks the grid.

Hourly dates written as a zone's clock times without a UTC offset (what
``tz_localize(None)`` or a logger's local time gives) skip an hour in spring and repeat
one in autumn. Read without the zone, spring's gap was "the target has 2 NaN values or
missing dates ... pass fill='ffill'" (a value made up for an hour that never was) and
autumn's repeat "rows repeat an (id, date) pair ... drop or aggregate them" (an hour of
data lost). :func:`clock_change_note` says which reading reads them: ``tz=``.
"""

from __future__ import annotations

import pandas as pd

_CHANGE_MONTHS = (3, 4, 9, 10, 11)  # (both hemispheres' daylight saving starts and ends)


def clock_change_note(dates) -> str:
    """A note for the missing or repeated ``dates`` of a panel when they are all one
    hour, 01:00 to 03:00, of one day of a month clocks change in, without a time zone:
    a clock change's hour; '' otherwise."""
    ds = pd.Series(dates).drop_duplicates()
    if ds.empty or not pd.api.types.is_datetime64_dtype(ds) or getattr(ds.dtype, "tz", None):
        return ""  # (steps, periods, text: none of a clock's; a zone: its changes known)
    first = ds.iloc[0]
    if ds.dt.floor("h").nunique() != 1 or not 1 <= first.hour <= 3 \
            or first.month not in _CHANGE_MONTHS:
        return ""
    return (f"; one hour of one day ({first:%Y-%m-%d %H:%M}) in every series named: the "
            f"hour a clock change skips or repeats, where the dates are a zone's clock "
            f"times without their UTC offset: read them in that zone, which knows its clock "
            f"changes: read_panel(..., tz='Europe/Berlin'), GlobalForecaster(time_zone=...), "
            f"--time-zone")
