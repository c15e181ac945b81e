"""Several networks backtested over the same origins (rnnlab.panel.backtest_models and a
mapping of models to backtest()): one row each, and each network's rows equal to its
one-network run's."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rnnlab.io.errors import ConfigError, ConfigTypeError
from rnnlab.panel import GlobalForecaster, PanelConfig, backtest_models
from rnnlab.panel.backtest import backtest

TINY = dict(hidden_size=4, head_size=4, epochs=1, batches_per_epoch=2, batch_size=8,
            lookback=4, horizon=2, patience=None)


def tiny_frame() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    n = 16
    return pd.concat([pd.DataFrame({"unique_id": u, "ds": pd.date_range(
        "2020-01-01", periods=n, freq="QS"), "y": 5 + i + rng.random(n)})
        for i, u in enumerate("abc")], ignore_index=True)


def _rows(res, models) -> pd.DataFrame:
    fc = res.forecasts
    return fc[fc["model"].isin(models)].reset_index(drop=True)


@pytest.mark.slow
def test_each_network_equals_its_one_network_backtest():
    """Trained in one run (same origins, each seeded by its own config), every network's
    forecasts and the baselines' are those of its backtest alone, to the bit."""
    df = tiny_frame()
    nets = [GlobalForecaster("lstm", **TINY), GlobalForecaster("gru", seed=3, **TINY)]
    res = backtest_models(nets, df, first_origin=4, baselines=("naive",))
    assert res.summary()["model"].tolist() == ["lstm", "gru", "naive"]
    assert set(res.models) == {"lstm", "gru", "naive"}
    assert res.models["gru"]["seed"] == 3 and res.models["lstm"]["model"] == "lstm"
    for f in nets:
        alone = f.backtest(df, first_origin=4, baselines=("naive",))
        name = f.config.model
        pd.testing.assert_frame_equal(_rows(res, [name, "naive"]),
                                      alone.forecasts.reset_index(drop=True))
    # the two networks were trained apart: not the same forecasts
    assert not np.allclose(_rows(res, ["lstm"])["mean"], _rows(res, ["gru"])["mean"])


def test_networks_keyed_by_label_and_given_as_configs():
    res = backtest_models({"small": PanelConfig(**TINY), "wide": GlobalForecaster(
        "lstm", **{**TINY, "hidden_size": 6})}, tiny_frame(), first_origin=2,
        baselines="none")
    assert list(pd.unique(res.forecasts["model"])) == ["small", "wide"]
    assert res.models["wide"]["hidden_size"] == 6 and res.models["small"]["hidden_size"] == 4


def test_two_networks_of_one_label_are_refused():
    with pytest.raises(ConfigError, match=r"two networks are labelled 'lstm'.*'lstm-2'"):
        backtest_models([GlobalForecaster("lstm", **TINY),
                         GlobalForecaster("lstm", **{**TINY, "hidden_size": 8})], tiny_frame())


@pytest.mark.parametrize("key, value", [("period", 4), ("quantiles", (0.2, 0.5, 0.8)),
                                        ("horizon", 3), ("weekmask", "Mon Tue Wed Thu Fri")])
def test_a_setting_of_the_whole_backtest_given_to_one_network_is_refused(key, value):
    """period, quantiles, horizon, time_zone, weekmask say how the panel is read and
    scored (and the baselines built): one network's own value would silently win."""
    other = GlobalForecaster("gru", **{**TINY, key: value})
    with pytest.raises(ConfigError, match=rf"differ in {key} \(lstm: .*, gru: "):
        backtest_models([GlobalForecaster("lstm", **TINY), other], tiny_frame())


def test_horizon_given_lets_networks_of_different_horizons_run(monkeypatch):
    """The horizon check is skipped where horizon= is given (each predicts that many)."""
    seen = {}

    def fake(make_model, panel, **kw):
        seen.update(kw, models=list(make_model))
        return "ran"

    monkeypatch.setattr("rnnlab.panel.models_backtest.backtest", fake)
    nets = [GlobalForecaster("lstm", **TINY), GlobalForecaster("gru", **{**TINY, "horizon": 3})]
    assert backtest_models(nets, tiny_frame(), horizon=2) == "ran"
    assert seen["horizon"] == 2 and seen["models"] == ["lstm", "gru"]


@pytest.mark.parametrize("models, match", [
    ([], "no network given"),
    (["lstm"], "a GlobalForecaster or a PanelConfig, got str"),
    ([GlobalForecaster("lstm", **TINY), "naive"], "a baseline goes in baselines="),
])
def test_what_is_not_a_list_of_networks_is_refused(models, match):
    with pytest.raises((ConfigError, ConfigTypeError), match=match):
        backtest_models(models, tiny_frame())


def test_one_network_not_in_a_list_is_refused():
    with pytest.raises(ConfigTypeError, match="GlobalForecaster.backtest for one network"):
        backtest_models(GlobalForecaster("lstm", **TINY), tiny_frame())


def test_a_mapping_of_models_to_backtest_refuses_name_and_empty():
    nets = {"lstm": GlobalForecaster("lstm", **TINY)}
    with pytest.raises(ConfigError, match="each model is labelled by its key; drop name="):
        backtest(nets, tiny_frame(), horizon=2, name="mine")
    with pytest.raises(ConfigError, match="an empty mapping"):
        backtest({}, tiny_frame(), horizon=2, baselines=("naive",))
    with pytest.raises(ConfigError, match=r"\['naive'\] named twice among the models"):
        backtest({"naive": GlobalForecaster("lstm", **TINY)}, tiny_frame(), horizon=2,
                 baselines=("naive",))


def test_models_on_different_weeks_are_refused():
    nets = {"a": GlobalForecaster("lstm", **TINY),
            "b": GlobalForecaster("lstm", weekmask="Mon Tue Wed Thu Fri", **TINY)}
    nets["a"].config = PanelConfig(weekmask="Mon Tue Wed Thu Fri Sat", **TINY)
    with pytest.raises(ConfigError, match="configured on different weeks"):
        backtest(nets, tiny_frame(), horizon=2)


def test_a_network_that_cannot_be_built_is_refused_before_any_trains(monkeypatch):
    """drnn with num_layers=1 was refused at its first fit, after lstm had trained."""
    def no_fit(*a, **k):
        raise AssertionError("trained before every network was checked")

    monkeypatch.setattr(GlobalForecaster, "fit", no_fit)
    nets = [GlobalForecaster("lstm", **TINY), GlobalForecaster("drnn", num_layers=1, **TINY)]
    with pytest.raises(ConfigError, match="network 'drnn': model 'drnn' needs num_layers"):
        backtest_models(nets, tiny_frame())


@pytest.mark.parametrize("call", [
    lambda net, data: net.backtest(data, horizon=2, baselines=("naive",)),
    lambda net, data: backtest_models([net], data, horizon=2, baselines=("naive",)),
    lambda net, data: backtest_models({"deep": net}, data, horizon=2, baselines=("naive",))])
def test_one_network_that_cannot_be_built_is_refused_before_the_panel_is_read(call,
                                                                             monkeypatch):
    """The pre-flight check ran for several networks only: one was refused at its fit,
    after the panel was read and the baselines run."""
    import rnnlab.panel.frame as frame

    def no_read(*a, **k):
        raise AssertionError("read the panel before the network was checked")

    monkeypatch.setattr(frame, "as_panel", no_read)
    monkeypatch.setattr(GlobalForecaster, "fit", no_read)
    net = GlobalForecaster("drnn", num_layers=1, **TINY)
    with pytest.raises(ConfigError, match="network '.*': model 'drnn' needs num_layers"):
        call(net, tiny_frame())
