"""The long frames a local baseline reads and writes (the panel protocol's): each
series' dates and values, the dates after its end, and its forecast as rows
``unique_id, ds, step, mean, q...``."""

from __future__ import annotations

from typing import Dict, List, Optional, Tuple, Union

import numpy as np
import pandas as pd

from ..forecast.baselines import bounded_at_zero
from .date_kind import given_kinds
from .future_blocks import future_blocks, future_dates
from .metrics import quantile_column
from ..callers_line import callers_level

__all__ = ["DEFAULT_QUANTILES", "LEAST_RESIDUALS", "ForecastRows", "concat_forecasts",
           "forecast_frame", "future_dates", "series_of", "warn_no_intervals"]

DEFAULT_QUANTILES = (0.1, 0.5, 0.9)
# a baseline's empirical quantiles from fewer residuals are NaN (no interval), as the
# Forecaster refuses intervals from fewer one-step errors (forecast.intervals'
# LEAST_INNOVATIONS): one residual gave every level the same value, an interval of width 0
# that did not hold its own forecast (a naive after [10, 12]: 12, every quantile 14)
LEAST_RESIDUALS = 5


def warn_no_intervals(name: str, ids) -> None:
    """The warning of a baseline ``name`` whose quantiles of the series ``ids`` are NaN
    (fewer than :data:`LEAST_RESIDUALS` residuals to read them from)."""
    if len(ids):
        import warnings

        warnings.warn(f"{name}: {len(ids)} series with fewer than {LEAST_RESIDUALS} in-sample "
                      f"residuals get no intervals (NaN quantiles; the forecast is given): "
                      f"{', '.join(map(str, ids[:5]))}{' ...' if len(ids) > 5 else ''}; "
                      f"one residual gave an interval of width 0", stacklevel=callers_level(3))


def series_of(panel) -> Dict[str, Tuple[np.ndarray, np.ndarray]]:
    """``{id: (ds, y)}`` in the panel's order (``ds`` as datetime64, ``y`` as float64).
    One sort and split of the whole columns (a groupby's frame per series was 1-2 ms a
    series); each series' rows in their order in the frame, as a groupby keeps them."""
    df = panel.df
    codes, uniques = pd.factorize(df["unique_id"], sort=False)  # (first-seen order)
    order = np.argsort(codes, kind="stable")
    cuts = np.flatnonzero(np.diff(codes[order])) + 1
    ds = np.split(df["ds"].to_numpy()[order], cuts) if len(df) else []
    y = np.split(df["y"].to_numpy(np.float64)[order], cuts) if len(df) else []
    out = {uid: (d, v) for uid, d, v in zip(uniques, ds, y)}
    ids = [i for i in getattr(panel, "ids", ()) if i in out] or list(out)
    return {i: out[i] for i in ids}


def forecast_frame(uid, dates, mean, quant: Optional[np.ndarray], levels) -> pd.DataFrame:
    """One series' forecast in the protocol's long form (``quant``: (horizon, K))."""
    h = len(mean)
    cols = {"unique_id": [uid] * h, "ds": dates, "step": np.arange(1, h + 1),
            "mean": np.asarray(mean, np.float64)}
    for k, t in enumerate(levels):
        assert quant is not None  # (the callers give quant with levels)
        cols[quantile_column(t)] = quant[:, k]
    return pd.DataFrame(cols)


class ForecastRows:
    """The series' forecasts gathered as arrays and made into one long frame at the end:
    what a ``forecast_frame`` per series and ``concat_forecasts`` give (the same frame),
    without a DataFrame per series, and the dates of all rows from one ``date_range``
    (:func:`~rnnlab.panel.future_blocks.future_blocks`; rows ending on one date share one
    block of dates)."""

    def __init__(self, horizon: int, freq: Union[str, pd.offsets.BaseOffset], levels):
        self.horizon, self.freq, self.levels = int(horizon), freq, tuple(levels)
        self.uids: List[object] = []  # (each series' id, as given)
        self.means: List[np.ndarray] = []
        self.quants: list = []  # (horizon, K) arrays with levels; None each without
        self.which: List[int] = []  # each series' block of dates
        self._dates: Dict[object, int] = {}  # last date -> its block of dates

    def add(self, uid, last, mean, quant: Optional[np.ndarray], history=None) -> None:
        """One series: its last date, ``mean`` (horizon,) and ``quant`` (horizon, K).
        ``history`` (a baseline's: the values forecast from) :func:`bounded_at_zero`: the
        mean and quantiles floored at 0, each floored value nearer any y >= 0 (a seasonal
        naive's q0.1 of a slow mover was -2 units, its pinball and CRPS charged for it)."""
        if history is not None and bounded_at_zero(history):
            mean = np.maximum(mean, 0.0)
            quant = None if quant is None else np.maximum(quant, 0.0)
        self.which.append(self._block(last))
        self.uids.append(uid)
        self.means.append(np.asarray(mean, np.float64))
        self.quants.append(quant)

    def add_rows(self, uids, lasts, mean: np.ndarray, quant: Optional[np.ndarray]) -> None:
        """Many rows at once, as :meth:`add` of each: ``uids`` and ``lasts`` (W,), ``mean``
        (W, horizon) and ``quant`` (W, horizon, K) or None."""
        self.which.extend(self._block(d) for d in lasts)
        self.uids.extend(uids)
        self.means.append(np.asarray(mean, np.float64).reshape(-1))
        if quant is not None:
            self.quants.append(np.asarray(quant).reshape(-1, quant.shape[-1]))

    def _block(self, last) -> int:
        return self._dates.setdefault(pd.Timestamp(last), len(self._dates))

    def frame(self, panel) -> pd.DataFrame:
        if not self.uids:
            return concat_forecasts([], self.levels, panel)
        h = self.horizon
        dates = future_blocks(list(self._dates), h, self.freq)
        pos = (np.asarray(self.which, np.int64)[:, None] * h + np.arange(h)).ravel()
        uid = np.empty(len(self.uids), dtype=object)
        uid[:] = self.uids
        cols = {"unique_id": np.repeat(uid, h), "ds": dates.take(pos),
                "step": np.tile(np.arange(1, h + 1), len(self.uids)),
                "mean": np.concatenate(self.means)}
        if self.levels:
            q = np.concatenate(self.quants)  # (series x horizon, K)
            for k, t in enumerate(self.levels):
                cols[quantile_column(t)] = q[:, k]
        return given_kinds(pd.DataFrame(cols), panel)


def concat_forecasts(frames, levels, panel) -> pd.DataFrame:
    """The series' forecasts in one frame, ids and dates of the panel's kinds (:mod:`.ids`,
    :mod:`.date_kind`)."""
    if not frames:
        return pd.DataFrame(columns=["unique_id", "ds", "step", "mean"]
                            + [quantile_column(t) for t in levels])
    return given_kinds(pd.concat(frames, ignore_index=True), panel)
