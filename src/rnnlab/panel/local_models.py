"""``local=True``: one GlobalForecaster per series, each fitted and forecast on its own
series alone (no static covariates: one series has one value of each). The interval
calibration (:mod:`.calibration`) pools the validation tails of all the series' models:
one series' few scores would give each model offsets of their own, and ``calibrate='auto'``
would never see 30 series."""

from __future__ import annotations

import warnings
from dataclasses import replace

import pandas as pd

from ..callers_line import callers_level
from ..data.outliers import OutlierWarning
from ..io.errors import DataError
from ..train.budget_note import TimeBudgetNote, budget_unsaid  # noqa: F401  (TimeBudgetNote:
# rnnlab.panel's export, read from here)
from .frame import ID
from .new_series import without_short


def fit_local(model, panel, lag: int = 0, on_epoch=None, ck=None):
    """Fit one model of ``model``'s config (``local=False``) per series of ``panel`` into
    ``model.local``, each differenced as the panel is (seasonal ``lag``, or none); a time
    budget is shared equally. ``ck``: the fit's checkpoints (:mod:`.checkpoints`), the
    ``i``-th series' model in ``series<i>/``."""
    from .checkpoints import PanelCheckpoints

    cfg = model.config
    share = None if cfg.max_seconds is None else cfg.max_seconds / len(panel.ids)
    sub = replace(cfg, local=False, max_seconds=share, static_covariates=(), calibrate="none",
                  difference="seasonal" if lag else "none", period=lag or cfg.period)
    ck = ck or PanelCheckpoints()
    for i, uid in enumerate(panel.ids):
        one = panel.with_df(panel.df[panel.df[ID] == uid])
        mine = ck.series(i)
        # (the time budget and the extreme values: said once, by the panel's fit)
        with warnings.catch_warnings(), budget_unsaid():
            warnings.simplefilter("ignore", OutlierWarning)
            model.local[uid] = type(model)(config=sub).fit(
                one, on_epoch=on_epoch, checkpoint_dir=mine.directory, resume=mine.resume,
                checkpoint_every=mine.every)
    if cfg.calibrate != "none":
        from .calibration import calibrate

        model.calibration = calibrate(model, panel, auto=cfg.calibrate == "auto")
    return model


def local_rows(model, panel) -> pd.DataFrame:
    """The rows a local model's forecasts read: ``panel``'s, else each series' tail."""
    if panel is not None:
        return panel.df
    return pd.concat([m.tail for m in model.local.values()], ignore_index=True)


def forecast_local(model, horizon, future, panel, paths_out):
    """Each series of ``panel`` (default: all) forecast by its own model."""
    ids = list(model.local) if panel is None else [str(u) for u in panel.ids]
    new = [u for u in ids if u not in model.local]
    if new:  # no model for them (too short at fit, as a backtest's first origin may leave
        # a series): skipped with a warning as fit skips short series, unless none is known
        msg = (f"series {new[:5]}{' and %d more' % (len(new) - 5) if len(new) > 5 else ''} "
               f"were not in the training panel (or too short to fit on); a local model "
               f"(local=True) has one model per training series")
        if len(new) == len(ids) or model.config.on_short == "error":
            raise DataError(f"{msg}: fit again with them, or use the global model "
                            f"(local=False), which forecasts new series")
        warnings.warn(f"{msg}: skipped (not forecast)", stacklevel=callers_level(5))
        ids = [u for u in ids if u in model.local]
    if panel is not None:  # known series too short to forecast from: skipped as the global
        f = next(iter(model.local.values())).features  # model skips them (one lookback, lag)
        panel = panel.with_df(without_short(panel.with_df(panel.df[panel.df[ID].isin(ids)]),
                                            ids, f.lookback + f.lag, model.config.on_short, 6))
        ids = [u for u in ids if u in set(panel.ids)]
    return pd.concat([model.local[u]._forecast(horizon, future, None if panel is None else
                                               panel.with_df(panel.df[panel.df[ID] == u]),
                                               paths_out) for u in ids], ignore_index=True)
