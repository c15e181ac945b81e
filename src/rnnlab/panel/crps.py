"""The CRPS of quantile or sample forecasts (``properscoring.crps_ensemble``, the weights
of :mod:`.metrics`' docstring), and NaN with one warning where properscoring is not
installed. :mod:`.metrics` re-exports these names; a test that resets the once-per-process
warning patches this module's ``_crps_missing_said``."""

from __future__ import annotations

from typing import Optional, Sequence

import numpy as np


def _crps_weights(levels: Sequence[float]) -> np.ndarray:
    t = np.asarray(levels, dtype=np.float64)
    edges = np.concatenate([[0.0], (t[1:] + t[:-1]) / 2, [1.0]])
    return np.diff(edges)  # mass of each quantile: the levels nearest to it


def crps(y, members, levels: Optional[Sequence[float]] = None) -> np.ndarray:
    """CRPS of each forecast through ``properscoring.crps_ensemble``.

    ``members``: (N, K) samples (``levels=None``: equal weights) or quantiles at ``levels``
    (weights: the probability mass nearest each level, see the module docstring)."""
    from ..extras import require

    properscoring = require("properscoring", "CRPS")  # the `panel` extra
    x = np.asarray(members, dtype=np.float64)
    obs = np.asarray(y, dtype=np.float64)
    if levels is None:
        return np.asarray(properscoring.crps_ensemble(obs, x), dtype=np.float64)
    w = np.broadcast_to(_crps_weights(levels), x.shape)
    return np.asarray(properscoring.crps_ensemble(obs, x, weights=w), dtype=np.float64)


_crps_missing_said = False  # the warning below: given once per process


def _crps_or_nan(y, qs, levels) -> np.ndarray:
    """CRPS, or NaN with a warning where properscoring is not installed (the peers'
    environment): the other metrics stay usable. The warning is given once per process,
    not once per caller (a run has several). Python's own once-per-location registry is
    not enough: it is emptied whenever a warnings filter changes, which the ETS baseline
    and the panel reader do between the calls (before: 5-6 copies on a run's stderr)."""
    global _crps_missing_said
    from ..extras import install_hint, is_installed

    if not is_installed("properscoring"):
        if not _crps_missing_said:
            import warnings

            _crps_missing_said = True
            warnings.warn(f"properscoring is not installed: CRPS left as NaN "
                          f"({install_hint('properscoring')})", stacklevel=1)
        return np.full(len(y), np.nan)
    qs, y = np.asarray(qs, np.float64), np.asarray(y, np.float64)
    have = np.isfinite(qs)  # a point model's rows (no quantiles): NaN, quietly; a model
    out = np.full(len(y), np.nan)  # with other levels than the frame's: on its own ones
    for kind, rows in _row_kinds(have):
        if kind.any():
            out[rows] = crps(y[rows], qs[rows][:, kind], np.asarray(levels)[kind])
    return out


def _row_kinds(have: np.ndarray):
    """``(kind, rows)`` for each distinct row of the (N, K) boolean ``have``: the row and
    the mask of the rows equal to it. Each row read as one integer: ``np.unique(axis=0)``
    sorts rows as records, 1.5 s for 400,000 forecast rows of 3 levels, once per table."""
    if have.shape[1] > 63:  # (no integer holds the row)
        return [(k, (have == k).all(axis=1)) for k in np.unique(have, axis=0)]
    code = have.astype(np.int64) @ (np.int64(1) << np.arange(have.shape[1], dtype=np.int64))
    firsts = np.unique(code, return_index=True)[1]
    return [(have[i], code == code[i]) for i in firsts]
