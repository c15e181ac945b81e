"""GlobalForecaster.predict_insample: every cutoff's forecast, the windows batched, equal
to the explicit ``predict(history=panel.cut(k))`` loop (float64 networks: within 1e-10),
reading nothing after its cutoff; covariates as predict reads them; what it refuses."""

import warnings

import numpy as np
import pandas as pd
import pytest

from rnnlab.io.errors import ConfigTypeError, DataError, NotFittedError
from rnnlab.panel import GlobalForecaster, read_panel

TINY = dict(epochs=1, batches_per_epoch=2, hidden_size=8, head_size=8, batch_size=16)


def _frame(lengths=(30, 26, 28), counts=False, cov=False, seed=0, start="2020-01-01"):
    rng = np.random.default_rng(seed)
    parts = []
    for j, n in enumerate(lengths):
        y = (rng.poisson(4, n).astype(float) if counts
             else 10 + j + np.sin(np.arange(n)) + rng.normal(0, 0.3, n))
        d = pd.DataFrame({"unique_id": f"s{j}", "y": y,
                          "ds": pd.date_range(start, periods=n, freq="D")})
        if cov:
            d["price"], d["kind"] = rng.normal(0, 1, n), "a" if j % 2 else "b"
        parts.append(d)
    return pd.concat(parts, ignore_index=True)


def _fitted(df, covariates=None, **kw):
    panel = read_panel(df, covariates=covariates)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        f = GlobalForecaster("gru", lookback=5, horizon=3, **TINY, **kw).fit(panel)
    for m in (f.local.values() if f.local else [f]):
        m.members.double()  # (float64: the batched windows equal the loop's to 1e-10)
    return f, panel


def _loop(f, panel, future=None, ks=range(1, 40)):
    """The explicit loop: predict(history=panel.cut(k)) for each k that leaves a window."""
    out = []
    for k in ks:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                p = f.predict(history=panel.cut(k), future=future)
            except DataError:  # (no window left, or no covariates past the data)
                continue
        out.append(p.assign(cutoff=p["ds"] - pd.to_timedelta(p["step"], unit="D")))
    return pd.concat(out, ignore_index=True)


def _assert_equal_to_loop(ins, ref):
    m = ref.merge(ins, on=["unique_id", "ds", "cutoff", "step"], suffixes=("", "_in"))
    assert len(m) == len(ins) > 0  # every in-sample row is one of the loop's
    cols = [c for c in ins.columns if c == "mean" or c.startswith("q")]
    assert cols
    for c in cols:
        np.testing.assert_allclose(m[c + "_in"], m[c], rtol=0, atol=1e-10)


@pytest.mark.parametrize("settings", [
    {}, {"period": 2}, {"calibrate": "conformal"}, {"local": True}, {"ensemble": 2},
    {"likelihood": "gaussian", "samples": 8},
    {"likelihood": "gaussian", "strategy": "recursive", "samples": 8}],
    ids=["quantiles", "lag_2_of_horizon_3", "calibrated", "local", "ensemble", "gaussian", "recursive"])
def test_equals_the_predict_loop_over_cuts(settings):
    f, panel = _fitted(_frame(), **settings)
    if settings.get("calibrate"):
        assert f.calibration is not None
    if settings.get("period"):  # (steps past the seasonal lag: spreads added in quadrature)
        assert f.features.lag == 2 < f.config.horizon
    ins = f.predict_insample(panel)
    assert list(ins.columns) == ["unique_id", "ds", "cutoff", "step", "y", "mean", "q0.1",
                                 "q0.5", "q0.9"]
    _assert_equal_to_loop(ins, _loop(f, panel))


def test_counts_and_the_rows_kept():
    f, panel = _fitted(_frame(counts=True), likelihood="negbin", samples=8)
    ins = f.predict_insample(panel)
    _assert_equal_to_loop(ins, _loop(f, panel))
    width = f.features.lookback + f.features.lag
    for u, n in zip(("s0", "s1", "s2"), (30, 26, 28)):
        mine = ins[ins["unique_id"] == u]
        dates = pd.date_range("2020-01-01", periods=n, freq="D")
        # every cutoff with a full window before it and a step after it, one day apart
        assert list(pd.unique(mine["cutoff"])) == list(dates[width - 1:n - 1])
        assert mine["ds"].max() == dates[-1]  # (none past the data: the last cutoff's one)
        y = pd.Series(_frame(counts=True).query("unique_id == @u")["y"].to_numpy(), dates)
        np.testing.assert_array_equal(mine["y"].to_numpy(), y[mine["ds"]].to_numpy())


