"""The future covariates of every series over its forecast dates as one array, looked up
in the future table at once (:func:`~.covariates.future_block` reindexes a frame per
series: 4-7 ms a series); a missing or NaN value is refused by ``future_block``'s own
check, which names the series and dates."""

from __future__ import annotations

from typing import Dict, Sequence

import numpy as np
import pandas as pd

from .covariates import checked_future, future_block
from .long_table import DS, ID


def future_values(future, ids: Sequence[str], last: Dict[str, pd.Timestamp], horizon: int,
                  freq: str, columns: Sequence[str], dates: Sequence[pd.DatetimeIndex]):
    """(S x horizon, C) float64: ``columns`` of ``future`` on each series' forecast
    ``dates`` (one DatetimeIndex of ``horizon`` dates per id of ``ids``), series after
    series; what ``future_block(...)[id][columns]`` holds, stacked."""
    cols = list(columns)
    fut = checked_future(future, ids, last, horizon, freq, cols)
    if not cols:
        return np.zeros((len(ids) * horizon, 0))
    where = pd.MultiIndex.from_arrays([fut[ID].to_numpy(), _ns(fut[DS])])
    want = pd.MultiIndex.from_arrays([np.repeat(np.asarray(ids, dtype=object), horizon),
                                      _ns(dates[0].append(list(dates[1:])))])
    pos = where.get_indexer(want)
    values = fut[cols].to_numpy(np.float64)[pos]
    if (pos < 0).any() or np.isnan(values).any():  # its error, naming series and dates
        blocks = future_block(future, ids, last, horizon, freq, cols)
        return np.concatenate([blocks[u][cols].to_numpy() for u in ids])
    return values


def _ns(dates) -> pd.DatetimeIndex:
    """The dates in nanoseconds (a table's dates and a date range's may differ in unit)."""
    return pd.DatetimeIndex(dates).as_unit("ns")
