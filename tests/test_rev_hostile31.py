"""Review of hostile31: accuracy's refusal of repeated forecasts and its other checks
refuse what they should, say it as the user wrote it, and never end in pandas'
traceback."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from rnnlab.io.errors import DataError
from rnnlab.panel import accuracy

DAYS = pd.date_range("2020-01-01", periods=30, freq="D")
IDS = ("a", "b", "c")


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.concat([pd.DataFrame({"unique_id": u, "ds": DAYS,
                                    "y": np.round(rng.random(30) * 10)}) for u in IDS],
                     ignore_index=True)


@pytest.fixture(scope="module")
def forecasts() -> pd.DataFrame:
    """Three days of each series, made at one origin."""
    rng = np.random.default_rng(1)
    return pd.concat([pd.DataFrame({"unique_id": u, "ds": DAYS[-3:], "origin": DAYS[-4],
                                    "mean": rng.random(3) * 10}) for u in IDS],
                     ignore_index=True)


def test_runs_told_apart_by_a_by_column_are_scored_not_refused(data, forecasts):
    """by=("model", "run", "unique_id") groups two runs' frames of one model name apart:
    each run's forecast is one per (model, run, series, date, origin). They were refused
    as repeats of (model, series, date, origin), the run column not looked at."""
    runs = pd.concat([forecasts.assign(run=1), forecasts.assign(run=2, mean=forecasts[
        "mean"] + 1.0)], ignore_index=True)
    got = accuracy(runs, data, by=("model", "run", "unique_id"))
    assert got["n"].tolist() == [3] * 6
    one = accuracy(forecasts, data)
    assert np.allclose(got.loc[got["run"] == 1, "mae"].to_numpy(), one["mae"].to_numpy())
    with pytest.raises(DataError, match=r"repeat a \(model, series, date, origin\)"):
        accuracy(runs, data)  # (the default by: the runs are not told apart)
