"""A forecasting practitioner's sweep of time indexes, frequencies and calendars with the
one-series ``Forecaster`` and ``rnnlab forecast``: each test pins a problem found there."""

import re

import numpy as np
import pandas as pd
import pytest

from rnnlab.data.freq_names import this_pandas_freq
from rnnlab.data.series import load_series

TINY = dict(epochs=1, ensemble=1, progress=False, hidden_size=4)


def _wave(n, index=None, name="y"):
    t = np.arange(n)
    return pd.Series(10 + np.sin(2 * np.pi * t / 7) + 0.01 * t, index=index, name=name)


@pytest.mark.parametrize("freq, start, period", [("D", "2021-10-01", 7), ("MS", "2020-01-01", 12),
                                                 ("W-SUN", "2021-01-03", 52),
                                                 ("B", "2021-03-01", 5)])
def test_days_to_months_of_a_time_zone_written_by_pandas_keep_their_calendar(
        tmp_path, freq, start, period):
    """pandas writes a zone's dates with their UTC offset, which changes with daylight
    saving time: read as UTC instants, days started at 22:00 then 23:00 (no frequency:
    forecasts numbered by step, no period) and month starts read as month ends at 23:00."""
    idx = pd.date_range(start, periods=60, freq=freq, tz="Europe/Berlin", name="date")
    _wave(60, idx).to_csv(tmp_path / "z.csv")
    s = load_series(tmp_path / "z.csv")
    assert s.freq == idx.freqstr and s.gaps == 0 and s.gap_note() is None
    assert s.index.equals(idx.tz_localize(None))  # the local calendar
    expected = pd.date_range(start, periods=63, freq=freq)[60:]
    assert s.future_index(3).equals(expected)


def test_hours_of_a_time_zone_across_daylight_saving_stay_instants(tmp_path):
    idx = pd.date_range("2021-10-30", periods=60, freq="h", tz="Europe/Berlin", name="t")
    _wave(60, idx).to_csv(tmp_path / "h.csv")
    s = load_series(tmp_path / "h.csv")
    assert s.index.equals(idx.tz_convert("UTC")) and s.freq == pd.offsets.Hour().freqstr


@pytest.mark.parametrize("text, periods, written", [
    ("2010Q1", pd.period_range("2010Q1", periods=40, freq="Q"), ["2020Q1", "2020Q2"]),
    ("2010M01", pd.period_range("2010-01", periods=40, freq="M"), ["2013-05", "2013-06"])])
def test_quarters_and_months_written_as_periods_in_a_file_come_back_as_periods(
        tmp_path, text, periods, written):
    """A CSV's 1998Q1 (and 2019M01) dates were read as timestamps by the one-series path
    and forecast as 2020-01-01 00:00:00, where a panel of the same file gives periods."""
    labels = periods.strftime("%YQ%q") if "Q" in text else periods.strftime("%YM%m")
    pd.DataFrame({"period": labels, "y": _wave(40).to_numpy()}).to_csv(tmp_path / "p.csv",
                                                                       index=False)
    s = load_series(tmp_path / "p.csv")
    assert isinstance(s.labels(), pd.PeriodIndex) and s.labels().equals(periods)
    assert list(s.future_index(2).astype(str)) == written
    frame = pd.DataFrame({"period": labels, "y": _wave(40).to_numpy()})
    assert load_series(frame).labels().equals(periods)  # a DataFrame of that text too


def test_a_column_of_years_comes_back_as_years(tmp_path):
    """Years written as numbers (1970) were read as dates and forecast as 2010-01-01
    00:00:00 timestamps; a panel of the same file gives 2010 back."""
    pd.DataFrame({"year": range(1970, 2010), "gdp": _wave(40).to_numpy()}).to_csv(
        tmp_path / "y.csv", index=False)
    s = load_series(tmp_path / "y.csv")
    assert s.labels().equals(pd.period_range("1970", periods=40, freq="Y"))
    assert list(s.future_index(2).astype(str)) == ["2010", "2011"]
    every5 = pd.DataFrame({"year": range(1800, 2000, 5), "gdp": _wave(40).to_numpy()})
    assert list(load_series(every5).future_index(2).astype(str)) == ["2000", "2005"]


@pytest.mark.parametrize("freq", ["SMS", "SME", "SMS-10", "SME-20"])
def test_semi_monthly_dates_are_a_calendar_with_a_period_of_24(freq):
    """Twice-monthly dates (the 1st and 15th, the 15th and month end: payrolls, coupons):
    pandas' infer_freq names none, so they read as irregular (no period, forecasts
    numbered by step, not dated)."""
    freq = this_pandas_freq(freq)  # ('SME' is 'SM' under pandas < 2.2, the floor)
    idx = pd.date_range("2020-01-01", periods=60, freq=freq)
    s = load_series(_wave(60, idx))
    assert s.freq == idx.freqstr and s.gap_note() is None
    assert s.future_index(3).equals(pd.date_range(idx[-1], periods=4, freq=freq)[1:])
    from rnnlab.data.frequency import infer_period
    assert infer_period(s.freq) == 24
    gap = load_series(_wave(59, idx.delete(30)))  # a missing one: a gap of that calendar
    assert gap.freq == idx.freqstr and gap.gaps == 1


