"""``train_config_from(cfg, **overrides)``: the one mapping of a trainer's config onto the
loop's ``TrainConfig`` (it was written out by hand in five places: the forecasters' fit and
refit, the panel's global fit, ``LMTrainConfig.to_train_config`` and the configs' checks).
Every TrainConfig field a config declares is passed through, and each call site gives the
TrainConfig its hand-written mapping gave, for default and non-default settings."""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import pandas as pd
import pytest

from rnnlab import Forecaster
from rnnlab.forecast import training as forecast_training
from rnnlab.forecast.config import ForecastConfig
from rnnlab.lm.config import LMTrainConfig
from rnnlab.panel import GlobalForecaster, read_panel
from rnnlab.panel import global_fit
from rnnlab.panel.config import PanelConfig
from rnnlab.train import TrainConfig
from rnnlab.train.config_from import per_fit, shared_fields, train_config_from

# a value away from TrainConfig's default for each of its fields, and what it needs beside it
AWAY = dict(epochs=3, batch_size=7, lr=0.02, optimizer="adamw", weight_decay=0.01,
            momentum=0.5, nesterov=True, betas=(0.8, 0.9), eps=1e-6, amsgrad=True,
            dampening=0.1, clip_norm=2.0, patience=4, lr_schedule="cosine", seed=5,
            device="cpu", precision="bf16-mixed", progress="log", checkpoint_every=3,
            on_nonfinite="skip", max_seconds=30.0, impl="reference", cuda_graphs="auto",
            min_delta=0.1)
NEEDS = dict(momentum=dict(optimizer="sgd"), nesterov=dict(optimizer="sgd", momentum=0.5),
             dampening=dict(optimizer="sgd", momentum=0.5))
CONFIGS = [ForecastConfig, PanelConfig, LMTrainConfig]


def test_every_train_config_field_has_a_value_away_from_its_default():
    # (a field added to TrainConfig fails here until the tests below cover it)
    default = TrainConfig()
    assert [f.name for f in fields(TrainConfig)] == list(AWAY)
    assert all(getattr(default, k) != v for k, v in AWAY.items())


# what a fit decides per member for the fields a config means otherwise (PER_FIT)
DECIDED = dict(batch_size=5, patience=None, seed=11, device="cpu", max_seconds=12.0)


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: c.__name__)
def test_every_shared_field_reaches_the_train_config(config):
    names, decided = shared_fields(config()), per_fit(config())
    assert {"epochs", "lr", "optimizer", "clip_norm", "seed", "progress"} <= set(names)
    assert set(decided) < set(names)
    overrides = {n: DECIDED[n] for n in decided}
    for name in names:
        # (a ForecastConfig's batch_size 0 is "the forecaster chooses": its fit passes one)
        cfg = config(**{"batch_size": AWAY["batch_size"], name: AWAY[name], **NEEDS.get(name, {})})
        said = getattr(train_config_from(cfg, **overrides), name)
        assert said == (DECIDED[name] if name in decided else AWAY[name]), name


@pytest.mark.parametrize("cfg,unsaid", [
    (PanelConfig(max_seconds=60.0, ensemble=3), "max_seconds"),  # (20 s a member)
    (PanelConfig(seed=4), "seed"),  # (member k: seed + k)
    (ForecastConfig(seed=2, batch_size=8), "seed"),  # (member k: 1000 * seed + k)
    (ForecastConfig(), "batch_size"),  # (0: the forecaster chooses)
    (LMTrainConfig(), "device")], ids=lambda v: v if isinstance(v, str) else type(v).__name__)
def test_a_field_a_config_means_otherwise_is_never_passed_silently(cfg, unsaid):
    # (the loop got the config's value where a fit forgot its override)
    overrides = {n: DECIDED[n] for n in per_fit(cfg) if n != unsaid}
    with pytest.raises(TypeError, match=rf"{type(cfg).__name__}'s \['{unsaid}'\] mean"):
        train_config_from(cfg, **overrides)
    if unsaid != "batch_size":  # (0: TrainConfig refuses it; no check reads it alone)
        # a check of part of a config (ForecastConfig's patience, max_seconds) reads it as is
        checked = train_config_from(cfg, only=(unsaid,))
        assert checked == TrainConfig(**{unsaid: getattr(cfg, unsaid)})


