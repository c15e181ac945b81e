"""The vectorized forms of per-series loops (a panel of thousands of series) give exactly
what the loops gave: each reference below is the loop as it was, written out here."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from rnnlab.panel.baseline_frames import (concat_forecasts, forecast_frame, future_dates,
                                          series_of)
from rnnlab.panel.baselines import Naive, SeasonalNaive
from rnnlab.panel.frame import read_panel


def small_panel(freq="MS", tz=None, int_ids=False, n=7, seed=0):
    """Ragged starts and ends (series end on three dates), one gap filled."""
    rng = np.random.default_rng(seed)
    parts = []
    for i in range(n):
        length = 20 + 5 * i
        end = pd.Timestamp("2020-12-01", tz=tz) - (i % 3) * pd.tseries.frequencies.to_offset(freq)
        ds = pd.date_range(end=end, periods=length, freq=freq)
        y = 10.0 ** (i % 3) * (5 + np.sin(np.arange(length))) + rng.normal(0, 1, length)
        parts.append(pd.DataFrame({"unique_id": i if int_ids else f"s{i}", "ds": ds, "y": y}))
    df = pd.concat(parts, ignore_index=True)
    df = df.drop(index=12)  # a date missing from series 0: filled
    return read_panel(df, fill="ffill")


def old_series_of(panel):
    df = panel.df
    out = {}
    for uid, g in df.groupby("unique_id", sort=False):
        out[uid] = (g["ds"].to_numpy(), g["y"].to_numpy(np.float64))
    ids = [i for i in getattr(panel, "ids", ()) if i in out] or list(out)
    return {i: out[i] for i in ids}


def old_seasonal_naive_predict(model, panel, horizon):
    """SeasonalNaive.predict as a DataFrame per series, np.quantile per step."""
    m = model._m(panel)
    frames = []
    for uid, (ds, y) in old_series_of(panel).items():
        mm = m if len(y) > m else 1
        n = len(y)
        steps = np.arange(1, horizon + 1)
        lags = mm * np.ceil(steps / mm).astype(int)
        mean = y[n - 1 + steps - lags].astype(np.float64)
        levels = np.asarray(model.quantiles)
        quant = None
        if len(levels):
            quant = np.empty((horizon, len(levels)))
            base = y[mm:] - y[:-mm] if n > mm else np.zeros(1)
            for i, (h, lag) in enumerate(zip(steps, lags)):
                r = (y[lag:] - y[:-lag] if n - lag >= model.min_residuals
                     else base * math.sqrt(lag // mm))
                quant[i] = mean[i] + np.quantile(r, levels)
        frames.append(forecast_frame(uid, future_dates(ds[-1], horizon, panel.freq), mean,
                                     quant, model.quantiles))
    return concat_forecasts(frames, model.quantiles, panel)


@pytest.mark.parametrize("freq, tz, int_ids", [("MS", None, False), ("D", "Europe/Paris", False),
                                               ("W-MON", None, True)])
def test_series_of_is_the_groupby_it_replaced(freq, tz, int_ids):
    panel = small_panel(freq, tz, int_ids)
    shuffled = panel.with_df(panel.df.sample(frac=1.0, random_state=0))  # rows in any order
    for p in (panel, shuffled):
        new, old = series_of(p), old_series_of(p)
        assert list(new) == list(old)
        for uid in old:
            np.testing.assert_array_equal(new[uid][0], old[uid][0])
            np.testing.assert_array_equal(new[uid][1], old[uid][1])
            assert new[uid][0].dtype == old[uid][0].dtype


@pytest.mark.parametrize("freq, tz, int_ids", [("MS", None, False), ("D", "Europe/Paris", False),
                                               ("W-MON", None, True)])
@pytest.mark.parametrize("cls, quantiles, horizon", [
    (SeasonalNaive, (0.1, 0.5, 0.9), 14), (Naive, (0.05, 0.1, 0.5, 0.9, 0.95), 9),
    (SeasonalNaive, (), 5)])
def test_naive_forecasts_equal_the_per_series_frames(freq, tz, int_ids, cls, quantiles,
                                                     horizon):
    """One frame built from arrays, dates shared by series ending on one date, quantiles
    once per lag: the same frame (values, dtypes, ids' type, time zone) bit for bit."""
    panel = small_panel(freq, tz, int_ids)
    model = cls(quantiles=quantiles).fit(panel)
    new = model.predict(horizon)
    old = old_seasonal_naive_predict(model, panel, horizon)
    pd.testing.assert_frame_equal(new, old, check_exact=True)
    assert len(new) == horizon * len(panel.ids)


def test_no_series_gives_the_empty_frame_it_gave():
    panel = small_panel()
    empty = panel.with_df(panel.df.iloc[:0])
    model = SeasonalNaive().fit(panel)
    pd.testing.assert_frame_equal(model.predict(3, history=empty),
                                  concat_forecasts([], model.quantiles, empty))
