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


def small_panel(freq="MS", tz=None, int_ids=False, n=7, seed=0, alike=False):
    """Ragged starts and ends (series end on three dates), one gap filled; ``alike``:
    series of two lengths only (forecast together by the naive baselines)."""
    rng = np.random.default_rng(seed)
    parts = []
    for i in range(n):
        length = 20 + 5 * (i % 2 if alike else i)
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
    once per lag for all series of one length: the same frame (values, dtypes, ids'
    type, time zone) bit for bit."""
    for alike in (False, True):
        panel = small_panel(freq, tz, int_ids, alike=alike)
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


# ---------------------------------------------------------------- the global model's rows


def old_forecast_table(cfg, f, head, ids, last, hist, outs, anchor, scale, horizon):
    """ensemble_forecast.forecast_table as it was (direct strategy): a frame per series
    (the draws as now)."""
    import torch

    levels = cfg.quantiles or ()
    if head.parametric:  # (each series' draws from its own generator: .series_draws)
        from rnnlab.panel.series_draws import SeriesDraws

        z = torch.cat([head.sample(o, cfg.samples, scale, SeriesDraws(cfg.seed, k, ids))
                       for k, o in enumerate(outs)]).numpy()
        z = z + anchor[None]
    elif levels and hasattr(head, "quantiles"):
        zq = torch.stack([head.quantiles(o) for o in outs]).mean(0).numpy() + anchor[..., None]
        zp = torch.stack([head.point(o, scale) for o in outs]).mean(0).numpy() + anchor
    else:
        zp = torch.stack([head.point(o, scale) for o in outs]).mean(0).numpy() + anchor
    parts = []
    for i, uid in enumerate(ids):
        tr = f.transforms[uid]
        dates = pd.date_range(last[uid], periods=horizon + 1, freq=f.freq)[1:]
        row = {"unique_id": uid, "ds": dates, "step": np.arange(1, horizon + 1)}
        if head.parametric:
            drawn = tr.from_model(z[:, i, :horizon], hist[i])
            drawn = np.round(drawn) if tr.counts else drawn
            row["mean"] = drawn.mean(axis=0)
            method = "inverted_cdf" if tr.counts else "linear"
            for q, v in zip(levels, np.quantile(drawn, levels, axis=0, method=method)):
                row[f"q{q:g}"] = v
        else:
            row["mean"] = tr.from_model(zp[i, :horizon], hist[i])
            if levels and hasattr(head, "quantiles"):
                qs = tr.from_model(zq[i, :horizon].T, hist[i])
                for q, v in zip(levels, np.maximum.accumulate(qs, axis=0)):
                    row[f"q{q:g}"] = v
        parts.append(pd.DataFrame(row))
    return pd.concat(parts, ignore_index=True)


def covariate_panel(tz=None):
    rng = np.random.default_rng(3)
    parts = []
    for i in range(6):
        n = 40 + 4 * i
        ds = pd.date_range(end=pd.Timestamp("2021-03-01", tz=tz) - pd.Timedelta(days=i % 2),
                           periods=n, freq="D")
        y = (1 + i) * (5 + np.sin(np.arange(n) * 2 * np.pi / 7)) + rng.normal(0, 0.3, n)
        if i == 5:
            y = y - 8  # not positive: no log
        parts.append(pd.DataFrame({"unique_id": f"s{i}", "ds": ds, "y": y,
                                   "price": rng.uniform(1, 2, n), "visits": rng.poisson(9, n)}))
    return read_panel(pd.concat(parts, ignore_index=True))


SETTINGS = {
    "quantiles, covariates, calendar": dict(future_covariates=("price",),
                                            past_covariates=("visits",),
                                            calendar=("dayofweek", "month")),
    "seasonal difference": dict(difference="seasonal"),
    "gaussian": dict(likelihood="gaussian", samples=16, past_covariates=("visits",),
                     future_covariates=("price",)),
    "counts": dict(likelihood="negbin", samples=16, transform="none"),
}


@pytest.mark.parametrize("name", list(SETTINGS))
def test_the_global_models_rows_and_forecasts_equal_the_per_series_loops(name, monkeypatch):
    """training_data's buffer (rows_of) is the per-series rows() concatenated; predict's
    windows (last_windows) are _last_windows_loop's; the forecast table is the frame per
    series it was: exactly, for a training tail and a history."""
    from rnnlab.panel import global_table as PM  # (where predict builds its table)
    from rnnlab.panel.features import Features
    from rnnlab.panel.model import GlobalForecaster
    from rnnlab.panel.series_blocks import blocks

    settings = dict(SETTINGS[name])
    tz = "Europe/Paris" if name == "gaussian" else None
    panel = covariate_panel(tz)
    if name == "counts":
        panel = panel.with_df(panel.df.assign(y=np.round(panel.df["y"].abs())))
    train = panel.cut(5)
    model = GlobalForecaster("gru", lookback=8, horizon=5, epochs=1, batches_per_epoch=2,
                             hidden_size=4, head_size=4, calibrate="none", **settings)
    model.fit(train)
    f = model.features
    df = train.df
    b = blocks(df)
    want = np.concatenate([f.rows(str(u), g) for u, g in df.groupby("unique_id", sort=False)])
    got = f.rows_of(df.iloc[b.order], b)
    np.testing.assert_array_equal(got, want)
    assert got.dtype == want.dtype == np.float32
    fut = panel.df.groupby("unique_id").tail(5)[["unique_id", "ds", "price"]] \
        if "future_covariates" in settings else None
    for history in (None, train):
        new = model.predict(5, future=fut, history=history)
        rows_df = model.tail if history is None else history.df
        for a, c in zip(f.last_windows(rows_df, fut, 5), f._last_windows_loop(rows_df, fut, 5)):
            if isinstance(a, np.ndarray):
                np.testing.assert_array_equal(a, c)
                assert a.dtype == c.dtype
            elif isinstance(a, list) and a and isinstance(a[0], np.ndarray):
                for x, y in zip(a, c):
                    np.testing.assert_array_equal(x, y)
            else:
                assert a == c
        with monkeypatch.context() as m:
            m.setattr(Features, "last_windows", Features._last_windows_loop)
            # (``last``: each row's date since predict_insample, the old table's dict of them)
            m.setattr(PM, "forecast_table", lambda cfg, f, head, ids, last, hist, outs, anchor,
                      scale, horizon, paths_out=None, **k: old_forecast_table(
                          cfg, f, head, ids, dict(zip(ids, last)), hist, outs, anchor, scale,
                          horizon))
            old = model.predict(5, future=fut, history=history)
        pd.testing.assert_frame_equal(new, old, check_exact=True)


def test_rows_of_names_the_series_whose_log_window_holds_a_zero():
    """The vectorized transform raises the per-series error, for the first such series."""
    from rnnlab.io.errors import DataError
    from rnnlab.panel.model import GlobalForecaster
    from rnnlab.panel.series_blocks import blocks

    panel = covariate_panel()
    model = GlobalForecaster("gru", lookback=8, horizon=5, epochs=1, batches_per_epoch=1,
                             hidden_size=4, head_size=4, calibrate="none",
                             transform="log", difference="none")
    model.fit(panel.with_df(panel.df[panel.df["unique_id"] != "s5"]))
    df = model.tail.copy()
    df.loc[df["unique_id"].isin(["s2", "s3"]), "y"] = 0.0
    with pytest.raises(DataError, match="series 's2' has values <= 0"):
        model.features.rows_of(df, blocks(df))


@pytest.mark.parametrize("drop", ["a date", "a value", "a series"])
def test_a_future_table_short_of_a_value_gets_the_per_series_error(drop):
    """future_values looks all series up at once; where a value is missing it gives
    future_block's error, naming the same series and dates."""
    from rnnlab.io.errors import DataError
    from rnnlab.panel.model import GlobalForecaster

    panel = covariate_panel()
    train = panel.cut(5)
    model = GlobalForecaster("gru", lookback=8, horizon=5, epochs=1, batches_per_epoch=1,
                             hidden_size=4, head_size=4, calibrate="none",
                             future_covariates=("price",))
    model.fit(train)
    fut = panel.df.groupby("unique_id").tail(5)[["unique_id", "ds", "price"]]
    s3 = fut.index[fut["unique_id"] == "s3"]
    fut = {"a date": fut.drop(index=s3[2]), "a value": fut.assign(
        price=fut["price"].where(fut.index != s3[1])), "a series": fut.drop(index=s3)}[drop]
    f = model.features
    errors = []
    for windows in (f.last_windows, f._last_windows_loop):
        with pytest.raises(DataError, match="missing for series 's3'") as e:
            windows(model.tail, fut, 5)
        errors.append(str(e.value))
    assert errors[0] == errors[1]
