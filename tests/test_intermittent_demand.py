"""Intermittent and count demand (spare parts, slow movers): series mostly 0, whole
numbers, sales that no in-sample seasonal pair reads; what the metrics and baselines
say about them."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from rnnlab.forecast import Forecaster
from rnnlab.forecast.metrics import MaseScaleWarning, mase_note

TINY = dict(epochs=1, hidden_size=4, ensemble=1, progress=False, threads=1, horizon=4)


def _sparse_weekly(n=104, test=12):
    """Zeros in the training part (92 weeks) but two sales that no lag-52 pair reads (the
    pairs are weeks 0-39 with 52-91), so its seasonal naive error is 0; demand after."""
    y = np.zeros(n)
    y[45], y[47] = 3.0, 2.0  # pairs a season apart: (0..39, 52..91): neither is in one
    y[n - test:] = [0, 2, 0, 0, 5, 0, 0, 1, 0, 0, 3, 0]
    return pd.Series(y, index=pd.date_range("2022-01-02", periods=n, freq="W-SUN"), name="y")


def test_mase_note_names_the_zero_scale_and_is_empty_with_one():
    y = _sparse_weekly().to_numpy()[:92]
    assert "MASE is NaN" in mase_note(y, 52) and "40 pairs" in mase_note(y, 52)
    assert mase_note(y, None) == ""  # the lag-1 naive has differences: a scale


@pytest.mark.slow
def test_evaluate_says_why_every_mase_is_nan(tmp_path, capsys):
    """The table showed a column of nan with no word why (the scale, 0, is not shown)."""
    from rnnlab.cli import main

    y = _sparse_weekly()
    f = Forecaster(**TINY, test_size=12).fit(y)
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        ev = f.evaluate().details
    assert np.isnan(ev["forecast"]["model"]["mase"])
    notes = [w for w in said if issubclass(w.category, MaseScaleWarning)]
    assert len(notes) == 1 and "scale" in str(notes[0].message)
    csv = tmp_path / "sparse.csv"
    y.rename_axis("date").reset_index().to_csv(csv, index=False)
    assert main(["forecast", "--data", str(csv), "--epochs", "1", "--hidden-size", "4",
                 "--ensemble", "1", "--no-progress", "--horizon", "4", "--test-size", "12",
                 "--out", str(tmp_path / "run")]) == 0
    out, err = capsys.readouterr()
    assert (out + err).count("MASE is NaN for every method") == 1


def _count_panel():
    from rnnlab.panel.frame import read_panel

    rng = np.random.default_rng(3)
    ds = pd.date_range("2022-01-02", periods=60, freq="W-SUN")
    y = (rng.random((3, 60)) < 0.3) * rng.poisson(4, (3, 60)).astype(float)
    y[2, 10] = -2.0  # a return: no bound at 0
    return read_panel(pd.DataFrame({"unique_id": np.repeat(["a", "b", "c"], 60),
                                    "ds": np.tile(ds, 3), "y": y.ravel()}))


@pytest.mark.parametrize("name", ["naive", "seasonal_naive", "ets"])
def test_baseline_quantiles_of_counts_are_floored_at_zero(name):
    """A slow mover's naive q0.1 was last value + the 10% quantile of its differences:
    below 0, an impossible demand that its pinball and CRPS were charged for."""
    from rnnlab.panel.baselines import make_baseline

    if name == "ets":
        pytest.importorskip("statsmodels")
    fc = make_baseline(name, quantiles=(0.1, 0.5, 0.9)).fit(_count_panel()).predict(8)
    counts = fc[fc["unique_id"] != "c"]
    assert (counts[["mean", "q0.1", "q0.5", "q0.9"]].to_numpy() >= 0).all()
    assert (counts["q0.1"] <= counts["q0.9"]).all()
    if name != "ets":  # the returns series keeps its spread below 0
        assert (fc.loc[fc["unique_id"] == "c", "q0.1"] < 0).any()


def _weekly_panel(n, k=3):
    from rnnlab.panel.frame import read_panel

    rng = np.random.default_rng(5)
    ds = pd.date_range("2022-01-02", periods=n, freq="W-SUN")
    y = (rng.random((k, n)) < 0.4) * rng.poisson(3, (k, n)).astype(float)
    return read_panel(pd.DataFrame({"unique_id": np.repeat([f"s{i}" for i in range(k)], n),
                                    "ds": np.tile(ds, k), "y": y.ravel()}))


def test_auto_difference_leaves_the_season_out_when_it_leaves_no_training_window():
    """92 weeks (two years less the 12 held out): 'auto' chose the 52-week lag, and then
    no series had a window before its 12-week validation tail: every fit failed."""
    from rnnlab.panel import GlobalForecaster
    from rnnlab.panel.global_fit import seasonal_lag

    cfg = GlobalForecaster(horizon=12, lookback=24).config
    assert seasonal_lag(cfg, _weekly_panel(92), 52) == 0
    assert seasonal_lag(cfg, _weekly_panel(100), 52) == 52  # 24 + 12 + 12 + 52: it fits


def test_no_training_window_names_the_seasonal_lag():
    """The message added lookback, horizon and validation (48 of 92 values) and left out
    the 52-week lag that made the series too short."""
    from rnnlab.io.errors import DataError
    from rnnlab.panel import GlobalForecaster

    f = GlobalForecaster(horizon=12, lookback=24, difference="seasonal", epochs=1,
                         hidden_size=4, ensemble=1)
    with pytest.raises(DataError, match=r"seasonal difference lag 52.*difference='none'"):
        f.fit(_weekly_panel(92))


def test_negbin_refuses_the_log_it_would_ignore():
    from rnnlab.io.errors import DataError
    from rnnlab.panel import GlobalForecaster

    with pytest.raises(DataError, match="negbin.*without the log"):
        GlobalForecaster(likelihood="negbin", transform="log")
    assert GlobalForecaster(likelihood="negbin", transform="none").config.transform == "none"


def test_global_forecasts_of_series_bounded_at_zero_are_floored(tmp_path):
    """A Gaussian's mean and q0.1 of a slow mover were below 0; the series with a return
    (a negative value) keeps its negative quantiles; saved and loaded, the same."""
    from rnnlab.panel import GlobalForecaster

    f = GlobalForecaster(horizon=4, lookback=8, likelihood="gaussian", epochs=1,
                         hidden_size=4, ensemble=1, samples=200, calibrate="none",
                         quantiles=(0.1, 0.5, 0.9)).fit(_count_panel())
    fc = f.predict()
    cols = ["mean", "q0.1", "q0.5", "q0.9"]
    assert (fc.loc[fc["unique_id"] != "c", cols].to_numpy() >= 0).all()
    assert (fc.loc[fc["unique_id"] == "c", "q0.1"] < 0).any()
    assert [f.features.transforms[u].floor for u in ("a", "b", "c")] == [True, True, False]
    f.save(tmp_path / "m")
    again = GlobalForecaster.load(tmp_path / "m").predict()
    pd.testing.assert_frame_equal(again, fc)


def test_a_transform_saved_before_the_floor_loads_unfloored():
    from rnnlab.panel.scaling import SeriesTransform

    old = {"log": False, "lag": 0, "loc": 0.0, "scale": 1.0, "level_scale": 1.0}
    assert SeriesTransform.from_dict(old).floor is False
    assert SeriesTransform.fit(np.array([0.0, 2, 0, 1, 3]), "s").floor is True
    assert SeriesTransform.fit(np.array([1.0, 2, 4, 1, 3]), "s").floor is False  # logs
    assert SeriesTransform.fit(np.array([0.0, -1, 0, 1, 3]), "s").floor is False


def test_summary_wql_pools_the_series_as_gluonts_does():
    """A slow mover whose held-out weeks are all 0 had a NaN wql, and the mean over
    series left it out without a word: its loss counted nowhere."""
    from rnnlab.panel import metrics as M

    fc = pd.DataFrame({"model": "m", "unique_id": ["a", "a", "b", "b"],
                       "y": [10.0, 20.0, 0.0, 0.0], "mean": [10.0, 20.0, 1.0, 1.0],
                       "q0.1": [8.0, 18.0, 0.0, 0.0], "q0.9": [12.0, 22.0, 3.0, 3.0],
                       "scale": 1.0})
    e = M.add_errors(fc)
    assert np.isnan(M.per_series(fc).set_index("unique_id").loc["b", "wql"])
    got = M.summarize(fc).iloc[0]["wql"]
    assert got == pytest.approx(e["wql"].sum() / 30.0)
    assert got > M.per_series(fc).set_index("unique_id").loc["a", "wql"]


def test_croston_sba_and_tsb_by_hand():
    """Demand 3 at t=2, 2 at t=6, 4 at t=8 (alpha = beta = 0.1): Croston's size and interval
    start at 3 and 3, then 2.9 and 3.1 (4 periods), then 3.01 and 2.99 (2 periods)."""
    from rnnlab.panel.croston import croston_fit

    y = np.array([0, 0, 3, 0, 0, 0, 2, 0, 4, 0, 0, 0.0])
    fitted, f = croston_fit(y, "croston")
    assert np.isnan(fitted[:3]).all() and fitted[3] == pytest.approx(1.0)
    assert fitted[7] == pytest.approx(2.9 / 3.1) and f == pytest.approx(3.01 / 2.99)
    assert croston_fit(y, "sba")[1] == pytest.approx(0.95 * 3.01 / 2.99)
    d = 1 / 3
    for t in range(3, 12):
        d += 0.1 * (float(y[t] != 0) - d)
    assert croston_fit(y, "tsb")[1] == pytest.approx(d * 3.01)
    assert croston_fit(np.zeros(10), "croston")[1] == 0.0


def test_croston_baselines_in_a_backtest_and_tsb_forgets_an_obsolete_item():
    from rnnlab.panel.backtest import backtest
    from rnnlab.panel.baselines import BASELINES, make_baseline

    panel = _count_panel()
    res = backtest(None, panel, horizon=4, first_origin=8, stride=4, refit="never",
                   baselines=("croston", "sba", "tsb"))
    s = res.summary().set_index("model")
    assert set(s.index) == {"croston", "sba", "tsb"} and s["mase"].notna().all()
    fc = res.forecasts
    assert (fc.loc[fc["unique_id"] != "c", ["mean", "q0.1", "q0.9"]].to_numpy() >= 0).all()
    y = np.r_[np.tile([0.0, 5.0], 20), np.zeros(40)]  # stopped selling 40 periods ago
    from rnnlab.panel.frame import read_panel

    old = read_panel(pd.DataFrame({"unique_id": "x", "y": y,
                                   "ds": pd.date_range("2020-01-05", periods=80, freq="W")}))
    tsb = make_baseline("tsb").fit(old).predict(2)["mean"].iloc[0]
    cro = make_baseline("croston").fit(old).predict(2)["mean"].iloc[0]
    assert tsb < 0.1 * cro and "croston" in BASELINES


def test_rnnlab_backtest_runs_croston_beside_tsb(tmp_path, capsys):
    from rnnlab.cli import main

    csv = tmp_path / "parts.csv"
    _count_panel().df.to_csv(csv, index=False)
    assert main(["backtest", "--data", str(csv), "--model", "croston", "--baselines",
                 "sba,tsb", "--horizon", "4", "--first-origin", "8", "--stride", "4",
                 "--out", str(tmp_path / "bt")]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in ("croston", "sba", "tsb"))
    assert (tmp_path / "bt" / "summary.csv").is_file()


def test_scaled_note_names_the_zero_seasonal_error_not_only_a_constant_history():
    """A slow mover with two sales that no lag-52 pair reads has no MASE scale though its
    history is not constant: the note said only 'a constant history'."""
    from rnnlab.panel.metrics import mase_scale
    from rnnlab.panel.scaled_note import scaled_note

    history = _sparse_weekly().to_numpy()[:92]
    assert np.isnan(mase_scale(history, 52)) and history.std() > 0
    note = scaled_note(pd.DataFrame({"model": ["m"], "n_series": [3], "n_series_scaled": [2]}))
    assert "2 of 3" in note and "a season apart" in note


@pytest.mark.parametrize("y, bound", [([0, 2, np.nan, 1, 0], True), ([1, 2, np.nan, 3], False),
                                      ([0, -1, 2, np.nan], False), ([np.nan, np.nan], False),
                                      ([3, 0, 0, 1], True)])
def test_one_zero_bound_rule_for_the_forecaster_the_panel_baselines_and_the_global_model(y, bound):
    """The one-series Forecaster, the panel baselines and the global model's transform
    floor the same histories (NaN left out). Old: three copies of the rule, and the
    Forecaster's took a NaN for 'has been below 0'."""
    from rnnlab.forecast import methods
    from rnnlab.panel import baseline_frames
    from rnnlab.panel.scaling import SeriesTransform

    y = np.asarray(y, dtype=np.float64)
    assert methods.bounded_at_zero(y) is bound
    assert baseline_frames.bounded_at_zero(y) is bound
    if np.isfinite(y).sum() >= 3:
        assert SeriesTransform.fit(y, "s", transform="none").floor is bound


def test_a_panel_forecast_is_judged_beside_backtests_default_baselines():
    """``rnnlab forecast`` on a panel, ``rnnlab backtest``'s --baselines default and the
    API's backtests name the same baselines, from one tuple; the intermittent-demand ones
    are in the help."""
    import argparse

    from rnnlab.panel import baseline_names, cli, forecast_run

    sub = argparse.ArgumentParser().add_subparsers()
    cli.register(sub)
    parser = sub.choices["backtest"]
    default = next(a for a in parser._actions if a.dest == "baselines")
    assert tuple(default.default.split(",")) == forecast_run.BASELINE_NAMES \
        == baseline_names.DEFAULT_BASELINES == ("naive", "seasonal_naive", "ets")
    assert "croston, sba, tsb" in default.help
    import inspect

    from rnnlab.forecast import Forecaster, backtest
    from rnnlab.panel import model_backtest

    for f in (Forecaster.backtest, backtest.backtest_series, model_backtest.backtest_config):
        assert inspect.signature(f).parameters["baselines"].default \
            is baseline_names.DEFAULT_BASELINES, f
