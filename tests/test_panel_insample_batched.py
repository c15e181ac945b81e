"""The batched likelihood rows (:mod:`rnnlab.panel.pooled_draws`) and the dates of many
rows from one ``date_range`` (:mod:`rnnlab.panel.future_blocks`) give what the row-by-row
loop they replaced gave, bit for bit: predict_insample and predict of gaussian, studentt
(in logs: the median) and negbin models, a seasonal lag, several blocks of rows."""

import warnings

import numpy as np
import pandas as pd
import pytest
from pandas.tseries.offsets import CustomBusinessDay

from rnnlab.panel import (GlobalForecaster, ensemble_forecast, model_forecast, pooled_draws,
                          read_panel)
from rnnlab.panel.baseline_frames import ForecastRows, future_dates
from rnnlab.panel.future_blocks import future_blocks


def _row_by_row(f, head, ids, z, hist, levels, horizon, paths_out=None):
    """The loop forecast_table ran before the rows were batched (each row alone)."""
    means, quants = [], []
    for i, uid in enumerate(ids):
        tr = f.transforms[uid]
        drawn = tr.from_model(z[:, i, :horizon], hist[i])  # (N, H)
        if tr.counts:
            drawn = np.round(drawn)
        if paths_out is not None:
            paths_out[uid] = drawn
        means.append(drawn.mean(axis=0) if head.exp_mean or not tr.log
                     else np.median(drawn, axis=0))
        if len(levels):
            quants.append(np.quantile(drawn, levels, axis=0,
                                      method="inverted_cdf" if tr.counts else "linear").T)
    return np.stack(means), (np.stack(quants) if len(levels) else None)


def _frame(counts=False, n=(34, 30, 31)):
    rng = np.random.default_rng(3)
    return pd.concat([pd.DataFrame({
        "unique_id": f"s{j}", "ds": pd.date_range("2020-01-01", periods=k, freq="MS"),
        "y": rng.poisson(5, k).astype(float) if counts
        else 20 + j + 3 * np.sin(np.arange(k)) + rng.normal(0, 0.5, k)})
        for j, k in enumerate(n)], ignore_index=True)


SETTINGS = [
    ({"likelihood": "gaussian"}, False),
    ({"likelihood": "gaussian", "period": 2}, False),  # (a seasonal lag: each row's history)
    ({"likelihood": "studentt", "transform": "log"}, False),  # (in logs: the median)
    ({"likelihood": "negbin"}, True),  # (counts: rounded, inverted_cdf quantiles)
]


@pytest.mark.parametrize("settings,counts", SETTINGS,
                         ids=["gaussian", "gaussian_lag", "studentt_log", "negbin"])
def test_batched_likelihood_rows_equal_the_row_by_row_loop(monkeypatch, settings, counts):
    panel = read_panel(_frame(counts))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        f = GlobalForecaster("gru", lookback=5, horizon=3, epochs=1, batches_per_epoch=2,
                             hidden_size=8, head_size=8, samples=9, **settings).fit(panel)
    monkeypatch.setattr(pooled_draws, "ROWS", 7)  # (several blocks, a series across two)
    new = (f.predict_insample(panel), f.predict(), f.predict_insample(panel, step_size=4))
    paths_new, paths_old = {}, {}
    model_forecast.forecast_table(f, None, None, None, paths_out=paths_new)
    monkeypatch.setattr(ensemble_forecast, "pooled_rows", _row_by_row)
    old = (f.predict_insample(panel), f.predict(), f.predict_insample(panel, step_size=4))
    assert len(new[0]) > 60 and new[0]["unique_id"].nunique() == 3
    for a, b in zip(new, old):
        pd.testing.assert_frame_equal(a, b, check_exact=True)
    model_forecast.forecast_table(f, None, None, None, paths_out=paths_old)
    assert paths_new.keys() == paths_old.keys() == {"s0", "s1", "s2"}
    for u in paths_new:  # (each series' draws in the data's units, as sample_paths gives)
        assert paths_new[u].shape == (9, 3)
        np.testing.assert_array_equal(paths_new[u], paths_old[u])


