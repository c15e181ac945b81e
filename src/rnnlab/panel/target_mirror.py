"""A covariate that is the target moved ahead, warned of when a panel model is fitted.

The classic slip of feature making, ``df["x"] = df.groupby("unique_id")["y"].shift(-1)``
(meant: ``shift(1)``), puts y_(t+1) in row t. As a past covariate its value at the origin
is the first value to forecast; as a future covariate every row of the horizon is. No
check of the library can see it (the rows before each origin are all the model is given),
and the scores come out impossibly good: on four series of white noise, a backtest of
one-step forecasts scored MASE 0.29 with such an ``x`` against 1.23 without it (the best
honest forecast of white noise: about 0.7). So :func:`warn_target_covariates` compares
each covariate, row by row, with the target ``k`` steps ahead within each series (exact
equality on every row where both are known, at least :data:`LEAST_ROWS` of them, the
target not constant there), for the ``k`` at which the model would read a value it
forecasts: a past covariate k = 1..horizon; a future covariate, read over the horizon,
also k = 0 (a copy of the target) and k = -(horizon - 1)..-1 (a lag too short for the
horizon: y_(t-1) at step 2 is y_(T+1), unknown at the origin T).
"""

from __future__ import annotations

import warnings
from typing import List, Optional, Sequence, Tuple

import numpy as np
import pandas as pd

from .long_table import ID, Y

LEAST_ROWS = 8  # rows compared in a series before an equality is taken for a copy


class TargetCovariateWarning(UserWarning):
    """A covariate equals the target some steps ahead: the model would read what it forecasts."""


def mirror_shift(df: pd.DataFrame, column: str, shifts: Sequence[int],
                 series=None) -> Optional[Tuple[int, list]]:
    """(k, the series ids) for the first k of ``shifts`` at which ``column`` equals the
    target k steps ahead (``y_(t+k)``) on every comparable row of some series (rows sorted
    by series and date, as a PanelFrame's are); None when none. ``series``: the
    ``pd.factorize`` of the id column, when the caller has it."""
    codes, ids = series if series is not None else pd.factorize(df[ID], sort=False)
    x = df[column].to_numpy(np.float64)
    y = df[Y].to_numpy(np.float64)
    n, m = len(y), len(ids)
    fx, fy = np.isfinite(x), np.isfinite(y)
    for k in shifts:
        if abs(k) >= n:
            continue
        lo, hi = (slice(0, n - k), slice(k, n)) if k >= 0 else (slice(-k, n), slice(0, n + k))
        c = codes[lo]
        xs, ys = x[lo], y[hi]
        ok = (c == codes[hi]) & fx[lo] & fy[hi]
        equal = ok & (xs == ys)
        if np.count_nonzero(equal) < LEAST_ROWS:  # (no series can be a copy: the usual case)
            continue
        rows = np.bincount(c[ok], minlength=m)
        differ = rows - np.bincount(c[equal], minlength=m)
        hit = (rows >= LEAST_ROWS) & (differ == 0)
        if not hit.any():
            continue
        keep = ok & hit[c]
        total = np.bincount(c[keep], weights=ys[keep], minlength=m)
        square = np.bincount(c[keep], weights=ys[keep] ** 2, minlength=m)
        spread = square - total ** 2 / np.maximum(rows, 1)
        hit &= spread > 1e-12 * np.maximum(square, 1e-300)
        if hit.any():
            return int(k), [str(ids[int(i)]) for i in np.flatnonzero(hit)]
    return None


def warn_target_covariates(cfg, df: pd.DataFrame, stacklevel: int = 4) -> None:
    """Warn (:class:`TargetCovariateWarning`) for each past or future covariate of ``cfg``
    that equals the target moved ahead in ``df`` (the module docstring)."""
    h = int(cfg.horizon)
    kinds: List[Tuple[str, str, Sequence[int]]] = [  # (kind, column, shifts)
        ("past", c, range(1, h + 1)) for c in cfg.past_covariates]
    kinds += [("future", c, [0, *range(1, h + 1), *range(-1, -h, -1)])
              for c in cfg.future_covariates]
    series = pd.factorize(df[ID], sort=False) if kinds else None  # (once for them all)
    for kind, column, shifts in kinds:
        found = mirror_shift(df, column, list(shifts), series)
        if found is None:
            continue
        k, ids = found
        shown = ", ".join(repr(i) for i in ids[:3]) + (f" and {len(ids) - 3} more"
                                                      if len(ids) > 3 else "")
        what = ("a copy of the target y" if k == 0 else
                f"the target {k} step{'s' * (k > 1)} ahead (y at t+{k}: a column made with "
                f"shift(-{k})?)" if k > 0 else
                f"the target {-k} step{'s' * (k < -1)} back, which a future covariate gives "
                f"over the horizon where it is not known yet (steps after {-k})")
        warnings.warn(f"{kind} covariate {column!r} equals {what} on every row of series "
                      f"{shown}: the model reads the values it forecasts, and its scores "
                      f"are not honest; build the column from values known at each row's "
                      f"time (shift it the other way), or leave it out",
                      TargetCovariateWarning, stacklevel=stacklevel)
