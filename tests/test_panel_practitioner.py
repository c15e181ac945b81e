"""A forecasting practitioner's panel (NeuralForecast-style long table with exogenous
columns and a static table): degenerate series, new series, covariates given but not
declared, backtests that must not read past their cutoffs, reproducibility."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest

from rnnlab.io.errors import DataError
from rnnlab.panel import GlobalForecaster, read_panel
from rnnlab.panel.backtest import backtest, origin_offsets, with_df
from rnnlab.panel.scaling import SeriesTransform

TINY = dict(hidden_size=8, head_size=8, epochs=2, batches_per_epoch=4, batch_size=16,
            lookback=8, horizon=4, patience=None)


def nf_long(n_series=3, n=40, seed=0, scales=(1.0, 100.0, 10000.0)) -> pd.DataFrame:
    """``unique_id, ds, y`` plus a future-known ``price`` and a past-only ``promo``."""
    rng = np.random.default_rng(seed)
    parts = []
    for i in range(n_series):
        y = scales[i % len(scales)] * (5 + np.sin(np.arange(n) / 3) + rng.normal(0, 0.3, n))
        parts.append(pd.DataFrame({"unique_id": f"s{i}",
                                   "ds": pd.date_range("2020-01-01", periods=n, freq="D"),
                                   "y": y, "price": rng.normal(size=n),
                                   "promo": (rng.random(n) > 0.7).astype(float)}))
    return pd.concat(parts, ignore_index=True)


# ---------------------------------------------------------------- degenerate series
def test_a_constant_training_part_gets_a_scale_of_its_level_not_one():
    """A constant series has no spread: its scale was 1 (in log space a factor e per unit
    of z), so a constant series of 5 was forecast at 8-9 with a 90% quantile near 20."""
    log = SeriesTransform.fit(np.full(30, 5.0), "c")
    assert log.log and log.scale == pytest.approx(0.01) and log.level_scale == pytest.approx(0.01)
    raw = SeriesTransform.fit(np.full(30, 50.0), "c", transform="none")
    assert raw.scale == pytest.approx(0.5)  # 1% of the level
    zero = SeriesTransform.fit(np.zeros(30), "z")
    assert not zero.log and zero.scale == pytest.approx(0.01)
    # a spread series is unchanged: the scale is its one-step std
    y = np.arange(1.0, 31.0) ** 1.5
    t = SeriesTransform.fit(y, "s")
    assert t.scale == pytest.approx(float(np.diff(np.log(y)).std()))


def test_constant_and_all_zero_series_are_forecast_flat():
    df = nf_long()
    df.loc[df["unique_id"] == "s0", "y"] = 5.0
    df.loc[df["unique_id"] == "s1", "y"] = 0.0
    out = GlobalForecaster(**TINY).fit(df).predict(4).set_index("unique_id")
    const, zero = out.loc["s0"], out.loc["s1"]
    np.testing.assert_allclose(const[["mean", "q0.1", "q0.5", "q0.9"]], 5.0, rtol=0.05)
    np.testing.assert_allclose(zero[["mean", "q0.1", "q0.5", "q0.9"]], 0.0, atol=0.1)
    q = out[["q0.1", "q0.5", "q0.9"]].to_numpy()
    assert (np.diff(q, axis=1) >= 0).all()  # quantiles still do not cross


# ---------------------------------------------------------------- new series
def test_a_new_series_at_predict_time_is_forecast_from_its_own_history():
    """Was refused ('fit again to add them'); NeuralForecast and Darts forecast new series
    with a global model. A copy of a trained series times 1000 (log scale: the same z) is
    forecast as exactly 1000 times the original's forecast."""
    df = nf_long()
    f = GlobalForecaster(val_size=0, **TINY).fit(df)
    before = f.predict(4)
    s1 = df[df["unique_id"] == "s1"]
    new = pd.concat([df, s1.assign(unique_id="new", y=s1["y"] * 1000)], ignore_index=True)
    with pytest.warns(UserWarning, match=r"\['new'\] were not in the training panel"):
        out = f.predict(4, history=new).set_index(["unique_id", "step"])
    np.testing.assert_allclose(out.loc["new"][["mean", "q0.1", "q0.9"]],
                               1000 * out.loc["s1"][["mean", "q0.1", "q0.9"]], rtol=1e-4)
    # the fitted model is not changed by it
    assert "new" not in f.features.transforms
    pd.testing.assert_frame_equal(f.predict(4), before)


