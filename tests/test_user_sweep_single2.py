"""A forecasting practitioner's second sweep of the single-series Forecaster: prediction
intervals from the command line and the API, on the inputs users bring."""

import json

import numpy as np
import pandas as pd
import pytest
from forecast_series import seasonal

from rnnlab.cli import main
from rnnlab.forecast import Forecaster
from rnnlab.io.errors import DataError

TINY = dict(hidden_size=4, epochs=2, ensemble=1, progress=False, lookback=6, horizon=6)
CLI_TINY = ["--hidden-size", "4", "--epochs", "2", "--ensemble", "1", "--lookback", "6",
            "--horizon", "6", "--no-progress"]


def _csv(tmp_path, n=96):
    path = tmp_path / "s.csv"
    seasonal(n, noise=2.0).rename_axis("month").reset_index().to_csv(path, index=False)
    return path


# ---------------------------------------------------------------- rnnlab forecast --quantiles
def test_cli_quantiles_on_one_series_are_the_forecasters_intervals(tmp_path, capsys):
    """--quantiles on one series trained rnnlab.panel's global model (panel.json,
    test_forecasts.csv, its own quantile loss): now the Forecaster trains as without it, and
    its intervals go into forecast.csv (test part and future) and metrics.json."""
    csv, out = _csv(tmp_path), tmp_path / "run"
    assert main(["forecast", "--data", str(csv), *CLI_TINY, "--quantiles", "0.1", "0.5",
                 "0.9", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert not (out / "panel.json").exists() and (out / "model" / "model.json").exists()
    f = Forecaster.load(out / "model")
    fc = pd.read_csv(out / "forecast.csv")
    fut = fc[fc.part == "future"]
    want = f.predict(6, quantiles=(0.1, 0.5, 0.9))
    np.testing.assert_allclose(fut[["model", "q0.1", "q0.5", "q0.9"]].to_numpy(),
                               want.to_numpy(), rtol=1e-9)
    test = fc[fc.part == "test"]
    q = test[["q0.1", "q0.5", "q0.9"]].to_numpy()
    assert np.isfinite(q).all() and (np.diff(q, axis=1) > 0).all()
    np.testing.assert_allclose(test["q0.5"], test["model"], rtol=1e-12)  # the median
    m = json.loads((out / "metrics.json").read_text())["intervals"]
    assert m["levels"] == [0.1, 0.5, 0.9] and m["test_points"] == 6
    inside = ((test["q0.1"] <= test["actual"]) & (test["actual"] <= test["q0.9"])).mean()
    assert m["test"]["coverage80"] == pytest.approx(inside)
    assert m["test"]["width80"] == pytest.approx((test["q0.9"] - test["q0.1"]).mean())
    assert "80% interval covers" in printed
    info = json.loads((out / "config.json").read_text())
    assert info["config"]["quantiles"] == [0.1, 0.5, 0.9]  # recorded; --resume reads it
    again = tmp_path / "again.csv"  # --run DIR --quantiles: the same intervals, no training
    assert main(["forecast", "--run", str(out), "--quantiles", "0.1", "0.5", "0.9",
                 "--output", str(again)]) == 0
    np.testing.assert_allclose(pd.read_csv(again)[["forecast", "q0.1", "q0.5", "q0.9"]],
                               fut[["model", "q0.1", "q0.5", "q0.9"]], rtol=1e-9)
    capsys.readouterr()
    assert main(["forecast", "--run", str(out), "--quantiles", "0.9", "0.1"]) != 0
    assert "error: --quantiles: quantile levels must be sorted" in capsys.readouterr().err


@pytest.mark.parametrize("extra, says", [
    (["--quantiles", "0.9", "0.1"], "sorted and distinct"),
    (["--quantiles", "1.5"], "lie in (0, 1)"),
    (["--quantiles", "0.1", "0.9", "--difference", "none"], "--difference none"),
    (["--quantiles", "0.1", "0.9", "--select", "drift"], "--select drift"),
    (["--quantiles", "0.1", "0.9", "--val-size", "0"], "--val-size 0"),
])
def test_cli_quantiles_the_settings_give_no_intervals_for_are_refused_before_training(
        tmp_path, capsys, extra, says):
    out = tmp_path / "run"
    assert main(["forecast", "--data", str(_csv(tmp_path)), *CLI_TINY, *extra,
                 "--out", str(out)]) != 0
    assert says in capsys.readouterr().err
    assert not out.exists()  # nothing trained, no run directory


def test_cli_quantiles_a_model_that_turns_out_without_intervals_warns_and_keeps_the_run(
        tmp_path, capsys):
    """42 months: 'auto' does not difference (fewer than three seasons in the training
    part), so the fitted model has no intervals; the run is kept, and says why."""
    out = tmp_path / "run"
    assert main(["forecast", "--data", str(_csv(tmp_path, 42)), *CLI_TINY, "--quantiles",
                 "0.1", "0.9", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "--quantiles: no intervals: " in err and "command line: --difference first" in err
    assert "does not difference" in json.loads(
        (out / "metrics.json").read_text())["intervals"]["error"]
    assert "q0.1" not in pd.read_csv(out / "forecast.csv").columns


def test_cli_forecast_plot_draws_the_80_percent_band(tmp_path, monkeypatch):
    """The run's forecast.png drew the forecast past the data without its band (write_outputs
    passed the point forecast), though f.plot(path) draws it."""
    from rnnlab.forecast import plots

    bands = []
    real = plots.plot_forecast

    def seen(path, series, n_train, evaluation=None, future=None, *more):
        if path.name == "forecast.png":
            bands.append(list(getattr(future, "columns", ())))
        return real(path, series, n_train, evaluation, future, *more)

    monkeypatch.setattr(plots, "plot_forecast", seen)
    fast = ["--test-size", "0"]  # (no evaluation: the band is past the data)
    assert main(["forecast", "--data", str(_csv(tmp_path)), *CLI_TINY, *fast, "--out",
                 str(tmp_path / "run")]) == 0
    assert main(["forecast", "--data", str(_csv(tmp_path)), *CLI_TINY, *fast, "--quantiles",
                 "0.05", "0.95", "--out", str(tmp_path / "run2")]) == 0
    assert bands == [["mean", "q0.1", "q0.9"], ["mean", "q0.05", "q0.95"]]


# ---------------------------------------------------------------- Forecaster.backtest
@pytest.fixture(scope="module")
def fitted():
    return Forecaster(**TINY).fit(seasonal(120, noise=2.0))


def test_backtest_levels_as_an_array_a_number_or_none(fitted):
    """A numpy array of levels raised 'The truth value of an array ... is ambiguous';
    None gave the baselines quantiles and the model none (its interval metrics NaN beside
    theirs); a bad level is refused before anything is fitted."""
    kw = dict(horizon=6, first_origin=12, stride=6, baselines=("seasonal_naive",))
    arr = fitted.backtest(quantiles=np.array([0.1, 0.5, 0.9]), **kw).forecasts
    tup = fitted.backtest(quantiles=(0.1, 0.5, 0.9), **kw).forecasts
    pd.testing.assert_frame_equal(arr, tup)
    one = fitted.backtest(quantiles=0.9, **kw).forecasts
    assert "q0.9" in one and "q0.1" not in one
    np.testing.assert_allclose(one["q0.9"], tup["q0.9"], rtol=1e-12)
    zero_d = fitted.backtest(quantiles=np.array(0.9), **kw).forecasts  # was len() of unsized
    np.testing.assert_allclose(zero_d["q0.9"], one["q0.9"], rtol=1e-12)
    assert fitted.predict(quantiles=np.array(0.9)).columns.tolist() == ["mean", "q0.9"]
    res = fitted.backtest(quantiles=None, **kw)  # as () does
    assert "pinball" not in res.summary() and not any(c.startswith("q") for c in res.forecasts)
    with pytest.raises(DataError, match=r"backtest\(quantiles=...\): quantile levels must be "
                                        r"sorted"):
        fitted.backtest(quantiles=(0.9, 0.1), **kw)


def test_counts_with_zeros_get_no_negative_quantiles():
    """A count series with zeros is modelled without the log, and its Gaussian interval
    went below 0 (q0.1 of -0.35 for a Poisson(3) series): floored at 0 now, still ordered;
    a series that has been negative, or never reached 0 (a random walk may cross it: the
    coverage test of test_forecast_intervals_sweep), keeps its negative quantiles."""
    rng = np.random.default_rng(0)
    counts = pd.Series(rng.poisson(3, 120).astype(float),
                       index=pd.period_range("2010-01", periods=120, freq="M"))
    f = Forecaster(**TINY).fit(counts)
    assert not f.pipeline.log and f.pipeline.lag
    q = f.predict(12, quantiles=(0.05, 0.1, 0.5, 0.9)).drop(columns="mean")
    assert (q.to_numpy() >= 0).all() and (q["q0.05"] == 0).any()
    assert (np.diff(q.to_numpy(), axis=1) >= 0).all()
    for other in (counts - 2.0, counts + 0.5):
        assert (f.predict(12, history=other, quantiles=(0.05,))["q0.05"] < 0).any()


@pytest.mark.slow
def test_cli_resumed_quantiles_run_writes_its_intervals(tmp_path, capsys):
    """--resume takes the options from cli.json but not which were typed, so a resumed
    --quantiles run would have written no intervals: config.json records the levels."""
    out = tmp_path / "run"
    assert main(["forecast", "--data", str(_csv(tmp_path)), *CLI_TINY, "--quantiles", "0.05",
                 "0.95", "--out", str(out)]) == 0
    first = pd.read_csv(out / "forecast.csv")
    (out / "forecast.csv").unlink()
    assert main(["forecast", "--resume", str(out)]) == 0
    assert "90% interval covers" in capsys.readouterr().out
    pd.testing.assert_frame_equal(pd.read_csv(out / "forecast.csv"), first)


# ---------------------------------------------------------------- inputs users bring
def test_an_empty_column_of_a_spreadsheet_export_is_not_a_candidate_target(tmp_path):
    """A CSV saved from a spreadsheet with an empty 'notes' column: pandas reads it as all
    NaN floats, and it was counted as a second numeric column ('several numeric columns
    (passengers, notes) and none is Close')."""
    s = seasonal(60)
    path = tmp_path / "export.csv"
    pd.DataFrame({"month": s.index.strftime("%Y-%m"), "passengers": s.values,
                  "notes": np.nan}).to_csv(path, index=False)
    from rnnlab.data.series import load_series

    got = load_series(str(path))
    assert got.name == "passengers"
    np.testing.assert_allclose(got.values, s.values)


def test_a_history_too_short_or_flat_for_a_spread_is_refused_not_given_zero_width():
    """sigma is the spread of the history's ARMA innovations: a history of a few values
    gave one innovation (spread 0), a constant or straight-line one all equal ones, and
    predict() returned q0.1 == q0.9 == the forecast, with nothing said."""
    f = Forecaster(**{**TINY, "lookback": 1, "horizon": 2}, difference="first").fit(
        seasonal(60).to_numpy())
    values = seasonal(60).to_numpy()
    for n in (2, 4, 7):
        with pytest.raises(DataError, match=r"gives \d of them .* at least 8 values"):
            f.predict(2, history=values[:n], quantiles=(0.1, 0.9))
    ok = f.predict(2, history=values[:8], quantiles=(0.1, 0.9))
    assert (ok["q0.9"] > ok["q0.1"]).all()
    assert f.pipeline.log  # steady growth: log changes all equal
    for flat in (np.full(30, 5.0), 100 * 1.02 ** np.arange(30)):
        with pytest.raises(DataError, match="all equal .* no spread"):
            f.predict(2, history=flat, quantiles=(0.1, 0.9))
    assert np.isfinite(f.predict(2, history=np.full(30, 5.0))).all()  # points: as before



def _counts_ending_in_zeros() -> pd.Series:
    rng = np.random.default_rng(0)
    v = rng.poisson(3, 120).astype(float)
    v[-14:] = 0.0  # the last 14 months (the test part and the months before it) are zeros
    return pd.Series(v, index=pd.period_range("2010-01", periods=120, freq="M"))


def test_a_count_series_ending_in_zeros_gets_a_point_forecast_floored_as_its_quantiles():
    """A history that reaches 0 and never goes below had its quantiles floored at 0 but not
    its forecast: after a run of zeros ``mean`` was below every quantile (-4.4 with q0.1 =
    q0.5 = 0; -0.47 here), in predict() and evaluate(). Now every candidate's forecast is
    floored as its quantiles are, the median is the forecast again, and a history that has
    been negative keeps its negative forecasts."""
    counts = _counts_ending_in_zeros()
    f = Forecaster(**TINY).fit(counts)
    p = f.predict(12, quantiles=(0.1, 0.5, 0.9))
    assert (p["mean"] >= 0).all() and (p["mean"] == 0).any()
    np.testing.assert_array_equal(p["q0.5"], p["mean"])
    assert (p["q0.1"] <= p["mean"]).all() and (p["mean"] <= p["q0.9"]).all()
    ev = f.evaluate()
    for name, pred in ev["predictions"].items():  # every method's test-part forecast
        assert min(pred) >= 0, name
    assert min(ev["predictions"]["linear_ar"]) == 0  # (it went below 0 unfloored)
    for method in f.candidates():
        assert (f.forecast_with(method, counts.to_numpy(), 12) >= 0).all(), method
    below = f.predict(12, history=counts - 1.0)  # has been negative: no bound at 0
    assert (below < 0).any()


@pytest.mark.slow
def test_cli_forecast_csv_of_a_count_series_ending_in_zeros_has_no_negative_forecast(
        tmp_path):
    """forecast.csv of the series above: every method's column >= 0, and the model's
    forecast inside its interval (it was below q0.1 = 0)."""
    out, path = tmp_path / "run", tmp_path / "counts.csv"
    _counts_ending_in_zeros().rename("n").rename_axis("month").reset_index().to_csv(
        path, index=False)
    assert main(["forecast", "--data", str(path), *CLI_TINY, "--quantiles", "0.1", "0.9",
                 "--out", str(out)]) == 0
    fc = pd.read_csv(out / "forecast.csv")
    methods = [c for c in fc.columns if c not in ("time", "part", "actual", "q0.1", "q0.9")]
    assert "model" in methods and (fc[methods].fillna(0).to_numpy() >= 0).all()
    assert (fc["q0.1"] <= fc["model"]).all() and (fc["model"] <= fc["q0.9"]).all()
