"""Each series of a long table put on its calendar at once: the rows of the dates missing
from a series' grid (between its first and last date) added, empty, as
``read_panel`` does series by series (a ``date_range`` and a reindex per series: 2 ms a
series, seconds for a panel of thousands with a gap somewhere). Done at once where every
series' grid is a stretch of one grid over the whole table: a calendar anchored by its
frequency (months, weeks of a weekday, quarters, days, business days: one step of it),
dates at midnight without a time zone; elsewhere (multiples such as ``2D``, hours,
dates in a time zone) or where a date is off that grid, the caller's loop decides and
names the series."""

from __future__ import annotations

from typing import Optional

import numpy as np
import pandas as pd
from pandas.tseries.frequencies import to_offset

from .long_table import DS, ID


def on_one_grid(long: pd.DataFrame, freq: str) -> Optional[pd.DataFrame]:
    """``long`` (sorted by id and date, one row per pair) with the rows missing from each
    series' grid added (NaN values; ids and dates set), in the columns of ``long``; None
    where this cannot be done at once (module docstring)."""
    try:
        off = to_offset(freq)
    except ValueError:
        return None
    ds = long[DS]
    if long.empty or off.n != 1 or isinstance(off, pd.offsets.Tick) or ds.dt.tz is not None \
            or not (ds.dt.normalize() == ds).all():
        return None
    grid = pd.date_range(ds.min(), ds.max(), freq=freq)
    pos = grid.get_indexer(ds)
    if (pos < 0).any():  # a date off the calendar: the loop names it
        return None
    codes, uniques = pd.factorize(long[ID], sort=False)
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    ends = np.r_[starts[1:], len(long)] - 1
    first, last = pos[starts], pos[ends]
    n = last - first + 1
    full = np.repeat(first - np.r_[0, np.cumsum(n)[:-1]], n) + np.arange(n.sum())
    target = pd.MultiIndex.from_arrays([np.repeat(np.asarray(uniques, dtype=object), n),
                                        grid[full]], names=[ID, DS])
    out = long.set_index([ID, DS]).reindex(target).reset_index()
    return out[list(long.columns)]
