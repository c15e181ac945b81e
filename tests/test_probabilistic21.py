"""Probabilistic forecasts as a NeuralForecast or Darts user checks them (session 21):
intervals after a level shift, baselines' intervals and the scores of a written backtest."""

import numpy as np
import pandas as pd
import pytest

from rnnlab.forecast.baselines import LinearAR, steadier

TINY = dict(hidden_size=4, epochs=4, ensemble=1, progress=False, lookback=12, horizon=6)


def level_shift(n_before=30, n_after=6, seed=0) -> pd.Series:
    """Monthly values near 10, then near 1000 for the last ``n_after`` months."""
    rng = np.random.default_rng(seed)
    v = np.r_[10 + rng.normal(0, 1, n_before), 1000 + rng.normal(0, 1, n_after)]
    return pd.Series(v, index=pd.date_range("2015-01-01", periods=len(v), freq="MS"),
                     name="y")


def test_radius_is_the_growth_of_the_recursion():
    ar = LinearAR(2, constant=False)
    ar.coef = np.array([0.0, 0.5])  # z_t = 0.5 z_{t-1}: decays by half
    assert ar.radius() == pytest.approx(0.5)
    ar.coef = np.array([0.0, 2.0])
    assert ar.radius() == pytest.approx(2.0)
    ar = LinearAR(2).fit(np.r_[np.zeros(20), 1.0, 2.0, 4.0, 8.0, 16.0])  # (with a constant)
    z = ar.forecast(np.r_[1.0, 2.0], 40)
    assert ar.radius() > 1 and abs(z[-1]) > 1e3  # explosive: it grows without bound


def test_steadier_keeps_the_validated_ar_when_the_refit_explodes():
    calm, wild = LinearAR(1, constant=False), LinearAR(1, constant=False)
    calm.coef, wild.coef = np.array([0.9]), np.array([1.4])
    assert steadier(calm, wild) == (calm, False)
    assert steadier(wild, calm) == (calm, True)  # a steadier refit is taken
    near = LinearAR(1, constant=False)
    near.coef = np.array([0.95])
    assert steadier(calm, near) == (near, True)  # not explosive: the refit, as before
    assert steadier(None, None) == (None, False)


@pytest.mark.slow
def test_a_level_shift_at_the_end_does_not_blow_up_the_forecast():
    """The linear AR refitted on a history ending in a 100-fold jump was explosive (radius
    1.4) and, a third of the weighted model, forecast 3e8 to 2e33 for a series at 1000
    (the Forecaster's backtest on such a series: MASE 7e112)."""
    from rnnlab.forecast import Forecaster

    f = Forecaster(**TINY, test_size=0).fit(level_shift())
    pred = f.predict().to_numpy()
    assert np.isfinite(pred).all() and pred.max() < 1e4
    assert f.ar.radius() <= 1 or "linear_ar" not in f.choice["refit"]
    assert "linear_ar" not in f.choice["refit"]  # this history's refit is explosive


def short_panel():
    """Series of 2, 5 and 6 values ending on one date, and one of 30."""
    from rnnlab.panel import read_panel

    rows = []
    for uid, v in {"two": [10.0, 12.0], "five": [10.0, 12, 11, 13, 12],
                   "six": [10.0, 12, 11, 13, 12, 14],
                   "long": list(10 + np.sin(np.arange(30.0)))}.items():
        ds = pd.date_range(end="2022-06-01", periods=len(v), freq="MS")
        rows += [{"unique_id": uid, "ds": d, "y": x} for d, x in zip(ds, v)]
    return read_panel(pd.DataFrame(rows))


@pytest.mark.parametrize("name", ["naive", "seasonal_naive", "croston"])
def test_a_baseline_gives_no_interval_from_too_few_residuals(name):
    """A naive after [10, 12] gave every quantile 14: an interval of width 0 that did not
    hold its own forecast 12; Croston's the same from one error, and width 0 from none."""
    from rnnlab.panel.baselines import make_baseline

    levels = (0.025, 0.1, 0.5, 0.9, 0.975)
    with pytest.warns(UserWarning, match=r"fewer than 5 in-sample residuals .*two"):
        fc = make_baseline(name, levels).fit(short_panel()).predict(3)
    q = fc[[f"q{t:g}" for t in levels]].to_numpy()
    few = fc["unique_id"].isin(["two", "five"]).to_numpy()  # 1 and 4 residuals
    assert np.isnan(q[few]).all() and np.isfinite(fc["mean"]).all()
    assert np.isfinite(q[~few]).all()  # 5 residuals (six) and more: as before
    assert (np.diff(q[~few], axis=1) >= 0).all()


def test_a_backtest_scores_the_other_rows_of_a_baseline_without_intervals():
    from rnnlab.panel.backtest import backtest
    from rnnlab.panel.baselines import Naive

    with pytest.warns(UserWarning, match="fewer than 5 in-sample residuals"):
        res = backtest(lambda: Naive(quantiles=(0.1, 0.5, 0.9)), short_panel(), horizon=1,
                       first_origin=2, stride=1, baselines=())
    s = res.summary()
    assert np.isfinite(s["coverage80"]).all() and np.isfinite(s["crps"]).all()
    ps = res.per_series().set_index("unique_id")  # five: 3 and 4 values before its origins
    assert np.isnan(ps.loc["five", "coverage80"]) and np.isnan(ps.loc["five", "crps"])
    assert np.isfinite(ps.loc["long", ["coverage80", "crps"]].astype(float)).all()
    assert np.isfinite(ps.loc["five", "mase"])  # its forecast is scored


