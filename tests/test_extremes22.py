"""Numerically awkward series (session 22): values whose float64 logs round their changes
away, and the errors a user reads for infinite, boolean and too-short input."""

import warnings

import numpy as np
import pandas as pd
import pytest

from rnnlab.data.log_room import log_keeps_changes
from rnnlab.forecast.transform import Pipeline
from rnnlab.io.errors import DataError
from rnnlab.panel.scaling import SeriesTransform

SEASON = np.tile(np.arange(12.0), 6)


def near_2_53(n=72):
    """Totals in units near 2**53 (exact as float64) changing by tens a step."""
    rng = np.random.default_rng(0)
    return 2.0 ** 53 + 2 * np.round(100 + 10 * SEASON[:n] + rng.normal(0, 2, n))


def test_the_log_of_values_near_2_53_loses_their_changes_and_of_1e12_keeps_them():
    assert not log_keeps_changes(near_2_53())
    assert log_keeps_changes(1e12 + 1e9 * SEASON)  # national accounts in units
    assert log_keeps_changes(1e-9 * (5 + SEASON))  # concentrations
    assert log_keeps_changes(np.full(24, 9e15))  # constant: no change to lose


def test_auto_takes_no_log_where_it_would_round_the_changes_away():
    """Before: both took the log, in which every seasonal change of the series is 0 or one
    float64 step (the panel then scaled it as a constant series, 1% of 9e15 per unit)."""
    y = near_2_53()
    t = SeriesTransform.fit(y, "a", "auto", 12)
    assert not t.log
    d = y[12:] - y[:-12]
    assert t.level_scale == pytest.approx(d.std(), rel=1e-12)
    p = Pipeline.fit(y[:60], "auto", "auto", 12, "standard", later=y[48:60])
    assert not p.log
    # where the log keeps them, auto still takes it
    assert SeriesTransform.fit(1e12 + 1e9 * SEASON, "b", "auto", 12).log
    assert Pipeline.fit(1e12 + 1e9 * SEASON, "auto", "auto", 12, "standard").log


def test_an_asked_for_log_that_rounds_the_changes_away_is_refused():
    y = near_2_53()
    with pytest.raises(DataError, match=r"transform='log' on series 'a': .* change by about "
                                        r".* use transform='none'"):
        SeriesTransform.fit(y, "a", "log", 12)
    with pytest.raises(DataError, match=r"transform='log' on the training part: .* use "
                                        r"transform='none'"):
        Pipeline.fit(y, "log", "auto", 12, "standard")


