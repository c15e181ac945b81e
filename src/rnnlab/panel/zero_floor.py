"""Forecasts of series bounded at 0 floored at 0.

A series modelled without the log whose training part reaches 0 and never goes below
(sales with zeros, intermittent demand; :attr:`~rnnlab.panel.scaling.SeriesTransform.floor`)
gets its ``mean`` and quantiles floored at 0, as the one-series Forecaster's are
(:func:`rnnlab.forecast.methods.floored`): each floored value is nearer any y >= 0, so no
score gets worse and the quantiles stay in order. A quantile head's q0.1 of a slow mover,
or a Gaussian's mean, was below 0, a demand that cannot happen. Counts
(``likelihood='negbin'``) are >= 0 already; a series that has been negative (returns) is
left as it is.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .metrics import quantile_levels

ID = "unique_id"


def floored_series(model, features) -> frozenset:
    """The ids whose forecasts ``model`` floors (a local one: each series' own model)."""
    sets = ([m.features.transforms for m in model.local.values()] if model.local
            else [features.transforms])
    return frozenset(str(u) for t in sets for u, tr in t.items() if tr.floor)


def floor_at_zero(table: pd.DataFrame, ids: frozenset) -> pd.DataFrame:
    """``table`` with ``mean`` and the ``q...`` columns of the series ``ids`` floored at 0."""
    if not ids or table.empty:
        return table
    rows = table[ID].astype(str).isin(ids).to_numpy()
    if not rows.any():
        return table
    out = table.copy()
    cols = ["mean"] + [f"q{t:g}" for t in quantile_levels(out.columns)]
    for c in cols:
        v = out[c].to_numpy(dtype=np.float64)
        out[c] = np.where(rows, np.maximum(v, 0.0), v)
    return out
