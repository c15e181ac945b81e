"""Local clock times read without their zone, where a clock change breaks the grid.

Hourly dates written as a zone's clock times without a UTC offset (what
``tz_localize(None)`` or a logger's local time gives) skip an hour in spring and repeat
one in autumn. Read without the zone, spring's gap was "the target has 2 NaN values or
missing dates ... pass fill='ffill'" (a value made up for an hour that never was) and
autumn's repeat "rows repeat an (id, date) pair ... drop or aggregate them" (an hour of
data lost). :func:`clock_change_note` says which reading reads them: ``tz=`` for
spring's; for autumn's, whose two hours no zone tells apart, the offsets written
(``tz_localize(zone, ambiguous='infer')`` per series).
"""

from __future__ import annotations

from typing import Hashable, Optional, Sequence

import pandas as pd

from .long_table import DS

_CHANGE_MONTHS = (3, 4, 9, 10, 11)  # (both hemispheres' daylight saving starts and ends)


def clock_change_note(dates, repeated: bool = False, ids: Sequence = (),
                      date: Optional[Hashable] = None) -> str:
    """A note for the missing or repeated ``dates`` of a panel when they are all one
    hour, 01:00 to 03:00, of one day of a month clocks change in, without a time zone:
    a clock change's hour; '' otherwise. Missing (spring): read them in their zone.
    ``repeated`` (autumn; ``ids``, the table's id columns, and ``date``, its date column):
    their UTC offsets written, per series in time order; a zone cannot tell the two hours
    apart (``tz=`` refuses them as happening twice)."""
    ds = pd.Series(dates).drop_duplicates()
    if ds.empty or not pd.api.types.is_datetime64_dtype(ds) or getattr(ds.dtype, "tz", None):
        return ""  # (steps, periods, text: none of a clock's; a zone: its changes known)
    first = ds.iloc[0]
    if ds.dt.floor("h").nunique() != 1 or not 1 <= first.hour <= 3 \
            or first.month not in _CHANGE_MONTHS:
        return ""
    said = (f"; one hour of one day ({first:%Y-%m-%d %H:%M}) in every series named: the "
            f"hour a clock change {'repeats' if repeated else 'skips'}, where the "
            f"dates are a zone's clock times without their UTC offset: ")
    if not repeated:
        return (said + "read them in that zone, which knows its clock changes: "
                "read_panel(..., tz='Europe/Berlin'), GlobalForecaster(time_zone=...), "
                "--time-zone")
    d = DS if date is None else date
    each = f".groupby({list(ids)!r})[{d!r}].transform(lambda d: d.dt" if ids else f"[{d!r}].dt"
    return (said + f"its zone cannot tell the two hours apart (read_panel(..., tz=ZONE) "
            f"refuses them too): write each date with its UTC offset, in pandas, each series "
            f"in time order: df[{d!r}] = df{each}.tz_localize('Europe/Berlin', "
            f"ambiguous='infer'){')' if ids else ''}")
