"""fpp3's MEAN() and TSLM(y ~ trend() + season()) as panel baselines (session 33): the
forecasts and intervals of each checked on visnights against fpp3's formulas computed here
by hand (numpy, not the code under test), and both scored in a backtest beside the others."""

import math
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest

from rnnlab.io.errors import ConfigTypeError
from rnnlab.panel import Mean, TSLM, load_panel, read_panel
from rnnlab.panel.backtest import backtest
from rnnlab.panel.baselines import make_baseline

LEVELS = (0.025, 0.1, 0.5, 0.9, 0.975)


def _z(t):
    return NormalDist().inv_cdf(t)


def test_mean_is_fpp3s_mean_method_with_its_interval_by_hand():
    panel = load_panel("visnights")
    train, h = panel.cut(8), 8
    fc = Mean(quantiles=LEVELS).fit(train).predict(h)
    for uid in panel.ids[:5]:
        y = train.series(uid)["y"].to_numpy()
        n = len(y)
        sigma = math.sqrt(((y - y.mean()) ** 2).sum() / (n - 1))  # fable's sd(residuals)
        se = sigma * math.sqrt(1 + 1 / n)  # fpp3 5.5's mean-method sigma_h
        mine = fc[fc["unique_id"] == uid]
        assert np.allclose(mine["mean"], y.mean())
        for t in LEVELS:
            assert np.allclose(mine[f"q{t}"], y.mean() + _z(t) * se), t


def _fable_tslm(y: np.ndarray, quarters: np.ndarray, future_quarters: np.ndarray):
    """TSLM(y ~ trend() + season()) by hand: calendar-quarter dummies (Q1 the baseline, as
    fable's season()), least squares by numpy, and fable's normal prediction interval
    sigma sqrt(1 + x'(X'X)^-1 x)."""
    n, h = len(y), len(future_quarters)

    def design(t, q):
        return np.column_stack([np.ones(len(t)), t] + [(q == k).astype(float) for k in (2, 3, 4)])

    x = design(np.arange(1, n + 1), quarters)
    xf = design(np.arange(n + 1, n + h + 1), future_quarters)
    beta, *_ = np.linalg.lstsq(x, y, rcond=None)
    sigma2 = ((y - x @ beta) ** 2).sum() / (n - x.shape[1])
    inv = np.linalg.inv(x.T @ x)
    se = np.sqrt(sigma2 * (1 + np.einsum("ij,jk,ik->i", xf, inv, xf)))
    return xf @ beta, se


def test_tslm_is_fables_trend_and_season_regression_with_its_interval_by_hand():
    panel = load_panel("visnights")
    train, h = panel.cut(8), 8
    fc = TSLM(quantiles=LEVELS).fit(train).predict(h)
    for uid in panel.ids[:5]:
        s = train.series(uid)
        mine = fc[fc["unique_id"] == uid]
        mean, se = _fable_tslm(s["y"].to_numpy(), s["ds"].dt.quarter.to_numpy(),
                               mine["ds"].dt.quarter.to_numpy())  # (visnights': periods)
        assert np.allclose(mine["mean"], mean)
        for t in LEVELS:
            assert np.allclose(mine[f"q{t}"], mean + _z(t) * se), t
        width = (mine["q0.9"] - mine["q0.1"]).to_numpy()
        assert width[-1] > width[0]  # (the trend's error grows with the distance)


def test_tslm_follows_a_trend_and_season_the_mean_does_not():
    t = np.arange(60)
    y = 10 + 0.5 * t + np.tile([3.0, -1.0, 0.0, -2.0], 15)
    ds = pd.date_range("2000-01-01", periods=60, freq="QS")
    panel = read_panel(pd.DataFrame({"unique_id": "a", "ds": ds, "y": y}))
    fc = TSLM().fit(panel.cut(8)).predict(8)
    assert np.allclose(fc["mean"], y[-8:])  # (an exact trend + season: read exactly)
    assert not np.allclose(Mean().fit(panel.cut(8)).predict(8)["mean"], y[-8:])


def test_a_short_series_gets_no_intervals_with_a_warning():
    ds = pd.date_range("2000-01-01", periods=4, freq="QS")
    panel = read_panel(pd.DataFrame({"unique_id": "a", "ds": ds, "y": [1.0, 3.0, 2.0, 4.0]}))
    for cls in (Mean, TSLM):
        with pytest.warns(UserWarning, match="fewer than 5 in-sample residuals"):
            fc = cls().fit(panel).predict(2)
        assert fc["q0.1"].isna().all() and fc["mean"].notna().all(), cls


def test_both_are_baselines_by_name_scored_in_a_backtest():
    res = backtest(None, load_panel("visnights"), horizon=4, first_origin=8, stride=4,
                   baselines=("naive", "mean", "tslm"))
    summary = res.summary().set_index("model")
    assert {"naive", "mean", "tslm"} <= set(summary.index)
    assert (summary.loc[["mean", "tslm"], "mase"] > 0).all()
    assert summary.loc["tslm", "mase"] != summary.loc["mean", "mase"]
    assert make_baseline("mean", quantiles=None).quantiles == ()


def test_their_settings_are_checked():
    with pytest.raises(ConfigTypeError, match="period"):
        Mean(period=4)  # (the mean reads no season)
    with pytest.raises(Exception, match="whole number"):
        TSLM(period=0)


@pytest.mark.slow
def test_the_command_line_scores_them_beside_the_model(tmp_path):
    from rnnlab.cli import main

    out = tmp_path / "bt"
    assert main(["backtest", "--data", "visnights", "--model", "naive", "--baselines",
                 "mean,tslm", "--horizon", "4", "--first-origin", "8", "--stride", "4",
                 "--out", str(out), "--plot-series", "0"]) == 0
    summary = pd.read_csv(out / "summary.csv")
    assert {"naive", "mean", "tslm"} <= set(summary["model"])
    fc = pd.read_csv(out / "forecasts.csv")
    assert fc.loc[fc["model"] == "tslm", "q0.9"].notna().all()


def test_a_longer_history_is_read_as_the_naive_reads_it():
    # a backtest's refit="never": the mean and the regression of the history given
    panel = load_panel("visnights")
    early, later = panel.cut(12), panel.cut(4)
    uid = panel.ids[0]
    y = later.series(uid)["y"].to_numpy()
    fc = Mean().fit(early).predict(4, history=later)
    assert np.allclose(fc.loc[fc["unique_id"] == uid, "mean"], y.mean())
    again = TSLM().fit(early).predict(4, history=later)
    assert np.allclose(again["mean"], TSLM().fit(later).predict(4)["mean"])
