"""The one-series Forecaster's optimizer and lr_schedule, as the panel's GlobalForecaster's.

Was: Forecaster(optimizer="sgd") and Forecaster(lr_schedule="cosine") were "unknown
setting ... (a setting of rnnlab.panel.GlobalForecaster)", and `rnnlab forecast --optimizer
sgd` on one series was refused as an option of the panel model; the one series always
trained Adam at one rate. Both configs now declare the settings with the same options
(rnnlab.train.optim_options) and refuse bad values in the same words. Defaults train as
before."""

import json

import pytest
import torch
from forecast_series import seasonal

from rnnlab.forecast import Forecaster, ForecastConfig
from rnnlab.io.errors import DataError
from rnnlab.options import declared
from rnnlab.panel.config import PanelConfig
from rnnlab.train import TrainConfig

TINY = dict(hidden_size=4, epochs=3, ensemble=1, progress=False, lookback=6, horizon=6,
            select="network")
SHARED = ("optimizer", "weight_decay", "lr_schedule")


def _weights(f):
    return torch.cat([p.detach().flatten() for p in f.net.parameters()])


def test_a_default_fit_trains_with_the_settings_it_had_before(monkeypatch):
    """The loop gets the TrainConfig the Forecaster built before these settings existed,
    and spelling the defaults out trains the same weights."""
    import rnnlab.forecast.training as T

    given, fit = [], T.fit
    monkeypatch.setattr(T, "fit", lambda net, task, cfg, **kw: given.append(cfg)
                        or fit(net, task, cfg, **kw))
    a = Forecaster(**TINY).fit(seasonal())
    assert (given[0].optimizer, given[0].lr_schedule, given[0].weight_decay) == \
        ("adam", "none", 0.0)
    assert given[0] == TrainConfig(epochs=3, batch_size=given[0].batch_size, lr=5e-3,
                                   clip_norm=1.0, patience=40, seed=0, device="cpu",
                                   progress=False)
    b = Forecaster(**TINY, optimizer="adam", lr_schedule="none", weight_decay=0.0).fit(
        seasonal())
    assert torch.equal(_weights(a), _weights(b))


def _losses(f):
    return [e["train_loss"] for e in f.histories[0]["epochs"]]


@pytest.mark.parametrize("setting", [dict(optimizer="sgd"), dict(lr_schedule="cosine"),
                                     dict(optimizer="adamw", weight_decay=0.5)])
def test_each_setting_changes_training(setting):
    """(the kept weights are the best validation epoch's: the losses of every epoch are
    compared; AdamW without decay is Adam, so with some)"""
    base = Forecaster(**TINY).fit(seasonal())
    other = Forecaster(**TINY, **setting).fit(seasonal())
    assert _losses(base) != _losses(other)
    assert {k: getattr(other.config, k) for k in setting} == setting


@pytest.mark.parametrize("schedule", ["cosine", "plateau"])
def test_a_schedule_changes_the_learning_rate_in_the_history(schedule):
    """cosine: lower each epoch; plateau: halved after 3 epochs without a better
    validation loss (a rate of 1.0 stalls within the 8)."""
    f = Forecaster(**{**TINY, "epochs": 8, "patience": None, "lr": 1.0},
                   lr_schedule=schedule).fit(seasonal())
    rates = [e["lr"] for e in f.histories[0]["epochs"]]
    assert rates[0] == 1.0 and rates[-1] < 1.0, rates
    if schedule == "plateau":
        assert set(rates) <= {1.0, 0.5, 0.25, 0.125}, rates
    flat = Forecaster(**TINY).fit(seasonal())
    assert {e["lr"] for e in flat.histories[0]["epochs"]} == {5e-3}