def test_dates_on_one_day_of_each_month_are_no_semi_month():
    idx = pd.date_range("2020-01-10", periods=30, freq="MS") + pd.Timedelta(days=9)
    assert load_series(_wave(30, idx)).freq is None  # (month_day_hint says what to do)


_DAYS = pd.date_range("2020-01-01", periods=40, freq="D")
_MONTHS = pd.date_range("2018-01-01", periods=40, freq="MS")


@pytest.mark.parametrize("dates, freq", [
    (_DAYS.strftime("%d-%b-%Y"), "D"), (_DAYS.strftime("%d %b %Y"), "D"),
    (_DAYS.strftime("%B %d, %Y"), "D"), (_DAYS.strftime("%b %d %Y"), "D"),
    (_DAYS.strftime("%a %d %b %Y"), "D"), (_MONTHS.strftime("%b-%Y"), "MS"),
    (_MONTHS.strftime("%Y-%b"), "MS"), (_MONTHS.strftime("%m/%Y"), "MS"),
    (_MONTHS.strftime("%b-%y"), "MS")])
def test_dates_written_with_month_names_in_a_column_of_any_name_are_the_calendar(dates, freq):
    """A column named Datum (or anything but date, month, ...) of 01-Jan-2020, Jan-2018,
    January 01, 2020, 01/2018 was not taken for dates: the series lost its calendar (no
    seasonal period, forecasts numbered by step) without a word."""
    s = load_series(pd.DataFrame({"Datum": dates, "sales": _wave(40).to_numpy()}))
    assert s.freq == freq and s.index[0] == (_DAYS if freq == "D" else _MONTHS)[0]
    assert s.index.equals(_DAYS if freq == "D" else _MONTHS)


def test_months_written_as_excels_jan_18_are_months_of_2018():
    """Excel's month format Jan-18 in a date column was read as 18 January of year 1 (then
    refused: 'not in increasing order ... sort the file')."""
    months = pd.date_range("2018-01-01", periods=40, freq="MS")
    s = load_series(pd.DataFrame({"date": months.strftime("%b-%y"), "v": _wave(40).to_numpy()}))
    assert s.index.equals(months) and s.freq == "MS"


def test_day_first_dates_with_two_digit_years_are_read_day_first():
    """31/01/20 (day first, a year of two digits) was read month first, then refused as
    'not in increasing order (2020-01-13 after 2020-12-01): sort the file'."""
    s = load_series(pd.DataFrame({"date": _DAYS.strftime("%d/%m/%y"), "v": _wave(40).to_numpy()}))
    assert s.index.equals(_DAYS)
    us = load_series(pd.DataFrame({"date": _DAYS.strftime("%m/%d/%y"), "v": _wave(40).to_numpy()}))
    assert us.index.equals(_DAYS)


def test_the_hour_skipped_by_summer_time_on_local_clock_times_is_not_a_gap_to_fill():
    """Hourly meter readings on the local clock (no zone) miss 02:00 on the night summer
    time starts: the note called it a gap of missing values (holidays or gaps), where no
    reading is missing; what reading it as it is, or filling it, does is said instead."""
    idx = pd.date_range("2021-03-26", periods=96, freq="h", tz="Europe/Berlin")
    s = load_series(_wave(96, idx.tz_localize(None)))
    note = s.gap_note()
    assert s.gaps == 1 and "daylight saving time starts, 2021-03-28," in note
    assert "holidays or gaps" not in note
    assert "no reading is missing" in note and "fill='interpolate' adds a made-up hour" in note
    assert "--fill interpolate) fills them" not in note
    other = load_series(_wave(95, pd.date_range("2021-03-24", periods=96, freq="h").delete(30)))
    assert "daylight" not in other.gap_note() and "fills them" in other.gap_note()


@pytest.mark.parametrize("freq, args, said", [
    ("h", [], "seasonal period: 24 (from the dates' 'h' calendar;"),
    ("h", ["--period", "6"], "seasonal period: 6 (--period;"),
    ("YS", [], "seasonal period: none (dates of 'YS-JAN' carry none;"),
    ("W-SUN", [], "seasonal period: none (the 52 of the dates' 'W-SUN' calendar is more than"),
    ("5min", [], "seasonal period: none (a day of '5min' steps is 288 of them, more than the "
                 "96 taken from the dates;")])
