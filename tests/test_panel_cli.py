"""``rnnlab backtest`` end to end on a tiny panel CSV, and the panel forecast hook."""

import argparse
import json

import numpy as np
import pandas as pd
import pytest

from rnnlab.cli import main
from rnnlab.panel import metrics as M
from rnnlab.panel.cli import add_panel_options, run_panel_forecast


def write_panel(path, n_series=3, length=40):
    rng = np.random.default_rng(1)
    rows = []
    for i in range(n_series):
        n = length - 4 * i
        t = np.arange(n)
        rows.append(pd.DataFrame({
            "store": f"st{i}", "month": pd.date_range("2010-01", periods=n, freq="MS")
            .strftime("%Y-%m"), "sales": (i + 1) * (10 + np.sin(2 * np.pi * t / 12))
            + rng.normal(0, 0.3, n), "temp": rng.normal(size=n), "size": float(i)}))
    pd.concat(rows).to_csv(path, index=False)
    return path


def bt_args(data, out, *extra):
    return ["backtest", "--data", str(data), "--id-column", "store", "--date-column", "month",
            "--column", "sales", "--horizon", "6", "--first-origin", "12", "--stride", "6",
            "--baselines", "naive", "--plot-series", "2", "--out", str(out), *extra]


def test_backtest_cli_round_trip(tmp_path, capsys):
    data = write_panel(tmp_path / "panel.csv")
    out = tmp_path / "run"
    assert main(bt_args(data, out, "--model", "seasonal_naive", "--quantiles", "0.1", "0.5",
                        "0.9", "--static-covariates", "size")) == 0
    for f in ("forecasts.csv", "summary.csv", "summary.json", "per_series.csv",
              "by_step.csv", "config.json", "forecasts.png", "coverage_by_step.png",
              "errors.png"):
        assert (out / f).is_file(), f
    fc = pd.read_csv(out / "forecasts.csv")
    assert sorted(fc["model"].unique()) == ["naive", "seasonal_naive"]
    sn = fc[(fc.model == "seasonal_naive") & (fc.unique_id == "st0")]
    raw = pd.read_csv(data)
    y0 = raw[raw.store == "st0"]["sales"].to_numpy()
    np.testing.assert_allclose(sn["mean"].iloc[:6], y0[-24:-18])  # period 12 from "MS"
    # models x (per series, the values after the common origins 2012-04 and 2012-10 within
    # the horizon: st1 ends 2012-12, st2 2012-08)
    assert len(fc) == 2 * ((6 + 6) + (6 + 2) + (4 + 0))
    assert {"q0.1", "q0.5", "q0.9", "y", "origin", "scale"} <= set(fc.columns)
    # the summary is the metrics of the forecasts written
    again = M.summarize(fc).set_index("model")
    summary = pd.read_csv(out / "summary.csv").set_index("model")
    for c in ("mase", "rmse", "crps", "coverage80"):
        np.testing.assert_allclose(summary.loc[again.index, c], again[c], rtol=1e-9)
    js = json.loads((out / "summary.json").read_text())
    assert js["origins_before_end"] == [12, 6] and len(js["models"]) == 2
    cfg = json.loads((out / "config.json").read_text())
    assert cfg["seed"] == 0 and "rnnlab" in cfg["versions"]
    assert cfg["config"]["packages"]["statsmodels"]
    assert "seasonal_naive" in capsys.readouterr().out
    # a second run does not overwrite unasked; --overwrite does
    assert main(bt_args(data, out, "--model", "naive", "--baselines", "none",
                        "--plot-series", "0")) == 1
    assert "--overwrite" in capsys.readouterr().err
    assert main(bt_args(data, out, "--model", "naive", "--baselines", "none",
                        "--overwrite", "--plot-series", "0")) == 0
    assert set(pd.read_csv(out / "forecasts.csv")["model"]) == {"naive"}


