"""One-series in-sample forecasts (Forecaster.predict_insample, rnnlab.forecast.insample):
Darts' historical_forecasts(retrain=False). Was: no such method; a user looped
predict(h, history=series[:k]) by hand, one network call per cutoff."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from rnnlab.forecast import Forecaster
from rnnlab.io.errors import ConfigTypeError, DataError

TINY = dict(lookback=12, horizon=5, hidden_size=4, epochs=1, ensemble=2, progress=False,
            seed=0)


def fitted(data="airline", **settings) -> Forecaster:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        f = Forecaster(**{**TINY, **settings}).fit(data)
    f.net.double()  # (float64: the batched forecast equals the loop to 1e-10)
    return f


def by_loop(f, series: pd.Series, step: int, quantiles=None) -> pd.DataFrame:
    """The explicit loop the method replaces: predict(h, history=series[:k]) per cutoff."""
    h, n = f.config.horizon, len(series)
    need = f.config.lookback + f.pipeline.lag
    rows = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (older history than fitted: said each time)
        for k in range(n - 1, need - 1, -step):
            p = f.predict(h, history=series[:k], quantiles=quantiles)
            p = p.to_frame("mean") if isinstance(p, pd.Series) else p
            p = p.iloc[: n - k]
            rows.append(p.assign(cutoff=series.index[k - 1], step=np.arange(1, len(p) + 1)))
    out = pd.concat(rows[::-1])
    return out.rename_axis("ds").reset_index()


def check_equal(got: pd.DataFrame, want: pd.DataFrame, cols=("mean",)):
    assert len(got) == len(want)
    assert (got["ds"].to_numpy() == want["ds"].to_numpy()).all()
    assert (got["cutoff"].to_numpy() == want["cutoff"].to_numpy()).all()
    assert got["step"].tolist() == want["step"].tolist()
    for c in cols:
        np.testing.assert_allclose(got[c].to_numpy(), want[c].to_numpy(), rtol=1e-10,
                                   atol=1e-10)


@pytest.mark.parametrize("strategy", ["direct", "recursive", "seq2seq"])
@pytest.mark.parametrize("select", ["network", "weighted"])
def test_equals_the_predict_loop_on_each_strategy(strategy, select):
    f = fitted(strategy=strategy, select=select)
    assert f.choice["method"] == select
    got = f.predict_insample(step_size=11)
    want = by_loop(f, f.series.to_pandas(), 11)
    check_equal(got, want)
    assert list(got.columns) == ["unique_id", "ds", "cutoff", "step", "y", "mean"]
    assert (got["unique_id"] == "passengers").all()
    np.testing.assert_array_equal(
        got["y"].to_numpy(), f.series.to_pandas().loc[got["ds"]].to_numpy())


def test_the_quantiles_equal_predicts():
    f = fitted(strategy="direct")
    got = f.predict_insample(step_size=17, quantiles=(0.1, 0.9))
    want = by_loop(f, f.series.to_pandas(), 17, quantiles=(0.1, 0.9))
    assert list(got.columns)[-3:] == ["mean", "q0.1", "q0.9"]
    check_equal(got, want, ("mean", "q0.1", "q0.9"))


def test_the_chosen_baseline_is_what_it_forecasts():
    f = fitted(select="seasonal_naive")
    got = f.predict_insample(step_size=5)
    s = f.series.values
    for _, r in got.sample(10, random_state=0).iterrows():
        k = int(np.flatnonzero(f.series.to_pandas().index == r["cutoff"])[0]) + 1
        assert r["mean"] == s[k - 12 + (r["step"] - 1) % 12]  # (a season back)


def test_a_value_after_a_cutoff_leaves_its_forecasts_unchanged():
    f = fitted(strategy="recursive", select="network")
    s = f.series.to_pandas()
    before = f.predict_insample(history=s, step_size=3)
    changed = s.copy()
    changed.iloc[100:] *= 3.0
    after = f.predict_insample(history=changed, step_size=3)
    early = before["cutoff"] < s.index[100]
    assert early.any() and (~early).any()
    np.testing.assert_array_equal(after.loc[early, "mean"], before.loc[early, "mean"])
    assert not np.allclose(after.loc[~early, "mean"], before.loc[~early, "mean"])


def test_the_cutoffs_end_one_step_before_the_series_every_step_size():
    f = fitted(strategy="direct", select="network")
    got = f.predict_insample(step_size=4)
    cuts = got["cutoff"].drop_duplicates()
    idx = f.series.to_pandas().index
    assert cuts.iloc[-1] == idx[-2]  # (the last cutoff forecasts the last value)
    pos = idx.get_indexer(cuts)
    assert set(np.diff(pos)) == {4}
    assert pos[0] - 4 < f.config.lookback + f.pipeline.lag - 1 <= pos[0]
    assert got[got["cutoff"] == idx[-2]]["step"].tolist() == [1]


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "2"])
def test_a_step_size_not_a_whole_number_from_1_is_refused(bad):
    f = fitted(select="naive")
    with pytest.raises(ConfigTypeError, match="step_size"):
        f.predict_insample(step_size=bad)


@pytest.mark.parametrize("data", ["airline", pd.Series([1.0, 2.0] * 40)])
def test_data_given_first_is_refused_naming_history(data):
    # (the panel's predict_insample(panel, ...) takes it first; the whole Series was
    # printed as the step size found)
    f = fitted(select="naive")
    with pytest.raises(ConfigTypeError, match=r"pass data as history= \(f\.predict_insample"
                                              r"\(history=data\)") as e:
        f.predict_insample(data)
    assert "1.0" not in str(e.value)


def test_a_history_too_short_for_any_cutoff_is_refused():
    f = fitted(select="network")
    s = f.series.to_pandas()
    need = f.config.lookback + f.pipeline.lag  # (a forecast's history: no value after it)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert len(f.predict_insample(history=s[:need + 1])) == 1
        with pytest.raises(DataError, match="predict_insample: series 'passengers' has"):
            f.predict_insample(history=s[:need])


def test_before_fit_it_is_refused():
    from rnnlab.io.errors import NotFittedError

    with pytest.raises(NotFittedError):
        Forecaster(**TINY).predict_insample()


def test_holidays_equal_the_predict_loop():
    pytest.importorskip("holidays")
    rng = np.random.default_rng(0)
    dates = pd.date_range("2019-11-01", periods=120, freq="D")
    y = pd.Series(100 + 10 * np.sin(np.arange(120) * 2 * np.pi / 7) + rng.normal(0, 1, 120),
                  index=dates, name="sales")
    f = fitted(y, calendar=("holiday",), country="US", lookback=14, horizon=7,
               select="network", strategy="direct", test_size=14)
    got = f.predict_insample(step_size=9)
    check_equal(got, by_loop(f, y, 9))


def test_an_undated_series_a_chunk_of_cutoffs_at_a_time_equals_the_loop(monkeypatch):
    import rnnlab.forecast.insample as insample

    rng = np.random.default_rng(0)
    y = 50 + 10 * np.sin(np.arange(90) / 5) + rng.normal(0, 1, 90)
    f = fitted(y, lookback=10, horizon=4, select="network", strategy="recursive")
    whole = f.predict_insample(step_size=2)
    monkeypatch.setattr(insample, "CHUNK", 7)  # (36 cutoffs: 6 chunks, the last short)
    got = f.predict_insample(step_size=2)
    pd.testing.assert_frame_equal(got, whole)
    assert got["cutoff"].iloc[-1] == 88 and got["ds"].iloc[-1] == 89  # (numbered by step)
    check_equal(got, by_loop(f, pd.Series(y), 2))


def _gapped():
    """120 daily values with a gap of three (positions 60-62, 2020-03-01..03)."""
    rng = np.random.default_rng(0)
    y = 50 + 10 * np.sin(np.arange(120) / 5) + rng.normal(0, 1, 120)
    y[60:63] = np.nan
    return pd.Series(y, index=pd.date_range("2020-01-01", periods=120, freq="D"), name="v")


def test_a_gap_interpolated_across_a_cutoff_reads_no_value_after_it():
    # (the fit's interpolation of a gap read the value after it into the history of the
    # cutoffs inside the gap: changing it changed their forecasts)
    s = _gapped()
    f = fitted(s, lookback=10, horizon=3, select="network", fill="interpolate")
    changed = s.copy()
    changed.iloc[63] += 40.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a, b = f.predict_insample(history=s), f.predict_insample(history=changed)
    for cut in s.index[59:63]:  # (the cutoffs before position 63: inside the gap too)
        np.testing.assert_array_equal(a[a["cutoff"] == cut]["mean"],
                                      b[b["cutoff"] == cut]["mean"])
    assert not np.allclose(a[a["cutoff"] == s.index[63]]["mean"],
                           b[b["cutoff"] == s.index[63]]["mean"])


def test_a_loaded_model_refills_the_gap_too(tmp_path):
    # (model.json kept no record of the NaNs filled: a loaded model's cutoffs inside a gap
    # read the interpolation from the value after it, and gave other forecasts)
    s = _gapped()
    f = fitted(s, lookback=10, horizon=3, select="network", fill="interpolate")
    f.save(tmp_path / "m")
    g = Forecaster.load(tmp_path / "m")
    g.net.double()
    assert g.series.filled.tolist() == [60, 61, 62] and g.series.fill == "interpolate"
    pd.testing.assert_frame_equal(g.predict_insample(), f.predict_insample())


def test_a_damaged_filled_record_is_refused(tmp_path):
    import json

    from rnnlab.io.errors import CheckpointError

    f = fitted(select="naive")
    f.save(tmp_path / "m")
    meta = json.loads((tmp_path / "m" / "model.json").read_text())
    assert meta["extra"]["series"]["filled"] is None  # (airline: no NaN filled)
    meta["extra"]["series"]["filled"] = [500]
    from fuzz_files import write_json

    write_json(tmp_path / "m" / "model.json", meta, True)  # (checksum recorded again)
    with pytest.raises(CheckpointError, match="'filled' should be a list of positions"):
        Forecaster.load(tmp_path / "m")


def test_a_step_size_of_none_is_refused_as_a_step_size_not_as_data():
    # (was: "this is a NoneType: pass data as history=", as if None were a series)
    f = fitted(select="naive")
    with pytest.raises(ConfigTypeError, match=r"step_size must be a whole number >= 1 .*got "
                                              r"None") as e:
        f.predict_insample(step_size=None)
    assert "history=" not in str(e.value)


def test_actuals_that_were_filled_in_are_said_as_evaluate_says_them():
    # (was: silent; y held the interpolated values at 2020-03-01..03, scored as observed)
    from rnnlab.forecast.evaluation import FilledTestWarning

    s = _gapped()
    f = fitted(s, lookback=10, horizon=3, select="naive", fill="interpolate")
    with pytest.warns(FilledTestWarning, match=r"9 of the \d+ rows' actual y were missing "
                      r"and filled in \(fill='interpolate'\), at ds 2020-03-01, 2020-03-02, 2020-03-03:"):
        f.predict_insample()
    with warnings.catch_warnings():
        warnings.simplefilter("error", FilledTestWarning)  # (none filled: nothing said)
        fitted(select="naive").predict_insample(step_size=7)