def test_step_size_counts_back_from_each_series_end():
    f, panel = _fitted(_frame())
    every = f.predict_insample(panel)
    some = f.predict_insample(panel, step_size=3)
    for u, g in some.groupby("unique_id"):
        cut = sorted(pd.unique(g["cutoff"]))
        last = every.loc[every["unique_id"] == u, "cutoff"].max()
        assert cut[-1] == last and all(np.diff(cut) == pd.Timedelta(days=3))
    pd.testing.assert_frame_equal(
        some.reset_index(drop=True),
        every[every.set_index(["unique_id", "cutoff"]).index.isin(
            some.set_index(["unique_id", "cutoff"]).index)].reset_index(drop=True))


def test_no_value_after_a_cutoff_changes_its_forecast():
    df = _frame()
    f, panel = _fitted(df)
    before = f.predict_insample(panel)
    cutoff = pd.Timestamp("2020-01-20")
    later = df.assign(y=np.where(df["ds"] > cutoff, df["y"] * 5 + 100, df["y"]))
    after = f.predict_insample(read_panel(later))
    cols = ["mean", "q0.1", "q0.5", "q0.9"]
    keep = lambda t: t[t["cutoff"] <= cutoff].reset_index(drop=True)  # noqa: E731
    pd.testing.assert_frame_equal(keep(after)[cols], keep(before)[cols])
    assert not np.allclose(after.loc[after["cutoff"] > cutoff, "mean"],
                           before.loc[before["cutoff"] > cutoff, "mean"])


def test_future_and_static_covariates_as_predict_reads_them():
    df = _frame(cov=True)
    f, panel = _fitted(df, covariates=["price", "kind"], future_covariates=("price",),
                       static_covariates=("kind",))
    ins = f.predict_insample(panel)
    past = f.make_future_dataframe().assign(price=0.0)  # (the loop's last cuts need them)
    _assert_equal_to_loop(ins, _loop(f, panel, future=pd.concat(
        [df[["unique_id", "ds", "price"]], past], ignore_index=True)))
    # the last cutoff a step before each end: the steps past it unread (no kept step's)
    ends = ins.groupby("unique_id")["cutoff"].max()
    assert (ends == pd.Timestamp("2020-01-01") + pd.to_timedelta(
        [30 - 2, 26 - 2, 28 - 2], unit="D")).all()


def test_past_covariates_and_calendar_as_predict_reads_them():
    f, panel = _fitted(_frame(cov=True), covariates=["price"], past_covariates=("price",),
                       calendar=("dayofweek",))
    _assert_equal_to_loop(f.predict_insample(panel), _loop(f, panel))


def test_ids_and_dates_of_the_kinds_given():
    df = _frame().assign(unique_id=lambda d: d["unique_id"].str[1:].astype(int),
                         ds=lambda d: (d["ds"] - pd.Timestamp("2020-01-01")).dt.days)
    f, panel = _fitted(df)
    ins = f.predict_insample(panel)
    assert ins["unique_id"].dtype.kind == "i" and ins["cutoff"].dtype.kind == "i"
    assert (ins["ds"] - ins["cutoff"] == ins["step"]).all()


def test_refusals_say_what_to_do():
    f, panel = _fitted(_frame())
    with pytest.raises(ConfigTypeError, match=r"pass the panel .*f\.predict_insample\(train\)"):
        f.predict_insample()
    for bad in (0, 1.5, True):
        with pytest.raises(ConfigTypeError, match="step_size must be a whole number >= 1"):
            f.predict_insample(panel, step_size=bad)
    other = _frame().assign(unique_id=lambda d: d["unique_id"] + "x")
    with pytest.raises(DataError, match=r"were not fitted on .*panel\.cut\(k\)"):
        f.predict_insample(read_panel(other))
    with pytest.warns(UserWarning, match=r"\['s0x', 's1x', 's2x'\] were not fitted on "
                                         r".*skipped") as said:
        both = f.predict_insample(read_panel(pd.concat([_frame(), other])))
    assert said[0].filename == __file__
    pd.testing.assert_frame_equal(both, f.predict_insample(panel))
    with pytest.raises(NotFittedError, match="before fit"):
        GlobalForecaster("gru", lookback=5, horizon=3).predict_insample(panel)
    short = read_panel(_frame(lengths=(30, 26, 28)).groupby("unique_id").head(
        f.features.lookback + f.features.lag))
    with pytest.raises(DataError, match=r"no series has a cutoff: a full window "
                                        r"\(lookback \+ lag = 12 points\)"):
        f.predict_insample(short)


