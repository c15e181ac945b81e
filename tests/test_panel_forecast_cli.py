"""``rnnlab forecast`` on panels (train, evaluate, --run with new data), ``rnnlab backtest``
and ``rnnlab datasets`` on the built-in panels, and ``Forecaster.backtest``."""

import argparse
import importlib.util
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rnnlab.cli import main
from rnnlab.data.datasets import airline
from rnnlab.forecast import Forecaster
from rnnlab.panel.backtest import backtest
from rnnlab.panel.forecast_run import wants_panel

ROOT = Path(__file__).resolve().parents[1]


def write_panel(path, n=48, extra=0):
    """Three daily stores whose sales follow temperature and workdays (future-known); the
    first ``n - 4 i`` days of each (``extra`` more days for 'new data')."""
    rng = np.random.default_rng(3)
    rows = []
    for i in range(3):
        m = n - 4 * i + extra
        ds = pd.date_range("2021-03-01", periods=n + extra, freq="D")[:m]
        temp = np.sin(np.arange(m) / 3.0) + rng.normal(0, 0.1, m)
        work = (ds.day_of_week < 5).astype(float)
        rows.append(pd.DataFrame({"store": f"st{i}", "day": ds.strftime("%Y-%m-%d"),
                                  "sales": 20 + i + 3 * temp + 2 * work + rng.normal(0, .2, m),
                                  "temp": temp, "workday": work,
                                  "region": "north" if i else "south"}))
    pd.concat(rows).to_csv(path, index=False)
    return path


def write_future(path, data, steps, drop_last=False):
    df = pd.read_csv(data)
    parts = []
    for store, g in df.groupby("store"):
        ds = pd.date_range(g["day"].iloc[-1], periods=steps + 1, freq="D")[1:]
        parts.append(pd.DataFrame({"store": store, "day": ds.strftime("%Y-%m-%d"),
                                   "temp": 0.5, "workday": 1.0}))
    fut = pd.concat(parts)
    (fut.iloc[:-1] if drop_last else fut).to_csv(path, index=False)
    return path


DATA_OPTIONS = ["--id-column", "store", "--date-column", "day", "--column", "sales"]