def test_new_series_refused_where_the_model_cannot_know_them(tmp_path):
    df = nf_long()
    static = pd.DataFrame({"unique_id": ["s0", "s1", "s2"], "region": ["a", "b", "a"]})
    f = GlobalForecaster(static_covariates=("region",), **TINY).fit(df, static=static)
    new = df.assign(unique_id=df["unique_id"].replace({"s2": "s9"}))
    with pytest.raises(DataError, match=r"'s9'.*static covariates \['region'\].*fit again"):
        f.predict(4, history=new)
    local = GlobalForecaster(local=True, **dict(TINY, epochs=1, batches_per_epoch=1)).fit(df)
    with pytest.warns(UserWarning, match=r"'s9'.*local model.*skipped"):  # no model for it
        assert "s9" not in set(local.predict(4, history=new)["unique_id"])
    with pytest.raises(DataError, match=r"'s9'.*local model.*local=False"):  # none known
        local.predict(4, history=new[new["unique_id"] == "s9"])
    # a local model forecasts the series of the history given, as the global one does
    sub = local.predict(4, history=df[df["unique_id"] == "s1"])
    assert sub["unique_id"].unique().tolist() == ["s1"]


def test_backtest_refit_never_forecasts_a_series_too_short_at_its_first_origin():
    """s2 is too short to train on at the first origin but long enough to be forecast
    later: the backtest stopped with 'series ['s2'] were not in the training panel'."""
    df = nf_long(n=40)
    df = pd.concat([df[df["unique_id"] != "s2"], df[df["unique_id"] == "s2"].tail(20)],
                   ignore_index=True)  # (too short at the first origin with or without a lag)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = backtest(lambda: GlobalForecaster(**TINY), read_panel(df), horizon=4,
                       first_origin=12, stride=4, refit="never")
    said = [str(w.message) for w in caught]
    assert any("'s2'" in m and "skipped" in m for m in said)
    # (named as skipped by fit since rev_user29c, not as new: "not in the training panel")
    assert any(m.startswith("series ['s2'] were not trained on (skipped by fit as too short "
                            "for its windows: 's2' had ") and "): forecast" in m for m in said)
    origins = res.forecasts.groupby("unique_id")["origin"].nunique()
    assert origins["s0"] == origins["s1"] == 3
    assert 1 <= origins["s2"] < 3  # forecast at the origins where its history suffices


# ---------------------------------------------------------------- covariates
def test_covariates_given_but_not_declared_are_named_not_dropped_silently():
    df = nf_long()
    static = pd.DataFrame({"unique_id": ["s0", "s1", "s2"], "region": ["a", "b", "a"]})
    with pytest.warns(UserWarning, match=r"static= has columns \['region'\].*"
                                         r"static_covariates=\('region',\)"):
        f = GlobalForecaster(**TINY).fit(df, static=static)
    future = nf_long(n=44).groupby("unique_id").tail(4)[["unique_id", "ds", "price"]]
    with pytest.warns(UserWarning, match=r"future= has columns \['price'\].*"
                                         r"future_covariates=\('price',\)"):
        f.predict(4, future=future)
    with warnings.catch_warnings():  # declared: no warning
        warnings.simplefilter("error")
        GlobalForecaster(future_covariates=("price",), **TINY).fit(df).predict(4, future=future)