@pytest.mark.parametrize("level", [[0], [100], [120], 0.8])
def test_a_level_that_is_no_central_interval_is_named(level):
    """level=[120] (or 0, 100, a fraction) was answered with "quantiles=(0.1, 0.5, 0.9):
    level= takes central intervals in percent", without the value or the range."""
    from rnnlab.forecast import Forecaster
    from rnnlab.panel import GlobalForecaster

    got = float(np.ravel(level)[0])
    said = rf"each in \(1, 100\), e\.g\. \[80, 95\]; got {got!r}"
    with pytest.raises(TypeError, match=said):
        Forecaster().predict(level=level)
    with pytest.raises(TypeError, match=r"quantiles=\(0\.1, 0\.5, 0\.9\) holds the 80% "
                                        r"interval \(level=\[80\]\); level= takes central "
                                        r"intervals in percent, " + said):
        GlobalForecaster(level=level)


@pytest.mark.parametrize("value", ["0", "100", "120"])
def test_the_commands_name_a_level_that_is_no_central_interval(value, capsys):
    from rnnlab.cli import main

    assert main(["backtest", "--data", "x", "--level", value]) == 2
    err = capsys.readouterr().err
    assert (f"--level takes central intervals in percent, each in (1, 100), got {value}; "
            f"--level 80 is --quantiles 0.1 0.5 0.9 here") in err, err


def test_a_zero_in_the_validation_tail_alone_does_not_stop_the_fit():
    """Weekly sales positive up to their validation tail, with one sale-less week in it:
    transform='auto' took the log from the part before the tail, and the fit stopped with
    "fitted on log values (transform='log'); use transform='auto'" (which it was)."""
    from rnnlab.panel import GlobalForecaster, read_panel

    rng = np.random.default_rng(0)
    ds = pd.date_range("2020-01-06", periods=40, freq="W-MON")
    rows = []
    for k in range(3):
        v = rng.poisson(5, 40).astype(float) + 1
        if k == 0:
            v[-3] = 0.0  # in the validation tail (the last horizon points) only
        rows += [{"unique_id": f"s{k}", "ds": d, "y": x} for d, x in zip(ds, v)]
    f = GlobalForecaster("lstm", lookback=8, horizon=4, hidden_size=4, head_size=4,
                         epochs=1, batches_per_epoch=2, quantiles=(0.1, 0.5, 0.9))
    f.fit(read_panel(pd.DataFrame(rows)))
    assert not f.features.transforms["s0"].log and f.features.transforms["s1"].log
    fc = f.predict(4)
    q = fc[["q0.1", "q0.5", "q0.9"]].to_numpy()
    assert np.isfinite(q).all() and (np.diff(q, axis=1) >= 0).all()


@pytest.fixture(scope="module")
def interval_run(tmp_path_factory):
    """A run directory as `rnnlab forecast --quantiles 0.1 0.9` leaves it: the model and
    the levels in config.json (a tiny Forecaster, saved through the API)."""
    import json

    from forecast_series import seasonal

    from rnnlab.forecast import Forecaster

    run = tmp_path_factory.mktemp("interval_run") / "run"
    Forecaster(hidden_size=4, epochs=2, ensemble=1, progress=False, lookback=12,
               horizon=6).fit(seasonal(n=72)).save(run / "model")
    (run / "config.json").write_text(json.dumps({"config": {"quantiles": [0.1, 0.9]}}))
    return run


def test_run_again_writes_the_intervals_the_run_was_trained_with(interval_run, capsys):
    """`rnnlab forecast --run DIR` of a run of --quantiles 0.1 0.9 wrote time,forecast only
    (a panel run's --run writes its model's quantiles)."""
    from rnnlab.cli import main
    from rnnlab.forecast import Forecaster

    assert main(["forecast", "--run", str(interval_run), "--horizon", "4"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "time,forecast,q0.1,q0.9"
    want = Forecaster.load(interval_run / "model").predict(4, quantiles=(0.1, 0.9))
    got = np.array([[float(v) for v in line.split(",")[1:]] for line in lines[1:]])
    np.testing.assert_allclose(got, want.to_numpy(), rtol=1e-9)
    assert main(["forecast", "--run", str(interval_run), "--horizon", "4",
                 "--quantiles", "0.05", "0.95"]) == 0  # typed: these instead
    assert capsys.readouterr().out.splitlines()[0] == "time,forecast,q0.05,q0.95"


def test_run_again_without_the_runs_intervals_says_why(interval_run, tmp_path, capsys):
    from rnnlab.cli import main

    flat = tmp_path / "flat.csv"  # a history that ends flat: no spread for an interval
    pd.DataFrame({"ds": pd.date_range("2010-01-01", periods=40, freq="MS"),
                  "y": 100.0}).to_csv(flat, index=False)
    with pytest.warns(UserWarning, match=r"no intervals at the run's levels \[0\.1, 0\.9\]: "
                                         r"prediction intervals take their spread"):
        assert main(["forecast", "--run", str(interval_run), "--data", str(flat), "--column",
                     "y", "--date-column", "ds", "--horizon", "3"]) == 0
    out = capsys.readouterr().out  # the point forecast, not the error of the intervals
    assert out.splitlines()[0] == "time,forecast" and len(out.splitlines()) == 4
