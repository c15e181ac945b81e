"""The scales of the scaled errors: MASE's in-sample seasonal naive mean absolute
difference and RMSSE's root mean squared one, over the same pairs of the history."""

from __future__ import annotations

from typing import Literal, Optional

import numpy as np


def mase_scale(train, period: Optional[int]) -> float:
    """In-sample MAE of the seasonal naive forecast: the mean of ``|y_t - y_{t-m}|`` over
    the history's pairs of values ``m`` (the period) steps apart; ``m = 1`` (the naive)
    without a period, or when no such pair is known (a series shorter than one season).
    A NaN in the history leaves out the differences it is part of, and only those: the
    other pairs keep their lag (dropping the NaN first, as the panel did, paired values
    ``m + 1`` apart across it; the single-series copy made the whole scale NaN). NaN when
    no difference is known or their mean is 0 (a constant series): no scale to divide by.
    One implementation for the panel and the single series (:mod:`rnnlab.forecast.metrics`)."""
    d = _season_differences(train, period)
    s = float(np.mean(d)) if len(d) else 0.0
    return s if s > 0 else float("nan")


def rmsse_scale(train, period: Optional[int]) -> float:
    """RMSSE's scale: the root of the mean of ``(y_t - y_{t-m})^2`` over the pairs
    :func:`mase_scale` reads (the in-sample seasonal naive's RMSE); NaN where it is 0 or
    no pair is known. (RMSSE divided by the MASE's mean absolute difference was RMSE / s,
    not the RMSSE of fpp3 and the M5 competition.)"""
    d = _season_differences(train, period)
    s = float(np.sqrt(np.mean(d ** 2))) if len(d) else 0.0
    return s if s > 0 else float("nan")


def _season_differences(train, period: Optional[int]) -> np.ndarray:
    """``|y_t - y_{t-m}|`` of the known pairs a period apart, else a step apart."""
    y = np.asarray(train, dtype=np.float64).reshape(-1)
    d = _lag_differences(y, period) if period and period > 1 else np.empty(0)
    if not len(d):  # no period, or no known pair a season apart: the naive's
        d = _lag_differences(y, 1)
    return d


def _lag_differences(y: np.ndarray, lag: int) -> np.ndarray:
    """``|y_t - y_{t-lag}|`` of the pairs where both values are known."""
    if len(y) <= lag:
        return np.empty(0)
    d = np.abs(y[lag:] - y[:-lag])
    return d[~np.isnan(d)]


def history_scales(values, ids, ends, period: Optional[int], inclusive: bool = True):
    """``(MASE's scales, RMSSE's scales)``, one of each per ``(ids[k], ends[k])``: of the
    values of series ``ids[k]`` in ``values`` (a long frame ``unique_id, ds, y``) dated on
    or before ``ends[k]`` (a cutoff: the data a forecast made there saw), or before it
    with ``inclusive=False`` (a first forecast date). One pass over each series' sorted
    dates, a binary search per end (a filter of the series' rows per end took seconds on
    thousands of (series, cutoff) pairs); NaN for a series ``values`` lacks."""
    import pandas as pd

    query = pd.DataFrame({"unique_id": np.asarray(ids, dtype=object),
                          "end": pd.Series(ends).to_numpy()})
    mase, rms = np.full(len(query), np.nan), np.full(len(query), np.nan)
    wanted = set(query["unique_id"])
    series = {u: (g["ds"].to_numpy(), g["y"].to_numpy(np.float64)) for u, g in
              values.sort_values("ds", kind="stable").groupby("unique_id", sort=False)
              if u in wanted}
    side: Literal["left", "right"] = "right" if inclusive else "left"
    for uid, rows in query.groupby("unique_id", sort=False):
        if uid not in series:
            continue
        ds, y = series[uid]
        at = np.searchsorted(ds, rows["end"].to_numpy(), side=side)
        for i, k in zip(rows.index, at):
            mase[i], rms[i] = mase_scale(y[:k], period), rmsse_scale(y[:k], period)
    return mase, rms