def test_a_static_category_with_no_value_is_refused_naming_the_series():
    """Was a TypeError from sorting text with NaN."""
    df = nf_long()
    static = pd.DataFrame({"unique_id": ["s0", "s1", "s2"], "region": ["a", None, "b"]})
    with pytest.raises(DataError, match=r"'region' has no value \(NaN\) for series \['s1'\]"
                                        r".*fill them"):
        GlobalForecaster(static_covariates=("region",), **TINY).fit(df, static=static)
    with pytest.raises(DataError, match=r"no value for series \['s2'\].*add rows"):
        GlobalForecaster(static_covariates=("region",), **TINY).fit(df, static=static[:2])
    with pytest.raises(DataError, match=r"no static table was given: pass static= a table "
                                        r"\(unique_id, region\)"):
        GlobalForecaster(static_covariates=("region",), **TINY).fit(df)


# ---------------------------------------------------------------- backtests
def test_global_model_backtest_reads_nothing_after_each_cutoff():
    """Targets and past covariates after an origin, and future covariates after its
    horizon, changed: no forecast from that origin or an earlier one changes."""
    panel = read_panel(nf_long(n=36))
    cfg = dict(TINY, future_covariates=("price",), past_covariates=("promo",),
               epochs=1, batches_per_epoch=2)
    run = dict(horizon=4, first_origin=8, stride=4, refit="never")
    base = backtest(lambda: GlobalForecaster(**cfg), panel, **run).forecasts
    pos = panel.df.groupby("unique_id").cumcount(ascending=False)
    for off in origin_offsets(4, 8, 4):
        df = panel.df.copy()
        df.loc[pos < off, "y"] *= 3.0
        df.loc[pos < off, "promo"] = 50.0
        df.loc[pos < off - 4, "price"] = 50.0
        fc = backtest(lambda: GlobalForecaster(**cfg), with_df(panel, df), **run).forecasts
        origin = panel.df[pos == off].set_index("unique_id")["ds"]
        upto = fc["origin"] <= fc["unique_id"].map(origin)
        a, b = base[upto].reset_index(drop=True), fc[upto].reset_index(drop=True)
        assert len(a) == 12 * (1 + (off == 4))
        pd.testing.assert_frame_equal(a.drop(columns="y"), b.drop(columns="y"))
        if (~upto).any():  # the test can see a leak: later origins read the changes
            assert not np.allclose(base.loc[~upto, "mean"], fc.loc[~upto, "mean"])


def test_backtest_config_records_the_data_hash(tmp_path, capsys):
    """config.json held options, seed and versions but not which data (data_sha256: null)."""
    from rnnlab.cli import main

    df = nf_long(n=30)
    path = tmp_path / "p.csv"
    df.to_csv(path, index=False)
    args = ["backtest", "--data", str(path), "--model", "naive", "--baselines", "none",
            "--horizon", "4", "--plot-series", "0"]
    assert main(args + ["--out", str(tmp_path / "a")]) == 0
    df.loc[5, "y"] += 1.0
    df.to_csv(path, index=False)
    assert main(args + ["--out", str(tmp_path / "b")]) == 0
    a, b = (json.loads((tmp_path / d / "config.json").read_text()) for d in "ab")
    assert len(a["data_sha256"]) == 64 and a["data_sha256"] != b["data_sha256"]
    assert a["seed"] == 0 and a["versions"]["torch"] and a["config"]["packages"]["pandas"]


