"""Forecast errors on the original scale."""

from __future__ import annotations

from typing import Dict, List

import numpy as np
from numpy.typing import ArrayLike

from ..panel.scales import mase_scale  # noqa: F401  (one scale for both: its docstring)
from ..seed_stats import seed_std  # noqa: F401  (its home before compare shared it)


def metrics(actual: ArrayLike, pred: ArrayLike, scale: float = float("nan")) -> Dict[str, float]:
    """``{"mse", "rmse", "mae", "mape", "smape", "mase"}`` of ``pred`` against ``actual``
    (MAPE and sMAPE in %; MASE = MAE / ``scale``, NaN without one).

    >>> from rnnlab.forecast import metrics
    >>> metrics([1.0, 2.0, 4.0], [1.0, 2.0, 3.0], scale=0.5)["mase"]
    0.6666666666666666
    """
    a = np.asarray(actual, dtype=np.float64)
    p = np.asarray(pred, dtype=np.float64)
    e = p - a
    mse = float(np.mean(e ** 2))
    mae = float(np.mean(np.abs(e)))
    mape = _mape(a, e)
    den = np.abs(a) + np.abs(p)
    smape = float(np.mean(np.where(den > 0, 2 * np.abs(e) / np.where(den > 0, den, 1), 0)) * 100)
    return {"mse": mse, "rmse": float(np.sqrt(mse)), "mae": mae, "mape": mape, "smape": smape,
            "mase": mae / scale if scale and np.isfinite(scale) else float("nan")}


class MapeSkipWarning(UserWarning):
    """MAPE left out actual values of 0 (it divides by them)."""


def mape_note(actual) -> str:
    """What MAPE leaves out of ``actual``: a line naming how many values are 0 ("" if none),
    and what sMAPE makes of them (a 200% or a 0% step: forecasts of 0.6 and 0 for a closed
    day's 0 made the seasonal naive's sMAPE a quarter of the network's at the same MAE)."""
    a = np.asarray(actual, dtype=np.float64)
    skipped, kept = int((a == 0).sum()), int((a != 0).sum())
    if not skipped:
        return ""
    return (f"MAPE: {skipped} of the {a.size} actual values are 0 and were left out (MAPE "
            f"divides by them)" + ("; MAPE is NaN" if not kept else
                                   f": it averages the other {kept}")
            + "; sMAPE scores each of them 200%, or 0% where the forecast is exactly 0 (the "
            "seasonal naive on a day that is always 0, a closed Sunday), whatever the "
            "forecast's size: compare the methods there on MAE or MASE, which count every "
            "point by its error")


class MaseScaleWarning(UserWarning):
    """MASE is NaN: the training part's in-sample (seasonal) naive error is 0."""


def mase_note(train, period) -> str:
    """Why MASE is NaN for a test part scored against ``train`` ("" when it has a scale):
    the in-sample (seasonal) naive differences MASE divides by are all 0 (a history of
    zeros with a few sales that no pair a season apart reads, intermittent demand), so
    every method's MASE was NaN in the table without a word."""
    if np.isfinite(mase_scale(train, period)):
        return ""
    y = np.asarray(train, dtype=np.float64)
    lag = period if period and period > 1 and len(y) > period else 1
    return (f"MASE is NaN for every method: its scale, the training part's mean "
            f"|y_t - y_t-{lag}| ({'seasonal ' if lag > 1 else ''}naive in-sample error over "
            f"{max(len(y) - lag, 0)} pairs), is 0, nothing to divide by; compare the "
            f"methods on RMSE and MAE" + (" (or --period 1: the lag-1 naive's scale)"
                                          if lag > 1 else ""))


def _mape(a: np.ndarray, e: np.ndarray) -> float:
    """Mean |e / a| in % over the actuals that are not 0, saying how many were left out
    (:class:`MapeSkipWarning`; NaN when all are)."""
    nz = a != 0
    note = mape_note(a)
    if note:
        import warnings

        warnings.warn(note, MapeSkipWarning, stacklevel=3)
    return float(np.mean(np.abs(e[nz] / a[nz])) * 100) if nz.any() else float("nan")


def error_by_step(actual_windows: ArrayLike, pred_windows: ArrayLike) -> Dict[str, List[float]]:
    """``{"rmse": [...], "mae": [...], "count": [...]}``: per horizon step (a column of the
    (origins, steps) ``actual_windows`` and ``pred_windows``), the errors over the rolling
    origins and how many targets they scored; NaN targets (past the data) are skipped.

    >>> from rnnlab.forecast import error_by_step
    >>> error_by_step([[1.0, 2.0], [3.0, 4.0]], [[1.0, 2.0], [3.0, 6.0]])
    {'rmse': [0.0, 1.4142135623730951], 'mae': [0.0, 1.0], 'count': [2, 2]}
    """
    a = np.asarray(actual_windows, dtype=np.float64)
    p = np.asarray(pred_windows, dtype=np.float64)
    e = p - a  # (origins, H)
    ok = ~np.isnan(e)
    cnt = ok.sum(0)
    se = np.where(ok, e ** 2, 0).sum(0)
    ae = np.where(ok, np.abs(e), 0).sum(0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return {"rmse": [float(v) for v in np.sqrt(se / cnt)],
                "mae": [float(v) for v in ae / cnt], "count": [int(c) for c in cnt]}
