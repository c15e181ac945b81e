"""Panel baselines and the rolling-origin backtest: hand-rolled loops, leakage, coverage."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Tuple

import numpy as np
import pandas as pd
import pytest

from rnnlab.panel.backtest import backtest, origin_offsets, with_df
from rnnlab.panel.baselines import ETS, Naive, SeasonalNaive, check_quantiles


@dataclass(frozen=True)
class Panel:  # the shape of panels-core's PanelFrame (read_panel's result)
    df: pd.DataFrame
    freq: str
    period: Optional[int]
    ids: Tuple[str, ...]


def make_panel(n_series=4, length=60, period=12, seed=0, ragged=True, noise=1.0) -> Panel:
    """Monthly seasonal series of different scales, lengths and start dates."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n_series):
        n = length - (3 * i if ragged else 0)
        start = pd.Timestamp("2000-01-01") + pd.DateOffset(months=(2 * i if ragged else 0))
        ds = pd.date_range(start, periods=n, freq="MS")
        level = 10.0 ** (i % 3)
        y = level * (5 + np.sin(2 * np.pi * np.arange(n) / period)) + rng.normal(0, noise, n)
        rows.append(pd.DataFrame({"unique_id": f"s{i}", "ds": ds, "y": y,
                                  "temp": rng.normal(size=n), "past": rng.normal(size=n)}))
    df = pd.concat(rows, ignore_index=True)
    return Panel(df=df, freq="MS", period=period, ids=tuple(df["unique_id"].unique()))


class GlobalDrift:
    """A stub global model: last value + a drift fitted across all series (so refitting
    changes its forecasts), residual quantiles; predicts from ``history`` when given."""

    name = "drift"

    def __init__(self, quantiles=(0.1, 0.5, 0.9)):
        self.quantiles = quantiles
        self.seen_until = {}  # id -> latest ds seen in fit or history

    def _see(self, panel):
        for uid, ds in panel.df.groupby("unique_id")["ds"].max().items():
            self.seen_until[uid] = max(ds, self.seen_until.get(uid, ds))

    def fit(self, panel, static=None):
        self._see(panel)
        d = panel.df.groupby("unique_id")["y"].diff()
        self.drift = float(d.mean())
        self.spread = np.quantile(d.dropna() - self.drift, self.quantiles)
        self.panel = panel
        return self

    def predict(self, horizon, future=None, history=None):
        panel = history if history is not None else self.panel
        if history is not None:
            self._see(history)
        out = []
        for uid, g in panel.df.groupby("unique_id", sort=False):
            steps = np.arange(1, horizon + 1)
            mean = g["y"].iloc[-1] + self.drift * steps
            f = pd.DataFrame({"unique_id": uid, "step": steps, "mean": mean,
                              "ds": pd.date_range(g["ds"].iloc[-1], periods=horizon + 1,
                                                  freq=panel.freq)[1:]})
            for q, s in zip(self.quantiles, self.spread):
                f[f"q{q:g}"] = mean + s * np.sqrt(steps)
            out.append(f)
        return pd.concat(out, ignore_index=True)


def hand_rolled(make, panel, horizon, offsets, refit):
    """The backtest written out: cut, fit (or not), predict, compare."""
    rows, model = [], None
    for j, off in enumerate(offsets):
        df = panel.df
        n = df.groupby("unique_id")["y"].transform("size")
        idx = df.groupby("unique_id").cumcount()
        cut = with_df(panel, df[idx < n - off].reset_index(drop=True))
        if model is None or (refit != "never" and j % refit == 0):
            model = make().fit(cut)
            pred = model.predict(horizon)
        else:
            pred = model.predict(horizon, history=cut)
        for uid, g in pred.groupby("unique_id"):
            y = df[df.unique_id == uid]["y"].to_numpy()
            truth = y[len(y) - off:len(y) - off + horizon]
            rows.append(pd.DataFrame({"unique_id": uid, "step": g["step"].to_numpy(),
                                      "mean": g["mean"].to_numpy(), "y": truth,
                                      "q0.9": g["q0.9"].to_numpy(), "j": j}))
    return pd.concat(rows, ignore_index=True)


@pytest.mark.parametrize("refit", ["never", 1, 2])
def test_backtest_equals_hand_rolled_loop(refit):
    panel = make_panel()
    # (origins counted from each series' end, as the loop: align="date" is
    # test_panel_backtest_align19's)
    res = backtest(GlobalDrift, panel, horizon=6, first_origin=18, stride=4, refit=refit,
                   align="end")
    assert res.offsets == [18, 14, 10, 6] and res.align == "end"
    want = hand_rolled(GlobalDrift, panel, 6, res.offsets, refit)
    got = res.forecasts
    assert len(got) == len(want) == 4 * 4 * 6
    key = ["unique_id", "j", "step"]
    got = got.copy()  # each series' origins are its own dates: rank them per series
    got["j"] = got.groupby("unique_id")["origin"].rank(method="dense").astype(int) - 1
    m = want.merge(got, on=key, suffixes=("_want", ""))
    assert len(m) == len(want)
    for c in ("mean", "y", "q0.9"):
        np.testing.assert_allclose(m[c], m[c + "_want"], rtol=0, atol=1e-12)


