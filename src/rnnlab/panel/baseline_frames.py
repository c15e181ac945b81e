"""The long frames a local baseline reads and writes (the panel protocol's): each
series' dates and values, the dates after its end, and its forecast as rows
``unique_id, ds, step, mean, q...``."""

from __future__ import annotations

from typing import Dict, Optional, Tuple

import numpy as np
import pandas as pd

from .date_kind import given_kinds
from .metrics import quantile_column

DEFAULT_QUANTILES = (0.1, 0.5, 0.9)


def series_of(panel) -> Dict[str, Tuple[np.ndarray, np.ndarray]]:
    """``{id: (ds, y)}`` in the panel's order (``ds`` as datetime64, ``y`` as float64)."""
    df = panel.df
    out = {}
    for uid, g in df.groupby("unique_id", sort=False):
        out[uid] = (g["ds"].to_numpy(), g["y"].to_numpy(np.float64))
    ids = [i for i in getattr(panel, "ids", ()) if i in out] or list(out)
    return {i: out[i] for i in ids}


def future_dates(last, horizon: int, freq: str) -> pd.DatetimeIndex:
    """The ``horizon`` dates after ``last`` on the grid of ``freq``."""
    return pd.date_range(pd.Timestamp(last), periods=horizon + 1, freq=freq)[1:]


def forecast_frame(uid, dates, mean, quant: Optional[np.ndarray], levels) -> pd.DataFrame:
    """One series' forecast in the protocol's long form (``quant``: (horizon, K))."""
    h = len(mean)
    cols = {"unique_id": [uid] * h, "ds": dates, "step": np.arange(1, h + 1),
            "mean": np.asarray(mean, np.float64)}
    for k, t in enumerate(levels):
        cols[quantile_column(t)] = quant[:, k]
    return pd.DataFrame(cols)


def concat_forecasts(frames, levels, panel) -> pd.DataFrame:
    """The series' forecasts in one frame, ids and dates of the panel's kinds (:mod:`.ids`,
    :mod:`.date_kind`)."""
    if not frames:
        return pd.DataFrame(columns=["unique_id", "ds", "step", "mean"]
                            + [quantile_column(t) for t in levels])
    return given_kinds(pd.concat(frames, ignore_index=True), panel)