def test_a_field_a_config_shares_is_passed_without_a_line_for_it():
    @dataclass(frozen=True)
    class Mine:
        min_delta: float = 0.25  # (no trainer declares it today)
        colour: str = "red"  # (TrainConfig has none: not read)

    assert shared_fields(Mine()) == ("min_delta",)
    assert train_config_from(Mine(), epochs=2) == TrainConfig(min_delta=0.25, epochs=2)
    assert train_config_from(Mine(), only=()) == TrainConfig()
    with pytest.raises(ValueError, match="shares no field"):
        train_config_from(Mine(), only=("lr",))


def _optimizer(cfg) -> dict:
    return dict(optimizer=cfg.optimizer, weight_decay=cfg.weight_decay, momentum=cfg.momentum,
                nesterov=cfg.nesterov, dampening=cfg.dampening, betas=cfg.betas, eps=cfg.eps,
                amsgrad=cfg.amsgrad)


# the hand-written mappings, as they were (the members' seeds and the device the sites chose)
def _forecast_fit_was(cfg, m: int, batch: int) -> TrainConfig:
    return TrainConfig(epochs=cfg.epochs, batch_size=batch, lr=cfg.lr,
                       **_optimizer(cfg), clip_norm=cfg.clip_norm, lr_schedule=cfg.lr_schedule,
                       patience=cfg.patience, seed=1000 * cfg.seed + m, device="cpu",
                       progress=cfg.progress, precision="32", checkpoint_every=0,
                       on_nonfinite="stop", max_seconds=cfg.max_seconds, impl=cfg.impl,
                       cuda_graphs=cfg.cuda_graphs)


def _forecast_refit_was(cfg, m: int, epochs: int, batch: int) -> TrainConfig:
    return TrainConfig(epochs=epochs, batch_size=batch, lr=cfg.lr, **_optimizer(cfg),
                       clip_norm=cfg.clip_norm, lr_schedule=cfg.lr_schedule, patience=None,
                       seed=1000 * cfg.seed + m, device="cpu", progress=cfg.progress,
                       precision="32", on_nonfinite="stop", max_seconds=cfg.max_seconds,
                       impl=cfg.impl, cuda_graphs=cfg.cuda_graphs)


def _panel_was(cfg, k: int, left) -> TrainConfig:
    return TrainConfig(epochs=cfg.epochs, batch_size=cfg.batch_size, lr=cfg.lr,
                       **_optimizer(cfg), clip_norm=cfg.clip_norm, lr_schedule=cfg.lr_schedule,
                       patience=cfg.patience if cfg.n_val > 0 else None, seed=cfg.seed + k,
                       device="cpu", progress=cfg.progress, max_seconds=left)


def _lm_was(cfg, device: str) -> TrainConfig:
    return TrainConfig(epochs=cfg.epochs, batch_size=cfg.batch_size, lr=cfg.lr,
                       **_optimizer(cfg), clip_norm=cfg.clip_norm, patience=cfg.patience,
                       lr_schedule=cfg.lr_schedule, seed=cfg.seed, device=device,
                       precision=cfg.precision, progress=cfg.progress,
                       checkpoint_every=cfg.checkpoint_every, on_nonfinite=cfg.on_nonfinite,
                       max_seconds=60 * cfg.minutes if cfg.minutes is not None else None,
                       impl=cfg.impl, cuda_graphs=cfg.cuda_graphs)


def _spy(monkeypatch, module) -> list:
    seen, real = [], module.fit

    def fit(net, task, cfg, *args, **kwargs):
        seen.append((cfg, (kwargs.get("meta") or {}).get("refit", False)))
        return real(net, task, cfg, *args, **kwargs)

    monkeypatch.setattr(module, "fit", fit)
    return seen


SMALL = dict(hidden_size=4, lookback=6, horizon=6, ensemble=2, select="network", refit=True)
AWAY_FORECAST = dict(epochs=2, batch_size=16, lr=0.02, optimizer="sgd", momentum=0.5,
                     nesterov=True, weight_decay=0.01, clip_norm=2.0, lr_schedule="cosine",
                     patience=1, seed=3, max_seconds=600.0, impl="reference", progress=False)


@pytest.mark.parametrize("settings", [dict(epochs=1, progress=False), AWAY_FORECAST],
                         ids=["default", "away"])
