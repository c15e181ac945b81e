"""The interval score of a central interval, and its scaled mean (MSIS), as GluonTS'
``Evaluator`` and the M4 competition score an interval.

For the central interval ``[L, U] = [q_(alpha/2), q_(1 - alpha/2)]`` (nominal coverage
``1 - alpha``) and the actual ``y``:

    IS    = (U - L) + (2 / alpha) (L - y) 1{y < L} + (2 / alpha) (y - U) 1{y > U}
    MSIS  = mean(IS) / s,   s the series' MASE scale (in-sample seasonal naive MAE)

The width rewards a narrow interval; the penalty, ``2 / alpha`` times the distance by which
``y`` falls outside, charges one that misses (40 times the miss for the 95% interval, 10
times for the 80%). The coverage and width columns said how often and how wide; this says
both in one number, which a narrower interval only improves if it misses little more.
Per row ``IS / s`` (each forecast's own scale, as MASE's ``|e| / s``), so a series' MSIS
over several origins is the mean of its rows; across series the mean of the series'
values, as GluonTS aggregates it (``agg_funs`` ``"MSIS": "mean"``). GluonTS' ``MSIS`` is
this ``msis95`` (its ``alpha=0.05``) of the forecast's own ``quantile(0.025)`` and
``quantile(0.975)``, whatever the Evaluator's ``quantiles``: a sample forecast's draws'
quantiles, a quantile forecast's levels (beyond its outer ones, a tail GluonTS extrapolates,
which no column here gives). The columns are named by the nominal coverage, as
``coverage95``.
"""

from __future__ import annotations

import numpy as np


def interval_score(y, lo, hi, alpha: float) -> np.ndarray:
    """The interval score of each forecast (elementwise; NaN where ``y``, ``lo`` or ``hi``
    is NaN): the width ``hi - lo`` plus ``2 / alpha`` times the distance by which ``y`` lies
    below ``lo`` or above ``hi``. ``alpha``: one minus the nominal coverage (0.05 for the
    interval between q0.025 and q0.975)."""
    y, lo, hi = (np.asarray(a, dtype=np.float64) for a in (y, lo, hi))
    with np.errstate(invalid="ignore"):
        below = np.where(y < lo, lo - y, 0.0)
        above = np.where(y > hi, y - hi, 0.0)
    out = (hi - lo) + (2.0 / alpha) * (below + above)
    return np.where(np.isnan(y) | np.isnan(lo) | np.isnan(hi), np.nan, out)
