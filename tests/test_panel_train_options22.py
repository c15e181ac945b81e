"""The panel model's training settings: clip_norm, lr_schedule, optimizer, weight_decay.

Was: the panel network always clipped the gradients' norm at 1.0 and trained Adam at one
rate (NeuralForecast's gradient_clip_val / lr_scheduler / optimizer and Darts'
optimizer_kwargs / lr_scheduler_cls had no counterpart), GlobalForecaster(clip_norm=0)
was "unknown setting", and `rnnlab forecast --clip-norm 0` on a panel was refused as a
one-series option. Their defaults train as before."""

import json

import numpy as np
import pandas as pd
import pytest
import torch

from rnnlab.io.atomic import atomic_write_json
from rnnlab.io.errors import DataError
from rnnlab.panel import GlobalForecaster
from rnnlab.panel.config import PanelConfig
from rnnlab.train import TrainConfig

TINY = dict(model="gru", lookback=8, horizon=4, hidden_size=8, head_size=16, batch_size=16,
            batches_per_epoch=4, epochs=3, seed=3, transform="none", difference="none",
            calibrate="none")
NEW = ("optimizer", "weight_decay", "clip_norm", "lr_schedule")


def _frame(series=3, n=40, seed=0):
    rng = np.random.default_rng(seed)
    return pd.concat([pd.DataFrame({
        "unique_id": f"s{i}", "ds": pd.date_range("2001-01-01", periods=n, freq="D"),
        "y": 5.0 + i + 2 * rng.standard_normal(n)}) for i in range(series)],
        ignore_index=True)


def _weights(f):
    return torch.cat([p.detach().flatten() for p in f.members.parameters()])


def test_a_default_fit_trains_with_the_settings_it_had_before(monkeypatch):
    """The loop is given the TrainConfig the panel built before these settings existed
    (TrainConfig's clip_norm=1.0, Adam, no decay, no schedule): a default fit is the
    same run, and its weights equal a fit with those settings spelled out."""
    import rnnlab.panel.global_fit as gf

    given, fit = [], gf.fit
    monkeypatch.setattr(gf, "fit", lambda net, task, cfg, **kw: given.append(cfg)
                        or fit(net, task, cfg, **kw))
    a = GlobalForecaster(**TINY).fit(_frame())
    before = TrainConfig(epochs=3, batch_size=16, lr=3e-3, patience=6, seed=3, device="cpu",
                         progress=False, max_seconds=None)
    assert given == [before]
    b = GlobalForecaster(**TINY, clip_norm=1.0, lr_schedule="none", optimizer="adam",
                         weight_decay=0.0).fit(_frame())
    assert torch.equal(_weights(a), _weights(b))
    pd.testing.assert_frame_equal(a.predict(), b.predict())


def test_a_model_saved_without_the_settings_loads_with_their_defaults(tmp_path):
    f = GlobalForecaster(**{**TINY, "epochs": 1}).fit(_frame())
    f.save(tmp_path / "m")
    meta = json.loads((tmp_path / "m" / "model.json").read_text())
    for k in NEW:  # (a model.json written before they existed)
        del meta["config"][k]
    atomic_write_json(tmp_path / "m" / "model.json", meta, checksum=True)
    g = GlobalForecaster.load(tmp_path / "m")
    assert (g.config.clip_norm, g.config.lr_schedule, g.config.optimizer,
            g.config.weight_decay) == (1.0, "none", "adam", 0.0)
    pd.testing.assert_frame_equal(g.predict(), f.predict())


@pytest.mark.parametrize("setting", [dict(clip_norm=0), dict(clip_norm=None),
                                     dict(optimizer="adamw", weight_decay=0.5),
                                     dict(weight_decay=0.5), dict(optimizer="sgd")])
