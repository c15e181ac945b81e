"""fable's and statsforecast's baseline names (SNAIVE, RW, AutoETS, ARIMA) said as ours:
they were 'unknown' with the list only, and ``--model snaive`` was 'unknown model'
among the network architectures."""

from __future__ import annotations

import pytest

from rnnlab.io.errors import ConfigError
from rnnlab.panel.backtest import backtest
from rnnlab.panel.baseline_names import peer_hint


def test_peer_names_are_said_as_ours():
    assert peer_hint("SNAIVE") == "; 'SNAIVE' is 'seasonal_naive' here"
    assert "'naive'" in peer_hint("rw") and "'ets'" in peer_hint("AutoETS")
    assert "no panel baseline here" in peer_hint("theta") and peer_hint("lstm") == ""
    assert peer_hint("AutoARIMA") == "; 'AutoARIMA' is 'arima' here"  # (session 33's)
    assert peer_hint("HistoricAverage") == "; 'HistoricAverage' is 'mean' here"
    with pytest.raises(ConfigError, match="'snaive' is 'seasonal_naive' here"):
        backtest(None, "visnights", horizon=4, baselines=["snaive"])


def test_the_command_line_says_them_for_baselines_and_model(capsys, tmp_path):
    from rnnlab.cli import main

    out = str(tmp_path / "run")
    assert main(["backtest", "--data", "visnights", "--baselines", "snaive,ets",
                 "--horizon", "4", "--out", out]) == 2
    assert "'snaive' is 'seasonal_naive' here" in capsys.readouterr().err
    assert main(["backtest", "--data", "visnights", "--model", "snaive", "--horizon", "4",
                 "--out", out]) == 2
    assert "--model snaive: not a model here; 'snaive' is 'seasonal_naive'" in (
        capsys.readouterr().err)