@pytest.mark.slow
def test_a_panel_series_near_2_53_is_forecast_within_its_changes():
    """Before: 9.0420e15 for values 9.007199254741e15 + 200 (3.5e13 off), intervals 1e14
    wide; now within the series' own steps (tens)."""
    from rnnlab.panel import GlobalForecaster

    y = near_2_53(48)
    ds = pd.date_range("2000-01-01", periods=48, freq="MS")
    df = pd.DataFrame({"unique_id": "a", "ds": ds, "y": y})
    f = GlobalForecaster("lstm", lookback=12, horizon=6, quantiles=(0.1, 0.9), epochs=1,
                         batches_per_epoch=5, ensemble=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p = f.fit(df).predict(6)
    assert np.abs(p["mean"].to_numpy() - y[36:42]).max() < 100
    assert (p["q0.9"] - p["q0.1"]).max() < 1000


def test_infinite_values_say_what_to_do():
    from rnnlab.data.series import load_series

    s = pd.Series(np.arange(1.0, 41.0), index=pd.date_range("2020-01-01", periods=40, freq="MS"))
    s.iloc[6] = -np.inf
    with pytest.raises(DataError, match=r"^series 'value' has infinite values \(rows 2020-07"
                                        r".*\); expected finite numbers: .* fill='ffill'"):
        load_series(s)


def test_a_boolean_series_says_how_to_forecast_it_as_numbers():
    from rnnlab.data.series import load_series

    with pytest.raises(DataError, match=r"is boolean, expected numbers; .*astype\(int\)"):
        load_series(pd.Series(np.arange(40) % 3 == 0))


def test_too_short_offers_difference_none_only_where_there_is_a_lag_to_drop():
    """A monthly series of 30 points (no differencing: lag 0) was told to use
    difference='none', which changes nothing."""
    from rnnlab.forecast import Forecaster

    s = pd.Series(np.arange(1.0, 31.0), index=pd.period_range("2000-01", periods=30, freq="M"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(DataError, match=r"differencing lag 0 .* at least 38 points") as e:
            Forecaster(epochs=1).fit(s)
    assert "difference='none'" not in str(e.value)
    with pytest.raises(DataError, match=r"differencing lag 1 .*, val_size=0 \(--val-size 0\), "
                                          r"or difference='none' \(--difference none\)$"):
        Forecaster(epochs=1, difference="first").fit(np.arange(1.0, 20.0))
    with pytest.raises(DataError) as e:
        Forecaster(epochs=1, val_size=0).fit(np.arange(1.0, 20.0))
    assert "val_size=0" not in str(e.value)


def test_the_standard_scaler_of_values_near_1e_300_divides_by_their_spread():
    """Their squares underflow: x.std() was 0, the scaler divided by 1, and the network
    (transform='none') forecast values near 1e0 for a series near 1e-300 (MASE 5e299)."""
    from rnnlab.data.scalers import StandardScaler

    x = 1e-300 * (5 + SEASON)
    sc = StandardScaler().fit(x)
    assert sc.std == pytest.approx(1e-300 * SEASON.std(), rel=1e-12)
    z = sc.transform(x)
    assert z.std() == pytest.approx(1.0, rel=1e-12)
    assert StandardScaler().fit(np.full(5, 1e-300)).std == 1.0  # constant: shift only
    assert StandardScaler().fit(SEASON).std == SEASON.std()  # the plain std, bit for bit


def test_whole_numbers_that_float64_rounds_are_said_in_a_warning():
    """2**53 + 1 was read as 2**53 silently: the forecasts, baselines and metrics then
    described other values (a CSV of odd counters near 2**53 scored MASE 0.000)."""
    from rnnlab.data.series import load_series
    from rnnlab.panel import read_panel

    idx = pd.period_range("2000-01", periods=40, freq="M")
    odd = pd.Series(2 ** 53 + 2 * np.arange(40) + 1, index=idx)
    with pytest.warns(UserWarning, match=r"column 'value' has whole numbers beyond 2\*\*53 "
                                         r"that float64 rounds \(.*9007199254740993 is read "
                                         r"as 9007199254740992\); subtract an offset"):
        load_series(odd)
    df = pd.DataFrame({"unique_id": "a", "ds": idx.to_timestamp(),
                       "y": pd.array([None] + odd.tolist()[1:], dtype="Int64")})
    with pytest.warns(UserWarning, match=r"panel: column 'y' has whole numbers beyond"):
        read_panel(df, fill="bfill")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # exact ones, and floats, say nothing
        load_series(odd - 1)
        load_series(odd.astype(np.float64))
        load_series(pd.Series(np.arange(40, dtype=np.uint8), index=idx) + 1)


def test_a_series_without_a_scale_at_one_origin_has_no_mase_rather_than_a_partial_one():
    """Flat (a boolean, zeros before a launch) before its first origin: no scale there. Its
    MASE averaged the later origin alone: the naive scored MASE 0 beside an MAE of 0.42,
    its five misses at the first origin left out while MAE and RMSE counted them."""
    from rnnlab.panel import metrics as M

    fc = pd.DataFrame({"model": "naive", "unique_id": "a", "origin": [0] * 3 + [1] * 3,
                       "y": [0.0, 0.0, 1.0, 1.0, 1.0, 1.0], "mean": [1.0] * 6,
                       "scale": [np.nan] * 3 + [0.5] * 3, "rms_scale": [np.nan] * 3 + [0.5] * 3,
                       "q0.1": [0.0] * 6, "q0.9": [1.0] * 6})
    ps = M.per_series(fc).iloc[0]
    assert ps["mae"] == pytest.approx(2 / 6)
    for m in ("mase", "rmsse", "scaled_pinball", "scaled_width80"):
        assert np.isnan(ps[m]), m
    s = M.summarize(fc).iloc[0]
    assert np.isnan(s["mase"]) and s["n_series_scaled"] == 0 and s["n_series"] == 1
    # a row without a true value needs no scale: the series keeps its MASE
    fc.loc[:2, "y"] = np.nan
    assert M.per_series(fc).iloc[0]["mase"] == pytest.approx(0.0)
