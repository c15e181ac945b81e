"""GlobalForecaster: no leakage, covariates aligned with their steps, monotone quantiles,
calibrated intervals, likelihoods, ensembles that combine distributions, save/load."""

import numpy as np
import pandas as pd
import pytest
import torch

from rnnlab.io.errors import CheckpointError, DataError
from rnnlab.panel.frame import read_panel
from rnnlab.panel.heads import QuantileHead
from rnnlab.panel.model import GlobalForecaster
from rnnlab.panel.scaling import SeriesTransform
from rnnlab.panel.windows import WindowIndex, gather

FAST = dict(hidden_size=16, head_size=32, batch_size=64, batches_per_epoch=20, epochs=6)


def _panel(series=6, n=120, level=10.0, coef=0.0, noise=1.0, seed=0, freq="D"):
    """y = level + i + coef * x_t + noise * e_t, x and e iid N(0, 1); x is a column."""
    rng = np.random.default_rng(seed)
    parts = []
    for i in range(series):
        k = n + 7 * i  # different lengths and starts
        x = rng.standard_normal(k)
        parts.append(pd.DataFrame({
            "unique_id": f"s{i}", "ds": pd.date_range(f"2000-01-{i + 1:02d}", periods=k, freq=freq),
            "y": level + i + coef * x + noise * rng.standard_normal(k), "x": x,
            "kind": "even" if i % 2 == 0 else "odd"}))
    return read_panel(pd.concat(parts, ignore_index=True))


def _holdout(panel, h):
    test = panel.df.groupby("unique_id").tail(h)
    return panel.cut(h), test


def test_window_index_is_a_view_of_the_buffer():
    rows = np.array([10, 3, 7])
    offsets = np.array([0, 10, 13])
    idx = WindowIndex.build(offsets, rows, width=4, tail=1)
    expected = [(s, offsets[s] + j) for s in range(3) for j in range(max(rows[s] - 1 - 4 + 1, 0))]
    series, start = idx.locate(np.arange(idx.total))
    assert list(zip(series.tolist(), start.tolist())) == expected
    assert all(a.size <= len(rows) for a in vars(idx).values() if isinstance(a, np.ndarray))
    buf = torch.arange(20.0)[:, None]
    assert gather(buf, np.array([2, 13]), 4)[:, :, 0].tolist() == [[2, 3, 4, 5], [13, 14, 15, 16]]
    s, _ = idx.sample(np.random.default_rng(0), 1000)
    assert set(s.tolist()) == {0, 2}  # the series without a window is never drawn


def test_transform_round_trip_log_and_seasonal_difference():
    rng = np.random.default_rng(0)
    y = np.exp(0.01 * np.arange(60) + np.sin(np.arange(60) * np.pi / 6) + 0.1 * rng.random(60))
    t = SeriesTransform.fit(y[:48], "s", lag=12)
    assert t.log and t.lag == 12
    z, _ = t.to_model(y)  # (48,): z[i] belongs to y[i + 12]
    np.testing.assert_allclose(t.from_model(z[-12:], y[:48]), y[48:], rtol=1e-10)
    np.testing.assert_allclose(t.from_model(z[-20:], y[:40]), y[40:], rtol=1e-10)  # past the lag
    with pytest.raises(DataError, match="series 's'.*values <= 0"):
        t.to_model(-y, "s")


def test_quantile_head_monotone_by_construction():
    head = QuantileHead((0.05, 0.1, 0.5, 0.9, 0.95))
    q = head.quantiles(torch.randn(64, 7, 5) * 10)
    assert (q.diff(dim=-1) >= 0).all()


def test_no_leakage_scalers_see_only_each_training_part():
    panel = _panel(series=3, n=80)
    train, _ = _holdout(panel, 7)
    shifted = panel.df.copy()
    last = shifted.groupby("unique_id").cumcount(ascending=False) < 7
    shifted.loc[last, ["y", "x"]] += 1000.0  # the held-out part, wildly different
    f1 = GlobalForecaster("gru", lookback=14, horizon=7, future_covariates=("x",), epochs=1,
                          batches_per_epoch=2, **{k: v for k, v in FAST.items()
                                                  if k not in ("epochs", "batches_per_epoch")})
    f1.fit(train)
    f2 = GlobalForecaster(config=f1.config).fit(panel.with_df(shifted).cut(7))
    val = f1.config.n_val
    for uid, g in train.df.groupby("unique_id"):
        y = g["y"].to_numpy()[: len(g) - val]  # the training part less the validation tail
        want = SeriesTransform.fit(y, uid, lag=f1.features.lag)
        assert f1.features.transforms[uid] == want == f2.features.transforms[uid]
    rows = train.df.groupby("unique_id", group_keys=False).apply(lambda g: g.iloc[: len(g) - val])
    assert f1.features.covs.mean == pytest.approx([rows["x"].mean()])
    assert f1.features.covs.mean == f2.features.covs.mean