def test_refit_policy_changes_forecasts():
    panel = make_panel()
    never = backtest(GlobalDrift, panel, horizon=6, first_origin=18, stride=4).forecasts
    every = backtest(GlobalDrift, panel, horizon=6, first_origin=18, stride=4,
                     refit=1).forecasts
    first = never["origin"] == never.groupby("unique_id")["origin"].transform("min")
    np.testing.assert_allclose(never[first]["mean"], every[first]["mean"])
    assert not np.allclose(never[~first]["mean"], every[~first]["mean"])


@pytest.mark.parametrize("refit", ["never", 1])
def test_no_origin_sees_data_after_it(refit):
    """Values after an origin, poisoned, change no forecast made from it or before it;
    and the model never saw a date after the origin it forecast from."""
    panel = make_panel()
    offsets = origin_offsets(6, 18, 4)
    base = backtest(GlobalDrift, panel, horizon=6, first_origin=18, stride=4, refit=refit,
                    baselines=("naive", "seasonal_naive"), align="end").forecasts
    key = ["model", "unique_id", "origin", "step"]
    for off in offsets:
        df = panel.df.copy()
        idx = df.groupby("unique_id").cumcount(ascending=False)
        df.loc[idx < off, "y"] = 1e9
        df.loc[idx < off, "past"] = 1e9
        poisoned = backtest(GlobalDrift, with_df(panel, df), horizon=6, first_origin=18,
                            stride=4, refit=refit, baselines=("naive", "seasonal_naive"),
                            align="end")  # (each series' own origins: align19's for dates)
        fc = poisoned.forecasts
        origin_of = panel.df[idx == off].set_index("unique_id")["ds"]
        upto = fc["origin"] <= fc["unique_id"].map(origin_of)
        a = base[upto].sort_values(key).reset_index(drop=True)
        b = fc[upto].sort_values(key).reset_index(drop=True)
        assert len(a) > 0
        for c in ("mean", "q0.1", "q0.9"):
            np.testing.assert_allclose(a[c], b[c])
        if (~upto).any():  # (the poison reached the truth of the later origins)
            assert (fc[~upto]["y"] == 1e9).any()


def test_model_sees_no_date_after_its_origin():
    panel = make_panel()
    seen = []

    def make():
        seen.append(GlobalDrift())
        return seen[-1]

    res = backtest(make, panel, horizon=6, first_origin=18, stride=4, refit="never")
    assert len(seen) == 1  # fitted once
    fc = res.forecasts
    first_origin = fc.groupby("unique_id")["origin"].min()
    last_origin = fc.groupby("unique_id")["origin"].max()
    fitted = seen[0].panel.df.groupby("unique_id")["ds"].max()
    pd.testing.assert_series_equal(fitted, first_origin, check_names=False)
    for uid, ds in seen[0].seen_until.items():
        assert ds == last_origin[uid]


class FromFuture:
    """Predicts the future covariate itself; records which columns it was shown."""

    future_covariates = ("temp",)

    def fit(self, panel, static=None):
        return self

    def predict(self, horizon, future=None, history=None):
        self.columns = list(future.columns)
        return future.assign(step=future.groupby("unique_id").cumcount() + 1,
                             mean=future["temp"])[["unique_id", "ds", "step", "mean"]]


def test_future_covariates_reach_the_model_over_the_horizon_only():
    panel = make_panel()
    df = panel.df.assign(y=panel.df["temp"] * 3 + 1)
    df["temp"] = (df["y"] - 1) / 3  # the target is known from the covariate
    made = []
    res = backtest(lambda: made.append(FromFuture()) or made[-1], with_df(panel, df),
                   horizon=3, first_origin=9, stride=3)
    fc = res.forecasts
    np.testing.assert_allclose(fc["mean"] * 3 + 1, fc["y"])
    assert made[0].columns == ["unique_id", "ds", "temp"]  # no past covariate, no target

    class InConfig(FromFuture):  # GlobalForecaster keeps its covariates in .config
        future_covariates = None
        config = type("Config", (), {"future_covariates": ("temp",)})()

    res = backtest(InConfig, with_df(panel, df), horizon=3, first_origin=9, stride=3)
    np.testing.assert_allclose(res.forecasts["mean"] * 3 + 1, res.forecasts["y"])


def test_seasonal_naive_point_forecast_and_h_step_quantiles_by_hand():
    y = np.arange(30, dtype=float) ** 1.5
    panel = Panel(pd.DataFrame({"unique_id": "a", "y": y,
                                "ds": pd.date_range("2001-01-01", periods=30, freq="MS")}),
                  "MS", 4, ("a",))
    f = SeasonalNaive(quantiles=(0.25, 0.5)).fit(panel).predict(6)
    np.testing.assert_allclose(f["mean"], y[[26, 27, 28, 29, 26, 27]])
    assert f["ds"].iloc[0] == pd.Timestamp("2003-07-01")
    lag8 = y[8:] - y[:-8]  # steps 5..6 are 8-step-ahead forecasts
    np.testing.assert_allclose(f["q0.25"].iloc[4], y[26] + np.quantile(lag8, 0.25))
    n = Naive(quantiles=(0.9,)).fit(panel).predict(3)
    np.testing.assert_allclose(n["mean"], y[29])
    np.testing.assert_allclose(n["q0.9"].iloc[2], y[29] + np.quantile(y[3:] - y[:-3], 0.9))