@pytest.mark.parametrize("extra, message, code", [  # 2: a usage error; 1: the data's
    (["--quantiles", "0.9", "0.1"], "sorted", 2),
    (["--quantiles", "0", "0.5"], "(0, 1)", 2),
    (["--baselines", "theta"], "unknown", 2),
    (["--future-covariates", "rain"], "rain", 1),
    (["--static-covariates", "temp"], "varies in time", 1),
    (["--refit", "sometimes"], "never", 2),
    (["--model", "lstm", "--lr", "1e39"], "float32's largest", 2),  # (was taken, then refused by fit: 1)
])
def test_backtest_cli_bad_input(tmp_path, capsys, extra, message, code):
    data = write_panel(tmp_path / "panel.csv")
    assert main(bt_args(data, tmp_path / "run", "--plot-series", "0", *extra)) == code
    assert message in capsys.readouterr().err


def test_backtest_cli_static_column_that_varies_is_refused_as_the_api_does(tmp_path, capsys):
    """The CLI had its own copy of refuse_varying (another message, no expected value);
    it says what fit and backtest say."""
    data = write_panel(tmp_path / "panel.csv")
    assert main(bt_args(data, tmp_path / "run", "--plot-series", "0",
                        "--static-covariates", "temp")) == 1
    err = capsys.readouterr().err
    assert "static covariate 'temp' varies in time within series" in err
    assert "a static covariate has one value per series" in err


def test_backtest_cli_missing_id_column_is_named(tmp_path, capsys):
    data = write_panel(tmp_path / "panel.csv")
    args = bt_args(data, tmp_path / "run")
    args[args.index("store")] = "shop"
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "shop" in err and "--id-column" in err


def test_network_model_needs_panels_core_or_says_so(tmp_path, capsys):
    try:
        import rnnlab.panel.model  # noqa: F401
        pytest.skip("the global model is installed: its own tests cover it")
    except ImportError:
        pass
    data = write_panel(tmp_path / "panel.csv")
    assert main(bt_args(data, tmp_path / "run", "--model", "lstm")) == 1
    assert "--model naive|seasonal_naive|ets|croston|sba|tsb" in capsys.readouterr().err


def test_panel_forecast_hook_writes_the_next_horizon(tmp_path):
    data = write_panel(tmp_path / "panel.csv")
    p = argparse.ArgumentParser()
    p.add_argument("--data")  # an option the host parser has already is kept as it is
    add_panel_options(p)
    for flag, kw in (("--model", {}), ("--horizon", {"type": int}), ("--seed", {"type": int}),
                     ("--out", {})):
        p.add_argument(flag, **kw)
    args = p.parse_args(["--data", str(data), "--id-column", "store", "--date-column",
                         "month", "--column", "sales", "--model", "seasonal_naive",
                         "--horizon", "3", "--seed", "0", "--out", str(tmp_path / "fc")])
    assert run_panel_forecast(args) == 0
    fc = pd.read_csv(tmp_path / "fc" / "forecasts.csv", parse_dates=["ds"])
    assert len(fc) == 9 and list(fc["step"][:3]) == [1, 2, 3]
    raw = pd.read_csv(data)
    last = pd.Timestamp(raw[raw.store == "st0"]["month"].iloc[-1])
    assert fc[fc.unique_id == "st0"]["ds"].iloc[0] == last + pd.DateOffset(months=1)
    np.testing.assert_allclose(fc[fc.unique_id == "st0"]["mean"],
                               raw[raw.store == "st0"]["sales"].iloc[-12:-9])


