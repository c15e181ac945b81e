"""What :meth:`GlobalForecaster.fit <rnnlab.panel.model.GlobalForecaster.fit>` does, step
by step: choose the seasonal lag, keep the series long enough, build the training rows,
then train one network per ensemble member (each seeded; the caller's RNG states are
restored by ``fit`` around all of it)."""

from __future__ import annotations

import time
from dataclasses import replace

import torch
from torch import nn

from ..io.atomic import finite_json
from ..train import fit, seed_everything
from ..train.config_from import train_config_from
from ..train.final_checkpoint import take_final
from ..train.member_hook import member_hook
from ..train.stops import TrainingInterrupted
from .backtest_save import panel_sha256
from .calendar import warn_utc_clock
from .coarse_holidays import warn_panel_coarse_holidays
from .budget_resume import trained_seconds, trains_on
from .calibration import calibrate
from .checkpoints import PanelCheckpoints, start_run
from .covariates import numeric_covariates
from .short_series import check_lengths, lag_for
from .global_table import anchored
from .window_frame import spread_windows
from .int_steps import refuse_calendar
from .key_columns import keyed_table_of
from .local_models import fit_local
from .net import PanelTask
from .new_series import remember_static
from .refill import training_frame
from .series_blocks import tails
from .target_mirror import warn_target_covariates
from .training_data import TaskArgs, training_data


def seasonal_lag(cfg, panel, period) -> int:
    """The lag of the seasonal difference the model trains on (0: none): :func:`.short_series.
    lag_for` of the panel's lengths."""
    return lag_for(cfg, panel.lengths(), period)


def warn_idle_patience(cfg) -> None:
    """Early stopping reads the validation tail; ``val_size=0`` leaves none, so a
    ``patience`` given does nothing: said (as Keras' EarlyStopping warns when ``val_loss``
    is not available; NeuralForecast refuses it), not silently ignored. The default
    patience (6) with ``val_size=0`` is not a request for early stopping: nothing said."""
    import dataclasses

    default = {f.name: f.default for f in dataclasses.fields(cfg)}["patience"]
    if cfg.n_val == 0 and cfg.patience not in (None, default):
        import warnings

        warnings.warn(f"GlobalForecaster.fit: patience={cfg.patience} stops on the "
                      f"validation loss, and val_size=0 leaves no validation tail: early "
                      f"stopping is off, every one of the {cfg.epochs} epochs is trained "
                      f"(max_seconds aside) and the last epoch's weights are kept; pass "
                      f"patience=None (--patience 0) with val_size=0, or a val_size > 0",
                      stacklevel=4)


def fit_global(model, panel, static, on_epoch=None, ck=PanelCheckpoints()):
    """``model`` (a GlobalForecaster) fitted on ``panel`` (a PanelFrame of the columns it
    reads); ``static``: the static covariates' table, or None; ``on_epoch``: fit's;
    ``ck``: where it checkpoints, and whether it resumes (:mod:`.checkpoints`)."""
    cfg = model.config
    refuse_calendar(cfg.calendar, panel.ds_period)
    if cfg.time_zone is None:  # (a zone named, UTC too, is the clock meant)
        warn_utc_clock(cfg.calendar, panel.df["ds"], panel.freq, stacklevel=4)
    warn_panel_coarse_holidays(cfg.calendar, panel.df, cfg.country, stacklevel=4)
    model.id_kind, model.ds_period = panel.id_kind, panel.ds_period
    model.keys = getattr(panel, "keys", ())  # (outputs carry them beside unique_id)
    model.week = getattr(panel, "week", None)  # (its clause's far years: :mod:`.panel_week`)
    static = keyed_table_of(static, model.keys)  # (a static table keyed by State, Zone)
    warn_idle_patience(cfg)
    lag = seasonal_lag(cfg, panel, cfg.period or panel.period)
    numeric_covariates(panel.df, cfg.future_covariates, "future")
    numeric_covariates(panel.df, cfg.past_covariates, "past")
    warn_target_covariates(cfg, panel.df)  # (a column made with shift(-1): said, not seen)
    extra = cfg.n_val if cfg.local else 0
    what = ("lookback + horizon" + (" + seasonal lag" if lag else "")
            + (" + validation" if extra else ""))
    full = panel  # (the static covariates of series skipped here are kept)
    panel = check_lengths(panel, lag + cfg.lookback + cfg.horizon + extra, cfg.on_short, what)
    model.histories, model.local, model.calibration = [], {}, None
    model.data_sha256 = panel_sha256(full)  # the data's identity, saved with the model
    model.weights_sha256 = None  # (a loaded model's file: these weights are not its)
    model.fit_threads = torch.get_num_threads()  # (the caller's: save's record names them)
    ck = start_run(ck, cfg, model.data_sha256, static)  # (another fit's checkpoints: refused)
    if cfg.local:
        return fit_local(model, panel, lag, on_epoch, ck)
    seen = replace(panel, df=training_frame(panel.df, panel.filled, cfg.n_val,
                                            model._net_horizon))  # (.refill)
    model.features, task_args = training_data(cfg, seen, static, lag, model._net_horizon)
    remember_static(model.features, full, panel, cfg.static_covariates, static)
    model.features.skipped = {str(u): int(k) for u, k in full.lengths().items()
                              if u not in set(panel.ids)}  # (named so when forecast)
    model.members = nn.ModuleList(train_members(model, task_args, on_epoch, ck))
    model.tail = tails(panel.df, cfg.lookback + lag)[0].reset_index(drop=True)
    if cfg.calibrate != "none":
        model.calibration = calibrate(model, panel, auto=cfg.calibrate == "auto")
    return model