def test_both_configs_declare_the_settings_alike():
    """The same default, help, choices and flag: one declaration, not two copies."""
    one = {f.name: (f.default, o) for f, o in declared(ForecastConfig) if f.name in SHARED}
    panel = {f.name: (f.default, o) for f, o in declared(PanelConfig) if f.name in SHARED}
    assert set(one) == set(SHARED)
    for name in SHARED:
        (d1, o1), (d2, o2) = one[name], panel[name]
        assert d1 == d2 and (o1.help, o1.choices, o1.flag) == (o2.help, o2.choices, o2.flag)


@pytest.mark.parametrize("bad, said", [
    (dict(lr_schedule="step"), "lr_schedule must be one of"),
    (dict(optimizer="rmsprop"), "optimizer must be one of"),
    (dict(optimizer="SGD"), "optimizer='sgd'"),
    (dict(optimizer=torch.optim.AdamW), "pass its name: optimizer='adamw'"),
    (dict(weight_decay=-0.1), "weight_decay must be >= 0"),
    (dict(weight_decay="x"), "weight_decay must be a number"),
])
def test_bad_settings_are_refused_in_the_panels_words(bad, said):
    with pytest.raises(DataError, match="PanelConfig: ") as panel:
        PanelConfig(**bad)
    with pytest.raises(DataError, match="ForecastConfig: ") as one:
        ForecastConfig(**bad)
    assert said in str(one.value)
    assert str(one.value).split(": ", 1)[1] == str(panel.value).split(": ", 1)[1]
    with pytest.raises(DataError, match=said.replace("(", r"\(")):
        Forecaster(**bad)  # (when made: before any data is read)


def test_a_model_saved_without_the_settings_loads_with_their_defaults(tmp_path):
    from rnnlab.io.atomic import atomic_write_json

    f = Forecaster(**{**TINY, "epochs": 1}).fit(seasonal())
    f.save(tmp_path / "m")
    meta = json.loads((tmp_path / "m" / "model.json").read_text())
    for k in ("optimizer", "lr_schedule"):  # (a model.json written before they existed)
        del meta["config"][k]
    atomic_write_json(tmp_path / "m" / "model.json", meta, checksum=True)
    g = Forecaster.load(tmp_path / "m")
    assert (g.config.optimizer, g.config.lr_schedule) == ("adam", "none")
    assert g.predict().equals(f.predict())


def test_the_flags_are_no_longer_the_panels_only():
    from rnnlab.panel.wants_panel import panel_only_options

    assert not {"optimizer", "lr_schedule", "weight_decay"} & set(panel_only_options())


def test_the_flags_reach_the_one_series_config_and_a_panels_alike():
    """The parsed command line: ForecastConfig on one series, PanelConfig on a panel."""
    from rnnlab.cli import build_parser
    from rnnlab.options import config_from_args
    from rnnlab.panel.cli import panel_config

    argv = ["forecast", "--data", "airline", "--optimizer", "adamw", "--lr-schedule",
            "plateau", "--weight-decay", "0.01"]
    args = build_parser(argv).parse_args(argv)
    args.given_options = frozenset({"data", "optimizer", "lr_schedule", "weight_decay"})
    one, panel = config_from_args(ForecastConfig, args), panel_config(args)
    for cfg in (one, panel):
        assert (cfg.optimizer, cfg.lr_schedule, cfg.weight_decay) == ("adamw", "plateau", 0.01)


@pytest.mark.slow
def test_rnnlab_forecast_takes_the_panels_flags_on_one_series(tmp_path):
    """--optimizer and --lr-schedule were refused on one series as the panel model's."""
    from rnnlab.cli import main

    run = tmp_path / "run"
    assert main(["forecast", "--data", "airline", "--epochs", "2", "--ensemble", "1",
                 "--hidden-size", "4", "--optimizer", "sgd", "--lr-schedule", "cosine",
                 "--no-progress", "--out", str(run)]) == 0
    cfg = json.loads((run / "config.json").read_text())["config"]
    assert (cfg["optimizer"], cfg["lr_schedule"]) == ("sgd", "cosine")
    rates = [float(line.split(",")[4]) for line in
             (run / "history.csv").read_text().splitlines()[1:]]
    assert rates[0] > rates[1], rates
