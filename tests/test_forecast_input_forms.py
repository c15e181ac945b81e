"""The forms users hand a series or a panel in (from a user sweep): dates as a frame's
index, a PeriodIndex, text dates as the index, a date column with an unusual name,
quarters, day-first dates in a long panel, a wide table indexed by text dates. Each
used to lose its dates silently (no period, forecasts numbered by step) or be refused."""

import numpy as np
import pandas as pd
import pytest

from rnnlab.data.series import load_series
from rnnlab.forecast import Forecaster
from rnnlab.io.errors import DataError
from rnnlab.panel import read_panel
from rnnlab.panel.baselines import Naive


def _monthly(n=48):
    idx = pd.date_range("2001-01-01", periods=n, freq="MS")
    t = np.arange(n)
    return pd.Series(100 + t + 10 * np.sin(2 * np.pi * t / 12), index=idx, name="sales")


@pytest.mark.parametrize("form", ["frame_index", "period_index", "frame_period_index",
                                  "text_index"])
def test_dates_are_read_from_the_index_of_a_frame_or_series(form):
    s = _monthly()
    data = {"frame_index": s.to_frame(),
            "period_index": s.set_axis(s.index.to_period("M")),
            "frame_period_index": s.set_axis(s.index.to_period("M")).to_frame(),
            "text_index": s.set_axis(s.index.strftime("%Y-%m"))}[form]
    got = load_series(data)
    assert got.freq == "MS"
    assert (got.index == s.index).all()
    np.testing.assert_array_equal(got.values, s.values)
    assert load_series(data, date_column=False).index is None  # still possible to ignore


def test_a_forecast_of_a_frame_with_a_date_index_is_dated_and_seasonal():
    f = Forecaster(lookback=12, horizon=6, epochs=1, ensemble=1, progress=False,
                   val_size=0).fit(_monthly().to_frame())
    assert f.period == 12
    assert list(f.predict(6).index) == list(pd.date_range("2005-01-01", periods=6, freq="MS"))


@pytest.mark.parametrize("name,text,freq", [
    ("week", lambda d: d.strftime("%Y-%m-%d"), "W-SUN"),
    ("Period", lambda d: d.strftime("%Y-%m"), "MS"),
    ("Quarter", lambda d: d.to_period("Q").strftime("%YQ%q"), "QS-JAN"),
    ("when", lambda d: d.strftime("%b %Y"), "MS"),
    ("Tag", lambda d: d.strftime("%d/%m/%Y"), "D"),  # day first: 01/01 .. 12/01, 13/01 ..
])
def test_a_date_column_is_found_by_its_values_whatever_its_name(tmp_path, name, text, freq):
    step = {"W-SUN": "W", "MS": "MS", "QS-JAN": "QS", "D": "D"}[freq]
    dates = pd.date_range("2001-01-01", periods=40, freq=step)
    df = pd.DataFrame({name: text(dates), "value": np.arange(40.0) % 7 + 1})
    df.to_csv(tmp_path / "s.csv", index=False)
    got = load_series(str(tmp_path / "s.csv"))
    assert got.freq == freq and got.name == "value"
    assert (got.index == dates).all()


def test_text_columns_that_are_not_dates_stay_data():
    df = pd.DataFrame({"ticker": ["AAPL"] * 30, "code": [f"{i}-A" for i in range(30)],
                       "value": np.arange(30.0)})
    assert load_series(df, column="value").index is None


def test_an_index_out_of_order_or_repeating_dates_is_refused():
    s = _monthly(24)
    with pytest.raises(DataError, match=r"index is not in increasing order \(data row 2: "
                                        r"2001-01-01 after 2001-02-01\).*sort_index"):
        load_series(s.iloc[[1, 0] + list(range(2, 24))])
    with pytest.raises(DataError, match="index repeats dates.*2001-03-01"):
        load_series(s.iloc[[0, 1, 2, 2] + list(range(3, 24))])


def test_a_wide_panel_indexed_by_text_or_period_dates_is_read():
    dates = pd.period_range("2001Q1", periods=12, freq="Q")
    wide = pd.DataFrame({"a": np.arange(12.0), "b": np.arange(12.0) * 2}, index=dates)
    for form in (wide, wide.set_axis(dates.strftime("%YQ%q"))):  # read_csv(index_col=0)
        p = read_panel(form)
        assert p.freq == "QS-JAN" and p.period == 4 and p.ids == ("a", "b")
        assert p.df.ds.iloc[1] == pd.Timestamp("2001-04-01")


def test_a_long_panel_with_day_first_dates_keeps_its_monthly_calendar():
    dates = pd.date_range("2001-01-01", periods=24, freq="MS")
    df = pd.concat([pd.DataFrame({"unique_id": u, "ds": dates.strftime("%d/%m/%Y"),
                                  "y": np.arange(24.0) + k}) for k, u in enumerate("ab")])
    p = read_panel(df)
    assert p.freq == "MS" and p.period == 12
    assert (p.series("a").ds.to_numpy() == dates.to_numpy()).all()