def test_rnnlab_forecast_says_the_seasonal_period_it_used(tmp_path, capsys, freq, args, said):
    """The period the run inferred (seasonal_naive's lag, MASE's scale) was printed
    nowhere: only metrics.json held it."""
    from rnnlab.cli import main

    # the note names the calendar as the installed pandas does ('H', 'AS-JAN', '5T' < 2.2)
    for name in re.findall(r"'(\w+(?:-\w+)?)'", said):
        said = said.replace(f"'{name}'", f"'{this_pandas_freq(name)}'")
    idx = pd.date_range("2000-01-02", periods=45, freq=this_pandas_freq(freq), name="date")
    _wave(45, idx).to_csv(tmp_path / "s.csv")
    assert main(["forecast", "--data", str(tmp_path / "s.csv"), "--lookback", "4", "--horizon",
                 "2", "--epochs", "1", "--ensemble", "1", "--hidden-size", "4",
                 "--no-progress", "--out", str(tmp_path / "r"), *args]) == 0
    assert said in " ".join(capsys.readouterr().out.split())  # (broken at its clauses)


@pytest.mark.parametrize("as_objects", [lambda d: d.date(), lambda d: d.to_pydatetime(),
                                        lambda d: d])
def test_an_index_or_column_of_python_dates_is_the_calendar(as_objects):
    """``s.groupby(s.index.date).sum()`` indexes a series by datetime.date objects: they
    were not taken for dates, so the series lost its calendar (no period of 7, forecasts
    numbered 40, 41, ... not dated) without a word."""
    days = pd.date_range("2020-01-01", periods=40, freq="D")
    objects = pd.Index([as_objects(d) for d in days], dtype=object)
    s = load_series(_wave(40, objects))
    assert s.freq == "D" and s.index.equals(days)
    assert s.future_index(1)[0] == pd.Timestamp("2020-02-10")
    frame = pd.DataFrame({"when": objects, "v": _wave(40).to_numpy()})
    assert load_series(frame).index.equals(days)


def test_the_last_trading_day_of_each_month_is_told_to_read_as_months():
    """Month-end prices dated by the last trading day (May 28, 2021: the 31st a holiday)
    follow no pandas frequency: the note said only 'irregular', with no way out."""
    ends = pd.date_range("2019-01-01", periods=40, freq=this_pandas_freq("BME"))
    ends = ends.where(ends != pd.Timestamp("2021-05-31"), pd.Timestamp("2021-05-28"))
    s = load_series(_wave(40, ends))
    assert s.freq is None
    assert "a different day from month to month (the last trading day, say)" in s.gap_note()
    assert "s.index.to_period('M')" in s.gap_note()
    months = load_series(_wave(40, ends.to_period("M")))
    assert months.freq is not None and str(months.future_index(1)[0]) == "2022-05"


@pytest.mark.parametrize("form", ["%m/%d/%Y", "%d/%m/%Y", "%d.%m.%Y", "%b-%Y"])
def test_rnnlab_forecast_writes_dates_as_the_file_wrote_them(tmp_path, form):
    """forecast.csv (and --run's output) wrote 2020-02-11 for a file of 02/10/2020 dates:
    joined back to the file on its date text, the forecast matched no row."""
    from rnnlab.cli import main

    days = pd.date_range("2020-01-13", periods=40, freq="MS" if "%d" not in form else "D")
    pd.DataFrame({"Date": days.strftime(form), "v": _wave(40).to_numpy()}).to_csv(
        tmp_path / "d.csv", index=False)
    args = ["--lookback", "4", "--horizon", "2", "--epochs", "1", "--ensemble", "1",
            "--hidden-size", "4", "--no-progress"]
    assert main(["forecast", "--data", str(tmp_path / "d.csv"), *args,
                 "--out", str(tmp_path / "r")]) == 0
    out = pd.read_csv(tmp_path / "r" / "forecast.csv", dtype=str)
    future = pd.date_range(days[-1], periods=3, freq=days.freq)[1:]
    test = out.loc[out["part"] == "test", "time"].tolist()
    assert test == list(days[-len(test):].strftime(form))
    assert out.loc[out["part"] == "future", "time"].tolist() == list(future.strftime(form))
    assert main(["forecast", "--run", str(tmp_path / "r"), "--horizon", "2",
                 "--output", str(tmp_path / "o.csv")]) == 0
    assert pd.read_csv(tmp_path / "o.csv", dtype=str)["time"].tolist() == list(
        future.strftime(form))


def test_two_columns_of_dates_neither_named_so_are_a_question_not_no_dates(tmp_path):
    """week_start and week_end both hold dates: neither was taken, and the series lost its
    calendar (no period, forecasts numbered by step) without a word."""
    from rnnlab.io.errors import DataError

    start = pd.date_range("2020-01-06", periods=40, freq="W-MON")
    df = pd.DataFrame({"week_start": start.strftime("%Y-%m-%d"),
                       "week_end": (start + pd.Timedelta(days=6)).strftime("%Y-%m-%d"),
                       "units": _wave(40).to_numpy()})
    with pytest.raises(DataError, match=r"columns 'week_start', 'week_end' all hold dates; "
                                        r"expected one date column: choose it"):
        load_series(df)
    assert load_series(df, date_column="week_end").freq == "W-SUN"
    assert load_series(df, date_column=False).index is None
    dated = df.set_index(pd.DatetimeIndex(start))  # dates in the index: those
    assert load_series(dated, column="units").freq == "W-MON"
