"""The scale of each series' recent changes, that :mod:`.calibration` divides its scores
by: scores of series of different sizes pool, in steps of a typical change."""

from __future__ import annotations

from typing import Dict

import numpy as np
import pandas as pd

from .frame import Y
from .scaling import FLAT_SHARE
from .series_blocks import blocks


def safe_log(v: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log(np.maximum(v, np.finfo(float).tiny))


def window_scales(rows: pd.DataFrame, window: int, lag: int,
                  logs: frozenset = frozenset()) -> Dict[str, float]:
    """Per series of ``rows`` (``unique_id``, ``y``, in time order): mean |y_t - y_{t-lag}|
    within its last ``window`` values (of log y for the series in ``logs``); without change,
    1% of their mean |y| (0.01 when that is 0; on logs 0.01, a change of 1%), as
    :class:`~rnnlab.panel.scaling.SeriesTransform` scales a constant series. The series
    whose windows hold as many values are taken together, one row each (a mean along a
    row sums as the mean of the row alone: the same numbers as a loop over the series)."""
    b = blocks(rows)  # (the groupby's order: first seen; each series' rows in time order)
    ends, y_all = b.ends, rows[Y].to_numpy(dtype=float)[b.order]
    names = [str(u) for u in b.ids]
    on_logs = np.array([u in logs for u in names], dtype=bool)
    keep = np.minimum(b.lengths, window)
    scale = np.zeros(len(names))
    for n in np.unique(keep):
        which = np.flatnonzero(keep == n)
        y = y_all[(ends[which] - n)[:, None] + np.arange(n)]  # (series, n)
        y = np.where(on_logs[which, None], safe_log(y), y)
        if n > lag:
            with np.errstate(invalid="ignore"):
                s = np.abs(y[:, lag:] - y[:, :-lag]).mean(axis=1)
        else:
            s = np.zeros(len(which))
        flat = ~(np.isfinite(s) & (s > 0))
        if flat.any():  # (n >= 1: every series has a row)
            level = np.where(on_logs[which], 1.0, np.abs(y).mean(axis=1))
            s = np.where(flat, FLAT_SHARE * level, s)
        scale[which] = s
    scale = np.where(np.isfinite(scale) & (scale > 0), scale, FLAT_SHARE)
    return dict(zip(names, scale.tolist()))