# ---------------------------------------------------------------- reproducibility
@pytest.mark.parametrize("kw", [dict(), dict(likelihood="studentt", samples=16, ensemble=2)])
def test_a_seed_fixes_a_cpu_run_and_the_loaded_model_forecasts_the_same(tmp_path, kw):
    df = nf_long()
    cfg = dict(TINY, future_covariates=("price",), calendar=("dayofweek",), **kw)
    future = nf_long(n=44).groupby("unique_id").tail(4)[["unique_id", "ds", "price"]]
    a = GlobalForecaster(**cfg).fit(df)
    b = GlobalForecaster(**cfg).fit(df)
    pd.testing.assert_frame_equal(a.predict(4, future=future), b.predict(4, future=future))
    a.save(tmp_path / "m")
    c = GlobalForecaster.load(tmp_path / "m")
    pd.testing.assert_frame_equal(a.predict(4, future=future), c.predict(4, future=future))
    s1 = df[df["unique_id"] == "s1"]
    new = pd.concat([df, s1.assign(unique_id="new")], ignore_index=True)
    with pytest.warns(UserWarning, match="not in the training panel"):
        pa = a.predict(4, future=pd.concat([future, future[future.unique_id == "s1"]
                                            .assign(unique_id="new")]), history=new)
    with pytest.warns(UserWarning, match="not in the training panel"):
        pc = c.predict(4, future=pd.concat([future, future[future.unique_id == "s1"]
                                            .assign(unique_id="new")]), history=new)
    pd.testing.assert_frame_equal(pa, pc)
    assert not GlobalForecaster(**dict(cfg, seed=1)).fit(df).predict(4, future=future).equals(
        a.predict(4, future=future))


# ---------------------------------------------------------------- future tables
def test_a_future_table_repeating_a_series_date_is_refused_not_read_first_row():
    """Two rows of (s0, date) with different prices: the first was taken without a word."""
    df = nf_long()
    f = GlobalForecaster(future_covariates=("price",), **TINY).fit(df)
    future = nf_long(n=44).groupby("unique_id").tail(4)[["unique_id", "ds", "price"]]
    twice = pd.concat([future, future.iloc[:1].assign(price=99.0)], ignore_index=True)
    with pytest.raises(DataError, match=r"2 rows repeat a \(series, date\) pair: "
                                        r"\('s0', 2020-02-10\).*one row per series and date"):
        f.predict(4, future=twice)


def test_covariates_shared_by_every_series_may_come_without_an_id_column(tmp_path):
    """A holiday flag or one region's weather: one row per date (Darts' shared
    covariates); was 'the table lacks columns ['unique_id']'. A file for a built-in
    panel may name its date column as the panel does (elecdaily: Date)."""
    from rnnlab.panel.future_file import read_future

    df = nf_long()
    f = GlobalForecaster(future_covariates=("price",), **TINY).fit(df)
    shared = pd.DataFrame({"ds": pd.date_range("2020-02-10", periods=4, freq="D"),
                           "price": [0.5, -1.0, 2.0, 0.0]})
    per_series = pd.concat([shared.assign(unique_id=u) for u in ("s0", "s1", "s2")])
    pd.testing.assert_frame_equal(f.predict(4, future=shared), f.predict(4, future=per_series))
    pd.testing.assert_frame_equal(f.predict(4, future=shared.set_index("ds")),  # Darts' form
                                  f.predict(4, future=per_series))
    with pytest.raises(DataError, match=r"no 'unique_id' column and repeats dates"):
        f.predict(4, future=pd.concat([shared, shared]))
    path = tmp_path / "future.csv"
    shared.rename(columns={"ds": "Date"}).assign(
        Date=lambda d: d["Date"].dt.strftime("%Y-%m-%d")).to_csv(path, index=False)
    read = read_future(path, ("price",), None, None)
    assert list(read.columns) == ["ds", "price"]
    pd.testing.assert_frame_equal(f.predict(4, future=read), f.predict(4, future=shared))