def test_an_unknown_setting_is_named_with_ours_for_a_peer_librarys_name():
    from rnnlab.panel import GlobalForecaster

    with pytest.raises(TypeError, match=r"unknown setting 'epoch' \(did you mean epochs"):
        Forecaster(epoch=3)
    with pytest.raises(TypeError, match=r"'input_chunk_length' \(here: lookback=\); "
                                        r"'n_epochs' \(here: epochs=\)"):
        Forecaster(n_epochs=3, input_chunk_length=24)
    with pytest.raises(TypeError, match=r"'futr_exog_list' \(future_covariates= here, a "
                                        r"setting of rnnlab.panel.GlobalForecaster"):
        Forecaster(futr_exog_list=["price"])
    with pytest.raises(TypeError, match=r"GlobalForecaster: unknown setting 'input_size' "
                                        r"\(here: lookback=\)"):
        GlobalForecaster(input_size=24)


def test_a_builtin_series_takes_its_own_column_name():
    assert load_series_named("airline", "passengers").name == "passengers"
    with pytest.raises(DataError, match=r"one column \('passengers'\), not 'sales'"):
        load_series_named("airline", "sales")


def load_series_named(name, column):
    from rnnlab.data.datasets import resolve_data

    return resolve_data(name, column=column)


def test_dates_written_as_numbers_are_years_or_yyyymmdd_never_nanoseconds():
    years = pd.DataFrame({"year": np.arange(1950, 1990), "gdp": np.arange(40.0) ** 1.5})
    s = load_series(years)
    yearly = pd.offsets.YearBegin(month=1).freqstr  # pandas < 2.2 names it "AS-JAN"
    assert s.freq == yearly and s.index[0] == pd.Timestamp("1950-01-01") and s.name == "gdp"
    p = read_panel(years.assign(unique_id="a"))  # pandas read 1950 as 1970-01-01 + 1950 ns
    # a panel's integer years are its integer time steps: the same years come back (they
    # came back as timestamps 1990-01-01; rnnlab.panel.int_steps)
    assert p.ds_period == "int" and Naive().fit(p).predict(2)["ds"].tolist() == [1990, 1991]
    days = pd.date_range("2020-01-01", periods=30)
    ymd = pd.DataFrame({"date": days.strftime("%Y%m%d").astype(int), "v": np.arange(30.0) % 7})
    assert load_series(ymd).freq == "D" and (load_series(ymd).index == days).all()
    steps = pd.DataFrame({"time": np.arange(30), "v": np.arange(30.0) % 7})
    assert load_series(steps).index is None  # a step counter named time: no calendar
    with pytest.raises(DataError, match="date column 'time' has values that are not dates"):
        load_series(steps, date_column="time")


def test_spreadsheet_exports_thousands_separators_and_trailing_commas(tmp_path):
    months = pd.date_range("2001-01-01", periods=30, freq="MS").strftime("%Y-%m")
    values = 900 + 10 * np.arange(30)  # 900 .. 1,190
    (tmp_path / "k.csv").write_text("Month,Sales\n" + "".join(
        f'{m},"{v:,}"\n' for m, v in zip(months, values)))
    got = load_series(str(tmp_path / "k.csv"))  # was: no numeric column among ['Sales']
    np.testing.assert_array_equal(got.values, values)
    (tmp_path / "t.csv").write_text("month,sales,\n" + "".join(
        f"{m},{v},\n" for m, v in zip(months, values)))
    got = load_series(str(tmp_path / "t.csv"))  # was: several numeric columns (.., Unnamed: 2)
    assert got.name == "sales" and got.freq == "MS"
    mixed = pd.DataFrame({"code": ["1,234", "AB"] * 15, "v": np.arange(30.0)})
    assert load_series(mixed).name == "v"  # text that is not all numbers stays text


@pytest.mark.parametrize("freq,period", [
    ("MS", 12), ("QS-JAN", 4), ("W-SUN", 52), ("D", 7), ("h", 24), ("B", 5),  # unchanged
    ("2h", 12), ("30min", 48), ("15min", 96), ("3MS", 4), ("2W-SUN", 26), ("BMS", 12),
    ("BQE-DEC", 4), ("2D", None), ("min", None), ("YS-JAN", None)])
def test_the_period_of_a_multiple_or_business_frequency(freq, period):
    from rnnlab.data.dates import infer_period
    from rnnlab.data.freq_names import this_pandas_freq

    assert infer_period(freq) == period  # 2h was 24 (two days), BMS 5 (business days)
    freq = this_pandas_freq(freq)  # BQE-DEC, YS-JAN: named BQ-DEC, AS-JAN before pandas 2.2
    s = load_series(pd.Series(np.arange(40.0) % 5, pd.date_range("2021-01-01", periods=40,
                                                                  freq=freq)))
    assert infer_period(s.freq) == period  # as read from the dates (3MS is read as QS-JAN)