def train_members(model, task_args: TaskArgs, on_epoch=None, ck=PanelCheckpoints()) -> list:
    """One network per ensemble member, member ``k`` seeded ``seed + k`` (torch, numpy
    and random), sharing ``max_seconds`` evenly; each appends its history to
    ``model.histories``. With ``ck.directory``, member ``k`` checkpoints into
    ``member<k>/``; resumed, a finished member is taken as it was (one its time budget
    stopped trains on under a larger one: :mod:`.budget_resume`)."""
    cfg = model.config
    members = []
    budget = None if cfg.max_seconds is None else cfg.max_seconds / cfg.ensemble
    t0 = time.perf_counter()
    before = 0.0  # the seconds members taken from their checkpoints trained (a resume)
    for k in range(cfg.ensemble):
        seed = cfg.seed + k
        seed_everything(seed)
        net = model._build(task_args[0].shape[1])
        task = PanelTask(*task_args, cfg.lookback, model._net_horizon,
                         model.features.known_from,
                         anchored(cfg) > 0, cfg.batch_size, cfg.batches_per_epoch,
                         seed, spread=spread_windows(cfg))
        spent = time.perf_counter() - t0 + before  # (as an uninterrupted fit's)
        left = None if budget is None else max(budget * (k + 1) - spent, 1e-3)
        tcfg = train_config_from(cfg, patience=cfg.patience if cfg.n_val > 0 else None,
                                 seed=seed, device="cpu", max_seconds=left,
                                 checkpoint_every=ck.every)  # (steps: a kill mid-epoch)
        folder, again = ck.member(k)
        more = again and trains_on(folder, cfg.max_seconds, left, k, cfg.epochs)  # (budget)
        hist = take_final(folder, cfg.epochs, net) if again and not more else None
        before += 0.0 if hist is None else hist.seconds  # (the budget it used up then)
        if again and hist is None:  # (resumed: its seconds before the stop, spent too)
            before += trained_seconds(folder)
        try:
            if hist is None:
                hist = fit(net, task, tcfg, checkpoint_dir=folder, resume=again,
                           device=torch.device("cpu"),
                           meta=ck.meta(k),  # (what a resume must match: .checkpoints)
                           on_epoch=member_hook(on_epoch, k))
        except TrainingInterrupted as e:  # (checkpointed: the loop's words, fit's resume)
            if folder is not None:
                raise
            raise e.said_for("GlobalForecaster.fit") from None
        # (with its epochs: they were dropped, and a learning curve could not be seen)
        model.histories.append(finite_json(hist.to_dict()))
        members.append(net.eval())
    return members