def test_a_series_positive_in_training_that_reaches_zero_is_still_forecast():
    """transform='auto' models a positive series in logs; a later 0 in its window (a
    sale-less week) stopped every forecast from it, a backtest's later origins included."""
    df = nf_long()
    pos = df.groupby("unique_id").cumcount(ascending=False)
    f = GlobalForecaster(**TINY).fit(df[pos >= 8])
    assert f.features.transforms["s0"].log
    later = df.copy()  # a 0 after the first origin (8 before the end), before the second
    later.loc[(later["unique_id"] == "s0") & (pos == 5), "y"] = 0.0
    with pytest.warns(UserWarning, match=r"\['s0'\] were positive in training.*without the log"):
        out = f.predict(4, history=later)
    assert np.isfinite(out[["mean", "q0.1", "q0.9"]].to_numpy()).all()
    other = out["unique_id"] != "s0"
    pd.testing.assert_frame_equal(out[other], f.predict(4, history=df)[other])
    with pytest.warns(UserWarning, match=r"\['s0'\] were positive in training"):
        res = backtest(lambda: GlobalForecaster(**TINY), read_panel(later), horizon=4,
                       first_origin=8, stride=4, refit="never")
    assert res.forecasts.groupby("unique_id")["origin"].nunique().eq(2).all()
    logged = GlobalForecaster(transform="log", **TINY).fit(df[pos >= 8])
    with pytest.raises(DataError, match=r"'s0' has values <= 0.*transform='auto'"):
        logged.predict(4, history=later)


# ---------------------------------------------------------------- interval metrics
def test_backtest_crps_equals_properscoring_and_the_integral_by_hand():
    """A backtest's crps column for quantiles 0.1/0.5/0.9: properscoring's crps_ensemble
    with weights (0.3, 0.4, 0.3), and the integral of (F(x) - 1{x >= y})^2 of that
    discrete distribution; one level 0.5 gives |y - q|."""
    import properscoring as ps

    from rnnlab.panel import metrics as M

    fc = pd.DataFrame({"model": "m", "unique_id": ["a", "a", "b"], "y": [1.0, 4.0, -2.0],
                       "mean": [2.0, 2.0, 0.0], "q0.1": [0.0, 1.0, -1.0],
                       "q0.5": [2.0, 2.0, 0.0], "q0.9": [3.0, 3.5, 2.0], "scale": 1.0})
    got = M.add_errors(fc)["crps"].to_numpy()
    q = fc[["q0.1", "q0.5", "q0.9"]].to_numpy()
    w = np.array([0.3, 0.4, 0.3])
    np.testing.assert_allclose(got, ps.crps_ensemble(fc["y"].to_numpy(), q,
                                                     weights=np.tile(w, (3, 1))))
    x = np.linspace(-10, 10, 200001)
    trapezoid = getattr(np, "trapezoid", None) or np.trapz  # numpy < 2.0: trapz only
    for i in range(3):
        F = (w[None, :] * (x[:, None] >= q[i][None, :])).sum(axis=1)
        by_hand = trapezoid((F - (x >= fc["y"][i])) ** 2, x)
        assert got[i] == pytest.approx(by_hand, abs=1e-3)
    one = M.add_errors(fc.drop(columns=["q0.1", "q0.9"]))["crps"]
    np.testing.assert_allclose(one, np.abs(fc["y"] - fc["q0.5"]))
    summary = M.summarize(fc).iloc[0]
    assert summary["crps"] == pytest.approx((got[:2].mean() + got[2]) / 2)  # per series, then mean
    assert summary["coverage80"] == pytest.approx((0.5 + 0.0) / 2)


def test_reported_coverage_is_over_the_held_out_rows_only():
    """An interval that covers the training part perfectly and misses every held-out
    value scores 0, not the share over all rows it was given."""

    class Leaky:
        name = "leaky"

        def fit(self, panel, static=None):
            self.panel = panel
            return self

        def predict(self, horizon, future=None, history=None):
            p = history if history is not None else self.panel
            last = p.df.groupby("unique_id").tail(1)
            rows = [pd.DataFrame({"unique_id": u, "step": np.arange(-5, horizon + 1),
                                  "mean": 0.0, "q0.1": -1e-9, "q0.5": 0.0, "q0.9": 1e-9})
                    for u in last["unique_id"]]
            return pd.concat(rows, ignore_index=True)

    df = nf_long(n=30).assign(y=lambda d: d["y"] + 1.0)  # every y > 0: never in [-1e-9, 1e-9]
    res = backtest(Leaky, read_panel(df), horizon=4, first_origin=8, stride=4)
    fc = res.forecasts
    assert (fc["ds"] > fc["origin"]).all() and fc["step"].between(1, 4).all()
    assert res.summary()["coverage80"].iloc[0] == 0.0