def test_future_covariate_aligned_with_its_step():
    """y_t = 10 + i + 3 x_t + 0.1 e_t: only x at the forecast step can tell y."""
    panel = _panel(series=6, n=150, coef=3.0, noise=0.1)
    train, test = _holdout(panel, 7)
    rmse = {}
    for use in (True, False):
        f = GlobalForecaster("lstm", lookback=14, horizon=7, transform="none", difference="none",
                             future_covariates=("x",) if use else (), **FAST).fit(train)
        out = f.predict(7, future=test[["unique_id", "ds", "x"]] if use else None)
        m = out.merge(test, on=["unique_id", "ds"])
        rmse[use] = float(np.sqrt(((m["mean"] - m["y"]) ** 2).mean()))
    assert rmse[True] < 0.6, rmse  # the noise is 0.1, the covariate's effect sd 3
    assert rmse[False] > 2.0, rmse
    with pytest.raises(DataError, match="missing for series 's0'"):
        f2 = GlobalForecaster("lstm", lookback=14, horizon=7, future_covariates=("x",),
                              epochs=1, batches_per_epoch=1).fit(train)
        f2.predict(7, future=test[["unique_id", "ds", "x"]].iloc[1:])


def test_interval_coverage_on_gaussian_series_and_monotone_quantiles():
    panel = _panel(series=30, n=100, level=0.0, noise=1.0, seed=1)
    train, test = _holdout(panel, 6)
    f = GlobalForecaster("gru", lookback=12, horizon=6, transform="none", difference="none",
                         **dict(FAST, epochs=8)).fit(train)
    m = f.predict(6).merge(test, on=["unique_id", "ds"])
    assert len(m) == 180
    cover = float(((m["y"] >= m["q0.1"]) & (m["y"] <= m["q0.9"])).mean())
    assert 0.68 <= cover <= 0.92, cover
    q = m[["q0.1", "q0.5", "q0.9"]].to_numpy()
    assert (np.diff(q, axis=1) >= 0).all()
    assert np.abs(m["mean"] - (m["unique_id"].str[1:].astype(int))).mean() < 0.6  # level i


@pytest.mark.parametrize("likelihood", ["gaussian", "studentt", "negbin"])
def test_likelihood_heads_give_samples_quantiles_and_means(likelihood):
    rng = np.random.default_rng(0)
    parts = [pd.DataFrame({"unique_id": f"c{i}", "ds": pd.date_range("2001-01-01", periods=80),
                           "y": rng.poisson(5 + 5 * i, 80).astype(float)}) for i in range(3)]
    panel = read_panel(pd.concat(parts))
    f = GlobalForecaster("gru", lookback=10, horizon=4, likelihood=likelihood, samples=100,
                         quantiles=(0.1, 0.9), transform="none",
                         **dict(FAST, epochs=1, batches_per_epoch=8)).fit(panel)
    out = f.predict(4)
    assert list(out.columns) == ["unique_id", "ds", "step", "mean", "q0.1", "q0.9"]
    assert (out["q0.1"] <= out["q0.9"]).all() and np.isfinite(out["mean"]).all()
    if likelihood == "negbin":
        assert (out[["q0.1", "q0.9"]] >= 0).all().all()
        bad = panel.with_df(panel.df.assign(y=panel.df["y"] - 3))
        with pytest.raises(DataError, match="negbin.*counts.*negative values"):
            GlobalForecaster("gru", lookback=10, horizon=4, likelihood="negbin").fit(bad)


