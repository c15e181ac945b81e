"""Conformal calibration of a panel model's intervals on each series' validation tail
(conformalized quantile regression, Romano, Patterson and Candès 2019).

A network's quantiles are fitted on its training windows. Where those are few (one short
series) or the future differs from them, its intervals can be far too narrow: on airline,
the 80% interval of a global LSTM covered 0 of the 12 held-out months. So after ``fit``,
the model forecasts each series' validation tail (the ``val_size`` points it never trained
on) from the tail's start, and every central interval (q_lo, q_hi), lo + hi = 1, gets

    E_i = max(q_lo - y_i, y_i - q_hi) / s_i     (s_i: the scale of the series, below)
    c_h = the k-th smallest of the n scores E at the steps around step h (the window
          of :func:`step_windows`: h and NEIGHBOURS steps either side, moved inside the
          horizon at its ends), k = ceil((n + 1)(hi - lo)) (the largest score when k > n;
          the scores of all steps pooled when a step has fewer than MIN_PER_STEP of them)
    interval = [q_lo - c s, q_hi + c s]          (c < 0 narrows an interval that is too wide)

with s the mean absolute change over ``lag`` steps (the seasonal lag, or 1) within the
values the forecast reads (look-back + lag), so scores of series of different sizes pool, and a
new series gets its own s. A window without change (a fixed price, no sales) has s = 1% of
its mean |y| (0.01 when that is 0), as its model-space scale (:mod:`.scaling`): its
level would widen its flat interval by hundreds of its own steps. The mean and unpaired
levels (the median) are not moved: a moved quantile is held between the unmoved levels
around it, then each row sorted (monotone). Counts (``likelihood='negbin'``) are rounded
inwards to whole numbers >= 0 (a count is <= q exactly when it is <= floor(q)). Under
exchangeable scores the interval covers a new value with probability >= hi - lo.

A series modelled on logs (:mod:`.scaling`: positive by construction) is calibrated on
log values: E_i = max(log q_lo - log y_i, log y_i - log q_hi) / s_i with s the mean
absolute log change, and interval = [q_lo exp(-c s), q_hi exp(c s)], which stays > 0 (an
additive offset took the lower quantile of a positive series below 0). Coverage is the
same in any monotone transform's space, so the guarantee holds; scores of both kinds are
in steps of a typical change and pool. A calibration saved before this (no ``space``)
is applied as it was fitted, on the values.

But the validation tail also chose the epoch (early stopping), so its scores are optimistic,
and with few series badly so: ``calibrate="auto"`` (the default) calibrates only when 30 or
more series have a tail. Measured (80% intervals, coverage of held-out values):
us_employment, 148 series, a global LSTM (lookback 36, 40 s), the last 12 months: 0.810
raw, 0.793 calibrated (width 93 -> 83); the 12 months before: 0.849 -> 0.802 (135 -> 119);
elecdaily, one series, 6 rolling origins of 14 days: 0.821 raw, 0.619 calibrated (with
Temperature and WorkDay: 0.750 both); airline, one series, 12 months: 0 of 12 raw, 2 of 12
calibrated, the point forecast itself being off (MAE 36).
"""

from __future__ import annotations

import math
import warnings
from typing import Dict, List, Optional, Sequence, Set, Tuple

import numpy as np
import pandas as pd

from ..io.errors import CheckpointError
from .frame import DS, ID, Y
from .change_scales import safe_log as _logs
from .change_scales import window_scales  # noqa: F401  (its old home)
from ..callers_line import callers_level

MIN_PER_STEP = 30  # fewer scores at a step: one offset for all steps
# a step's offset pools the scores of its neighbours: 2 before and 2 after (a window of 5
# steps, moved inside the horizon at its ends; all of them in a shorter one). One step's
# scores alone, one per series, gave each step's coverage a sampling error of
# sqrt(a (1 - a) / n) (0.033 for the 80% interval of 148 series; 0.073 at 30), and the
# worst of 12 steps landed two of those low (0.77 at step 12, raw 0.87); five steps about
# halve it while still following a coverage that changes along the horizon
NEIGHBOURS = 2


def central_pairs(levels: Sequence[float]) -> List[Tuple[float, float]]:
    """The (lo, hi) pairs of ``levels`` with lo < 0.5 and lo + hi = 1."""
    levels = list(levels or ())
    return [(lo, hi) for lo in levels for hi in levels
            if lo < 0.5 < hi and abs(lo + hi - 1.0) < 1e-9]


def conformal_quantile(scores: np.ndarray, coverage: float) -> float:
    """The ceil((n + 1) coverage)-th smallest score (the largest when that exceeds n)."""
    s = np.sort(np.asarray(scores, dtype=float))
    k = min(math.ceil((len(s) + 1) * coverage - 1e-9), len(s))
    return float(s[k - 1])