@pytest.mark.slow
def test_us_employment_backtest_coverage_is_near_nominal():
    """The global model's 80% interval over 148 series x 3 origins x 12 months (measured
    0.847 at the default settings, lookback 36); a calibration check, not a tuned goal."""
    from rnnlab.panel import load_panel

    panel = load_panel("us_employment")
    res = backtest(lambda: GlobalForecaster("lstm", lookback=36, horizon=12), panel,
                   horizon=12, first_origin=36, stride=12, baselines=("seasonal_naive",))
    s = res.summary().set_index("model")
    assert 0.75 <= s.loc["model", "coverage80"] <= 0.90
    assert s.loc["model", "mase"] < s.loc["seasonal_naive", "mase"]


def test_every_central_interval_gets_its_coverage_not_only_the_80_one():
    """NeuralForecast's level=[80, 90] is quantiles 0.05, 0.1, 0.5, 0.9, 0.95: the 90%
    interval had no coverage; with 0.05/0.5/0.95 alone no interval was scored at all."""
    from rnnlab.panel import metrics as M

    fc = pd.DataFrame({"model": "m", "unique_id": ["a", "a", "b", "b"], "step": [1, 2, 1, 2],
                       "y": [0.0, 1.5, 3.0, -0.5], "mean": 0.0, "scale": 1.0,
                       "q0.05": -2.0, "q0.1": -1.0, "q0.5": 0.0, "q0.9": 1.0, "q0.95": 2.0})
    s = M.summarize(fc).iloc[0]
    assert s["coverage80"] == pytest.approx((0.5 + 0.5) / 2)  # a: 0 in, 1.5 out; b: -0.5 in
    assert s["coverage90"] == pytest.approx((1.0 + 0.5) / 2)
    assert s["width90"] == 4.0 and s["width80"] == 2.0
    only90 = M.summarize(fc.drop(columns=["q0.1", "q0.9"])).iloc[0]
    assert "coverage80" not in only90 and only90["coverage90"] == pytest.approx(0.75)
    steps = M.by_step(fc).set_index("step")
    assert steps.loc[1, "coverage90"] == 0.5 and steps.loc[2, "coverage90"] == 1.0


def test_a_column_the_model_does_not_read_cannot_stop_it():
    """A NeuralForecast table often carries exogenous columns a model does not use; one
    with NaN refused the whole panel ('covariate 'unused' has NaN ...')."""
    df = nf_long().assign(unused=lambda d: np.where(np.arange(len(d)) % 7 == 0, np.nan, 1.0))
    f = GlobalForecaster(past_covariates=("promo",), **TINY).fit(df)
    clean = GlobalForecaster(past_covariates=("promo",), **TINY).fit(df.drop(columns="unused"))
    pd.testing.assert_frame_equal(f.predict(4, history=df), clean.predict(4))
    with pytest.raises(DataError, match="'unused' has 18 NaN.*drop the column if the model "
                                        "does not read it"):
        read_panel(df)
    with pytest.raises(DataError, match="'promo' has 1 NaN"):  # a column it reads: refused
        f.predict(4, history=df.assign(promo=lambda d: d["promo"].where(d.index != 3)))


def test_negbin_refuses_values_that_are_not_counts():
    df = nf_long().assign(y=lambda d: np.abs(np.round(d["y"], 1)))
    with pytest.raises(DataError, match=r"'s0' has \d+ values that are not whole numbers.*"
                                        r"likelihood='gaussian'"):
        GlobalForecaster(likelihood="negbin", **TINY).fit(df)


