"""per_series() and by_step() of a backtest score the rows every model forecast, as
summary() does (session 16): a NaN forecast or a skipped series leaves its rows out for
every model in all three."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rnnlab.panel.backtest import backtest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # (the tests' helpers)
from test_panel_backtest import GlobalDrift, make_panel  # noqa: E402


class Holes(GlobalDrift):
    """Leaves series s0 out and gives NaN for s1's first step."""

    def predict(self, horizon, future=None, history=None):
        f = super().predict(horizon, future, history)
        f = f[f.unique_id != "s0"].copy()
        f.loc[(f.unique_id == "s1") & (f.index == f[f.unique_id == "s1"].index.min()),
              "mean"] = np.nan
        return f


def test_per_series_and_by_step_use_the_rows_summary_uses():
    # before: per_series() scored the naive over 4 series and the model over 3 (and the
    # model's NaN rows were skipped for it alone); by_step() pooled those different rows
    res = backtest(Holes, make_panel(), horizon=6, first_origin=12, stride=6,
                   baselines=("naive",))
    with pytest.warns(UserWarning, match="NaN or infinite") as said:
        s = res.summary().set_index("model")
        ps = res.per_series()
        steps = res.by_step()
    assert len(said) == 1  # said once for the result, not once per table
    assert sorted(ps.groupby("model")["unique_id"].nunique()) == [3, 3]
    assert "s0" not in set(ps["unique_id"])
    n = ps.groupby("model")["n"].sum()
    assert n["model"] == n["naive"] == s.loc["naive", "n_forecasts"]
    # summary's means are the means of per_series' rows
    np.testing.assert_allclose(ps.groupby("model", sort=False)["mase"].mean()[s.index],
                               s["mase"])
    # step 1 lost s1's NaN rows for both models: each step's rows are the same for both
    common = res._common()
    rows = common.groupby(["model", "step"]).size().unstack(0)
    assert (rows["model"] == rows["naive"]).all() and rows.loc[1, "naive"] < rows.loc[2, "naive"]
    naive = common[common.model == "naive"]
    sae = (naive["mean"] - naive["y"]).abs() / naive["scale"]
    by = steps.set_index(["model", "step"])["mase"]
    np.testing.assert_allclose(by.loc["naive"].to_numpy(),
                               sae.groupby(naive["step"]).mean().to_numpy())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        own = res.per_series(common=False)
    assert own[own.model == "naive"]["unique_id"].nunique() == 4


def test_tables_unchanged_when_every_model_forecast_every_row():
    res = backtest(GlobalDrift, make_panel(), horizon=6, first_origin=12, stride=6,
                   baselines=("naive",))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing to say
        pd.testing.assert_frame_equal(res.per_series(), res.per_series(common=False))
        pd.testing.assert_frame_equal(res.by_step(), res.by_step(common=False))
