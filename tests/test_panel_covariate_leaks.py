"""Covariates as a forecasting reviewer checks them (session 17): static values that
change in time, unseen categories, the covariate scaler's rows, future tables that miss
values, and the holiday calendar's version in a run's record. Each test failed before
its fix; the poisoning checks that were already clean are in docs/panels.md."""

import numpy as np
import pandas as pd
import pytest
import torch

from rnnlab.io.errors import DataError
from rnnlab.panel.backtest import backtest
from rnnlab.panel.frame import read_panel
from rnnlab.panel.model import GlobalForecaster

TINY = dict(hidden_size=8, head_size=8, epochs=1, batches_per_epoch=2, batch_size=16,
            lookback=8, horizon=4, patience=None)


def _table(series=4, n=40, seed=0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.concat([pd.DataFrame({
        "unique_id": f"s{i}", "ds": pd.date_range("2000-01-01", periods=n, freq="D"),
        "y": 10.0 + i + rng.standard_normal(n), "x": rng.standard_normal(n),
        "kind": "ab"[i % 2]}) for i in range(series)], ignore_index=True)


@pytest.mark.parametrize("refit", ["never", 1])
def test_backtest_refuses_a_static_covariate_that_changes_after_the_first_origin(refit):
    """A 'static' value that changes after the first origin: with refit='never' the one
    fit (on the rows before it) took the old value without a word; with refit=1 it was
    refused only at a later origin's fit. Now refused at once, naming column and series."""
    df = _table()
    late = (df["unique_id"] == "s1") & (df["ds"] > "2000-02-05")  # after the first origin
    df.loc[late, "kind"] = "c"
    fits = []

    def make():
        fits.append(1)
        return GlobalForecaster(static_covariates=("kind",), **TINY)

    with pytest.raises(DataError, match=r"'kind' varies in time within series \['s1'\]"):
        backtest(make, read_panel(df), horizon=4, first_origin=12, stride=4, refit=refit)
    assert len(fits) <= 1  # refused before any training


def test_covariate_scaler_reads_no_validation_tail_of_a_short_series():
    """A series with fewer than 3 values before its validation tail had its whole length,
    tail included, in the covariate scaler (shared by every series): a value poisoned in
    that tail moved every series' scaled covariates. Now the scaler reads the rows before
    each tail only, and such a series is not validated on."""
    df = _table(series=3, n=40)
    short = _table(series=1, n=12, seed=1).assign(unique_id="short")
    both = pd.concat([df, short], ignore_index=True)
    cfg = dict(TINY, future_covariates=("x",), val_size=10)
    base = GlobalForecaster(**cfg).fit(read_panel(both))
    poisoned = both.copy()
    tail = (poisoned["unique_id"] == "short") & (poisoned["ds"] > "2000-01-02")
    poisoned.loc[tail, "x"] = 1e6
    f = GlobalForecaster(**cfg).fit(read_panel(poisoned))
    assert f.features.covs.to_dict() == base.features.covs.to_dict()
    long_rows = pd.concat([g.iloc[:-10] for _, g in df.groupby("unique_id")] +
                          [short.iloc[:2]])
    assert f.features.covs.mean[0] == pytest.approx(long_rows["x"].mean(), rel=1e-12)
    for a, b in zip(base.members[0].state_dict().values(), f.members[0].state_dict().values()):
        assert (a == b).all()


def test_missing_future_values_name_the_columns_and_the_hours():
    """A future table with one column's value missing named every future column as
    missing; and hourly dates were shown as their days, so a table given at the wrong
    minutes read 'missing on 2000-01-02, ...; the table has other dates (2000-01-02, ...)'."""
    df = _table(series=2, n=40).assign(z=1.0)
    f = GlobalForecaster(future_covariates=("x", "z"), **TINY).fit(read_panel(df).cut(4))
    fut = df.groupby("unique_id").tail(4)[["unique_id", "ds", "x", "z"]].reset_index(drop=True)
    f.predict(4, future=fut)
    with pytest.raises(DataError, match=r"future covariates \['z'\] are missing for series "
                                        r"'s1' on 1 of the 4 forecast dates \(2000-02-07\)"):
        f.predict(4, future=fut.assign(z=np.where(fut.index == 5, np.nan, fut["z"])))
    hourly = _table(series=1, n=40).assign(ds=pd.date_range("2000-01-01", periods=40, freq="h"))
    g = GlobalForecaster(future_covariates=("x",), **TINY).fit(read_panel(hourly.iloc[:-4]))
    late = hourly.tail(4)[["unique_id", "ds", "x"]].assign(
        ds=lambda t: t["ds"] + pd.Timedelta("30min"))
    with pytest.raises(DataError, match=r"on 4 of the 4 forecast dates \(2000-01-02 12:00:00, "
                                        r".*other dates for it \(2000-01-02 12:30:00"):
        g.predict(4, future=late)


def test_run_record_names_the_holiday_calendar_version():
    """A run with calendar 'holiday' recorded its country but not the version of the
    `holidays` package, whose dates (a new public holiday) change the features."""
    import importlib.metadata as md

    from rnnlab.panel.backtest_save import packages

    assert packages()["holidays"] == md.version("holidays")


def test_unseen_static_category_is_named_when_its_series_is_forecast():
    """A series too short at a backtest's first origin whose category no training series
    had: refused with 'known only for the series given to fit', not saying that the
    category was the reason. Now the column, the value and the known categories are named."""
    df = _table(series=4, n=40)
    late = df[df["unique_id"] == "s3"].iloc[-20:].assign(unique_id="s5", kind="zzz")
    panel = read_panel(pd.concat([df, late], ignore_index=True))
    with pytest.raises(DataError, match=r"s5: 'kind' = 'zzz', a category no training series "
                                        r"had \(they have \['a', 'b'\]\)"):
        backtest(lambda: GlobalForecaster(static_covariates=("kind",), **TINY), panel,
                 horizon=4, first_origin=16, stride=4, refit="never")


def test_fill_warns_about_forecast_rows_appended_without_a_target():
    """NeuralForecast users append the dates to forecast to the table, y NaN and the
    future covariates given. With fill= those rows were filled without a word: the
    forecast started after made-up values, and their covariates were read as history."""
    df = _table(series=2, n=30)
    end = df.groupby("unique_id").cumcount(ascending=False) < 4
    with pytest.warns(UserWarning, match=r"fill='ffill' filled in target values at the end "
                                         r"of series; 2 series end with rows without a value "
                                         r"\('s0': 4 from 2000-01-27\): if they are the dates "
                                         r"to forecast, drop them"):
        read_panel(df.assign(y=df["y"].mask(end)), fill="ffill")
    import warnings

    inside = (df.groupby("unique_id").cumcount() == 10).to_numpy()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a gap inside a series: filled, as asked, no note
        read_panel(df.assign(y=df["y"].mask(inside)), fill="ffill")


def test_future_values_dated_a_step_off_are_named_as_shifted():
    """Future values dated one step late (or early) were refused as 'off the data's
    calendar', though their dates are on it: the error now says they are the forecast
    dates shifted, by how many steps and which way; a table that also holds the history
    is not so named. A shifted table that covers the horizon moves the forecast."""
    df = _table(series=2, n=40)
    f = GlobalForecaster(future_covariates=("x",), **TINY).fit(read_panel(df).cut(4))
    fut = df.groupby("unique_id").tail(4)[["unique_id", "ds", "x"]].reset_index(drop=True)
    day = pd.Timedelta(days=1)
    with pytest.raises(DataError, match=r"on 1 of the 4 forecast dates \(2000-02-06\).*"
                                        r"the forecast dates 1 step late \(2000-02-07 \.\. "
                                        r"2000-02-10\): date each value on the date it is for"):
        f.predict(4, future=fut.assign(ds=fut["ds"] + day))
    with pytest.raises(DataError, match=r"\(2000-02-08, 2000-02-09\).*the forecast dates "
                                        r"2 steps early \(2000-02-04 \.\. 2000-02-07\)"):
        f.predict(4, future=fut.assign(ds=fut["ds"] - 2 * day))
    whole = df[["unique_id", "ds", "x"]]
    with pytest.raises(DataError) as err:  # the history and 3 of the 4 forecast dates
        f.predict(4, future=whole[whole["ds"] < "2000-02-09"])
    assert "early" not in str(err.value) and "late" not in str(err.value)
    longer = df[["unique_id", "ds", "x"]].assign(ds=lambda t: t["ds"] + day)  # covers it
    moved = f.predict(4, future=longer)
    assert not np.allclose(moved["mean"], f.predict(4, future=fut)["mean"])


ELEC = dict(hidden_size=8, head_size=8, epochs=1, batches_per_epoch=2, batch_size=16,
            lookback=14, horizon=7, patience=None, quantiles=(0.1, 0.5, 0.9),
            calibrate="conformal", past_covariates=("Temperature",),
            future_covariates=("WorkDay",), calendar=("dayofweek", "holiday"),
            country="AU-VIC")


def _elecdaily():
    from rnnlab.panel.datasets import load_panel

    return load_panel("elecdaily")


def test_real_model_backtest_reads_nothing_after_each_origin():
    """The network itself (not a stand-in), calibrated, with a past-only covariate, a
    known-future one and holidays: targets and Temperature after an origin, and WorkDay
    past the origin's horizon, poisoned with 1e9, change no forecast from it or before
    it (0.0); WorkDay inside the horizon does change them (it is read)."""
    panel = _elecdaily().cut(140)  # the last 8 months: elecdaily's first 225 days
    make = lambda: GlobalForecaster("gru", **ELEC)  # noqa: E731
    run = dict(horizon=7, first_origin=21, stride=7, refit="never")
    base = backtest(make, panel, **run).forecasts
    df = panel.df.copy()
    pos = df.groupby("unique_id").cumcount(ascending=False)
    df.loc[pos < 14, ["y", "Temperature"]] = 1e9
    df.loc[pos < 14 - 7, "WorkDay"] = 1e9
    fc = backtest(make, panel.with_df(df), **run).forecasts
    origin = panel.df["ds"][pos == 14].iloc[0]
    a, b = base[base["origin"] <= origin], fc[fc["origin"] <= origin]
    assert len(a) == 14 and len(b) == 14
    cols = ["mean", "q0.1", "q0.5", "q0.9"]
    np.testing.assert_array_equal(a[cols].to_numpy(), b[cols].to_numpy())
    df = panel.df.copy()
    df.loc[(pos < 14) & (pos >= 7), "WorkDay"] = 1 - df["WorkDay"]  # inside the horizon
    moved = backtest(make, panel.with_df(df), **run).forecasts
    assert not np.allclose(moved[moved["origin"] == origin]["mean"],
                           base[base["origin"] == origin]["mean"])


def test_past_covariate_in_the_validation_tail_changes_nothing_in_a_fit():
    """Poisoning the past-only covariate in the validation tail leaves the weights, the
    covariate scaler and the conformal offsets exactly as they were (the training
    windows, the scaler and the calibration's histories end before the tail)."""
    panel = _elecdaily().cut(200)
    base = GlobalForecaster("gru", **ELEC).fit(panel)
    df = panel.df.copy()
    df.loc[df.groupby("unique_id").cumcount(ascending=False) < 7, "Temperature"] = 1e9
    f = GlobalForecaster("gru", **ELEC).fit(panel.with_df(df))
    assert f.features.covs.to_dict() == base.features.covs.to_dict()
    assert f.calibration == base.calibration and base.calibration is not None
    for a, b in zip(base.members[0].state_dict().values(), f.members[0].state_dict().values()):
        assert torch.equal(a, b)


def test_history_with_other_static_values_is_refused():
    """predict(history=...) whose static column held another value for a fitted series
    was forecast with the fitted value without a word; and predict(static=...) or
    static_df= was pointed to a static= that predict does not take."""
    df = _table(series=3, n=40).assign(size=lambda t: 1234.5678 * t["unique_id"].str[1:]
                                       .astype(float) + 0.1)
    f = GlobalForecaster(static_covariates=("kind", "size"), **TINY).fit(read_panel(df))
    same = f.predict(4, history=read_panel(df))  # the fitted values: forecast as before
    pd.testing.assert_frame_equal(same, f.predict(4))
    moved = df.assign(kind=np.where(df["unique_id"] == "s1", "zzz", df["kind"]))
    with pytest.raises(DataError, match=r"static covariate 'kind' of the history differs "
                                        r"from the value the model was fitted with for 1 "
                                        r"series \('s1': 'zzz', fitted with 'b'\)"):
        f.predict(4, history=read_panel(moved))
    bigger = df.assign(size=np.where(df["unique_id"] == "s2", 99.0, df["size"]))
    with pytest.raises(DataError, match=r"'size' of the history .* \('s2': 99.0, fitted "
                                        r"with 2469.2"):
        f.predict(4, history=read_panel(bigger))
    # text in the numeric column was a bare ValueError: could not convert string to float
    worded = df.assign(size=np.where(df["unique_id"] == "s1", "big", df["size"].astype(str)))
    with pytest.raises(DataError, match=r"'size' of the history .* \('s1': 'big', fitted "
                                        r"with 1234.6"):
        f.predict(4, history=read_panel(worded))
    # a series with no value in the history's text column (NaN: no value, as refuse_varying
    # reads it) was refused as differing ('s1': nan, fitted with 'b'); as without the column
    blank = df.assign(kind=df["kind"].where(df["unique_id"] != "s1"))
    pd.testing.assert_frame_equal(f.predict(4, history=read_panel(blank)), same)
    # without history=: the fitted series' values are fit's (static_df=: static= named)
    with pytest.raises(TypeError, match=r"without history= the fitted series are forecast "
                                        r"with their values from static= of fit\(panel, "
                                        r"static=\.\.\.\)"):
        f.predict(4, static=df[["unique_id", "kind"]])


def test_a_future_table_of_the_history_only_is_not_named_shifted():
    """A table holding the history and no forecast date (the history passed as future=)
    was named 'the forecast dates 4 steps early': for a shift of a whole horizon the
    check of the date before the shifted dates read an index of -1, the grid's far end.
    A table of exactly the horizon's length before the forecast dates still is named so."""
    from rnnlab.panel.future_dates import why_missing

    last, h = pd.Timestamp("2020-12-01"), 4
    dates = pd.date_range(last, periods=h + 1, freq="MS")[1:]
    history = pd.date_range(end=last, periods=24, freq="MS")
    assert why_missing(pd.DataFrame({"x": 1.0}, index=history), last, dates, "MS") == ""
    just = why_missing(pd.DataFrame({"x": 1.0}, index=history[-h:]), last, dates, "MS")
    assert "the forecast dates 4 steps early (2020-09-01 .. 2020-12-01)" in just
