"""One date typed wrong in a regular series (9021-12-01 for 2021-12-01, the last of a
monthly file) was read on pandas 3 as dates of no frequency, trained on and forecast by
step; it is refused naming the date and its neighbours, as the panel reader refuses it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cli_run import run
from rnnlab import Forecaster
from rnnlab.data.series import load_series
from rnnlab.io.errors import DataError

PANDAS_3 = pytest.mark.skipif(int(pd.__version__.split(".")[0]) < 3, reason="pandas 2 holds "
                              "no date past 2262: it refuses 9013-12-01 as out of range")

# (freq, rows, where the typo is, what the date becomes, the date it is said beside)
CASES = [("MS", 48, -1, "9013-12-01", "2013-11-01"), ("MS", 48, 0, "1010-01-01", "2010-02-01"),
         ("QS", 24, -1, "9015-10-01", "2015-07-01"), ("QS", 24, 0, "1010-01-01", "2010-04-01"),
         ("D", 60, -1, "9010-03-01", "2010-02-28"), ("D", 60, 0, "1010-01-01", "2010-01-02"),
         ("h", 60, -1, "9010-01-03 11:00:00", "2010-01-03 10:00:00"),
         ("h", 60, 0, "1010-01-01 00:00:00", "2010-01-01 01:00:00")]


def _typed(freq, n, at, date):
    dates = pd.date_range("2010-01-01", periods=n, freq=freq).astype(str).tolist()
    dates[at] = date
    t = np.arange(n)
    return pd.DataFrame({"date": dates, "y": 10 + np.sin(t / 2) + 0.01 * t})


@PANDAS_3
@pytest.mark.parametrize("freq, n, at, date, beside", CASES)
def test_a_date_typed_wrong_in_a_file_is_refused_naming_it(tmp_path, freq, n, at, date, beside):
    _typed(freq, n, at, date).to_csv(tmp_path / "s.csv", index=False)
    with pytest.raises(DataError, match=r"its date " + date.removesuffix(" 00:00:00") +
                       r" \(date \d+ of \d+, beside " + beside + r"\) breaks its .*"
                       r"a date typed wrong\? correct or drop that row"):
        load_series(tmp_path / "s.csv")  # (was read, "its dates follow no single frequency")


@PANDAS_3
@pytest.mark.parametrize("freq, n, at, date, beside", CASES[::3])
def test_a_date_typed_wrong_in_a_pandas_series_is_refused(freq, n, at, date, beside):
    df = _typed(freq, n, at, date)
    s = pd.Series(df["y"].to_numpy(), index=pd.DatetimeIndex(df["date"]), name="y")
    with pytest.raises(DataError, match=r"series 'y': its date .* a date typed wrong"):
        Forecaster(lookback=4, horizon=2, epochs=1, ensemble=1, progress=False,
                   hidden_size=4).fit(s)


@PANDAS_3
def test_fit_and_the_command_line_refuse_the_file(tmp_path, capsys):
    _typed("MS", 48, -1, "9013-12-01").to_csv(tmp_path / "s.csv", index=False)
    with pytest.raises(DataError, match=r"9013-12-01 .*beside 2013-11-01.* typed wrong"):
        Forecaster(lookback=4, horizon=2, epochs=1, ensemble=1, progress=False,
                   hidden_size=4).fit(str(tmp_path / "s.csv"))
    code, err = run(["forecast", "--data", str(tmp_path / "s.csv"), "--lookback", "4",
                     "--horizon", "2", "--epochs", "1", "--ensemble", "1", "--hidden-size", "4",
                     "--no-progress", "--out", str(tmp_path / "r")], capsys)
    assert code != 0 and "9013-12-01" in err and "a date typed wrong" in err
    assert not (tmp_path / "r").exists()  # (was trained: "seasonal period: none")


@pytest.mark.skipif(int(pd.__version__.split(".")[0]) >= 3, reason="pandas 3 holds the date")
@pytest.mark.parametrize("freq, n, at, date, beside", CASES[::3])
def test_on_pandas_2_a_date_past_its_years_is_refused_as_out_of_range(tmp_path, capsys, freq,
                                                                       n, at, date, beside):
    _typed(freq, n, at, date).to_csv(tmp_path / "s.csv", index=False)
    row = n if at == -1 else 1
    with pytest.raises(DataError, match=r"has a date outside the years pandas .* 1677 to "
                       rf"2262 \(data row {row}: '{date}'\): a date typed wrong\? correct"):
        load_series(tmp_path / "s.csv")  # (was "has values that are not dates")
    code, err = run(["forecast", "--data", str(tmp_path / "s.csv"), "--lookback", "4",
                     "--horizon", "2", "--epochs", "1", "--no-progress", "--out",
                     str(tmp_path / "r")], capsys)
    assert code != 0 and "outside the years pandas" in err and "Traceback" not in err
    assert not (tmp_path / "r").exists()


@pytest.mark.skipif(int(pd.__version__.split(".")[0]) >= 3, reason="pandas 3 holds the date")
def test_on_pandas_2_a_text_index_with_a_date_past_its_years_is_refused():
    df = _typed("MS", 24, -1, "9013-12-01")  # (24 rows: the typo among the 50 looked at)
    s = pd.Series(df["y"].to_numpy(), index=pd.Index(df["date"]), name="y")
    with pytest.raises(DataError, match=r"outside the years pandas .*'9013-12-01'.* typed wrong"):
        load_series(s)  # (was read as steps 0, 1, ...: "neither dates nor whole numbers")


@pytest.mark.parametrize("index", [
    pd.date_range("2000-01-01", periods=24, freq="MS").append(
        pd.date_range("2002-01-02", periods=30, freq="D")),  # monthly, then daily
    pd.date_range("2000-01-01", periods=60, freq="MS").append(
        pd.DatetimeIndex(["2010-01-01"])),  # a gap of 59 months: fewer than its 61 rows
    pd.date_range("2000-01-01", periods=60, freq="MS").append(
        pd.date_range("2030-01-01", periods=10, freq="MS")),  # two stretches, far apart
    pd.date_range("1990-01-01", periods=30, freq="YS").insert(0, pd.Timestamp("1890-01-01")),
    pytest.param(["2000-01-01", "2000-02-01", "2000-03-01", "2000-04-01", "9000-05-01"],
                 marks=PANDAS_3),  # (text: pandas 2 cannot build 9000 in nanoseconds)
])
def test_truly_irregular_dates_are_still_read_as_steps(index):
    index = pd.DatetimeIndex(index)
    s = load_series(pd.Series(np.arange(len(index)) % 5 + 1.0, index=index, name="y"))
    assert s.freq is None and "follow no single frequency" in s.gap_note()


@PANDAS_3
def test_a_date_typed_wrong_among_dates_with_a_time_zone_is_refused():
    index = pd.date_range("2020-01-01", periods=50, freq="h", tz="Europe/Berlin")
    index = index[:-1].append(pd.DatetimeIndex([pd.Timestamp("9020-01-03 01:00",
                                                             tz="Europe/Berlin")]))
    with pytest.raises(DataError, match=r"its date 9020-01-03 01:00:00\+01:00 \(date 50 of 50"):
        load_series(pd.Series(np.arange(50.0) % 7, index=index, name="y"))