def test_seasonal_naive_80_coverage_on_gaussian_noise():
    """Seasonal pattern + N(0, 1): the 80% interval from empirical residuals covers
    about 80% of new values at every step."""
    panel = make_panel(n_series=200, length=132, ragged=False, noise=1.0, seed=3)
    res = backtest(None, panel, horizon=12, first_origin=12, stride=12,
                   baselines=(SeasonalNaive(),))
    s = res.summary().iloc[0]
    assert 0.76 <= s["coverage80"] <= 0.84
    # width: the 10-90% range of the difference of two N(0,1) is 2 * 1.2816 * sqrt(2)
    assert s["scaled_width80"] > 0 and abs(res.forecasts.eval("`q0.9` - `q0.1`").mean()
                                           - 2 * 1.2816 * np.sqrt(2) * 1.0) < 0.35 * 3
    steps = res.by_step()
    assert steps["coverage80"].between(0.7, 0.9).all()


def test_ets_forecasts_a_seasonal_series_better_than_naive_and_predicts_from_history():
    panel = make_panel(n_series=2, length=72, noise=0.05, ragged=False)
    res = backtest(None, panel, horizon=12, first_origin=24, stride=12,
                   baselines=(ETS(), Naive()))
    s = res.summary().set_index("model")
    assert s.loc["ets", "mase"] < 0.5 * s.loc["naive", "mase"]
    assert 0.4 <= s.loc["ets", "coverage80"] <= 1.0
    q = res.forecasts[res.forecasts.model == "ets"][["q0.1", "q0.5", "q0.9"]].to_numpy()
    assert (np.diff(q, axis=1) >= 0).all()


def test_summary_compares_models_on_common_rows():
    panel = make_panel()

    class Skips(GlobalDrift):  # a model that leaves one series out
        def predict(self, horizon, future=None, history=None):
            f = super().predict(horizon, future, history)
            return f[f.unique_id != "s0"]

    res = backtest(Skips, panel, horizon=6, first_origin=12, stride=6, baselines=("naive",))
    s = res.summary().set_index("model")
    assert s.loc["model", "n_series"] == s.loc["naive", "n_series"] == 3
    assert res.summary(common=False).set_index("model").loc["naive", "n_series"] == 4


def test_bad_arguments_say_what_to_do():
    panel = make_panel()
    with pytest.raises(ValueError, match="first_origin >= horizon"):
        backtest(GlobalDrift, panel, horizon=6, first_origin=3)
    with pytest.raises(ValueError, match="refit must be"):
        backtest(GlobalDrift, panel, horizon=6, refit=0)
    with pytest.raises(ValueError, match="sorted"):
        check_quantiles([0.9, 0.1])
    with pytest.raises(ValueError, match=r"\(0, 1\)"):
        check_quantiles([0.0, 0.5])

    class NoHistory:
        def fit(self, panel, static=None):
            self.p = panel
            return self

        def predict(self, horizon, future=None):
            return GlobalDrift().fit(self.p).predict(horizon)

    with pytest.raises(TypeError, match="refit=1"):
        backtest(NoHistory, panel, horizon=3, first_origin=6, stride=3)

    class PanelKeyword(GlobalDrift):  # one keyword only: `panel=` is not the protocol's
        def predict(self, horizon, future=None, panel=None):
            return super().predict(horizon, future, history=panel)

    with pytest.raises(TypeError, match="history="):
        backtest(PanelKeyword, panel, horizon=3, first_origin=6, stride=3)
    ok = backtest(NoHistory, panel, horizon=3, first_origin=6, stride=3, refit=1)
    assert ok.forecasts["origin"].nunique() >= 2


def test_models_with_different_levels_are_scored_on_their_own_and_said_so():
    """Baselines given as instances with their own levels: each model's pinball and CRPS
    over its own levels (they were NaN for every model), and a warning that these do not
    compare across models, nor a coverage one model has and another not."""
    panel = make_panel()
    with pytest.warns(UserWarning, match="different quantile levels"):
        res = backtest(None, panel, horizon=4, first_origin=8, stride=4,
                       baselines=[Naive(quantiles=(0.1, 0.5, 0.9)),
                                  SeasonalNaive(quantiles=(0.05, 0.5, 0.95))])
    s = res.summary().set_index("model")
    assert s[["pinball", "crps"]].notna().all().all()
    alone = backtest(None, panel, horizon=4, first_origin=8, stride=4,
                     baselines=[SeasonalNaive(quantiles=(0.05, 0.5, 0.95))]).summary()
    assert s.loc["seasonal_naive", "crps"] == pytest.approx(alone["crps"].iloc[0], rel=1e-12)
