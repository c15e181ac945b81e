"""The global network's training data: each series' transform and the covariate scalers,
fitted on the rows before its validation tail, the panel turned into one buffer of
model-space rows, and the index of the windows that can be cut from it."""

from __future__ import annotations

from typing import Optional, Tuple

import numpy as np
import pandas as pd
import torch

from ..io.errors import DataError
from .config import PanelConfig
from .covariates import ColumnScaler, StaticEncoder
from .features import Features
from .frame import Y, PanelFrame
from .series_blocks import blocks as series_blocks
from .static_covariates import static_table
from .scaling import SeriesTransform
from .windows import WindowIndex


# PanelTask's data arguments: (buffer, index, val_starts, codes, values, scales)
TaskArgs = Tuple[torch.Tensor, WindowIndex, np.ndarray, torch.Tensor, torch.Tensor, torch.Tensor]


def training_data(cfg: PanelConfig, panel: PanelFrame, static: Optional[pd.DataFrame],
                  lag: int, net_horizon: int) -> Tuple[Features, TaskArgs]:
    """``(features, task_args)``: the fitted :class:`Features` and PanelTask's data
    arguments ``(buffer, index, val_starts, codes, values, scales)``; windows are
    ``lookback + net_horizon`` rows long (the network's horizon: 1 when recursive)."""
    table = static_table(panel, cfg.static_covariates, static)
    feats = Features(cfg.lookback, cfg.horizon, lag, panel.freq, cfg.past_covariates,
                     cfg.future_covariates, cfg.calendar, cfg.country)
    val = cfg.n_val
    b = series_blocks(panel.df)  # (the series as a groupby visits them, on whole columns)
    df = panel.df.iloc[b.order]
    ids, y_all = [str(u) for u in b.ids], df[Y].to_numpy()
    # codes, values and scales are read in the buffer's series order, whatever panel.ids'
    # (without static covariates, the table is just the buffer's series)
    if list(table.index) != ids:
        if set(table.index) != set(ids) and len(table.columns):
            raise DataError(f"the panel's ids ({len(table)}, e.g. {list(table.index[:3])}) are "
                            f"not the series of its table ({len(ids)}, e.g. {ids[:3]}); "
                            f"expected the same series: build the panel with read_panel")
        table = table.reindex(ids)
    fitted = np.zeros(len(df), dtype=bool)  # the rows before each series' validation tail
    whole = np.zeros(len(ids), dtype=bool)
    for i, (uid, start, n) in enumerate(zip(ids, b.starts, b.lengths)):
        y = y_all[start:start + n]
        # a transform needs lag + 2 values; a series with fewer before its tail is scaled
        # on all of them, and so is not validated on (its tail shaped its own scale)
        whole[i] = len(y) - val < lag + 2
        part = y if whole[i] else y[: len(y) - val]
        # 'auto' takes the log only where the rows modelled, the validation tail too, are
        # positive (as the Forecaster's reads its tail): a 0 there alone stopped the fit
        # with "fitted on log values (transform='log')", under the default transform
        how = "none" if cfg.transform == "auto" and not (y > 0).all() else cfg.transform
        feats.transforms[uid] = SeriesTransform.fit(part, uid, how, lag,
                                                    counts=cfg.likelihood == "negbin",
                                                    robust=cfg.scale == "robust")

        fitted[start:start + max(n - val, 0)] = True
    # the covariate scaler reads only rows before each series' validation tail (all rows
    # only where no series has one: then there is no training window either, said below)
    feats.covs = ColumnScaler().fit(df[fitted] if fitted.any() else df,
                                    cfg.past_covariates + cfg.future_covariates)
    feats.static = StaticEncoder().fit(table)
    codes, values = feats.static.encode(table)
    for i, uid in enumerate(table.index):
        feats.codes[uid], feats.values[uid] = codes[i].tolist(), values[i].tolist()
    rows = (b.lengths - lag).astype(np.int64)  # each series' model rows (n_i - lag)
    offsets = np.concatenate([[0], np.cumsum(rows)[:-1]]).astype(np.int64)
    buffer = torch.from_numpy(feats.rows_of(df, b))  # (N, F)
    width = cfg.lookback + net_horizon
    index = WindowIndex.build(offsets, rows, width, tail=val)
    if index.total == 0:
        lagged = (f" + seasonal difference lag {lag} (difference={cfg.difference!r}; "
                  f"difference='none' drops it)" if lag else "")
        raise DataError(f"no training window: every series is too short for lookback "
                        f"{cfg.lookback} + horizon {cfg.horizon} + validation {val}{lagged}; "
                        f"use shorter ones or val_size=0")
    val_starts = np.where((rows >= width) & (val > 0) & ~whole, offsets + rows - width, -1)
    scales = torch.tensor([feats.transforms[u].scale for u in ids], dtype=torch.float32)
    return feats, (buffer, index, val_starts, torch.from_numpy(codes),
                   torch.from_numpy(values), scales)