@pytest.mark.parametrize("freq,lasts", [
    ("MS", ["2020-01-01", "2021-06-01", "2020-01-01", "2020-03-01"]),
    ("ME", ["2020-01-31", "2020-02-29", "2021-12-31"]),
    ("W-SUN", ["2020-01-05", "2020-03-01", "2020-01-12"]),
    ("D", ["2020-03-01", "2020-02-27", "2020-03-30"]),
    ("h", ["2020-03-08 01:00", "2020-03-08 05:00", "2020-03-07 23:00"]),
    ("B", ["2020-01-03", "2020-01-06", "2020-01-10"]),
    ("QS-JAN", ["2020-01-01", "2023-04-01"]),
    ("MS", ["2020-01-15", "2020-03-01"]),  # (off the grid: date by date)
    ("B", ["2020-01-04", "2020-01-06"]),  # (a Saturday: off the grid)
    ("D", ["2020-01-01"]),
])
def test_future_blocks_equal_a_range_per_date(freq, lasts):
    keys = [pd.Timestamp(d) for d in dict.fromkeys(lasts)]
    want = [future_dates(d, 4, freq) for d in keys]
    got = future_blocks(keys, 4, freq)
    pd.testing.assert_index_equal(got, want[0].append(want[1:]), exact=False)
    assert got.dtype == want[0].dtype


def test_future_blocks_keep_the_dates_unit_and_reuse_a_grid_only_where_it_fits():
    day = [pd.Timestamp(np.datetime64(d, "s")) for d in ("2020-01-03", "2020-01-01")]
    for keys in (day, [d.as_unit("ns") for d in day], [day[0], day[1].as_unit("ns")],
                 [pd.Timestamp("2019-12-30"), pd.Timestamp("2020-01-02")],  # (within)
                 [pd.Timestamp("2020-01-01 12:00"), pd.Timestamp("2020-01-05")]):  # (off)
        want = [future_dates(d, 5, "D") for d in keys]
        got = future_blocks(keys, 5, "D")
        pd.testing.assert_index_equal(got, want[0].append(want[1:]))


def test_future_blocks_of_a_week_calendar_and_a_time_zone():
    week = CustomBusinessDay(weekmask="Sun Mon Tue Wed Thu")
    for freq, keys in [(week, ["2024-01-07", "2024-01-11", "2024-02-04"]),
                       ("D", [pd.Timestamp("2020-03-07", tz="US/Eastern"),
                              pd.Timestamp("2020-03-09", tz="US/Eastern")])]:
        keys = [pd.Timestamp(d) for d in keys]
        want = [future_dates(d, 3, freq) for d in keys]
        pd.testing.assert_index_equal(future_blocks(keys, 3, freq), want[0].append(want[1:]))


def test_rows_added_one_by_one_and_at_once_give_one_frame():
    rng = np.random.default_rng(0)
    lasts = [pd.Timestamp("2020-05-01"), pd.Timestamp("2020-03-01"), pd.Timestamp("2020-05-01")]
    mean, quant = rng.normal(size=(3, 2)), rng.normal(size=(3, 2, 3))
    one, many = ForecastRows(2, "MS", (0.1, 0.5, 0.9)), ForecastRows(2, "MS", (0.1, 0.5, 0.9))
    for i, u in enumerate(["a", "b", "a"]):
        one.add(u, lasts[i], mean[i], quant[i])
    many.add_rows(["a", "b"], lasts[:2], mean[:2], quant[:2])
    many.add("a", lasts[2], mean[2], quant[2])
    frame = one.frame(None)
    pd.testing.assert_frame_equal(many.frame(None), frame)
    assert list(frame["ds"].dt.strftime("%m")) == ["06", "07", "04", "05", "06", "07"]


def test_rows_of_one_series_draw_what_each_row_alone_draws():
    import torch

    from rnnlab.panel.series_draws import SeriesDraws

    ids = ["a", "b", "a", "a", "b"]  # (a series' windows at several cutoffs)
    both = SeriesDraws(0, 1, ids)
    first, second = both.normal((6, 10, 3)), both.normal((6, 5, 3))  # (a recursive path)
    gamma = both.gamma(torch.full((6, 5, 3), 2.5))
    for i, u in enumerate(ids):
        alone = SeriesDraws(0, 1, [u])
        for got, want in [(first[:, i::5], alone.normal((6, 2, 3))),
                          (second[:, i::5], alone.normal((6, 1, 3))),
                          (gamma[:, i::5], alone.gamma(torch.full((6, 1, 3), 2.5)))]:
            assert torch.equal(got, want)
    assert not torch.equal(first[:, 0], first[:, 1]) and torch.equal(first[:, 0], first[:, 2])
