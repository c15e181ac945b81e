"""A covariate that is the target moved ahead (``shift(-1)`` for ``shift(1)``) is warned of
at fit (session 22): on white noise it gave a one-step backtest MASE of 0.29 against 1.23
without it, and nothing was said (rnnlab.panel.target_mirror)."""

import warnings

import numpy as np
import pandas as pd
import pytest

from rnnlab.panel.config import PanelConfig
from rnnlab.panel.frame import read_panel
from rnnlab.panel.model import GlobalForecaster
from rnnlab.panel.target_mirror import TargetCovariateWarning, mirror_shift, warn_target_covariates

TINY = dict(hidden_size=4, head_size=4, epochs=1, batches_per_epoch=1, batch_size=8,
            lookback=6, horizon=3, patience=None)


def _noise(series=3, n=30, seed=0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    df = pd.concat([pd.DataFrame({
        "unique_id": f"s{i}", "ds": pd.date_range("2000-01-01", periods=n, freq="D"),
        "y": 50 + rng.standard_normal(n)}) for i in range(series)], ignore_index=True)
    by = df.groupby("unique_id")["y"]
    return df.assign(ahead=by.shift(-1), copy=df["y"], lag1=by.shift(1), lag3=by.shift(3),
                     honest=rng.standard_normal(len(df))).fillna(0.0)  # (a table's ends)


def _said(cfg: dict, df: pd.DataFrame) -> list:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warn_target_covariates(PanelConfig(**TINY, **cfg), df)
    return [str(w.message) for w in caught if w.category is TargetCovariateWarning]


def test_a_past_covariate_made_with_shift_minus_one_is_warned_of_at_fit():
    df = _noise()
    with pytest.warns(TargetCovariateWarning, match=r"past covariate 'ahead' equals the "
                      r"target 1 step ahead \(y at t\+1: a column made with shift\(-1\)\?\) "
                      r"on every row of series 's0', 's1', 's2'"):
        GlobalForecaster(past_covariates=("ahead",), **TINY).fit(read_panel(df))


@pytest.mark.parametrize("column,kind,shift", [
    ("copy", "future", 0), ("ahead", "future", 1), ("lag1", "future", -1)])
def test_a_future_covariate_that_reads_the_target_over_the_horizon_is_warned_of(
        column, kind, shift):
    """A copy of y, y moved ahead, and a lag shorter than the horizon (y_(t-1) at step 2
    is y_(T+1)) given as known-ahead: each the model reads over the horizon."""
    said = _said({f"{kind}_covariates": (column,)}, _noise())
    assert len(said) == 1 and f"covariate {column!r} equals" in said[0]
    assert mirror_shift(_noise(), column, [0, 1, 2, 3, -1, -2]) == (shift, ["s0", "s1", "s2"])


@pytest.mark.parametrize("cfg", [
    dict(past_covariates=("honest", "copy", "lag1")),  # known at each row's time
    dict(future_covariates=("honest", "lag3")),  # a lag of the whole horizon is known
], ids=["past", "future"])
def test_covariates_known_at_their_time_are_not_warned_of(cfg):
    assert _said(cfg, _noise()) == []


def test_coinciding_constant_or_short_stretches_are_not_taken_for_a_copy():
    """All-zero sales beside an all-zero promotion, and a series of under 8 compared rows
    (a chance equality), say nothing."""
    df = _noise()
    zeros = df.assign(y=0.0, ahead=0.0)
    assert _said(dict(past_covariates=("ahead",)), zeros) == []
    short = _noise(n=6)
    assert mirror_shift(short, "ahead", [1]) is None
    one = df.copy()
    one.loc[one["unique_id"] != "s1", "ahead"] = 0.0  # s1 alone is a copy
    assert mirror_shift(one, "ahead", [1]) == (1, ["s1"])


def _by_hand(df: pd.DataFrame, column: str, shifts) -> object:
    """mirror_shift's rule, series by series with pandas' shift (the reference)."""
    for k in shifts:
        hits = []
        for sid, g in df.groupby("unique_id", sort=False):
            x, y = g[column].to_numpy(float), g["y"].shift(-k).to_numpy(float)
            ok = np.isfinite(x) & np.isfinite(y)
            if ok.sum() >= 8 and (x[ok] == y[ok]).all() and np.ptp(y[ok]) > 0:
                hits.append(str(sid))
        if hits:
            return k, hits
    return None


@pytest.mark.parametrize("seed", range(6))
def test_the_vectorized_check_agrees_with_a_loop_over_the_series(seed):
    """The check's fast way (no per-series sums unless some rows are equal) finds what a
    loop over the series finds: copies in some series only, NaN cells, 0/1 values."""
    rng = np.random.default_rng(seed)
    df = _noise(series=5, n=20, seed=seed)
    df["y"] = rng.integers(0, 3, len(df)).astype(float) if seed % 2 else df["y"]
    by = df.groupby("unique_id")["y"]
    mixed = by.shift(-2).where(df["unique_id"].isin(["s1", "s3"]), 7.0)
    mixed[rng.random(len(df)) < 0.1] = np.nan
    df = df.assign(mixed=mixed, ahead=by.shift(-1), binary=rng.integers(0, 2, len(df)))
    shifts = [0, 1, 2, 3, -1, -2]
    for column in ("mixed", "ahead", "binary", "honest", "lag1"):
        assert mirror_shift(df, column, shifts) == _by_hand(df, column, shifts), column


def test_the_series_ids_are_factorized_once_for_all_covariates(monkeypatch):
    """A 3,000-series panel with six covariates took 1.4 s of CPU at each fit (the ids
    factorized per covariate, four sums per shift); now 0.14 s."""
    import rnnlab.panel.target_mirror as tm

    calls = []
    real = pd.factorize
    monkeypatch.setattr(tm.pd, "factorize", lambda *a, **k: calls.append(1) or real(*a, **k))
    said = _said(dict(past_covariates=("honest", "lag1"),
                      future_covariates=("lag3", "ahead")), _noise())
    assert len(calls) == 1 and len(said) == 1 and "'ahead'" in said[0]
