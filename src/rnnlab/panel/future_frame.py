"""``GlobalForecaster.make_future_dataframe``: the table ``predict(future=...)`` takes,
its dates laid out, the future covariates left to fill.

NeuralForecast's ``make_future_dataframe`` gives each series' next ``h`` dates; a user with
future-known covariates then merges in their values. Here the same: one row per series and
forecast step (``unique_id``, ``ds``: the ids and dates of the kinds given, as ``predict``
gives them, so the forecast merges back on them), and one empty (NaN) column per future
covariate the model reads, to fill before ``predict``.
"""

from __future__ import annotations

from typing import Optional

import numpy as np
import pandas as pd

from ..io.errors import NotFittedError
from .call_args import horizon_steps
from .date_kind import as_given
from .forecast_inputs import read_history
from .frame import DS, ID


def future_frame(model, horizon: Optional[int] = None, history=None) -> pd.DataFrame:
    """``unique_id, ds, <future covariates>`` over the ``horizon`` (default: the model's)
    dates after each series' end: of the data ``model`` was fitted on, or of ``history``
    (a panel, or what read_panel reads)."""
    if model.members is None and not model.local:
        raise NotFittedError("make_future_dataframe before fit: the forecast dates follow "
                             "each series' last date in the data fitted on; call "
                             "fit(panel) or GlobalForecaster.load(path) first")
    cfg = model.config
    horizon = cfg.horizon if horizon is None else horizon_steps(horizon, cfg.horizon)
    panel = read_history(model, history)
    if panel is not None:
        rows = panel.df
    elif model.local:
        from .local_models import local_rows

        rows = local_rows(model, None)
    else:
        rows = model.tail
    f = model.features or next(iter(model.local.values())).features
    last = rows.groupby(ID, sort=False)[DS].max()
    dates = [pd.date_range(d, periods=horizon + 1, freq=f.freq)[1:] for d in last]
    ds = dates[0].append(dates[1:]) if dates else pd.DatetimeIndex([])  # (a zone kept)
    table = pd.DataFrame({ID: np.repeat(last.index.to_numpy(), horizon), DS: ds})
    for c in cfg.future_covariates or ():
        table[c] = np.nan
    return as_given(table, model, panel)