def test_forecast_panel_with_covariates_and_quantiles_round_trip(tmp_path, capsys):
    data = write_panel(tmp_path / "panel.csv")
    run = tmp_path / "run"
    assert main(["forecast", "--data", str(data), *DATA_OPTIONS,
                 "--future-covariates", "temp,workday", "--static-covariates", "region",
                 "--quantiles", "0.1", "0.5", "0.9", "--horizon", "4", "--lookback", "8",
                 "--epochs", "1", "--batch-size", "16", "--seed", "3", "--out", str(run)]) == 0
    out = capsys.readouterr().out
    assert "lstm" in out and "ets" in out and "--future" in out  # no future file: said
    for f in ("config.json", "panel.json", "metrics.csv", "metrics.json", "per_series.csv",
              "test_forecasts.csv", "forecasts.png", "coverage_by_step.png", "errors.png",
              "model/model.json"):
        assert (run / f).is_file(), f
    assert not (run / "forecasts.csv").exists()  # future covariates past the data unknown
    cfg = json.loads((run / "config.json").read_text())
    assert cfg["seed"] == 3 and "torch" in cfg["versions"]
    assert cfg["config"]["model"]["future_covariates"] == ["temp", "workday"]
    assert cfg["config"]["model"]["lookback"] == 8 and cfg["config"]["model"]["epochs"] == 1
    metrics = pd.read_csv(run / "metrics.csv").set_index("model")
    assert set(metrics.index) == {"lstm", "naive", "seasonal_naive", "ets"}
    assert metrics[["mase", "rmse", "crps", "coverage80", "pinball"]].notna().all().all()
    test = pd.read_csv(run / "test_forecasts.csv", parse_dates=["ds"])
    raw = pd.read_csv(data, parse_dates=["day"])
    last = raw[raw.store == "st1"].tail(4)
    mine = test[(test.model == "lstm") & (test.unique_id == "st1")]
    np.testing.assert_allclose(mine["y"], last["sales"])  # the held-out last horizon
    assert list(mine["ds"]) == list(last["day"])
    q = test[["q0.1", "q0.5", "q0.9"]].to_numpy()
    assert (np.diff(q, axis=1) >= 0).all()

    # --run: forecast after new data, future covariates over the horizon from a file
    new = write_panel(tmp_path / "new.csv", extra=5)
    fut = write_future(tmp_path / "future.csv", new, 4)
    target = tmp_path / "out.csv"
    assert main(["forecast", "--run", str(run), "--data", str(new), "--future", str(fut),
                 "--output", str(target)]) == 0
    fc = pd.read_csv(target, parse_dates=["ds"])
    assert len(fc) == 12 and list(fc.columns) == ["unique_id", "ds", "step", "mean", "q0.1",
                                                  "q0.5", "q0.9"]
    new_raw = pd.read_csv(new, parse_dates=["day"])
    for store, g in new_raw.groupby("store"):
        assert fc[fc.unique_id == store]["ds"].min() == g["day"].max() + pd.Timedelta(days=1)
    assert (np.diff(fc[["q0.1", "q0.5", "q0.9"]].to_numpy(), axis=1) >= 0).all()
    # the workday flag the model learnt moves the forecast
    wk = write_future(tmp_path / "weekend.csv", new, 4)
    pd.read_csv(wk).assign(workday=0.0).to_csv(wk, index=False)
    assert main(["forecast", "--run", str(run), "--data", str(new), "--future", str(wk),
                 "--output", str(target), "--overwrite"]) == 0
    assert not np.allclose(pd.read_csv(target)["mean"], fc["mean"])
    # an existing output is kept unasked; missing future dates are named
    capsys.readouterr()
    assert main(["forecast", "--run", str(run), "--data", str(new), "--future", str(fut),
                 "--output", str(target)]) == 1
    assert "--overwrite" in capsys.readouterr().err
    short = write_future(tmp_path / "short.csv", new, 4, drop_last=True)
    assert main(["forecast", "--run", str(run), "--data", str(new), "--future", str(short),
                 "--output", str(tmp_path / "o2.csv")]) == 1
    err = capsys.readouterr().err
    last2 = new_raw[new_raw.store == "st2"]["day"].max() + pd.Timedelta(days=4)
    assert "'st2'" in err and str(last2.date()) in err
    assert not (tmp_path / "o2.csv").exists()
    assert main(["forecast", "--run", str(run), "--data", str(new), "--epochs", "3"]) == 1
    err = capsys.readouterr().err
    assert "--future" in err and "ignored --epochs" in err


def test_forecast_panel_baseline_model_writes_the_next_horizon(tmp_path, capsys):
    """A panel found by its unique_id column (no panel option typed); a baseline model:
    the forecast past the data is written, with quantile columns."""
    raw = pd.read_csv(write_panel(tmp_path / "p.csv"))
    data = tmp_path / "nf.csv"
    raw.rename(columns={"store": "unique_id", "day": "ds", "sales": "y"})[
        ["unique_id", "ds", "y"]].to_csv(data, index=False)
    run = tmp_path / "run"
    assert main(["forecast", "--data", str(data), "--model", "seasonal_naive", "--horizon",
                 "3", "--out", str(run)]) == 0
    fc = pd.read_csv(run / "forecasts.csv", parse_dates=["ds"])
    assert len(fc) == 9 and {"q0.1", "q0.9"} <= set(fc.columns)
    y0 = raw[raw.store == "st0"]["sales"].to_numpy()
    np.testing.assert_allclose(fc[fc.unique_id == "st0"]["mean"], y0[-7:-4])  # period 7
    assert set(pd.read_csv(run / "metrics.csv")["model"]) == {"seasonal_naive", "naive", "ets"}
    capsys.readouterr()
    assert main(["forecast", "--data", str(data), "--fill", "drop", "--out",
                 str(tmp_path / "r2")]) == 2  # a panel keeps its calendar: fills, no drop
    assert "--fill ffill | bfill | interpolate | zero" in capsys.readouterr().err


