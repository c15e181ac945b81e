"""MSIS and below_q at their edges (review of session 33's gluon33), through accuracy():
a series whose history is constant (a seasonal naive MAE of 0, no scale) has no MSIS, as
it has no MASE: NaN, left out of the mean over series and counted out of
n_series_scaled, not an inf averaged in; a point-only model beside a quantile model has
NaN, not 0, for every interval column (0 would read as a perfect score)."""

import warnings

import numpy as np
import pandas as pd
import pytest


def _scored(by=None):
    from rnnlab.panel import accuracy, read_panel

    ds = pd.date_range("2020-01-01", periods=12, freq="MS")
    df = pd.concat([pd.DataFrame({"unique_id": "flat", "ds": ds, "y": 5.0}),
                    pd.DataFrame({"unique_id": "var", "ds": ds, "y": np.arange(12.0)})])
    last = df[df["ds"] >= ds[-3]][["unique_id", "ds"]]
    quant = last.assign(model="q", mean=6.0, **{"q0.1": 5.0, "q0.5": 6.0, "q0.9": 7.0})
    point = last.assign(model="p", mean=7.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # (nothing to warn of: no inf, no empty mean)
        out = accuracy(pd.concat([quant, point]), read_panel(df),
                       **({} if by is None else {"by": by}))
    return out


def test_a_series_without_a_scale_has_no_msis_and_the_mean_leaves_it_out():
    ps = _scored().set_index(["model", "unique_id"])
    assert np.isnan(ps.loc[("q", "flat"), "msis80"]) and np.isnan(ps.loc[("q", "flat"), "mase"])
    # var: y 9, 10, 11 against [5, 7]: width 2 + 10 x misses 2, 3, 4; lag-1 scale 1
    assert ps.loc[("q", "var"), "msis80"] == pytest.approx((22 + 32 + 42) / 3)
    assert ps.loc[("q", "flat"), "below_q0.9"] == pytest.approx(1.0)  # (no scale needed)
    s = _scored(by=("model",)).set_index("model")
    assert s.loc["q", "msis80"] == pytest.approx(32.0)  # var's alone, not inf, not NaN
    assert s.loc["q", "n_series_scaled"] == 1 and s.loc["q", "n_series"] == 2


def test_a_point_only_model_has_nan_interval_scores_not_zero():
    ps = _scored().set_index(["model", "unique_id"])
    cols = ["msis80", "below_q0.1", "below_q0.5", "below_q0.9", "coverage80", "wql"]
    assert ps.loc["p", cols].isna().all().all()
    assert ps.loc["p", "mae"].notna().all()
    s = _scored(by=("model",)).set_index("model")
    assert s.loc["p", cols].isna().all()