def test_a_backtest_from_python_saves_its_results_with_settings_seed_and_versions(tmp_path):
    """Only `rnnlab backtest --out` wrote config.json; a BacktestResult could not be saved
    with what made it."""
    from rnnlab.io.errors import RunDirError
    from rnnlab.panel.backtest_save import panel_sha256

    panel = read_panel(nf_long(n=40))
    res = GlobalForecaster(seed=3, **dict(TINY, epochs=1, batches_per_epoch=1)).backtest(
        panel, first_origin=8, stride=4, baselines=("naive",))
    res.save(tmp_path / "bt")
    info = json.loads((tmp_path / "bt" / "config.json").read_text())
    cfg = info["config"]
    assert info["seed"] == 3 and info["data_sha256"] == panel_sha256(panel)
    assert cfg["models"]["lstm"]["class"] == "GlobalForecaster"
    assert cfg["models"]["lstm"]["lookback"] == 8 and cfg["models"]["naive"]["class"] == "Naive"
    assert cfg["origins_before_end"] == [8, 4] and cfg["refit"] == "never"
    assert info["versions"]["torch"] and cfg["packages"]["properscoring"]
    back = pd.read_csv(tmp_path / "bt" / "forecasts.csv")
    assert len(back) == len(res.forecasts) and set(back["model"]) == {"lstm", "naive"}
    assert all((tmp_path / "bt" / f).is_file() for f in ("summary.csv", "by_step.csv"))
    with pytest.raises(RunDirError, match="overwrite"):
        res.save(tmp_path / "bt")
    res.save(tmp_path / "bt", overwrite=True)


def test_a_static_table_giving_a_series_two_values_is_refused():
    """The first row was taken without a word."""
    df = nf_long()
    static = pd.DataFrame({"unique_id": ["s0", "s1", "s2", "s1"], "region": ["a", "b", "a", "c"]})
    with pytest.raises(DataError, match=r"'region' has more than one value for series \['s1'\]"):
        GlobalForecaster(static_covariates=("region",), **TINY).fit(df, static=static)
    same = pd.concat([static[:3], static[:1]])  # a repeated identical row is harmless
    GlobalForecaster(static_covariates=("region",), **TINY).fit(df, static=same)


def test_backtest_takes_a_dataframe_as_fit_does():
    """backtest(make_model, df) failed with "'DataFrame' object has no attribute 'df'"."""
    df = nf_long(n=30)
    a = backtest(None, df, horizon=4, first_origin=8, stride=4, baselines=("naive",))
    b = backtest(None, read_panel(df), horizon=4, first_origin=8, stride=4, baselines=("naive",))
    pd.testing.assert_frame_equal(a.forecasts, b.forecasts)