def _forecast_args(argv):
    from rnnlab.cli import build_parser, given_options

    args = build_parser(argv, lazy=True).parse_args(argv)
    args.given_options = given_options(argv)
    return args


def test_single_series_is_not_taken_for_a_panel(tmp_path):
    assert not wants_panel(_forecast_args(["forecast", "--data", "airline"]))
    one = tmp_path / "one.csv"
    pd.DataFrame({"month": pd.date_range("2000-01", periods=30, freq="MS"),
                  "v": np.arange(30.0)}).to_csv(one, index=False)
    assert not wants_panel(_forecast_args(["forecast", "--data", str(one)]))
    for argv in (["--data", "us_employment"], ["--data", str(one), "--id-column", "s"],
                 ["--data", "us_employment", "--quantiles", "0.1", "0.9"],
                 ["--data", "airline", "--quantiles", "0.1", "0.9", "--model", "ets"],
                 ["--data", "airline", "--model", "ets"],  # was 'unknown model' (no --quantiles)
                 ["--data", "airline", "--model", "seasonal_naive"],
                 ["--data", "airline", "--quantiles", "0.1", "0.9", "--likelihood", "gaussian"],
                 ["--data", "x.csv", "--future-covariates", "t"]):
        assert wants_panel(_forecast_args(["forecast", *argv])), argv
    # --quantiles alone: one series gets the Forecaster's intervals (it trained a panel model)
    assert not wants_panel(_forecast_args(["forecast", "--data", "airline", "--quantiles",
                                           "0.1", "0.9"]))


def test_backtest_cli_on_a_builtin_panel_without_column_options(tmp_path, capsys):
    out = tmp_path / "bt"
    assert main(["backtest", "--data", "visnights", "--model", "naive", "--baselines",
                 "seasonal_naive", "--horizon", "4", "--first-origin", "8", "--stride", "4",
                 "--plot-series", "0", "--out", str(out)]) == 0
    fc = pd.read_csv(out / "forecasts.csv")
    assert fc["unique_id"].nunique() == 20 and fc["origin"].nunique() == 2
    s = pd.read_csv(out / "summary.csv").set_index("model")
    assert s.loc["seasonal_naive", "mase"] < s.loc["naive", "mase"]  # quarterly seasons


def test_datasets_lists_the_builtin_panels_with_their_source(capsys):
    assert main(["datasets"]) == 0
    out = capsys.readouterr().out
    for name, source in (("us_employment", "BLS"), ("elecdaily", "AEMO"),
                         ("visnights", "Tourism Research Australia"), ("airline", "Box")):
        line = next(l for l in out.splitlines() if l.startswith(name))
        assert source in line, line


def test_forecaster_backtest_is_the_panel_backtest_of_its_series():
    """Forecaster.backtest == a hand-rolled loop (fit once at the first origin, forecast
    from each later one) for the model, and == the panel backtest for the baselines."""
    from rnnlab.forecast.backtest import series_panel

    f = Forecaster("gru", lookback=12, horizon=6, hidden_size=8, epochs=2, seed=1,
                   select="network")
    res = f.backtest(airline(), first_origin=18, stride=6, baselines=("seasonal_naive",
                                                                      "naive"))
    fc = res.forecasts
    assert res.offsets == [18, 12, 6]
    s = airline().to_pandas()
    y = s.to_numpy()
    g = Forecaster(config=f.config.replace(test_size=0)).fit(s.iloc[:-18])
    for off in res.offsets:
        got = fc[(fc.model == "model") & (pd.to_datetime(fc.origin) == s.index[-off - 1])]
        np.testing.assert_allclose(got["mean"], g.forecast_from(y[:-off], 6), rtol=1e-6)
        np.testing.assert_allclose(got["y"], y[len(y) - off:len(y) - off + 6])
    panel = series_panel(airline(), 12)
    base = backtest(None, panel, horizon=6, first_origin=18, stride=6,
                    baselines=("seasonal_naive", "naive")).forecasts
    mine = fc[fc.model != "model"].reset_index(drop=True)
    pd.testing.assert_frame_equal(mine, base[mine.columns].reset_index(drop=True))
    s = res.summary().set_index("model")
    assert {"mase", "rmse", "smape", "coverage80"} <= set(s.columns)
    assert np.isnan(s.loc["model", "coverage80"]) and s.loc["naive", "coverage80"] >= 0
    with pytest.raises(RuntimeError, match="not fitted"):
        Forecaster().backtest()


