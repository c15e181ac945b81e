"""Several models compared in one backtest (fable's ``model(ets = ETS(y), arima = ...)``):
networks given as baselines are labelled by their architecture."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rnnlab.io.errors import ConfigError
from rnnlab.panel import GlobalForecaster, read_panel
from rnnlab.panel.backtest import backtest
from rnnlab.panel.backtest_args import model_name

TINY = dict(hidden_size=4, head_size=4, epochs=1, batches_per_epoch=2, batch_size=8,
            lookback=4, horizon=2, patience=None)


def small_panel():
    rng = np.random.default_rng(0)
    n = 16
    df = pd.concat([pd.DataFrame({"unique_id": u, "ds": pd.date_range("2020-01-01", periods=n,
                                                                       freq="QS"),
                                  "y": 5 + i + rng.random(n)}) for i, u in enumerate("abc")])
    return read_panel(df)


def test_a_network_is_labelled_by_its_architecture():
    """GlobalForecaster('gru') given as a baseline was labelled 'globalforecaster'."""
    assert model_name(GlobalForecaster("gru", **TINY)) == "gru"
    f = GlobalForecaster("gru", **TINY)
    f.name = "gru-small"
    assert model_name(f) == "gru-small"
    assert model_name(object(), "x") == "x" and model_name(object()) == "object"


def test_two_networks_of_one_architecture_are_refused_before_either_trains(monkeypatch):
    """Two lstm baselines were both 'globalforecaster': refused only after the first had
    trained at every origin."""
    def no_fit(*a, **k):
        raise AssertionError("trained before the names were checked")

    monkeypatch.setattr(GlobalForecaster, "fit", no_fit)
    with pytest.raises(ConfigError, match=r"\['lstm'\] named twice.*m.name = 'lstm-2'"):
        backtest(GlobalForecaster("lstm", **TINY), small_panel(), horizon=2, name="lstm",
                 baselines=[GlobalForecaster("lstm", local=True, **TINY)])


@pytest.mark.slow
def test_several_networks_and_baselines_in_one_backtest_get_one_row_each():
    res = backtest(GlobalForecaster("lstm", **TINY), small_panel(), horizon=2,
                   first_origin=2, name="lstm",
                   baselines=[GlobalForecaster("gru", **TINY), "naive"])
    assert res.summary()["model"].tolist() == ["lstm", "gru", "naive"]


@pytest.mark.parametrize("command", ["backtest", "forecast"])
def test_a_list_of_models_on_the_command_line_says_what_to_pass(command, capsys, tmp_path):
    """--model lstm,gru was 'unknown model 'lstm,gru'; known models: ...', as a typo is;
    rnnlab backtest takes several networks now (test_panel_backtest_cli_models28), not a
    baseline among them; rnnlab forecast on a panel trains one."""
    from rnnlab.cli import main

    out = str(tmp_path / "run")
    if command == "forecast":
        assert main([command, "--data", "visnights", "--model", "lstm,gru", "--horizon", "4",
                     "--out", out]) == 2
        err = capsys.readouterr().err
        assert "trains one model" in err and "pass --model lstm;" in err
        assert "backtest_models([GlobalForecaster('lstm', ...), GlobalForecaster('gru', " \
               "...)], panel)" in err
    assert main([command, "--data", "visnights", "--model", "ets,naive", "--horizon", "4",
                 "--out", out]) == 2
    assert "pass --model ets --baselines naive" in capsys.readouterr().err
