"""predict_insample of a model reading future covariates: the cutoffs of each series'
last horizon are forecast too (they were dropped: each cutoff needed its whole horizon's
covariates inside the panel), their steps inside the data equal to
``predict(history=panel.cut(k), future=...)``'s in float64 whatever the future table holds
past the end (each step reads the covariates of its own and earlier steps only)."""

import numpy as np
import pandas as pd
import pytest

from test_panel_insample import _assert_equal_to_loop, _fitted, _frame, _loop

COV = dict(covariates=["price", "kind"], future_covariates=("price",),
           static_covariates=("kind",))


def _future(f, seed):
    fut = f.make_future_dataframe()
    fut["price"] = np.random.default_rng(seed).normal(0, 1, len(fut))
    return fut


@pytest.mark.parametrize("settings", [
    {}, {"local": True}, {"period": 2}, {"calibrate": "conformal"},
    {"likelihood": "gaussian", "samples": 8},
    {"likelihood": "gaussian", "strategy": "recursive", "samples": 8}],
    ids=["quantiles", "local", "lag_2_of_horizon_3", "calibrated", "gaussian", "recursive"])
def test_the_last_horizons_cutoffs_equal_the_predict_loop_whatever_lies_past_the_end(settings):
    df = _frame(cov=True)
    cov = dict(COV, static_covariates=()) if settings.get("local") else COV
    f, panel = _fitted(df, **cov, **settings)
    ins = f.predict_insample(panel)
    # the last cutoff is a step before each series' end, as without future covariates
    ends = ins.groupby("unique_id")["cutoff"].max()
    assert (ends == pd.Timestamp("2020-01-01") + pd.to_timedelta(
        [30 - 2, 26 - 2, 28 - 2], unit="D")).all()
    for seed in (1, 2):  # (two scenarios past the end: the same steps inside the data)
        every = pd.concat([df[["unique_id", "ds", "price"]], _future(f, seed)],
                          ignore_index=True)
        _assert_equal_to_loop(ins, _loop(f, panel, future=every))


def test_a_series_with_a_window_and_a_step_has_its_cutoff():
    df = _frame(cov=True)
    f, panel = _fitted(df, **COV)
    short = pd.concat([df[df["unique_id"] != "s1"], df[df["unique_id"] == "s1"].head(6)])
    from rnnlab.panel import read_panel

    ins = f.predict_insample(read_panel(short, covariates=["price", "kind"]))
    one = ins[ins["unique_id"] == "s1"]
    assert list(one["step"]) == [1] and one["cutoff"].iloc[0] == pd.Timestamp("2020-01-05")


@pytest.mark.parametrize("likelihood", ["studentt", "negbin"])
def test_rejection_sampled_heads_keep_steps_inside_the_data_whatever_lies_past_the_end(
        likelihood):
    # gamma and Poisson draws take as many uniforms as their parameters ask: drawn sample
    # after sample, the rates of the steps past the end moved the draws of the kept steps
    # of the next sample (a mean 1.5 apart on counts of 4, 0.15 on a t)
    df = _frame(counts=likelihood == "negbin", cov=True)
    f, panel = _fitted(df, **COV, likelihood=likelihood, samples=32)
    loops = []
    for price in (0.0, 50.0):  # (the cutoffs of the last horizon: 1 and 2 steps back)
        fut = f.make_future_dataframe().assign(price=price)
        every = pd.concat([df[["unique_id", "ds", "price"]], fut], ignore_index=True)
        loops.append(_loop(f, panel, future=every, ks=(1, 2)).merge(df[["unique_id", "ds"]]))
    assert len(loops[0]) == len(loops[1]) == 9
    for c in ["mean", "q0.1", "q0.9"]:
        np.testing.assert_array_equal(loops[0][c], loops[1][c])
    ins = f.predict_insample(panel)
    m = loops[1].merge(ins, on=["unique_id", "ds", "cutoff", "step"], suffixes=("", "_in"))
    assert len(m) == 9
    for c in ["mean", "q0.1", "q0.9"]:
        np.testing.assert_allclose(m[c + "_in"], m[c], rtol=0, atol=1e-10)