def test_the_forecasters_fit_and_refit_train_as_they_did(monkeypatch, settings):
    seen = _spy(monkeypatch, forecast_training)
    t = np.arange(120)
    f = Forecaster(**SMALL, **settings).fit(10 + np.sin(2 * np.pi * t / 12) + 0.01 * t)
    fits = [c for c, refit in seen if not refit]
    refits = [c for c, refit in seen if refit]
    # (the batch: the config's, or with 0 the one the forecaster chose for the windows)
    batch = f.config.batch_size or fits[0].batch_size
    assert fits == [_forecast_fit_was(f.config, m, batch) for m in range(2)]
    assert refits == [_forecast_refit_was(f.config, m, c.epochs, batch)
                      for m, c in enumerate(refits)]
    assert len(refits) == 2 and all(c.epochs >= 1 for c in refits)


@pytest.mark.parametrize("settings", [dict(), dict(optimizer="adamw", weight_decay=0.01,
                                                    clip_norm=None, lr=0.005, seed=4,
                                                    lr_schedule="plateau", max_seconds=600.0)],
                         ids=["default", "away"])
def test_the_panel_trains_as_it_did(monkeypatch, settings):
    seen = _spy(monkeypatch, global_fit)
    rng = np.random.default_rng(0)
    ds = pd.date_range("2000-01-01", periods=40, freq="QS")
    df = pd.concat([pd.DataFrame({"unique_id": f"s{i}", "ds": ds,
                                  "y": 50 + 10 * i + np.cumsum(rng.normal(size=40))})
                    for i in range(3)])
    f = GlobalForecaster("gru", lookback=8, horizon=6, epochs=1, batches_per_epoch=2,
                         hidden_size=4, head_size=4, calibrate="none", **settings)
    f.fit(read_panel(df))
    assert [c for c, _ in seen] == [_panel_was(f.config, k, c.max_seconds)
                                   for k, (c, _) in enumerate(seen)]
    assert seen and all((c.max_seconds is None) == ("max_seconds" not in settings)
                        for c, _ in seen)


@pytest.mark.parametrize("settings", [dict(), dict(
    epochs=2, batch_size=8, lr=0.01, optimizer="sgd", momentum=0.9, dampening=0.1,
    clip_norm=None, patience=2, lr_schedule="cosine", seed=7, precision="bf16-mixed",
    progress=False, checkpoint_every=5, on_nonfinite="skip", minutes=1.5, impl="reference",
    cuda_graphs="on")], ids=["default", "away"])
@pytest.mark.parametrize("device", ["cpu", "cuda"])
def test_a_language_model_trains_as_it_did(settings, device):
    cfg = LMTrainConfig(**settings)
    assert cfg.to_train_config(device) == _lm_was(cfg, device)


def test_the_optimizer_settings_are_listed_once_as_every_config_declares_them():
    # (the loop's checks and the flag spellings read one list; two copies drifted apart)
    from rnnlab.train import optim_flags, optim_options

    assert optim_options.OPTIMIZER_FIELDS is optim_flags.OPTIMIZER_FIELDS
    assert optim_flags.SETTINGS == optim_flags.OPTIMIZER_FIELDS + ("lr_schedule",)
    for config in CONFIGS:
        assert set(optim_flags.SETTINGS) <= set(shared_fields(config())), config


@pytest.mark.parametrize("main", [True, False], ids=["rank-0", "rank-1"])
def test_a_refit_shows_its_progress_on_the_main_process_alone(monkeypatch, main):
    # (under torchrun each rank refits, as on_epoch says; the members' fits show progress
    # on rank 0 only, and the refit showed a bar on every rank)
    from rnnlab.train import launch_checks

    monkeypatch.setattr(launch_checks, "is_main_process", lambda: main)
    seen = _spy(monkeypatch, forecast_training)
    t = np.arange(120)
    Forecaster(**dict(SMALL, ensemble=1), epochs=1, progress="log").fit(
        10 + np.sin(2 * np.pi * t / 12))
    refits = [c for c, refit in seen if refit]
    assert len(refits) == 1 and refits[0].progress == ("log" if main else False)


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("given, said", [
    (dict(lr=0), "lr must be"), (dict(epochs=0), "epochs must be"),
    (dict(weight_decay=-1), "weight_decay must be >= 0"),
    (dict(momentum=0.5), r"momentum=0.5 applies to optimizer='sgd' only"),
    (dict(lr_schedule="x"), "lr_schedule must be one of")], ids=lambda v: str(v))
def test_the_loops_checks_name_the_config_the_value_was_given_to(config, given, said):
    # (an LMTrainConfig said "TrainConfig: lr must be ...", a class its user never made;
    # ForecastConfig and PanelConfig said their own names)
    with pytest.raises(ValueError, match=rf"^{config.__name__}: {said}"):
        config(**given)
