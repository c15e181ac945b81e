"""Each series of a long table put on its calendar at once: the rows of the dates missing
from a series' grid (between its first and last date) added, empty, as
``read_panel`` does series by series (a ``date_range`` and a reindex per series: 2 ms a
series, seconds for a panel of thousands with a gap somewhere). Done at once where every
series' grid is a stretch of one grid over the whole table: a calendar anchored by its
frequency (months, weeks of a weekday, quarters, days, business days: one step of it),
dates at midnight without a time zone; elsewhere (multiples such as ``2D``, hours,
dates in a time zone) or where a date is off that grid, :func:`each_on_grid` puts them
on it series by series, naming a series with a date off its calendar. Where every series
steps by a fixed length without a gap (:func:`on_fixed_steps`), there is nothing to add."""

from __future__ import annotations

from typing import Mapping, Optional

import numpy as np
import pandas as pd
from pandas.tseries.frequencies import to_offset

from ..data.frequency import fixed_step
from ..io.errors import DataError
from .int_steps import date_word, shown_date
from .long_table import DS, ID
from .panel_freq import off_grid_hint
from .week_freq import freq_name


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
    pos = grid.get_indexer(pd.DatetimeIndex(ds))
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


def each_on_grid(groups: Mapping[str, pd.DataFrame], freq: str,
                 source: str) -> pd.DataFrame:
    """The series ``groups`` (id: its rows, sorted by date) each reindexed on its own
    ``freq`` grid from its first to its last date, in one long table; a DataError naming
    a series with dates off that grid (its first three) and how to read them."""
    parts = []
    for uid, g in groups.items():
        grid = pd.date_range(g[DS].iloc[0], g[DS].iloc[-1], freq=freq)
        if not g[DS].isin(grid).all():
            off = [shown_date(d) for d in g.loc[~g[DS].isin(grid), DS].head(3)]
            raise DataError(f"{source}: series {uid!r} has {date_word()}s off its "
                            f"{freq_name(freq)} calendar ({', '.join(off)}); "
                            + off_grid_hint(g[DS], freq))
        parts.append(g.set_index(DS).reindex(grid).rename_axis(DS).reset_index()
                     .assign(**{ID: uid}))
    return pd.concat(parts, ignore_index=True)


def on_fixed_steps(long: pd.DataFrame, freq: str) -> bool:
    """Whether every series of ``long`` (sorted by id and date) steps by ``freq``, a fixed
    length (days, hours, ...), without a gap: then each lies on its own grid already, and
    the per-series check and reindex (2 ms a series) are skipped."""
    off = to_offset(freq)
    step = fixed_step(off)
    if step is None:  # months, quarters, business days: not fixed
        if not isinstance(off, pd.offsets.Week):
            return False
        step = pd.Timedelta(weeks=off.n)  # (W-SUN: each series' first date a Sunday)
        firsts = long.groupby(ID, sort=False)[DS].first()
        if not all(off.is_on_offset(d) for d in firsts):
            return False
    if long[DS].dt.tz is not None and isinstance(off, (pd.offsets.Day, pd.offsets.Week)):
        # in a time zone, pandas' days and weeks are the clock's (23 or 25 hours over a
        # DST change): 24-hour steps there are off that calendar, as the per-series
        # check says (they were taken here)
        return False
    gaps = long.groupby(ID, sort=False)[DS].diff().dropna()
    return bool((gaps == step).all())
