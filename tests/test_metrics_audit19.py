"""Audit of the forecast scores against their textbook definitions (session 19): each
expected value is written from the definition, by hand, not from rnnlab's code."""

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from rnnlab.panel import metrics as M


def _one_series_panel(y, period=None):
    from rnnlab.panel.frame import PanelFrame

    df = pd.DataFrame({"unique_id": "a", "ds": pd.date_range("2000-01-01", periods=len(y),
                                                             freq="D"), "y": y})
    return PanelFrame(df, "D", period, ("a",))


def test_rmsse_is_rmse_over_the_root_mean_squared_naive_differences():
    """RMSSE (Hyndman & Athanasopoulos, fpp3 5.8; the M5 competition): sqrt(mean(e^2) /
    mean((y_t - y_{t-m})^2)) over the history. It was RMSE / (mean |y_t - y_{t-m}|), the
    MASE's scale, a different number under the textbook's name."""
    from rnnlab.panel.backtest import backtest

    y = np.array([0.0, 1.0, 4.0, 5.0, 9.0, 8.0])  # history 0,1,4,5; truth 9, 8
    res = backtest(None, _one_series_panel(y), horizon=2, baselines=("naive",))
    s = res.summary().set_index("model").loc["naive"]
    # naive from 5: errors -4, -3; history differences 1, 3, 1
    mse, msd, mad = (16 + 9) / 2, (1 + 9 + 1) / 3, (1 + 3 + 1) / 3
    assert s["rmsse"] == pytest.approx(math.sqrt(mse / msd))
    assert s["mase"] == pytest.approx(3.5 / mad)


def test_rmsse_scale_uses_the_seasonal_pairs_as_the_mase_scale():
    y = np.array([1.0, 2, 3, 5, 4, 6, 9, 7])
    # period 2: differences 2,3,1,1,5,1 -> mean square 41/6
    assert M.rmsse_scale(y, 2) == pytest.approx(math.sqrt(41 / 6))
    assert M.rmsse_scale(y, None) == pytest.approx(math.sqrt((1 + 1 + 4 + 1 + 4 + 9 + 4) / 7))
    assert np.isnan(M.rmsse_scale(np.ones(4), None))


def test_rmsse_without_its_scale_is_nan_not_the_mase_scaled_number():
    fc = pd.DataFrame({"model": "m", "unique_id": "a", "y": [10.0, 10.0],
                       "mean": [12.0, 8.0], "scale": 2.0})
    row = M.per_series(fc).iloc[0]
    assert row["mase"] == pytest.approx(1.0)
    assert np.isnan(row["rmsse"])