def step_windows(steps: int, neighbours: int = NEIGHBOURS) -> List[Tuple[int, int]]:
    """(first, last) of the steps whose scores give step h's offset, h = 1..``steps``: the
    ``2 neighbours + 1`` steps around h, moved inside 1..steps at the ends (all steps when
    there are fewer)."""
    width = min(2 * neighbours + 1, steps)
    first = [min(max(h - neighbours, 1), steps - width + 1) for h in range(1, steps + 1)]
    return [(a, a + width - 1) for a in first]


def window_quantiles(scores: np.ndarray, step: np.ndarray, steps: int,
                     coverage: float) -> List[float]:
    """:func:`conformal_quantile` of the scores of each :func:`step_windows` window, from
    one sort by step (each window a slice of it; a mask of all scores per step grew with
    horizon x scores)."""
    order = np.argsort(step, kind="stable")
    s = np.asarray(scores, dtype=float)[order]
    start = np.searchsorted(np.asarray(step)[order], np.arange(1, steps + 2))  # step h's first
    return [conformal_quantile(s[start[a - 1]:start[b]], coverage)
            for a, b in step_windows(steps)]


def log_series(transforms) -> frozenset:
    """The ids whose :class:`~rnnlab.panel.scaling.SeriesTransform` models logs."""
    return frozenset(str(u) for u, t in transforms.items() if t.log)


def fit_offsets(pred: pd.DataFrame, truth: pd.DataFrame, scales: Dict[str, float],
                levels: Sequence[float], logs: frozenset = frozenset()) -> Optional[dict]:
    """The offsets ``{"pairs": [[lo, hi], ...], "offsets": [[c per step], ...], "scores": n}``
    from validation forecasts ``pred`` (``unique_id, ds, step, q...``) and the true values
    ``truth`` (``unique_id, ds, y``); the series in ``logs`` scored on log values (their
    true values <= 0, which no interval of theirs covers, left out, with a warning);
    None without a central pair or a score."""
    pairs = central_pairs(levels)
    m = pred.merge(truth[[ID, DS, Y]], on=[ID, DS], how="inner")
    m = m[np.isfinite(m[Y].to_numpy(dtype=float))]
    in_log = m[ID].astype(str).isin(logs).to_numpy()
    bad = in_log & (m[Y].to_numpy(dtype=float) <= 0)
    if bad.any():
        warnings.warn(f"calibration: {int(bad.sum())} validation values <= 0 of series "
                      f"modelled on logs (positive in their training part) cannot be scored "
                      f"on logs and are left out of the calibration", stacklevel=4)
        m, in_log = m[~bad], in_log[~bad]
    if not pairs or m.empty:
        return None
    s = m[ID].astype(str).map(scales).to_numpy(dtype=float)
    steps = int(m["step"].max())
    per_step = m.groupby("step").size().min() >= MIN_PER_STEP and m["step"].nunique() == steps
    offsets = []

    def space(col):  # (N,) the values, logs for the series in ``logs``
        v = m[col].to_numpy(dtype=float)
        return np.where(in_log, _logs(v), v)

    y = space(Y)
    for lo, hi in pairs:
        e = np.maximum(space(f"q{lo:g}") - y, y - space(f"q{hi:g}")) / s
        if per_step:
            c = window_quantiles(e, m["step"].to_numpy(), steps, hi - lo)
        else:
            c = [conformal_quantile(e, hi - lo)] * steps
        offsets.append(c)
    return {"pairs": [list(p) for p in pairs], "offsets": offsets, "scores": int(len(m)),
            "per_step": bool(per_step), **({"space": "log"} if logs else {})}


def apply_offsets(table: pd.DataFrame, calibration: Optional[dict],
                  scales: Dict[str, float], counts: bool = False,
                  logs: frozenset = frozenset()) -> pd.DataFrame:
    """``table`` with each central interval moved by its offsets (:func:`fit_offsets`)
    times the series' scale (on log values for the series in ``logs`` when the offsets
    were fitted so: ``space`` "log"), kept monotone without moving the other levels (each
    moved quantile held between its unmoved neighbours, e.g. the median, then the row
    sorted); ``counts`` (likelihood='negbin'): whole numbers >= 0 (rounded inwards: the
    same coverage of counts)."""
    if not calibration or table.empty:
        return table
    out = table.copy()
    s = out[ID].astype(str).map(scales).fillna(1.0).to_numpy(dtype=float)
    step = out["step"].to_numpy(dtype=int)
    in_log = (out[ID].astype(str).isin(logs).to_numpy() if calibration.get("space") == "log"
              else np.zeros(len(out), dtype=bool))
    moved: Set[str] = set()
    for (lo, hi), c in zip(calibration["pairs"], calibration["offsets"]):
        c = np.asarray(c, dtype=float)
        shift = c[np.minimum(step, len(c)) - 1] * s
        low, high = out[f"q{lo:g}"].to_numpy(dtype=float), out[f"q{hi:g}"].to_numpy(dtype=float)
        with np.errstate(over="ignore"):  # (exp of a log quantile: positive, inf at most)
            low = np.where(in_log, np.exp(_logs(low) - shift), low - shift)
            high = np.where(in_log, np.exp(_logs(high) + shift), high + shift)
        if counts:  # whole numbers >= 0: a count y <= high exactly when y <= floor(high),
            # so rounding inwards keeps the coverage (outwards would widen by a count)
            low, high = np.maximum(np.ceil(low - 1e-9), 0.0), np.floor(high + 1e-9)
        out[f"q{lo:g}"], out[f"q{hi:g}"] = low, high
        moved.update((f"q{lo:g}", f"q{hi:g}"))
    cols = [c for c in out.columns if isinstance(c, str) and c.startswith("q")
            and _is_level(c[1:])]
    cols.sort(key=lambda c: float(c[1:]))
    q = out[cols].to_numpy(dtype=float)  # (N, Q)
    fixed = [j for j, c in enumerate(cols) if c not in moved]
    for j, c in enumerate(cols):
        if c in moved:  # between the unmoved levels around it: they stay where they were
            below, above = [k for k in fixed if k < j], [k for k in fixed if k > j]
            if below:
                q[:, j] = np.maximum(q[:, j], q[:, below[-1]])
            if above:
                q[:, j] = np.minimum(q[:, j], q[:, above[0]])
    out[cols] = np.sort(q, axis=1)
    return out


