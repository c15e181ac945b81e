"""One or two dates typed wrong in an otherwise regular series, nearer than the far jump
test_date_typo covers (2012-01-01 for 2019-01-01 in 30 months; a date at 20:30 among
hours), were read as dates of no single frequency and forecast by step; they are
refused naming each date, its place and the date the grid expects there
(rnnlab.data.grid_typos). Irregular dates, a real gap and rows swapped read as before."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rnnlab.data.series import load_series
from rnnlab.io.errors import DataError


def _frame(dates) -> pd.DataFrame:
    t = np.arange(len(dates))
    return pd.DataFrame({"date": dates, "y": 10 + np.sin(t / 2) + 0.01 * t})


def _typed(freq, n, start, changes):
    dates = pd.date_range(start, periods=n, freq=freq).astype(str).tolist()
    for at, date in changes.items():
        dates[at] = date
    return _frame(dates)


# (freq, rows, start, {position: the date typed}, what the refusal says)
CASES = [
    ("MS", 30, "2019-01-01", {0: "2012-01-01"}, r"its date 2012-01-01 \(date 1 of 30, where "
     r"the grid expects 2019-01-01\) breaks the 'MS' dates the other 29 follow; a date typed "
     r"wrong\? correct or drop that row"),
    ("MS", 30, "2019-01-01", {29: "2024-06-01"}, r"its date 2024-06-01 \(date 30 of 30, "
     r"where the grid expects 2021-06-01\)"),
    ("h", 50, "2020-01-01", {20: "2020-01-01 20:30:00"}, r"its date 2020-01-01 20:30:00 "
     r"\(date 21 of 50, where the grid expects 2020-01-01 20:00:00\) breaks the 'h' dates"),
    ("W-FRI", 40, "2020-01-03", {10: "2020-03-12"}, r"its date 2020-03-12 \(date 11 of 40, "
     r"where the grid expects 2020-03-13\) breaks the 'W-FRI' dates"),
    ("MS", 30, "2019-01-01", {0: "2018-01-01", 29: "2021-09-01"}, r"its dates 2018-01-01 "
     r"\(date 1 of 30, where the grid expects 2019-01-01\); 2021-09-01 \(date 30 of 30, "
     r"where the grid expects 2021-06-01\) break the 'MS' dates the other 28 follow; dates "
     r"typed wrong\? correct or drop those rows"),
    ("h", 50, "2020-01-01", {5: "2020-01-01 05:30:00", 30: "2020-01-02 06:15:00"},
     r"its dates 2020-01-01 05:30:00 \(date 6 of 50, where the grid expects 2020-01-01 "
     r"05:00:00\); 2020-01-02 06:15:00 \(date 31 of 50, where the grid expects 2020-01-02 "
     r"06:00:00\) break the 'h' dates"),
    ("MS", 30, "2019-01-01", {24: "2012-01-01"}, r"is not in increasing order: its date "
     r"2012-01-01 \(date 25 of 30, where the grid expects 2021-01-01\) breaks the 'MS' "
     r"dates the other 29 follow; a date typed wrong\?"),  # (was: "sort the file")
]


@pytest.mark.parametrize("freq, n, start, changes, said", CASES)
def test_dates_typed_wrong_are_named_with_the_date_expected(tmp_path, freq, n, start,
                                                              changes, said):
    _typed(freq, n, start, changes).to_csv(tmp_path / "s.csv", index=False)
    with pytest.raises(DataError, match=said):
        load_series(tmp_path / "s.csv")  # (was: read, "follow no single frequency")


def test_a_pandas_series_with_a_date_typed_wrong_is_refused_before_training():
    from rnnlab import Forecaster

    df = _typed("MS", 30, "2019-01-01", {0: "2012-01-01"})
    s = pd.Series(df["y"].to_numpy(), index=pd.DatetimeIndex(df["date"]), name="y")
    with pytest.raises(DataError, match=r"series 'y': its date 2012-01-01 \(date 1 of 30"):
        Forecaster(lookback=4, horizon=2, epochs=1, ensemble=1, progress=False,
                   hidden_size=4).fit(s)


def test_truly_irregular_dates_still_read_as_steps():
    rng = np.random.default_rng(0)
    days = pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.choice(1000, 40, replace=False),
                                                         "D")
    s = load_series(_frame(sorted(days)))
    assert s.freq is None and "follow no single frequency" in s.gap_note()


@pytest.mark.parametrize("drop", [[10, 11, 12], [29]])
def test_a_real_gap_still_reads_as_a_gap(drop):
    dates = pd.date_range("2019-01-01", periods=30, freq="MS").delete(drop)
    s = load_series(_frame(dates.astype(str).tolist()))
    assert s.freq == "MS" and s.gaps == (len(drop) if drop != [29] else 0)


def test_an_isolated_last_date_not_one_keystroke_away_is_still_irregular():
    dates = pd.date_range("2019-01-01", periods=30, freq="MS").append(
        pd.DatetimeIndex(["2023-03-01"]))  # (expected 2021-07-01: a gap, not a typo)
    s = load_series(_frame(dates.astype(str).tolist()))
    assert s.freq is None


def test_two_rows_swapped_are_still_told_to_sort_the_file():
    dates = pd.date_range("2019-01-01", periods=30, freq="MS").astype(str).tolist()
    dates[10], dates[11] = dates[11], dates[10]
    with pytest.raises(DataError, match=r"not in increasing order \(data row 12: "
                       r"2019-11-01 after 2019-12-01\).*sort the file"):
        load_series(_frame(dates))


def test_hours_with_two_stretches_far_apart_are_read_quickly_as_irregular():
    idx = pd.date_range("2000-01-01", periods=3000, freq="h")
    idx = idx[:1500].append(idx[2000:] + pd.Timedelta(days=3650))
    s = load_series(pd.Series(np.sin(np.arange(len(idx))), index=idx, name="y"))
    assert s.freq is None


def _panel(dates_a):
    n = len(dates_a)
    ok = pd.date_range("2019-01-01", periods=n, freq="MS").astype(str).tolist()
    return pd.concat([pd.DataFrame({"unique_id": u, "ds": d, "y": np.sin(np.arange(n)) + k})
                      for k, (u, d) in enumerate({"a": dates_a, "b": ok}.items())])


@pytest.mark.parametrize("fill", [None, "ffill"])
def test_a_panel_series_with_a_date_typed_wrong_is_refused_naming_it(fill):
    from rnnlab.panel import read_panel

    dates = pd.date_range("2019-01-01", periods=30, freq="MS").astype(str).tolist()
    dates[0] = "2012-01-01"
    with pytest.raises(DataError, match=r"series 'a': its date 2012-01-01 \(date 1 of 30, "
                       r"where the grid expects 2019-01-01\) breaks the 'MS' dates"):
        read_panel(_panel(dates), fill=fill)  # (was: 84 NaN values, or 84 months filled)


def test_a_panel_series_with_a_real_gap_is_filled_as_before():
    from rnnlab.panel import read_panel

    dates = pd.date_range("2019-01-01", periods=40, freq="MS").delete(range(5, 20))
    dates = dates.astype(str).tolist()
    p = read_panel(_panel(dates), fill="ffill")
    assert p.freq == "MS" and len(p.df[p.df["unique_id"] == "a"]) == 40