def test_each_setting_changes_training(setting):
    """A Gaussian likelihood on series with outliers (200 on values about 5) has gradients
    whose norm is above 1 (a quantile model's pinball loss keeps them small): without
    clipping (0 or None: off) the steps differ from the clipped default's."""
    df = _frame()
    rng = np.random.default_rng(1)
    df.loc[rng.choice(len(df), 12, replace=False), "y"] += 200
    base = GlobalForecaster(**{**TINY, "epochs": 1}, likelihood="gaussian").fit(df)
    other = GlobalForecaster(**{**TINY, "epochs": 1}, likelihood="gaussian", **setting).fit(df)
    assert not torch.equal(_weights(base), _weights(other))
    if "clip_norm" in setting:
        assert other.config.clip_norm is None


@pytest.mark.parametrize("schedule", ["cosine", "plateau"])
def test_a_schedule_changes_the_learning_rate_in_the_history(schedule):
    """cosine: lower each epoch; plateau: halved after 3 epochs without a better loss (a
    rate of 1.0 on noise stalls within the 8)."""
    f = GlobalForecaster(**{**TINY, "epochs": 8, "patience": None, "lr": 1.0},
                         lr_schedule=schedule).fit(_frame())
    rates = [e["lr"] for e in f.histories[0]["epochs"]]
    assert rates[0] == 1.0 and rates[-1] < 1.0, rates
    if schedule == "plateau":
        assert set(rates) <= {1.0, 0.5, 0.25, 0.125}, rates
    flat = GlobalForecaster(**{**TINY, "epochs": 2}).fit(_frame())
    assert {e["lr"] for e in flat.histories[0]["epochs"]} == {3e-3}


@pytest.mark.parametrize("bad, said", [
    (dict(clip_norm=float("inf")), "clip_norm must be a finite number > 0, or 0 / None"),
    (dict(clip_norm=-1), "clip_norm must be > 0, or 0 / None for off"),
    (dict(lr_schedule="step"), "lr_schedule must be one of"),
    (dict(optimizer="rmsprop"), "optimizer must be one of"),
    (dict(weight_decay=-0.1), "weight_decay must be >= 0"),
])
def test_bad_settings_are_refused_when_the_config_is_made(bad, said):
    with pytest.raises(DataError, match=f"PanelConfig: {said}"):
        PanelConfig(**bad)


@pytest.mark.slow
def test_the_commands_take_the_settings_on_a_panel_and_record_them(tmp_path, capsys):
    """rnnlab forecast on a panel reads --clip-norm (the one-series name, refused there
    before), --lr-schedule, --optimizer, --weight-decay; config.json records them."""
    from rnnlab.cli import main
    from tests.test_panel_forecast_cli import DATA_OPTIONS, write_panel

    data, run = write_panel(tmp_path / "panel.csv"), tmp_path / "run"
    assert main(["forecast", "--data", str(data), *DATA_OPTIONS, "--horizon", "4",
                 "--lookback", "8", "--epochs", "2", "--batches-per-epoch", "2",
                 "--hidden-size", "4", "--clip-norm", "0", "--lr-schedule", "cosine",
                 "--optimizer", "adamw", "--weight-decay", "0.01", "--no-progress",
                 "--out", str(run)]) == 0
    model = json.loads((run / "config.json").read_text())["config"]["model"]
    assert (model["clip_norm"], model["lr_schedule"], model["optimizer"],
            model["weight_decay"]) == (None, "cosine", "adamw", 0.01)
    rates = pd.read_csv(run / "history.csv")["lr"].tolist()
    assert rates[0] > rates[1], rates


@pytest.mark.parametrize("make", ["rnnlab.panel:GlobalForecaster", "rnnlab.forecast:Forecaster"])
def test_lightnings_gradient_clip_val_is_named_as_clip_norm(make):
    """Was: "unknown setting 'gradient_clip_val'" and the list of fields, no hint (the
    one-series Forecaster had clip_norm all along)."""
    import importlib

    from rnnlab.io.errors import ConfigTypeError

    module, name = make.split(":")
    with pytest.raises(ConfigTypeError, match=r"'gradient_clip_val' \(here: clip_norm=\)"):
        getattr(importlib.import_module(module), name)(gradient_clip_val=0.5)
