"""A user coming from Darts, one series, on the command line (session 29): rnnlab backtest
--one-series (the Forecaster rnnlab forecast trains, as Darts' historical_forecasts of it),
Darts' and NeuralForecast's option names, rnnlab runs --columns."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rnnlab.io.errors import DataError
from test_darts_user29 import _monthly


def _backtest_args(argv):
    from rnnlab.cli import build_parser, given_options

    args = build_parser(argv).parse_args(argv)
    args.given_options = given_options(argv)
    return args


def _csv(tmp_path, ids: bool = False) -> str:
    df = _monthly().assign(month=lambda d: d["month"].dt.strftime("%Y-%m-%d"))
    if ids:
        df = pd.concat([df.assign(unique_id="a"), df.assign(unique_id="b")])
    path = tmp_path / "m.csv"
    df.to_csv(path, index=False)
    return str(path)


def test_one_series_takes_the_forecasters_route_without_holidays(tmp_path):
    from rnnlab.panel.holiday_backtest import one_series_holidays, series_config

    argv = ["backtest", "--data", _csv(tmp_path), "--model", "gru", "--epochs", "2"]
    assert not one_series_holidays(_backtest_args(argv))  # (the panel model's, as before)
    args = _backtest_args(argv + ["--one-series"])
    assert one_series_holidays(args)
    cfg = series_config(args)
    from rnnlab.forecast.config import ForecastConfig

    assert (cfg.model, cfg.epochs, cfg.ensemble) == ("gru", 2, ForecastConfig().ensemble)


@pytest.mark.parametrize("extra, said", [
    (["--model", "naive"], "--model naive is a baseline"),
    (["--model", "lstm", "--likelihood", "gaussian"], "--likelihood: options of the panel"),
    (["--model", "lstm", "--future-covariates", "value"], "is a panel"),
])
def test_one_series_refuses_what_the_forecaster_does_not_train(tmp_path, extra, said):
    from rnnlab.io.errors import OptionError
    from rnnlab.panel.holiday_backtest import one_series_holidays

    with pytest.raises(OptionError, match=said):
        one_series_holidays(_backtest_args(["backtest", "--data", _csv(tmp_path),
                                            "--one-series", *extra]))


def test_one_series_of_a_panel_is_refused(tmp_path):
    from rnnlab.io.errors import OptionError
    from rnnlab.panel.holiday_backtest import one_series_holidays

    argv = ["backtest", "--data", _csv(tmp_path, ids=True), "--id-column", "unique_id",
            "--model", "lstm", "--one-series"]
    with pytest.raises(OptionError, match="drop --one-series"):
        one_series_holidays(_backtest_args(argv))


def test_a_network_on_one_series_says_it_is_the_panel_model(tmp_path):
    from rnnlab.panel.data_args import load_panel
    from rnnlab.panel.holiday_backtest import panel_model_note

    args = _backtest_args(["backtest", "--data", _csv(tmp_path), "--model", "lstm"])
    panel, _ = load_panel(args)
    assert "backtests the panel model" in panel_model_note(args, panel)
    assert "--one-series backtests that one" in panel_model_note(args, panel)
    base = _backtest_args(["backtest", "--data", _csv(tmp_path), "--model", "naive"])
    assert panel_model_note(base, panel) == ""
    two = _backtest_args(["backtest", "--data", _csv(tmp_path, ids=True), "--id-column",
                          "unique_id", "--model", "lstm"])
    assert panel_model_note(two, load_panel(two)[0]) == ""


@pytest.mark.slow
def test_cli_one_series_backtest_is_the_forecasters(tmp_path, capsys):
    from rnnlab import Forecaster
    from rnnlab.cli import main

    data, out = _csv(tmp_path), tmp_path / "bt"
    code = main(["backtest", "--data", data, "--model", "gru", "--one-series", "--horizon",
                 "6", "--first-origin", "12", "--stride", "6", "--epochs", "1",
                 "--hidden-size", "4", "--ensemble", "1", "--baselines", "naive",
                 "--plot-series", "0", "--no-progress", "--out", str(out)])
    assert code == 0
    fc = pd.read_csv(out / "forecasts.csv")
    ours = Forecaster("gru", horizon=6, epochs=1, hidden_size=4, ensemble=1, seed=0,
                      progress=False).backtest(data, first_origin=12, stride=6,
                                               baselines=("naive",)).forecasts
    cli = fc[fc["model"] == "gru"]["mean"].to_numpy()
    np.testing.assert_allclose(cli, ours[ours["model"] == "model"]["mean"].to_numpy(),
                               rtol=1e-6)
    assert "backtests the panel model" not in capsys.readouterr().err


def test_one_series_backtest_of_nan_at_the_end_does_not_name_a_fill_it_lacks(tmp_path):
    from rnnlab.panel.holiday_backtest import series_route

    df = _monthly().assign(month=lambda d: d["month"].dt.strftime("%Y-%m-%d"))
    df.loc[len(df) - 1, "value"] = np.nan
    path = tmp_path / "m.csv"
    df.to_csv(path, index=False)
    with pytest.raises(DataError) as e:
        series_route(_backtest_args(["backtest", "--data", str(path), "--model", "lstm",
                                     "--one-series"]))
    assert "(rnnlab forecast's --fill drop; for this backtest, delete those rows)" in str(e.value)


@pytest.mark.parametrize("argv, said", [
    # before: "--time-col: did you mean --time-zone?"
    (["forecast", "--data", "x", "--time-col", "month"], "(--time-col: did you mean "
                                                         "--date-column?)"),
    (["backtest", "--data", "x", "--time-col", "month"], "did you mean --date-column?"),
    (["forecast", "--data", "x", "--value-cols", "v"], "(--value-cols: did you mean --column?)"),
    (["forecast", "--data", "x", "--fill-missing-dates"], "did you mean --fill?"),
    # before: "--start: did you mean --strategy?", "--retrain: did you mean --refit?" (a
    # refit after the choice, once), and nothing for --stride
    (["forecast", "--data", "x", "--start", "0.8"], "--start: forecasts from several origins "
                                                    "over history"),
    (["forecast", "--data", "x", "--retrain"], "are rnnlab backtest's: rnnlab backtest --data "
                                              "FILE --model lstm --one-series"),
    (["forecast", "--data", "x", "--stride", "3"], "--stride: forecasts from several origins"),
    # before: "--num-samples: did you mean --samples or --insample or --num-layers?"
    (["forecast", "--data", "x", "--num-samples", "100"], "--num-samples: one series' "
                                                          "intervals are --quantiles"),
])
def test_darts_options_name_rnnlabs(argv, said, capsys):
    from rnnlab.cli import main

    assert main(argv) == 2
    assert said in capsys.readouterr().err


def _forecast_run(folder, hidden: int, rmse: float) -> None:
    import json

    from rnnlab.io.json_file import checksummed_text

    folder.mkdir(parents=True)
    (folder / "config.json").write_text(checksummed_text(
        {"config": {"hidden_size": hidden, "lr": 0.005}, "seed": 0,
         "command": ["rnnlab", "forecast", "--out", str(folder)]}))
    (folder / "metrics.json").write_text(json.dumps(
        {"forecast": {"model": {"rmse": rmse, "mase": rmse / 10}, "naive": {"rmse": 9.0}},
         "one_step": {"model": {"rmse": 1.0}}}))


def test_runs_columns_keeps_run_and_the_columns_named(tmp_path, capsys):
    import csv
    import io

    from rnnlab.cli import main

    for h, rmse in ((4, 5.0), (8, 4.0)):
        _forecast_run(tmp_path / "sweep" / f"h{h}", h, rmse)
    assert main(["runs", str(tmp_path / "sweep"), "--columns",
                 "hidden_size, forecast.*.rmse"]) == 0
    out = capsys.readouterr().out
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["run", "hidden_size", "forecast.model.rmse",
                             "forecast.naive.rmse"]  # (the table's order; one_step's left)
    assert [r["forecast.model.rmse"] for r in rows] == ["5.0", "4.0"]


def test_runs_columns_that_match_nothing_are_refused_naming_close_ones(tmp_path, capsys):
    from rnnlab.cli import main

    _forecast_run(tmp_path / "r", 4, 5.0)
    assert main(["runs", str(tmp_path / "r"), "--columns", "forecast.model.rmsee"]) == 2
    err = capsys.readouterr().err
    assert "'forecast.model.rmsee' matches no column" in err
    assert "did you mean 'forecast.model.rmse'" in err


def test_run_given_a_saved_model_or_a_backtest_says_what_it_is(tmp_path, capsys):
    # was "no model/ folder; pass a directory written by rnnlab forecast --out DIR" for each
    import json

    from rnnlab.cli import main

    model = tmp_path / "m"
    model.mkdir()
    (model / "model.json").write_text("{}")
    assert main(["forecast", "--run", str(model), "--horizon", "3"]) != 0
    assert "a saved model (model.json), not a run directory" in capsys.readouterr().err
    run = tmp_path / "run"
    (run / "model").mkdir(parents=True)
    (run / "config.json").write_text("{}")
    (run / "model" / "model.json").write_text("{}")
    assert main(["forecast", "--run", str(run / "model"), "--horizon", "3"]) != 0
    assert f"pass --run {run}, the run directory that holds it" in capsys.readouterr().err
    bt = tmp_path / "bt"
    bt.mkdir()
    (bt / "summary.json").write_text(json.dumps({"models": []}))
    (bt / "forecasts.csv").write_text("model\n")
    assert main(["forecast", "--run", str(bt), "--horizon", "3"]) != 0
    assert "a backtest's run directory" in capsys.readouterr().err