def test_network_model_is_built_from_the_options(tmp_path, monkeypatch, capsys):
    """With a GlobalForecaster installed (here a stub module), --model lstm builds it
    with the data options, and the backtest predicts from history at later origins."""
    import sys
    import types

    made = []

    class GlobalForecaster:
        def __init__(self, **kw):
            made.append(kw)

        def fit(self, panel, static=None):
            self.panel, self.static = panel, static
            return self

        def predict(self, horizon, future=None, history=None):
            from rnnlab.panel.baselines import SeasonalNaive

            assert list(future.columns) == ["unique_id", "ds", "temp"]
            return SeasonalNaive().fit(history if history is not None else self.panel).predict(horizon)

    stub = types.ModuleType("rnnlab.panel.model")
    stub.GlobalForecaster = GlobalForecaster
    monkeypatch.setitem(sys.modules, "rnnlab.panel.model", stub)
    data = write_panel(tmp_path / "panel.csv")
    out = tmp_path / "run"
    assert main(bt_args(data, out, "--model", "lstm", "--future-covariates", "temp",
                        "--static-covariates", "size", "--lookback", "8", "--epochs", "2",
                        "--plot-series", "0")) == 0
    assert len(made) == 1  # refit never: built and fitted once
    kw = made[0]
    assert kw["model"] == "lstm" and kw["horizon"] == 6 and kw["lookback"] == 8
    assert kw["future_covariates"] == ("temp",) and kw["static_covariates"] == ("size",)
    assert kw["quantiles"] == (0.1, 0.5, 0.9) and kw["epochs"] == 2 and kw["seed"] == 0
    fc = pd.read_csv(out / "forecasts.csv")
    assert set(fc["model"]) == {"lstm", "naive"} and fc["origin"].nunique() >= 2


def _backtest_parser():
    from rnnlab.panel.cli import register

    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    return parser


def test_every_panel_option_is_declared_once_and_reaches_backtest(capsys):
    from rnnlab.options import declared
    from rnnlab.panel.cli import panel_config
    from rnnlab.panel.config import PanelConfig

    parser = _backtest_parser()
    with pytest.raises(SystemExit):
        parser.parse_args(["backtest", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for f, o in declared(PanelConfig):
        if not o.cli:
            continue
        flag = o.flag_for(f.name)
        assert flag in text, flag
        if f.name != "model":  # --model: a baseline by default (backtest's own option)
            shown = ("none" if f.default is None else ("yes" if f.default else "no")
                     if isinstance(f.default, bool) else str(f.default))
            if isinstance(f.default, tuple):  # as typed: "0.1 0.5 0.9"; none for ()
                shown = " ".join(map(str, f.default)) or "none"
            assert "default" in o.help or shown in text, (flag, shown)
    args = parser.parse_args(["backtest", "--data", "x.csv"])
    # (the command's progress: lines where stderr is not a terminal; the API's: none)
    assert panel_config(args, model="lstm") == PanelConfig(progress="log")


def test_panel_options_typed_reach_the_config_in_backtest_and_forecast():
    from rnnlab.cli import build_parser, given_options
    from rnnlab.panel.cli import panel_config

    argv = ["backtest", "--data", "x.csv", "--horizon", "6", "--hidden-size", "7",
            "--likelihood", "studentt", "--local", "yes", "--calendar", "month,dayofweek",
            "--quantiles", "0.2", "0.8", "--max-seconds", "30"]
    args = build_parser(argv, lazy=True).parse_args(argv)
    args.given_options = given_options(argv)
    cfg = panel_config(args, model="gru")
    assert (cfg.hidden_size, cfg.likelihood, cfg.local, cfg.calendar, cfg.quantiles,
            cfg.max_seconds, cfg.horizon) == (7, "studentt", True, ("month", "dayofweek"),
                                              (0.2, 0.8), 30.0, 6)
    # rnnlab forecast: --hidden-size is ForecastConfig's option (default 32); typed once,
    # it reaches the panel config; untyped, the panel default (48) stays
    for extra, hidden in ((["--hidden-size", "9"], 9), ([], 48)):
        argv = ["forecast", "--data", "x.csv", "--head-size", "5", "--minutes", "2", *extra]
        args = build_parser(argv, lazy=True).parse_args(argv)
        args.given_options = given_options(argv)
        cfg = panel_config(args, model="lstm", horizon=3)
        assert (cfg.hidden_size, cfg.head_size, cfg.max_seconds, cfg.epochs) == \
            (hidden, 5, 120.0, 40)
    with pytest.raises(SystemExit):  # a bad value is refused while parsing
        build_parser(["backtest"], lazy=True).parse_args(
            ["backtest", "--data", "x", "--horizon", "3", "--local", "maybe"])
