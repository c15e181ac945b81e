"""Settings the architecture cannot build (``drnn`` with one layer) refused on the
one-network routes before a run directory is made, with the error the first fit raised
(it left a folder holding config.json alone): ``rnnlab backtest`` (a panel, one series),
``rnnlab forecast`` on a panel, ``rnnlab compare``; the one-series forecast's own check."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rnnlab.cli import main
from rnnlab.io.errors import ConfigError, OptionError

SAID = "model 'drnn' needs num_layers >= 2, got 1"
TINY = ["--hidden-size", "4", "--epochs", "1", "--lookback", "4", "--horizon", "2",
        "--no-progress", "--num-layers", "1", "--model", "drnn"]


@pytest.fixture
def panel_csv(tmp_path):
    rng = np.random.default_rng(1)
    df = pd.concat([pd.DataFrame({"unique_id": u, "ds": pd.date_range(
        "2020-01-01", periods=16, freq="QS").strftime("%Y-%m-%d"), "y": 5 + rng.random(16)})
        for u in "ab"], ignore_index=True)
    path = tmp_path / "panel.csv"
    df.to_csv(path, index=False)
    return str(path)


@pytest.fixture
def series_csv(tmp_path):
    path = tmp_path / "one.csv"
    pd.DataFrame({"ds": pd.date_range("2020-01-01", periods=40, freq="MS").strftime(
        "%Y-%m-%d"), "y": np.arange(40.0) % 7}).to_csv(path, index=False)
    return str(path)


@pytest.mark.parametrize("command, data", [("backtest", "panel_csv"),
                                           ("backtest", "series_csv"),
                                           ("forecast", "panel_csv")])
def test_an_unbuildable_network_is_refused_before_the_run_directory(command, data, request,
                                                                    tmp_path, capsys):
    out = tmp_path / "run"
    status = main([command, "--data", request.getfixturevalue(data), *TINY, "--out",
                   str(out)])
    assert status == 2  # a usage error, as the one-series forecast's (session 29: it was 1)
    assert f"rnnlab {command}: error: {SAID}" in capsys.readouterr().err
    assert not out.exists()


def test_the_one_series_forecast_refuses_it_before_its_folder(series_csv, tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["forecast", "--data", series_csv, *TINY, "--out", str(out)]) == 2
    assert SAID in capsys.readouterr().err and not out.exists()


def test_the_check_raises_the_fits_own_error():
    from rnnlab.panel import GlobalForecaster
    from rnnlab.panel.models_backtest import check_network

    net = GlobalForecaster("drnn", num_layers=1, hidden_size=4)
    with pytest.raises(ConfigError, match=SAID) as e:
        check_network(net.config)
    assert not isinstance(e.value, OptionError)
    check_network(GlobalForecaster("drnn", num_layers=2, hidden_size=4).config)  # (builds)


def test_compare_refuses_it_before_its_folder(tmp_path, capsys):
    from rnnlab.compare import CompareConfig, run_compare

    out = tmp_path / "cmp"
    cfg = CompareConfig(task="forecast", data="airline", models=["lstm", "drnn"],
                        num_layers=1, epochs=1)
    with pytest.raises(ConfigError, match="'drnn' needs at least 2 layers"):
        run_compare(cfg, out)
    assert not out.exists()
    assert main(["compare", "--task", "forecast", "--data", "airline", "--models", "drnn",
                 "--num-layers", "1", "--out", str(out)]) == 2  # (a usage error)
    assert "'drnn' needs at least 2 layers" in capsys.readouterr().err
    assert not out.exists()


def test_the_check_and_the_fit_say_the_same(panel_csv):
    """The pre-flight check stands in for the fit's error: the same type and words (the
    test above pins the check alone, which could drift from what the fit builds)."""
    from rnnlab.panel import GlobalForecaster
    from rnnlab.panel.models_backtest import check_network

    net = GlobalForecaster("drnn", num_layers=1, hidden_size=4, horizon=2, lookback=4,
                           epochs=1)
    with pytest.raises(ConfigError) as checked:
        check_network(net.config)
    with pytest.raises(ConfigError) as fitted:
        net.fit(pd.read_csv(panel_csv))
    assert type(fitted.value) is type(checked.value)
    assert str(fitted.value) == str(checked.value) == SAID
