"""How an ensemble's network outputs become one forecast table, in the data's units.

Ensembles combine distributions, not point forecasts: quantile members are averaged
level by level (the average of their quantile functions, monotone again; a seasonally
differenced series' quantiles past the lag then as
:meth:`~rnnlab.panel.scaling.SeriesTransform.quantiles_from_model` says); parametric
members' sample paths are pooled, and the mean and quantiles read from the pool; a
recursive model's joint paths arrive already pooled. Each series' values go back through
its transform (:class:`~rnnlab.panel.scaling.SeriesTransform`).
"""

from __future__ import annotations

from typing import Optional

import numpy as np
import pandas as pd
import torch

from .baseline_frames import ForecastRows
from .config import PanelConfig
from .features import Features
from .pooled_draws import pooled_rows
from .series_draws import SeriesDraws
from .window_frame import out_of_frame


def forecast_table(cfg: PanelConfig, f: Features, head, ids, last, hist, outs, anchor, scale,
                   horizon: int, paths=None, paths_out: Optional[dict] = None,
                   spread: Optional[np.ndarray] = None) -> pd.DataFrame:
    """``unique_id, ds, step, mean`` and ``q{level}`` columns for the series ``ids``: from
    the members' outputs ``outs`` (direct) or the pooled ``paths`` (recursive), with
    ``anchor`` (S, 1) added back in model space, after the outputs are multiplied by
    ``spread`` (S, 1) when given (each window's own scale: :mod:`.window_frame`; draws,
    quantiles and points alike), and ``head`` the members' head; each
    series' drawn paths go into ``paths_out`` when given (a likelihood only); ``last``:
    each row's last date (a series may come more than once: :mod:`.insample`)."""
    levels = cfg.quantiles or ()
    if paths is not None:  # recursive: joint paths of all members, pooled
        z = paths
    elif head.parametric:  # pool sample paths of all members; each series' draws its own
        # (the same each call, whichever series come with it; the caller's RNG untouched)
        z = torch.cat([head.sample(o, cfg.samples, scale, SeriesDraws(cfg.seed, k, ids))
                       for k, o in enumerate(outs)]).numpy()  # (N, S, H)
        z = (z if spread is None else out_of_frame(z, 0.0, spread[None])) + anchor[None]
    elif levels and hasattr(head, "quantiles"):  # average the members' quantile functions
        zq = torch.stack([head.quantiles(o) for o in outs]).mean(0).numpy()  # (S, H, Q)
        zq = (zq if spread is None else out_of_frame(zq, 0.0, spread[..., None])) + anchor[
            ..., None]
        zp = _points(head, outs, scale, spread) + anchor
    else:
        zp = _points(head, outs, scale, spread) + anchor
    quantile_levels = levels if head.parametric or hasattr(head, "quantiles") else ()
    table = ForecastRows(horizon, f.freq, quantile_levels)  # (one frame, not one per series)
    if not head.parametric and len(set(ids)) < len(ids):  # (a series' windows together)
        given = zq if quantile_levels else None  # (none computed without levels)
        for i, (uid, mean, quant) in enumerate(_inverted(f, ids, hist, zp, given, levels,
                                                         horizon)):
            table.add(uid, last[i], mean, quant)
        return table.frame(None)
    if head.parametric:  # (every row's draws at once, a block of rows at a time)
        mean, quant = pooled_rows(f, head, ids, z, hist, levels, horizon, paths_out)
        table.add_rows(ids, last, mean, quant)
        return table.frame(None)
    for i, uid in enumerate(ids):
        tr = f.transforms[uid]
        quant = None
        mean = tr.from_model(zp[i, :horizon], hist[i])
        if quantile_levels:
            # (Q, H): past the seasonal lag, spreads added as independent changes'
            qs = tr.quantiles_from_model(zq[i, :horizon].T, zp[i, :horizon], levels, hist[i])
            quant = np.maximum.accumulate(qs, axis=0).T
        table.add(uid, last[i], mean, quant)
    return table.frame(None)


def _points(head, outs, scale, spread) -> np.ndarray:
    """(S, H) the members' mean point forecast in model space, before its anchor: times
    each window's ``spread`` (S, 1) when given."""
    zp = torch.stack([head.point(o, scale) for o in outs]).mean(0).numpy()
    return zp if spread is None else out_of_frame(zp, 0.0, spread)


def _inverted(f: Features, ids, hist, zp, zq, levels, horizon: int):
    """``(uid, mean (H,), quantiles (H, Q) or None)`` of each row, as the loop of
    :func:`forecast_table` gives them, the rows of one series (its windows at several
    cutoffs: :mod:`.insample`, their histories of one length) inverted at once."""
    out = [None] * len(ids)
    rows: dict = {}
    for i, u in enumerate(ids):
        rows.setdefault(u, []).append(i)
    for uid, at in rows.items():
        tr, h = f.transforms[uid], np.stack([hist[i] for i in at])  # (w, T)
        mean = tr.from_model(zp[at, :horizon], h)  # (w, H)
        quant = [None] * len(at)
        if zq is not None:  # (w, Q, H): past the seasonal lag, as independent changes'
            qs = tr.quantiles_from_model(zq[at, :horizon].transpose(0, 2, 1), zp[at, :horizon],
                                         levels, h)
            quant = list(np.maximum.accumulate(qs, axis=1).transpose(0, 2, 1))
        for k, i in enumerate(at):
            out[i] = (uid, mean[k], quant[k])
    return out
