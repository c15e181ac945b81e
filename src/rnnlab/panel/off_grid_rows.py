"""``read_panel(off_grid=...)`` (``--off-grid``): each series' one or two dates that break
the grid its other dates follow dropped ('drop') or moved to the dates that grid expects
('snap'), as the one-series reader does (:mod:`rnnlab.data.off_grid`); by default
('refuse') they are named and the panel refused, as before."""

from __future__ import annotations

import pandas as pd

from ..data.frequency import infer_freq_with_gaps
from ..data.off_grid import OffGridWarning as OffGridWarning  # (rnnlab.panel exports it)
from ..data.off_grid import mended_dates
from .long_table import DS, ID


def mended_panel(long: pd.DataFrame, off_grid: str, source: str) -> pd.DataFrame:
    """``long`` (sorted by id and date) with the rows of each series whose dates follow
    no frequency of their own mended by ``off_grid`` ('drop' or 'snap'); a series on its
    grid (gaps and all) as it is."""
    parts, changed = [], False
    for uid, g in long.groupby(ID, sort=False):
        ds = pd.DatetimeIndex(g[DS])
        if infer_freq_with_gaps(ds)[0] is None:
            keep, dates = mended_dates(ds, off_grid, f"{source}: series {uid!r}")
            if not keep.all() or not dates.equals(ds):
                g, changed = g[keep].assign(**{DS: dates}), True
        parts.append(g)
    return pd.concat(parts, ignore_index=True) if changed else long