def test_a_long_table_of_several_series_is_pointed_to_the_panel_api():
    dates = pd.date_range("2001-01-01", periods=24, freq="MS").strftime("%Y-%m")
    long = pd.concat([pd.DataFrame({"Region": r, "Month": dates, "Nights": np.arange(24.0) + k})
                      for k, r in enumerate(["north", "south", "west"])])
    with pytest.raises(DataError, match=r"a long table of 3 series \(column 'Region': 'north', "
                                        r"'south', 'west'\).*GlobalForecaster.*--id-column "
                                        r"Region"):
        load_series(long)  # was: "date column 'Month' is not in increasing order"


def test_values_too_large_for_float64_arithmetic_or_infinite_are_refused_by_name():
    s = _monthly()
    s.iloc[5] = 1e300  # was OverflowError (log) or LinAlgError (transform='none')
    with pytest.raises(DataError, match=r"values beyond 1e\+100 in size \(rows 2001-06-01: up "
                                        r"to 1e\+300\).*Rescale"):
        load_series(s)
    df = pd.DataFrame({"unique_id": "a", "ds": s.index, "y": _monthly().values, "x": 1.0})
    df.loc[7, "x"] = np.inf  # was read as is: the panel model forecast nonsense
    with pytest.raises(DataError, match=r"covariate 'x' has 1 infinite values.*\('a', "
                                        r"2001-08-01\)"):
        read_panel(df)
    with pytest.raises(DataError, match="expected a series: .*got NoneType"):
        load_series(None)


def test_dataset_names_ignore_case_and_a_panel_name_points_to_the_panel_api():
    from rnnlab.data.datasets import resolve_data

    assert resolve_data("Airline").name == "passengers"  # was "neither a built-in dataset"
    with pytest.raises(DataError, match=r"'elecdaily' is a built-in panel.*GlobalForecaster"):
        resolve_data("elecdaily")


def test_a_year_column_beside_a_month_or_quarter_column_dates_the_series():
    monthly = pd.DataFrame({"Year": np.repeat(np.arange(2000, 2004), 12),
                            "Month": np.tile(np.arange(1, 13), 4), "value": np.arange(48.0)})
    s = load_series(monthly)  # was "date column 'Month' is not in increasing order"
    assert s.freq == "MS" and s.name == "value" and s.index[13] == pd.Timestamp("2001-02-01")
    quarterly = pd.DataFrame({"year": np.repeat(np.arange(2000, 2005), 4),
                              "quarter": np.tile(np.arange(1, 5), 5), "v": np.arange(20.0)})
    s = load_series(quarterly)
    assert s.freq == "QS-JAN" and s.index[5] == pd.Timestamp("2001-04-01")


def test_an_unknown_fill_is_refused_when_the_forecaster_is_made():
    with pytest.raises(DataError, match=r"fill must be one of \('ffill', 'bfill', "
                                        r"'interpolate', 'drop'\) or None, got 'zero'"):
        Forecaster(fill="zero")  # was ignored for a built-in series


def test_numpy_scalars_are_settings_like_python_numbers():
    import json

    cfg = Forecaster(lookback=np.int64(12), horizon=np.int64(6), lr=np.float32(0.01),
                     ensemble=np.int32(2)).config  # was "lookback must be an integer"
    assert (cfg.lookback, cfg.horizon, cfg.ensemble) == (12, 6, 2)
    assert type(cfg.lookback) is int and type(cfg.lr) is float
    json.dumps(cfg.to_dict())  # saved with the model


def test_fill_fills_the_dates_missing_from_the_calendar_too():
    s = _monthly(48).drop(pd.Timestamp("2002-05-01"))
    gapped = load_series(s)
    assert gapped.gaps == 1 and "fill='interpolate'" in gapped.gap_note()
    got = load_series(s, fill="interpolate")  # was: still read as 47 consecutive steps
    assert len(got) == 48 and got.gaps == 0 and list(got.filled) == [16]
    assert got.values[16] == pytest.approx((s.iloc[15] + s.iloc[16]) / 2)
    days = pd.Series(np.arange(30.0), pd.bdate_range("2021-01-04", periods=31).delete(10))
    assert len(load_series(days, fill="ffill")) == 30  # business days: holidays stay out


def test_a_title_line_above_the_header_is_pointed_out(tmp_path):
    months = pd.date_range("2001-01-01", periods=12, freq="MS").strftime("%Y-%m")
    (tmp_path / "t.csv").write_text("Monthly sales, in units\nmonth,sales\n" + "".join(
        f"{m},{v}\n" for m, v in zip(months, range(12))))
    with pytest.raises(DataError, match=r"the first row holds \['month', 'sales'\]: if the "
                                        r"file starts with a title"):
        load_series(str(tmp_path / "t.csv"))
