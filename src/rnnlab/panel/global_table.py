"""The forecast table of a fitted global model (not ``local``) after the rows ``df``, the
training tail or a new history: the members' quantiles or likelihood parameters
(``direct``), or their sample paths (``recursive``), combined by
:func:`~rnnlab.panel.ensemble_forecast.forecast_table`. :func:`windows_table` does it for
any windows, one row each (:mod:`.insample`: a series' windows at several cutoffs)."""

from __future__ import annotations

import numpy as np
import torch

from .ensemble_forecast import forecast_table
from .recursive import recursive_paths
from .series_draws import SeriesDraws
from .window_frame import into_frame, spread_windows, window_frame


def anchored(cfg) -> float:
    """How much of each window's anchor (its last value) is taken off the inputs and added
    back to the outputs: 0.0 for a negative binomial likelihood (counts) or
    ``anchor='none'`` or ``'mean_scale'`` (:mod:`.window_frame`), else 1.0."""
    return 0.0 if cfg.likelihood == "negbin" or cfg.anchor != "last" else 1.0


def global_table(model, horizon, future, df, f, paths_out):
    """The table :meth:`GlobalForecaster.predict` gives, before its calibration; the
    sample paths into ``paths_out`` (a dict) when given."""
    ids, last, enc, known, anchors, hist = f.last_windows(df, future, horizon)
    return windows_table(model, horizon, f, ids, [last[u] for u in ids], enc, known, anchors,
                         hist, paths_out)


def windows_table(model, horizon, f, ids, last, enc, known, anchors, hist, paths_out=None):
    """The forecast table after the windows ``enc`` (W, L, F) of the series ``ids`` (W,;
    a series may come more than once), ``last`` (W,) their last dates, ``known`` (W, H, K)
    the known-ahead rows after them, ``anchors`` (W,) and ``hist`` (W rows of y): one
    series' forecast for each. Fed to the network in its own dtype (float32 as built;
    float64 where a test made it so)."""
    cfg = model.config
    dt = next(model.members[0].parameters()).dtype
    codes = torch.tensor([f.codes[u] for u in ids], dtype=torch.long).reshape(len(ids), -1)
    vals = torch.tensor([f.values[u] for u in ids], dtype=dt).reshape(len(ids), -1)
    scale = torch.tensor([f.transforms[u].scale for u in ids], dtype=torch.float32)[:, None]
    known_t = torch.from_numpy(known).to(dt)
    if cfg.strategy == "recursive":
        ratio = torch.tensor([1.0 if f.transforms[u].counts else
                              f.transforms[u].scale / f.transforms[u].level_scale
                              for u in ids], dtype=torch.float32)
        # each series' draws its own: the same each call, whichever series come with it
        z = torch.cat([recursive_paths(m, torch.from_numpy(enc.copy()).to(dt), known_t,
                                       codes, vals, scale.to(dt), ratio.to(dt), horizon,
                                       cfg.samples, anchored(cfg), SeriesDraws(cfg.seed, k, ids),
                                       spread=spread_windows(cfg))
                       for k, m in enumerate(model.members)])
        return forecast_table(cfg, f, model.members[0].head, ids, last, hist, None,
                              np.zeros((len(ids), 1)), scale, horizon, paths=z.numpy(),
                              paths_out=paths_out)
    enc_t = torch.from_numpy(enc).to(dt, copy=True)  # (its own: the anchor comes off in place)
    enc_t[..., 0] -= torch.from_numpy(anchors.astype(np.float32)).to(dt)[:, None] * anchored(cfg)
    size = None  # (anchor='mean_scale': each window's 1 + mean |z|, divided out and back)
    if spread_windows(cfg):
        size = window_frame(enc_t[..., 0], 0.0, True)[1]  # (S, 1)
        enc_t[..., 0] = into_frame(enc_t[..., 0], 0.0, size)
    outs = [m(enc_t, known_t, codes, vals) for m in model.members]
    anchor = anchors[:, None] * anchored(cfg)  # (S, 1)
    return forecast_table(cfg, f, model.members[0].head, ids, last, hist, outs, anchor, scale,
                          horizon, paths_out=paths_out,
                          spread=None if size is None else size.double().numpy())
