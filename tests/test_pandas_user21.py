"""A pandas user's sweep (session 21) of one series: indexes that label it without being
dates (years as floats, durations, fractions) and masked arrays."""

import warnings

import numpy as np
import pandas as pd
import pytest

from rnnlab.data.series import load_series
from rnnlab.forecast import Forecaster
from rnnlab.io.errors import DataError

FAST = dict(lookback=6, horizon=3, epochs=2, ensemble=1, hidden_size=4, progress=False)


def _values(n=40):
    t = np.arange(n)
    return 100 + t + 5 * np.sin(2 * np.pi * t / 4)


def _label_warnings(data):
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        s = load_series(data)
    return s, [str(w.message) for w in said if "does not label the forecasts" in str(w.message)]


# ---------------------------------------------------------------- labels of no dates


def test_years_as_floats_label_the_forecasts_as_years_as_integers_do():
    # (a year column with an empty cell is float64; set as the index it labelled nothing:
    # the forecasts were numbered 40, 41, 42, the evaluation 37, 38, 39)
    years = np.arange(1980, 2020, dtype=np.float64)
    f = Forecaster(**FAST).fit(pd.Series(_values(), index=years))
    assert list(f.predict(3).index) == [2020, 2021, 2022]
    assert list(f.evaluate().forecasts.index) == [2017, 2018, 2019]


@pytest.mark.parametrize("index", [np.arange(100, 140, dtype=np.float64),
                                   pd.array(np.arange(100, 140), dtype="Int64"),
                                   np.arange(100, 140, dtype=np.uint16),
                                   pd.Index(list(range(100, 140)), dtype=object)])
def test_whole_numbers_of_any_numeric_dtype_are_continued(index):
    s, said = _label_warnings(pd.Series(_values(), index=index))
    assert list(s.future_index(2)) == [140, 141] and said == []


@pytest.mark.parametrize("index", [pd.timedelta_range("0s", periods=40, freq="5s"),
                                   np.arange(40) * 0.5, [f"r{i}" for i in range(40)],
                                   np.cumsum(np.tile([1, 2], 20))])
def test_an_index_forecasts_cannot_continue_is_said_not_dropped_silently(index):
    s, said = _label_warnings(pd.Series(_values(), index=index))
    assert list(s.future_index(2)) == [40, 41]
    assert len(said) == 1 and "forecasts are numbered 40, 41" in said[0], said
    assert type(pd.Index(index)).__name__ in said[0]


@pytest.mark.parametrize("data", [_values(), list(_values()), pd.Series(_values()),
                                  pd.DataFrame({"y": _values()})])
def test_an_array_or_a_default_index_says_nothing_of_labels(data):
    assert _label_warnings(data)[1] == []


def test_dropped_nans_of_a_default_index_say_nothing_of_labels():
    v = _values()
    v[5] = np.nan
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        s = load_series(pd.Series(v), fill="drop")
    assert len(s) == 39 and not [w for w in said if "label" in str(w.message)]


def test_date_column_false_keeps_the_index_out_without_a_word():
    idx = pd.date_range("2000", periods=40, freq="MS")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = load_series(pd.Series(_values(), index=idx), date_column=False)
    assert s.index is None


# ---------------------------------------------------------------- masked arrays


def test_the_masked_values_of_a_masked_array_are_missing_not_measured():
    a = np.ma.masked_array(_values(), mask=np.arange(40) == 4)
    with pytest.raises(DataError, match=r"1 NaN value \(row 4\)"):
        load_series(a)  # (the value under the mask was read as measured)
    s = load_series(a, fill="interpolate")
    assert s.values[4] == pytest.approx((a.data[3] + a.data[5]) / 2)
    assert list(s.filled) == [4]


def test_a_masked_array_with_nothing_masked_is_its_values():
    a = np.ma.masked_array(np.arange(30), mask=False)
    np.testing.assert_array_equal(load_series(a).values, np.arange(30.0))


# ---------------------------------------------------------------- the column fit read


def _table(n=40):
    idx = pd.date_range("2000-01-01", periods=n, freq="MS")
    return pd.DataFrame({"month": idx, "sales": _values(n), "price": np.linspace(1, 2, n)})


@pytest.fixture(scope="module")
def fitted_on_sales():
    return Forecaster(**FAST).fit(_table(), column="sales")