def _is_level(text: str) -> bool:
    try:
        return 0.0 < float(text) < 1.0
    except ValueError:
        return False


def check_calibration(cal, levels: Sequence[float], horizon: int, source) -> Optional[dict]:
    """A saved calibration, checked (None stays None: a model saved before it, or without
    a validation tail)."""
    if cal is None:
        return None
    try:
        pairs = [(float(lo), float(hi)) for lo, hi in cal["pairs"]]
        offsets = [[float(v) for v in c] for c in cal["offsets"]]
        ok = (pairs == central_pairs(levels) and len(offsets) == len(pairs)
              and all(1 <= len(c) <= horizon and np.isfinite(c).all() for c in offsets)
              and ("space" not in cal or cal["space"] == "log"))  # absent: on the values
    except (KeyError, TypeError, ValueError):
        ok = False
    if not ok:
        raise CheckpointError(f"{source}: the saved interval calibration is damaged (expected "
                              f"pairs {central_pairs(levels)} with finite offsets for at most "
                              f"{horizon} steps, on the values or in space 'log'); save the "
                              f"model again from a fresh fit")
    return {**cal, "pairs": [list(p) for p in pairs], "offsets": offsets}


def calibrate(model, panel, auto: bool = False) -> Optional[dict]:
    """Offsets for fitted ``model`` from its forecasts of ``panel``'s validation tails (the
    series long enough to forecast from the tail's start); None without a tail, or with
    ``auto`` when fewer than MIN_PER_STEP series have one (see the module's note)."""
    cfg = model.config
    f = model.features if not model.local else next(iter(model.local.values())).features
    n_val, levels = cfg.n_val, cfg.quantiles or ()
    lengths = panel.lengths()
    keep = lengths.index[lengths - n_val >= f.lookback + f.lag]
    why = ("val_size=0 leaves no validation tail to score" if n_val == 0 else
           "quantiles=None gives no interval" if not levels else
           f"the quantile levels {list(levels)} hold no central interval (lo + hi = 1)"
           if not central_pairs(levels) else
           f"no series has lookback + lag = {f.lookback + f.lag} points before its "
           f"validation tail of {n_val}" if not len(keep) else None)
    if why is not None:
        if not auto:  # asked for by name: said, not silently left raw
            warnings.warn(f"calibrate='conformal': {why}; the intervals are the network's own "
                          f"(uncalibrated)", stacklevel=callers_level(3))
        return None
    if auto and len(keep) < MIN_PER_STEP:
        return None
    sub = panel.with_df(panel.df[panel.df[ID].isin(keep)])
    hist, h = sub.cut(n_val), min(cfg.horizon, n_val)
    tail = sub.df.groupby(ID, sort=False).tail(n_val).groupby(ID, sort=False).head(h)
    future = tail[[ID, DS, *cfg.future_covariates]] if cfg.future_covariates else None
    pred = model._forecast(h, future, hist, calibrated=False)
    truth = tail.assign(**{ID: tail[ID].astype(str)})
    logs = model_logs(model, f)
    return fit_offsets(pred.assign(**{ID: pred[ID].astype(str)}), truth,
                       window_scales(hist.df, f.lookback + f.lag, f.lag or 1, logs), levels,
                       logs)


def model_logs(model, f) -> frozenset:
    """The series that ``model`` (its features ``f``; a local one: each series' model)
    forecasts on logs."""
    if model.local:
        return frozenset().union(*(log_series(m.features.transforms)
                                   for m in model.local.values()))
    return log_series(f.transforms)


def apply_calibration(model, table: pd.DataFrame, df: pd.DataFrame, f) -> pd.DataFrame:
    """``model``'s forecast ``table`` of the rows ``df`` (features ``f``) with its
    calibration applied (:func:`apply_offsets`)."""
    logs = model_logs(model, f)
    return apply_offsets(table, model.calibration,
                         window_scales(df, f.lookback + f.lag, f.lag or 1, logs),
                         counts=model.config.likelihood == "negbin", logs=logs)