def test_the_stand_in_reader_is_gone():
    assert importlib.util.find_spec("rnnlab.panel._stand_in_frame") is None
    for folder in ("src", "benchmarks", "tests"):
        for path in (ROOT / folder).rglob("*.py"):
            if path.name != Path(__file__).name:
                assert "_stand_in_frame" not in path.read_text(), path


def test_add_panel_options_keeps_the_host_parser_options():
    from rnnlab.panel.cli import add_panel_options

    p = argparse.ArgumentParser()
    p.add_argument("--fill", choices=["drop"])
    add_panel_options(p)
    a = p.parse_args(["--data", "x", "--future", "f.csv", "--fill", "drop"])
    assert a.future_data == "f.csv" and a.fill == "drop"


def test_forecast_panel_local_models_are_saved_and_forecast_again(tmp_path, capsys):
    from io import StringIO

    data = write_panel(tmp_path / "panel.csv")
    run = tmp_path / "run"
    assert main(["forecast", "--data", str(data), *DATA_OPTIONS, "--local", "yes",
                 "--model", "rnn", "--horizon", "3", "--lookback", "6", "--epochs", "1",
                 "--batches-per-epoch", "2", "--hidden-size", "4", "--out", str(run)]) == 0
    cfg = json.loads((run / "config.json").read_text())["config"]["model"]
    assert cfg["local"] is True and cfg["hidden_size"] == 4 and cfg["batches_per_epoch"] == 2
    first = pd.read_csv(run / "forecasts.csv")
    capsys.readouterr()
    assert main(["forecast", "--run", str(run)]) == 0  # the saved local models, no data
    again = pd.read_csv(StringIO(capsys.readouterr().out))
    pd.testing.assert_frame_equal(first, again)


def test_one_series_refuses_options_only_the_panel_model_reads(capsys):
    # before PanelConfig's options reached rnnlab forecast, argparse refused these; they are
    # still refused on one series, with the options named (nothing trained)
    assert main(["forecast", "--data", "airline", "--likelihood", "gaussian", "--head-size",
                 "8"]) == 1
    err = capsys.readouterr().err
    assert "--head-size, --likelihood: options of the panel model" in err


def test_one_series_panel_options_say_what_one_series_has(capsys):
    # --max-seconds (the panel model's budget) was refused with "drop them": the
    # one-series budget is --minutes, and a covariate makes one series a panel model's
    # (--country is the one-series Forecaster's too now: --calendar holiday --country AU;
    # and --time-zone, with --calendar holiday: tests/test_one_series_time_zone27.py)
    args = ["forecast", "--data", "airline", "--max-seconds", "5"]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "--max-seconds: options of the panel model" in err
    assert "time budget is --minutes N" in err
    assert ("--future-covariates, --past-covariates, --calendar month: a feature but "
            "holiday, which the one-series model reads), with which one series") in err


def test_the_panel_option_refusal_is_not_given_again_to_calendar_holiday(capsys):
    # it named --calendar as what makes one series the panel model's; --calendar holiday
    # alone is the one-series model's, so the command following it got the same refusal
    args = ["forecast", "--data", "airline", "--likelihood", "gaussian", "--calendar",
            "holiday", "--country", "US"]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "--likelihood: options of the panel model" in err
    assert "--calendar month: a feature but holiday" in err and "--calendar)" not in err
