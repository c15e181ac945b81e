"""Review of several networks in one panel backtest (backtest_models, backtest()'s
mapping of models): what cannot run is refused before any network trains, in rnnlab's
typed errors, not after the networks before it have trained at every origin; and each
network's forecasts grid drawn (forecasts-NAME.png, res.plot(model=))."""

from __future__ import annotations

import pytest

from rnnlab.io.errors import ConfigError, DataError
from rnnlab.panel import GlobalForecaster, backtest_models
from test_panel_backtest_models28 import TINY, tiny_frame


@pytest.fixture
def no_fit(monkeypatch):
    def fit(*a, **k):
        raise AssertionError("a network trained before what cannot run was refused")

    monkeypatch.setattr(GlobalForecaster, "fit", fit)


def test_a_horizon_past_a_networks_trained_one_is_refused_before_any_trains(no_fit):
    """horizon=3 with gru trained for 2 was the DataError of gru's first predict, after
    lstm had trained and forecast at every origin."""
    nets = [GlobalForecaster("lstm", **{**TINY, "horizon": 3}), GlobalForecaster("gru", **TINY)]
    with pytest.raises(ConfigError, match=r"backtest_models: horizon=3 is past the horizon "
                                          r"gru \(2\) was trained for.*horizon=2 or less"):
        backtest_models(nets, tiny_frame(), horizon=3, first_origin=4)
    # one network: GlobalForecaster.backtest says it in its own name, before its fit too
    with pytest.raises(DataError, match=r"GlobalForecaster.backtest: horizon=3 is past"):
        GlobalForecaster("gru", **TINY).backtest(tiny_frame(), horizon=3, first_origin=4)


@pytest.mark.parametrize("value, said", [
    ("ets", r"'ets' is text, not a model.*baselines=\('ets',\)"),
    (None, r"None is not a model"),
    (3, r"3 is not a model"),
])
def test_a_mapping_entry_that_is_no_model_is_refused_before_any_trains(value, said, no_fit):
    """{"lstm": GlobalForecaster(...), "ets": "ets"} (fable's model(ets = ETS(y))) was
    Python's "'str' object is not callable", after lstm had trained at every origin."""
    from rnnlab.io.errors import ConfigTypeError
    from rnnlab.panel.backtest import backtest

    with pytest.raises(ConfigTypeError, match=said):
        backtest({"lstm": GlobalForecaster("lstm", **TINY), "mine": value}, tiny_frame(),
                 horizon=2, first_origin=4)


def test_another_librarys_baseline_among_networks_is_named_as_ours(tmp_path, capsys):
    """--model snaive alone says "'snaive' is 'seasonal_naive' here"; among networks it was
    only "unknown model 'snaive'; known models: rnn, drnn, ..." (the architectures)."""
    from rnnlab.cli import main

    path = tmp_path / "p.csv"
    tiny_frame().to_csv(path, index=False)
    out = tmp_path / "run"
    assert main(["backtest", "--data", str(path), "--model", "lstm", "snaive", "--horizon",
                 "2", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "'snaive' is 'seasonal_naive' here" in err and "--baselines" in err
    assert not out.exists()


@pytest.mark.parametrize("model", ["lstm,", ",lstm"])
def test_one_name_and_an_empty_one_says_the_name(model, tmp_path, capsys):
    """--model lstm, said "pass --model lstm" before several networks were taken; it had
    become "PanelConfig: unknown model 'lstm,'"."""
    from rnnlab.cli import main

    path = tmp_path / "p.csv"
    tiny_frame().to_csv(path, index=False)
    assert main(["backtest", "--data", str(path), "--model", model, "--horizon", "2",
                 "--out", str(tmp_path / "run")]) == 2
    err = capsys.readouterr().err
    assert "pass --model lstm" in err and "unknown model" not in err


def _labels(fig) -> set:
    return {t for ax in fig.axes for t in ax.get_legend_handles_labels()[1]}


def test_the_forecasts_grid_draws_the_model_asked_for():
    """res.plot() drew the first model's grid alone: of backtest_models' networks, the
    second could not be drawn."""
    from rnnlab.panel.backtest import backtest

    res = backtest(None, tiny_frame(), horizon=2, first_origin=4,
                   baselines=("naive", "seasonal_naive"))
    assert "naive" in _labels(res.plot())  # (the first model, by default)
    drawn = _labels(res.plot(model="seasonal_naive"))
    assert "seasonal_naive" in drawn and "naive" not in drawn
    with pytest.raises(DataError, match=r"model='gru' is not in the backtest.*'naive'"):
        res.plot(model="gru")
    with pytest.raises(ConfigError, match="model= picks the forecasts grid's model"):
        res.plot("errors", model="naive")


@pytest.mark.slow
def test_backtest_draws_a_forecasts_grid_per_network(tmp_path):
    """rnnlab backtest --model lstm gru drew lstm's grid alone (forecasts.png)."""
    from rnnlab.cli import main

    path = tmp_path / "p.csv"
    tiny_frame().to_csv(path, index=False)
    out = tmp_path / "run"
    assert main(["backtest", "--data", str(path), "--model", "lstm", "gru", "--hidden-size",
                 "4", "--head-size", "4", "--epochs", "1", "--batches-per-epoch", "2",
                 "--lookback", "4", "--horizon", "2", "--first-origin", "4", "--baselines",
                 "naive", "--plot-series", "2", "--no-progress", "--out", str(out)]) == 0
    assert (out / "forecasts.png").is_file() and (out / "forecasts-gru.png").is_file()
    assert not (out / "forecasts-lstm.png").exists()  # (lstm's is forecasts.png, as alone)


def test_a_config_in_backtests_mapping_names_backtest_models(no_fit):
    """backtest_models takes PanelConfigs; backtest() takes models, and a PanelConfig in
    its mapping was "'PanelConfig' object is not callable" after lstm had trained."""
    from rnnlab.io.errors import ConfigTypeError
    from rnnlab.panel import PanelConfig
    from rnnlab.panel.backtest import backtest

    with pytest.raises(ConfigTypeError, match=r"model 'small': a PanelConfig is settings.*"
                                              r"GlobalForecaster\(config=.*backtest_models"):
        backtest({"lstm": GlobalForecaster("lstm", **TINY), "small": PanelConfig(**TINY)},
                 tiny_frame(), horizon=2, first_origin=4)
