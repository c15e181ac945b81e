"""The forecast table of a fitted :class:`~rnnlab.panel.model.GlobalForecaster`: from its
trained members (one global model) or its models of one series each (``local=True``),
after the training data's tail or a history given, its intervals calibrated and floored
at zero where the series are."""

from __future__ import annotations

from typing import Optional

import torch

from ..io.errors import NotFittedError
from .calibration import apply_calibration
from .call_args import horizon_steps
from .global_table import global_table
from .key_columns import keyed_table_of
from .local_models import forecast_local, local_rows
from .new_series import history_rows
from .panel_week import forecast_week
from .time_zone import future_in_zone
from .week_freq import far_features
from .zero_floor import floor_at_zero, floored_series


@torch.no_grad()
def forecast_table(model, horizon, future, panel, paths_out: Optional[dict] = None,
                   calibrated: bool = True):
    """The forecast table after ``panel`` (a PanelFrame, as predict and sample_paths
    read the history; None: the training data's tail); its intervals moved by the
    calibration unless ``calibrated`` is False (the raw quantiles, which the
    calibration itself scores)."""
    cfg = model.config
    future = future_in_zone(keyed_table_of(future, getattr(panel, "keys", ()) or model.keys),
                            cfg.time_zone)  # (naive dates: the zone's clock; State, Zone)
    # 2.0 is 2; 2.5, True or 0 is not a number of steps to forecast
    horizon = cfg.horizon if horizon is None else horizon_steps(horizon, cfg.horizon)
    if model.local:
        table = forecast_local(model, horizon, future, panel, paths_out)
        df, f = local_rows(model, panel), next(iter(model.local.values())).features
    elif model.members is None:
        raise NotFittedError("predict before fit: call fit(panel) or "
                             "GlobalForecaster.load(path)" + _after_backtest(model))
    else:
        df, f = ((model.tail, model.features) if panel is None
                 else history_rows(model.features, panel, cfg))
        # (a clause's far years' holidays; the config's, or the panel's read with one)
        f = far_features(f, forecast_week(model, panel), df, horizon)
        table = global_table(model, horizon, future, df, f, paths_out)
    if not calibrated:  # (the raw quantiles the calibration is fitted on)
        return table
    if model.calibration is not None:
        table = apply_calibration(model, table, df, f)
    return floor_at_zero(table, floored_series(model, f))  # (counts, sales with zeros)


def _after_backtest(model) -> str:
    """What a model that was backtested and never fitted is told: a backtest fits copies
    at each origin (NeuralForecast's cross_validation leaves its models fitted)."""
    if not getattr(model, "_backtested", False):
        return ""
    return ("; backtest() fitted copies of this configuration at each origin and left this "
            "model unfitted: fit it on the whole panel (f.fit(panel)) to forecast past the data")