def test_ensemble_averages_quantile_functions_not_points():
    panel = _panel(series=3, n=60)
    f = GlobalForecaster("gru", lookback=10, horizon=4, transform="none", ensemble=2,
                         **dict(FAST, epochs=1, batches_per_epoch=3)).fit(panel)
    assert f.features.lag == 7  # difference='auto': seasonal on a daily panel without covariates
    both = f.predict(4)
    members = f.members
    singles = []
    for k in range(2):
        f.members = torch.nn.ModuleList([members[k]])
        singles.append(f.predict(4))
    f.members = members
    for col in ("q0.1", "q0.5", "q0.9", "mean"):
        np.testing.assert_allclose(both[col], (singles[0][col] + singles[1][col]) / 2, rtol=1e-5)
    assert not np.allclose(singles[0]["q0.9"], singles[1]["q0.9"])


def test_save_load_round_trip_with_static_calendar_and_past(tmp_path):
    panel = _panel(series=4, n=60)
    f = GlobalForecaster("lstm", lookback=10, horizon=5, past_covariates=("x",),
                         static_covariates=("kind",), calendar=("dayofweek", "month"),
                         ensemble=2, **dict(FAST, epochs=1, batches_per_epoch=2)).fit(panel)
    assert f.features.lag == 0  # 'auto' does not difference a model that reads the calendar
    before = f.predict(5)
    f.save(tmp_path / "m")
    g = GlobalForecaster.load(tmp_path / "m")
    pd.testing.assert_frame_equal(before, g.predict(5))
    assert g.config == f.config
    with pytest.raises(CheckpointError, match="already holds a saved model"):
        f.save(tmp_path / "m")
    new = panel.with_df(panel.df[panel.df["ds"] < "2000-02-20"])  # forecast from new data
    assert g.predict(3, history=new).groupby("unique_id")["ds"].min().max() <= pd.Timestamp("2000-02-20")
    with pytest.warns(DeprecationWarning, match="history="):  # the old name still works
        pd.testing.assert_frame_equal(g.predict(3, panel=new), g.predict(3, history=new))
    with pytest.raises(DataError, match="trained horizon 5"):
        g.predict(6)


def test_local_models_one_per_series_and_short_series_skipped():
    panel = _panel(series=3, n=40)
    short = panel.with_df(panel.df[~((panel.df["unique_id"] == "s0") & (panel.df.index > 8))])
    with pytest.warns(UserWarning, match="'s0'"):
        f = GlobalForecaster("rnn", lookback=8, horizon=3, local=True,
                             **dict(FAST, epochs=1, batches_per_epoch=2)).fit(short)
    out = f.predict(3)
    assert sorted(f.local) == ["s1", "s2"] and out["unique_id"].unique().tolist() == ["s1", "s2"]
    assert len(out) == 6


def test_seasonal_difference_with_future_covariates_reads_them_a_period_back(tmp_path):
    panel = _panel(series=3, n=60, coef=2.0)
    train, test = _holdout(panel, 4)
    f = GlobalForecaster("gru", lookback=10, horizon=4, difference="seasonal",
                         future_covariates=("x",), **dict(FAST, epochs=1, batches_per_epoch=2))
    f.fit(train)
    assert f.features.lag == 7 and f.members[0].lag == 7
    future = test[["unique_id", "ds", "x"]]
    f.save(tmp_path / "m")
    pd.testing.assert_frame_equal(f.predict(4, future=future),
                                  GlobalForecaster.load(tmp_path / "m").predict(4, future=future))
    short = GlobalForecaster(config=f.config.__class__(**{**f.config.to_dict(), "lookback": 5}))
    assert short.fit(train).members[0].lag == 0  # the window does not reach a period back


def test_local_models_save_and_load_round_trip(tmp_path):
    panel = _panel(series=3, n=40)
    f = GlobalForecaster("gru", lookback=8, horizon=3, local=True, past_covariates=("x",),
                         ensemble=2, **dict(FAST, epochs=1, batches_per_epoch=2)).fit(panel)
    before = f.predict(3)
    f.save(tmp_path / "m")
    g = GlobalForecaster.load(tmp_path / "m")
    assert g.config == f.config and sorted(g.local) == sorted(f.local) == ["s0", "s1", "s2"]
    assert all(g.local[u].config == f.local[u].config for u in f.local)
    pd.testing.assert_frame_equal(before, g.predict(3))
    new = panel.with_df(panel.df[panel.df["ds"] < "2000-01-30"])  # forecast from new data
    pd.testing.assert_frame_equal(f.predict(2, history=new), g.predict(2, history=new))
    # one weights file, each series' model under its own prefix; damage is refused
    from rnnlab.io.weights import load_weights

    keys = load_weights(tmp_path / "m" / "model.safetensors")
    assert {k.split(".")[0] for k in keys} == {"0", "1", "2"}
    meta = (tmp_path / "m" / "model.json").read_text()
    (tmp_path / "m" / "model.json").write_text(meta.replace('"s1"', '"s9"', 1))
    with pytest.raises(CheckpointError):
        GlobalForecaster.load(tmp_path / "m")


