"""``rnnlab backtest --model lstm gru``: several networks over the same origins, one row
each beside the baselines, each network's rows those of its one-network run; what is
refused (a network twice, an unknown one, a baseline among them, several on rnnlab
forecast's panel run)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from rnnlab.cli import main

TINY = ["--hidden-size", "4", "--head-size", "4", "--epochs", "1", "--batches-per-epoch",
        "2", "--batch-size", "8", "--lookback", "4", "--horizon", "2", "--first-origin", "4",
        "--baselines", "naive", "--plot-series", "0", "--no-progress", "--seed", "5"]


@pytest.fixture
def panel_csv(tmp_path):
    rng = np.random.default_rng(1)
    n = 16
    df = pd.concat([pd.DataFrame({"unique_id": u, "ds": pd.date_range(
        "2020-01-01", periods=n, freq="QS").strftime("%Y-%m-%d"), "y": 5 + i + rng.random(n)})
        for i, u in enumerate("abc")], ignore_index=True)
    path = tmp_path / "panel.csv"
    df.to_csv(path, index=False)
    return str(path)


def _run(data, out, *model):
    assert main(["backtest", "--data", data, "--model", *model, *TINY, "--out", str(out)]) == 0
    return out


@pytest.mark.slow
def test_several_networks_are_each_their_one_network_run(panel_csv, tmp_path, capsys):
    multi = _run(panel_csv, tmp_path / "multi", "lstm", "gru")
    fc = pd.read_csv(multi / "forecasts.csv")
    assert list(pd.unique(fc["model"])) == ["lstm", "gru", "naive"]
    assert pd.read_csv(multi / "summary.csv")["model"].tolist() == ["lstm", "gru", "naive"]
    for net in ("lstm", "gru"):  # same origins, same seed: the same rows, to the digit
        alone = pd.read_csv(_run(panel_csv, tmp_path / net, net) / "forecasts.csv")
        pd.testing.assert_frame_equal(fc[fc["model"].isin([net, "naive"])].reset_index(
            drop=True), alone)
    record = json.loads((multi / "config.json").read_text())
    assert record["config"]["model"] == "lstm,gru" and "model_config" not in record["config"]
    configs = record["config"]["model_configs"]
    assert list(configs) == ["lstm", "gru"] and configs["gru"]["model"] == "gru"
    assert configs["lstm"]["seed"] == configs["gru"]["seed"] == 5
    one = json.loads((tmp_path / "lstm" / "config.json").read_text())["config"]
    assert one["model"] == "lstm" and "model_configs" not in one
    assert one["model_config"] == configs["lstm"]
    capsys.readouterr()
    # the run's record repeats it: model_configs is the record's, not an option
    assert main(["backtest", "--config", str(multi), "--print-config"]) == 0
    assert json.loads(capsys.readouterr().out)["options"]["model"] == "lstm,gru"


def test_space_comma_and_file_lists_read_the_same(panel_csv, tmp_path, capsys):
    conf = tmp_path / "c.toml"
    conf.write_text('model = ["lstm", "gru"]\n')
    for argv in (["--model", "lstm", "gru"], ["--model", "lstm,gru"], ["--config", str(conf)]):
        assert main(["backtest", "--data", panel_csv, *argv, "--print-config"]) == 0
        assert json.loads(capsys.readouterr().out)["options"]["model"] == "lstm,gru"
    assert main(["backtest", "--data", panel_csv, "--model", "lstm", "--print-config"]) == 0
    assert json.loads(capsys.readouterr().out)["options"]["model"] == "lstm"


@pytest.mark.parametrize("model, said", [
    (["lstm", "lstm"], "lstm named twice; name each network once"),
    (["lstm", "nope"], "'nope' is not an architecture: unknown model 'nope'"),
    (["lstm", "gru", "naive"], "pass --model lstm --baselines naive (or --model lstm gru "
                               "--baselines naive)"),
    # an option one network cannot take: said before lstm trains at every origin
    (["lstm", "drnn", "--num-layers", "1"], "drnn: model 'drnn' needs num_layers >= 2, got "
                                            "1; every option applies to every network"),
])
def test_bad_lists_are_refused_before_a_run_directory(model, said, panel_csv, tmp_path,
                                                      capsys):
    out = tmp_path / "run"
    assert main(["backtest", "--data", panel_csv, "--model", *model, *TINY,
                 "--out", str(out)]) == 2
    assert said in capsys.readouterr().err
    assert not out.exists()


def test_one_series_with_holidays_takes_one_network(tmp_path, capsys):
    """That route backtests the one-series Forecaster, one --model per run."""
    path = tmp_path / "one.csv"
    pd.DataFrame({"ds": pd.date_range("2020-01-01", periods=60, freq="D").strftime(
        "%Y-%m-%d"), "y": np.arange(60.0)}).to_csv(path, index=False)
    assert main(["backtest", "--data", str(path), "--model", "lstm", "gru", "--calendar",
                 "holiday", "--country", "US", "--horizon", "7", "--out",
                 str(tmp_path / "r")]) == 2
    assert "one --model per run" in capsys.readouterr().err


def test_panel_forecast_refuses_several_naming_backtest(capsys, tmp_path):
    out = str(tmp_path / "run")
    assert main(["forecast", "--data", "visnights", "--model", "lstm,gru", "--horizon", "4",
                 "--out", out]) == 2
    err = capsys.readouterr().err
    assert "trains one model, saved for --run and --resume" in err
    assert "rnnlab backtest --model lstm gru (one row each)" in err
    assert main(["forecast", "--data", "visnights", "--model", "lstm", "gru", "--out",
                 out]) == 2
    assert "several networks compared over the same windows, one row each: rnnlab " \
           "backtest --model lstm gru" in capsys.readouterr().err
