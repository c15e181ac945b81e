"""Filling a series: its NaN values (ffill, bfill, interpolate) and the dates missing from
its calendar, which a business-day calendar's holidays are not."""

from __future__ import annotations

from typing import Optional

import numpy as np
import pandas as pd


def business_days(freq: Optional[str]) -> bool:
    """A business-day calendar, whose missing dates are holidays (no data), not gaps."""
    return freq is not None and freq.lstrip("0123456789") in ("B", "C")


def fill_dates(values, index, freq, fill, filled):
    """The series on its whole ``freq`` calendar, the missing dates filled like NaN
    (``fill``): (values, index, positions filled)."""
    grid = pd.date_range(index[0], index[-1], freq=freq)
    s = pd.Series(values, index=index).reindex(grid)
    new = s.isna().to_numpy().copy()  # (pandas' copy-on-write array is read-only)
    if filled is not None:
        new[grid.get_indexer(index[filled])] = True
    return filled_values(s, fill), grid, np.flatnonzero(new)


def filled_values(s: pd.Series, fill: str) -> np.ndarray:
    """The values of ``s`` with its NaNs filled by ``fill`` (ffill | bfill | interpolate);
    a leading gap ffill cannot fill, or a trailing one bfill cannot, by the nearest value."""
    s = s.ffill() if fill == "ffill" else s.bfill() if fill == "bfill" else s.interpolate()
    return s.ffill().bfill().to_numpy()


def filled_apart(values: np.ndarray, filled, fill: Optional[str], end: int) -> np.ndarray:
    """``values`` whose filled-in positions (``filled``) before ``end`` are filled again
    from ``values[:end]`` alone: bfill and interpolate, run over the whole series, filled
    a gap just before ``end`` from the values after it (the held-out part, whose values
    then shaped the training part's); ffill reads ahead only over a leading gap (from the
    first value). The positions from ``end`` on are kept as filled."""
    if filled is None or fill not in ("bfill", "interpolate", "ffill") or end <= 0:
        return values
    inside = np.asarray(filled, dtype=np.int64)
    inside = inside[inside < end]
    if not len(inside):
        return values
    part = np.array(values[:end], dtype=np.float64)
    part[inside] = np.nan
    if np.isnan(part).all():  # (the caller refuses a part this short or empty)
        return values
    return np.concatenate([filled_values(pd.Series(part), fill), values[end:]])


def history_before(values: np.ndarray, filled, fill: Optional[str], end: int) -> np.ndarray:
    """``values[:end]``, the history a forecast from ``end`` may read: a gap filled across
    ``end`` (the value at ``end - 1`` filled in) is filled again from ``values[:end]`` alone
    (:func:`filled_apart`); a gap that ends before ``end`` was filled from values before
    ``end`` (and a leading gap from the first value), the same either way, so is kept."""
    if filled is None or end <= 0 or not (np.asarray(filled) == end - 1).any():
        return values[:end]
    return filled_apart(values, filled, fill, end)[:end]


def trailing_note(nan: np.ndarray, labels) -> str:
    """What to do with NaN values that end the series (the dates to forecast, appended as
    NeuralForecast's frames hold them), which ffill would make up, moving the forecast's
    origin past them: '' when the last value is there."""
    if not len(nan) or not nan[-1]:
        return ""
    k = int(np.argmin(nan[::-1])) if not nan.all() else len(nan)  # the NaNs at the end
    first = labels[len(nan) - k]
    if k == 1:  # (was "its last 1 values are missing (from ...)")
        return (f"; its last value is missing ({first}): if it is the date to forecast, "
                f"fill='drop' (--fill drop) leaves it out (a forecast starts after the last "
                f"value), where ffill would make it up and forecast after it")
    return (f"; its last {k} values are missing (from {first}): if they are the dates to "
            f"forecast, fill='drop' (--fill drop) leaves them out (a forecast starts after the "
            f"last value), where ffill would make them up and forecast after them")


def series_filled_apart(series, fill: Optional[str], end: int):
    """A :class:`~rnnlab.data.series.Series` with the NaN before ``end`` filled from
    ``values[:end]`` alone (:func:`filled_apart`: fill='bfill' or 'interpolate' over the
    whole series read the test part's values into the training part). A Series filled by
    ``load_series(fill=...)`` is refilled with the fill it records, whatever ``fill``
    (the forecaster's: None for a Series filled already)."""
    import dataclasses

    values = filled_apart(series.values, series.filled, series.fill or fill, end)
    return series if values is series.values else dataclasses.replace(series, values=values)
