"""A forecaster porting a NeuralForecast or Darts workflow: each test pins one place where
rnnlab refused a peer's habit without naming ours, or named the wrong one."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rnnlab.io.errors import DataError
from rnnlab.panel import accuracy, read_panel


def quarterly(n: int = 24) -> "object":
    rng = np.random.default_rng(1)
    season = np.tile([3.0, 0.0, 1.0, 2.0], n // 4)
    df = pd.concat([pd.DataFrame({"unique_id": u, "ds": pd.period_range(
        "2010Q1", periods=n, freq="Q").astype(str), "y": 10 * (i + 1) + season + rng.random(n)})
        for i, u in enumerate(["a", "b", "c"])])
    return read_panel(df)


def test_a_quantile_loss_frame_gets_a_rename_that_scores_it():
    """NeuralForecast's MQLoss frame has M-median and the bands, no M column: the rename
    the error gave left it without 'mean', refused again; now the median is the point."""
    p = quarterly()
    last = p.df.groupby("unique_id").tail(4)
    nf = last[["unique_id", "ds"]].assign(**{
        "LSTM-median": last["y"].to_numpy() + 1.0, "LSTM-lo-80": last["y"].to_numpy() - 2.0,
        "LSTM-hi-80": last["y"].to_numpy() + 3.0})
    with pytest.raises(DataError, match="NeuralForecast's columns of model 'LSTM'") as e:
        accuracy(nf, p)
    said = str(e.value)
    fixed = eval(said[said.index("renamed: ") + len("renamed: "):], {"fc": nf})
    got = accuracy(fixed, p)
    assert list(got["model"].unique()) == ["LSTM"]
    assert got["mae"].to_numpy() == pytest.approx(1.0)  # (the median, 1 above each value)
    assert got["coverage80"].to_numpy() == pytest.approx(1.0)