def test_a_series_skipped_at_fit_keeps_its_static_covariates_for_later_origins(tmp_path):
    """With static covariates, a series too short at the first origin stopped a
    refit='never' backtest at the next one (its static values were not kept)."""
    df = nf_long(n=40)
    df = pd.concat([df[df["unique_id"] != "s2"], df[df["unique_id"] == "s2"].tail(20)],
                   ignore_index=True)  # (too short at the first origin with or without a lag)
    static = pd.DataFrame({"unique_id": ["s0", "s1", "s2"], "region": ["a", "b", "a"],
                           "size": [1.0, 2.0, 3.0]})
    cfg = dict(TINY, static_covariates=("region", "size"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # s2 skipped at the first origin, forecast later
        res = backtest(lambda: GlobalForecaster(**cfg), read_panel(df), horizon=4,
                       first_origin=12, stride=4, static=static)
    assert 1 <= res.forecasts.groupby("unique_id")["origin"].nunique()["s2"] < 3
    # fitted directly: s2's static values are kept (and saved), an unknown series refused
    pos = df.groupby("unique_id").cumcount(ascending=False)
    with pytest.warns(UserWarning, match="'s2'"):
        f = GlobalForecaster(**cfg).fit(df[pos >= 12], static=static)
    assert f.features.codes["s2"] == [1] and "s2" not in f.features.transforms
    f.save(tmp_path / "m")
    g = GlobalForecaster.load(tmp_path / "m")
    with pytest.warns(UserWarning, match=r"\['s2'\] were not in the training panel"):
        pd.testing.assert_frame_equal(f.predict(4, history=df), g.predict(4, history=df))
    with pytest.raises(DataError, match=r"\['s9'\].*static covariates"):
        f.predict(4, history=df.assign(unique_id=df["unique_id"].replace({"s2": "s9"})))


def test_cli_static_covariates_from_their_own_file(tmp_path, capsys):
    """Static covariates usually live in a table of their own (us_employment's titles);
    the CLI took them only as columns of the data."""
    from rnnlab.cli import main
    from rnnlab.panel.cli import load_panel as cli_load

    df = nf_long(n=30).rename(columns={"unique_id": "store"})
    df.to_csv(tmp_path / "p.csv", index=False)
    pd.DataFrame({"store": ["s0", "s1", "s2"], "region": ["a", "b", "a"]}).to_csv(
        tmp_path / "static.csv", index=False)
    args = ["backtest", "--data", str(tmp_path / "p.csv"), "--id-column", "store",
            "--model", "naive", "--baselines", "none", "--horizon", "4", "--plot-series", "0",
            "--static-covariates", "region"]
    assert main(args + ["--out", str(tmp_path / "a")]) != 0
    assert "--static-data FILE.csv" in capsys.readouterr().err
    assert main(args + ["--static-data", str(tmp_path / "static.csv"),
                        "--out", str(tmp_path / "b")]) == 0
    import argparse

    ns = argparse.Namespace(data="us_employment", id_column=None, date_column=None,
                            column=None, fill=None, static_covariates="Title",
                            static_data="us_employment_titles")
    panel, static = cli_load(ns)
    assert len(static) == 148 and set(static["unique_id"]) == set(panel.ids)


def test_cli_reads_only_the_covariates_it_is_told_about(tmp_path, capsys):
    """A CSV with a column no option names, NaN in it: refused before."""
    from rnnlab.cli import main

    df = nf_long(n=30).assign(notes=lambda d: np.where(d.index % 5 == 0, np.nan, 1.0))
    df.to_csv(tmp_path / "p.csv", index=False)
    args = ["backtest", "--data", str(tmp_path / "p.csv"), "--model", "naive", "--baselines",
            "none", "--horizon", "4", "--plot-series", "0", "--past-covariates", "promo"]
    assert main(args + ["--out", str(tmp_path / "a")]) == 0
    assert main(args[:-1] + ["nope", "--out", str(tmp_path / "b")]) != 0
    assert "['nope'] not found" in capsys.readouterr().err  # and the columns it has are listed


def test_ets_baseline_forecasts_a_series_that_starts_after_the_first_origin():
    """A series with one value before the first origin is left out there and forecast at
    the later ones; ETS (refit 'never') stopped the backtest: 'was not in the panel it was
    fitted on'. It is fitted on its history up to the origin, as a refit would."""
    from rnnlab.panel.baselines import ETS

    df = nf_long(n=40)
    df = pd.concat([df[df["unique_id"] != "s2"], df[df["unique_id"] == "s2"].tail(13)],
                   ignore_index=True)
    with pytest.warns(UserWarning, match="left out there: s2"):
        res = backtest(None, read_panel(df), horizon=4, first_origin=12, stride=4,
                       baselines=("naive", "ets"))
    origins = res.forecasts.groupby(["model", "unique_id"])["origin"].nunique()
    assert origins["ets"].to_dict() == {"s0": 3, "s1": 3, "s2": 2}
    # its forecast at an origin is the one of an ETS fitted there (refit=1)
    with pytest.warns(UserWarning, match="left out there: s2"):
        refit = backtest(None, read_panel(df), horizon=4, first_origin=12, stride=4, refit=1,
                         baselines=(ETS(),))
    key = ["unique_id", "origin", "step"]
    a = res.forecasts.query("model == 'ets' and unique_id == 's2'").sort_values(key)
    b = refit.forecasts.query("unique_id == 's2'").sort_values(key)
    np.testing.assert_allclose(a[["mean", "q0.1", "q0.9"]][:4], b[["mean", "q0.1", "q0.9"]][:4])