def _ar1_panel(series=4, n=150, phi=0.9, seed=1):
    rng = np.random.default_rng(seed)
    parts = []
    for i in range(series):
        y = np.zeros(n)
        for t in range(1, n):
            y[t] = phi * y[t - 1] + rng.standard_normal()
        parts.append(pd.DataFrame({"unique_id": f"s{i}", "ds": pd.date_range(
            "2001-01-01", periods=n, freq="D"), "y": y + 5 * i}))
    return read_panel(pd.concat(parts, ignore_index=True))


def _step_correlation(paths: dict) -> float:
    """Mean over series and steps of the correlation across samples of steps h and h+1."""
    return float(np.mean([np.corrcoef(p[:, h], p[:, h + 1])[0, 1]
                          for p in paths.values() for h in range(p.shape[1] - 1)]))


def test_recursive_strategy_draws_joint_sample_paths(tmp_path):
    panel = _ar1_panel()
    kw = dict(lookback=12, horizon=5, likelihood="gaussian", transform="none",
              difference="none", samples=300, quantiles=(0.1, 0.5, 0.9),
              **dict(FAST, epochs=3, batches_per_epoch=10))
    rec = GlobalForecaster("gru", strategy="recursive", **kw).fit(panel)
    direct = GlobalForecaster("gru", **kw).fit(panel)
    assert rec.members[0].horizon == 1  # the network predicts one step
    paths = rec.sample_paths(5)
    assert sorted(paths) == ["s0", "s1", "s2", "s3"] and paths["s0"].shape == (300, 5)
    # AR(1): a path that starts high stays high; independent per-step draws do not
    assert _step_correlation(paths) > 0.5
    assert abs(_step_correlation(direct.sample_paths(5))) < 0.25
    out = rec.predict(5)
    q = out[["q0.1", "q0.5", "q0.9"]].to_numpy()
    assert (np.diff(q, axis=1) >= 0).all() and len(out) == 20
    p0 = paths["s0"]
    np.testing.assert_allclose(out[out.unique_id == "s0"]["mean"], p0.mean(axis=0), rtol=1e-6)
    # the spread of the paths grows with the step, as an AR(1)'s does
    assert p0[:, -1].std() > p0[:, 0].std()
    rec.save(tmp_path / "m")
    pd.testing.assert_frame_equal(out, GlobalForecaster.load(tmp_path / "m").predict(5))
    with pytest.raises(DataError, match="needs a likelihood"):
        GlobalForecaster("gru", strategy="recursive")
    with pytest.raises(DataError, match="past-only covariates"):
        GlobalForecaster("gru", strategy="recursive", likelihood="gaussian",
                         past_covariates=("x",))


def test_recursive_strategy_reads_each_steps_future_covariate():
    """y_t = 10 + i + 3 x_t + 0.1 e_t: changing x at step 3 moves step 3 on, not steps 1-2
    (the same draws: one seed)."""
    panel = _panel(series=4, n=100, coef=3.0, noise=0.1)
    train, test = _holdout(panel, 4)
    f = GlobalForecaster("gru", lookback=10, horizon=4, strategy="recursive",
                         likelihood="gaussian", transform="none", difference="none",
                         future_covariates=("x",), samples=50, **FAST).fit(train)
    fut = test[["unique_id", "ds", "x"]].reset_index(drop=True)
    base = f.predict(4, future=fut)
    step3 = fut.groupby("unique_id").cumcount() == 2
    moved = f.predict(4, future=fut.assign(x=np.where(step3, fut["x"] + 2.0, fut["x"])))
    early, late = base["step"] <= 2, base["step"] == 3
    np.testing.assert_allclose(base.loc[early, "mean"], moved.loc[early, "mean"])
    assert (moved.loc[late, "mean"].to_numpy() - base.loc[late, "mean"].to_numpy()).mean() > 2.0
    m = base.merge(test, on=["unique_id", "ds"])
    assert float(np.sqrt(((m["mean"] - m["y"]) ** 2).mean())) < 1.0