def test_history_of_the_same_table_is_read_at_the_column_fit_read(fitted_on_sales):
    # (it was refused: "several numeric columns (sales, price) and none is Close")
    newer = _table(44)
    before = newer.copy(deep=True)
    got = fitted_on_sales.predict(3, history=newer)
    want = fitted_on_sales.predict(3, history=newer, column="sales")
    pd.testing.assert_series_equal(got, want)
    assert got.index[0] == pd.Timestamp("2003-09-01") and got.name == "sales forecast"
    pd.testing.assert_frame_equal(newer, before)  # (the caller's table untouched)


def test_a_column_given_to_predict_still_wins(fitted_on_sales):
    got = fitted_on_sales.predict(3, history=_table(44), column="price")
    assert got.name == "price forecast"


def test_backtest_of_a_table_reads_the_column_fit_read(fitted_on_sales):
    res = fitted_on_sales.backtest(_table(), first_origin=6, stride=3, baselines=("naive",))
    truth = res.forecasts.set_index("ds")["y"]
    table = _table().set_index("month")["sales"]
    np.testing.assert_allclose(truth.to_numpy(), table.loc[truth.index].to_numpy())


def test_a_wide_table_of_several_series_is_pointed_to_read_panel():
    wide = pd.DataFrame({"a": _values(), "b": _values() * 2},
                        index=pd.date_range("2000-01-01", periods=40, freq="MS"))
    with pytest.raises(DataError, match=r"one series per column: rnnlab.panel.read_panel\(df\)"):
        load_series(wide)
    from rnnlab.panel import read_panel

    assert read_panel(wide).ids == ("a", "b")  # (as it says)


# ---------------------------------------------------------------- a custom business-day calendar

_HOLIDAYS = ["2020-03-02", "2020-03-03", "2020-03-09"]


def _trading_days():
    days = pd.offsets.CustomBusinessDay(holidays=_HOLIDAYS)
    return pd.Series(_values(), index=pd.date_range("2020-01-01", periods=40, freq=days))


@pytest.fixture(scope="module")
def fitted_on_trading_days():
    return Forecaster(**FAST).fit(_trading_days())


def test_forecasts_of_a_custom_business_day_index_skip_its_holidays(fitted_on_trading_days):
    # (the calendar was read as plain business days: forecasts fell on 2 and 3 March)
    got = fitted_on_trading_days.predict(8).index
    assert list(got.strftime("%m-%d")) == ["02-26", "02-27", "02-28", "03-04", "03-05",
                                           "03-06", "03-10", "03-11"]
    assert fitted_on_trading_days.series.gaps == 0  # (holidays are no missing dates)


def test_a_saved_model_keeps_the_holidays(fitted_on_trading_days, tmp_path):
    fitted_on_trading_days.save(tmp_path / "m")
    again = Forecaster.load(tmp_path / "m")
    pd.testing.assert_index_equal(again.predict(8).index,
                                  fitted_on_trading_days.predict(8).index)


def test_newer_data_without_the_index_freq_is_dated_on_the_fitted_holidays(
        fitted_on_trading_days):
    newer = _trading_days().iloc[:-12]  # ends 2020-02-07
    plain = pd.Series(newer.to_numpy(), index=pd.DatetimeIndex(list(newer.index)))
    assert plain.index.freq is None
    got = fitted_on_trading_days.predict(18, history=plain).index
    assert not set(got.strftime("%Y-%m-%d")) & set(_HOLIDAYS)
    assert got[-1] == pd.Timestamp("2020-03-06")  # (plain business days: 03-04)


def test_a_damaged_calendar_in_a_saved_model_is_refused(fitted_on_trading_days, tmp_path):
    import json

    from rnnlab.io.errors import CheckpointError
    from rnnlab.io.json_file import CHECKSUM_KEY, checksummed_text

    fitted_on_trading_days.save(tmp_path / "m")
    doc = tmp_path / "m" / "model.json"
    meta = json.loads(doc.read_text())
    meta["extra"]["series"]["calendar"] = {"weekmask": "Mon", "holidays": ["not a date"]}
    doc.write_text(checksummed_text({k: v for k, v in meta.items() if k != CHECKSUM_KEY}))
    with pytest.raises(CheckpointError, match="business-day calendar"):
        Forecaster.load(tmp_path / "m")


def test_an_index_of_periods_in_an_object_dtype_dates_the_series_as_periods():
    months = pd.period_range("2000-01", periods=40, freq="M")
    s = pd.Series(_values(), index=pd.Index(list(months), dtype=object))
    got = Forecaster(**FAST).fit(s).predict(2).index  # (forecasts numbered 40, 41)
    assert isinstance(got, pd.PeriodIndex) and list(got.astype(str)) == ["2003-05", "2003-06"]
    assert s.index.dtype == object  # (the caller's index kept)
