"""A long series (a few years of hourly load) keeps the default fit's epochs bounded: with
the automatic batch size an epoch is at most MAX_AUTO_STEPS batches, drawn afresh from all
windows each epoch; a batch size given keeps whole epochs."""

import warnings

import numpy as np
import pandas as pd
import pytest

from rnnlab.forecast import Forecaster
from rnnlab.forecast.net import WindowTask
from rnnlab.forecast.training import MAX_AUTO_STEPS, auto_steps


def test_window_task_caps_an_epoch_and_draws_from_every_window():
    n = 4000
    x = np.arange(n * 3, dtype=np.float64).reshape(n, 3)  # row i starts at 3 i
    task = WindowTask(x, x[:, :1], 16, 0, "recursive", 3, max_batches=10)
    assert task.num_batches(0) == 10  # not 250
    seen = set()
    for epoch in range(20):
        for i in range(task.num_batches(epoch)):
            xb, _ = task.get_batch(epoch, i)
            seen.update((xb[:, 0] / 3).long().tolist())
    assert max(seen) > 10 * 16 * 2  # beyond the first batches' rows: a fresh sample
    assert WindowTask(x, x[:, :1], 16, 0, "recursive", 3).num_batches(0) == 250


def test_auto_steps_only_for_the_automatic_batch_size():
    assert auto_steps(0) == MAX_AUTO_STEPS
    assert auto_steps(64) is None


def _hourly(n: int) -> pd.Series:
    t = np.arange(n)
    rng = np.random.default_rng(0)
    y = 100 + 10 * np.sin(2 * np.pi * t / 24) + rng.normal(0, 1, n)
    return pd.Series(y, index=pd.date_range("2020-01-01", periods=n, freq="h"), name="load")


def _fit(n: int, **kw) -> Forecaster:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Forecaster(horizon=24, lookback=24, ensemble=1, epochs=1, progress=False,
                          **kw).fit(_hourly(n))


def test_the_fit_passes_the_cap_to_its_members(monkeypatch):
    # ~400 windows: 8 automatic batches an epoch; the cap, set to 3, is what trains
    monkeypatch.setattr("rnnlab.forecast.training.MAX_AUTO_STEPS", 3)
    assert _fit(500).histories[0]["steps"] == 3
    assert _fit(500, batch_size=50).histories[0]["steps"] == 8  # given: whole epochs


@pytest.mark.slow
def test_default_fit_of_a_long_hourly_series_takes_bounded_epochs():
    # ~27,000 windows: 106 batches of 256 before; an epoch now stops at MAX_AUTO_STEPS
    assert _fit(27_200).histories[0]["steps"] == MAX_AUTO_STEPS