def test_a_log_series_with_values_not_positive_is_skipped_every_one_refused():
    """One such series among others is skipped with a warning (it stopped the whole table:
    a training run's --insample failed after the run for a 0 in one series' test part)."""
    df = _frame()
    f, panel = _fitted(df)
    assert f.features.transforms["s0"].log
    zero = df.assign(y=np.where((df["unique_id"] == "s0") & (df.index == 20), 0.0, df["y"]))
    with pytest.warns(UserWarning, match=r"\['s0'\] are modelled in logs.*skipped .*"
                                         r"transform='none' \(--transform none\)") as said:
        ins = f.predict_insample(read_panel(zero))
    assert said[0].filename == __file__
    assert sorted(pd.unique(ins["unique_id"])) == ["s1", "s2"]
    whole = f.predict_insample(panel)
    pd.testing.assert_frame_equal(ins.reset_index(drop=True), whole[whole["unique_id"] != "s0"]
                                  .reset_index(drop=True))
    every = df.assign(y=np.where(df.groupby("unique_id").cumcount() == 20, 0.0, df["y"]))
    with pytest.raises(DataError, match=r"\['s0', 's1', 's2'\] are modelled in logs.*"
                                        r"transform='none'"):
        f.predict_insample(read_panel(every))
    # a 0 no window reads (the last value: an actual only) is no reason to refuse
    end = df.assign(y=np.where((df["unique_id"] == "s0") & (df.index == 29), 0.0, df["y"]))
    ins = f.predict_insample(read_panel(end))
    _assert_equal_to_loop(ins, _loop(f, read_panel(end)))
    assert ins.loc[ins["ds"] == pd.Timestamp("2020-01-30"), "y"].eq(0.0).any()


def test_a_series_with_no_cutoff_is_skipped_with_a_warning_at_the_callers_line():
    df = _frame(cov=True)
    f, _ = _fitted(df, covariates=["price", "kind"], future_covariates=("price",),
                   static_covariates=("kind",))
    short = pd.concat([df[df["unique_id"] != "s1"], df[df["unique_id"] == "s1"].head(5)])
    with pytest.warns(UserWarning, match=r"\['s1'\] have fewer than lookback \+ lag \+ 1 = 6 "
                                         r"points .*a step after it\): skipped") as said:
        ins = f.predict_insample(read_panel(short, covariates=["price", "kind"]))
    assert said[0].filename == __file__
    assert sorted(pd.unique(ins["unique_id"])) == ["s0", "s2"]


@pytest.mark.parametrize("settings", [{}, {"likelihood": "gaussian", "samples": 8}])
def test_chunks_of_windows_give_the_same_table(settings, monkeypatch):
    from rnnlab.panel import insample

    f, panel = _fitted(_frame(), **settings)
    whole = f.predict_insample(panel)
    monkeypatch.setattr(insample, "CHUNK", 3)  # (a few windows at a time; draws per row)
    pd.testing.assert_frame_equal(f.predict_insample(panel), whole, rtol=0, atol=1e-12)


def test_key_columns_and_period_dates_come_back_as_given():
    rng = np.random.default_rng(1)
    df = pd.concat([pd.DataFrame({"State": s, "Zone": z, "v": 10 + rng.normal(0, 1, 30),
                                  "Month": pd.period_range("2010-01", periods=30, freq="M")})
                    for s in ("NSW", "VIC") for z in ("Metro", "Coast")])
    panel = read_panel(df, id_column=["State", "Zone"], date_column="Month", target="v")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        f = GlobalForecaster("gru", lookback=6, horizon=3, **TINY).fit(panel)
    ins = f.predict_insample(panel, step_size=5)
    assert list(ins.columns[:5]) == ["unique_id", "State", "Zone", "ds", "cutoff"]
    assert str(ins["ds"].dtype) == str(ins["cutoff"].dtype) == "period[M]"
    mine = ins[ins["unique_id"] == "VIC/Coast"]
    got = df[(df["State"] == "VIC") & (df["Zone"] == "Coast")].set_index("Month")["v"]
    np.testing.assert_array_equal(mine["y"].to_numpy(), got[mine["ds"]].to_numpy())


def test_the_peers_keywords_say_what_does_their_work():
    """Darts' historical_forecasts(stride=, forecast_horizon=, retrain=False), as the hint
    for that method names predict_insample: a ConfigTypeError naming step_size (was
    Python's bare "unexpected keyword argument 'stride'")."""
    f, panel = _fitted(_frame())
    with pytest.raises(ConfigTypeError, match=r"predict_insample\(\) got unexpected keyword "
                                              r"arguments 'stride' \(here: step_size=\); "
                                              r"'forecast_horizon' \(here: the model's "
                                              r"horizon.*'retrain' \(here: the fitted weights"):
        f.predict_insample(panel, stride=2, forecast_horizon=3, retrain=False)
