"""off_grid= (--off-grid): the one or two dates that break the grid a series' other dates
follow, true ones (a holiday moved a Friday to the Thursday), were refused with no way
to read them but rewriting the file or dropping the dates (--date-column none). Now
'drop' drops their rows and 'snap' dates each as the grid expects, in one series and in
a panel; the default still refuses, naming the option. And a panel series paused over
half its calendar whose true last date, one the other series have, is one keystroke from
the date its grid expected is read (with its gap), not refused as a date typed wrong."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rnnlab.data.series import load_series
from rnnlab.io.errors import DataError
from rnnlab.panel import read_panel


def _fridays(n=60, thursday=50):
    dates = pd.date_range("2020-01-03", periods=n, freq="W-FRI").astype(str).tolist()
    dates[thursday] = str((pd.Timestamp(dates[thursday]) - pd.Timedelta(days=1)).date())
    return dates


def _frame(dates):
    return pd.DataFrame({"date": dates, "y": np.sin(np.arange(len(dates), dtype=float))})


def _panel_frame(a, b):
    return pd.concat([pd.DataFrame({"unique_id": u, "ds": d, "y": np.arange(len(d), dtype=float)})
                      for u, d in (("a", a), ("b", b))], ignore_index=True)


def test_the_refusal_names_the_option():
    with pytest.raises(DataError, match=r"its date 2020-12-17 \(date 51 of 60.*or read the "
                       r"data with off_grid='snap' \(load_series; --off-grid snap\) to move "
                       r"it to the date the grid expects, or off_grid='drop' \(--off-grid drop\) "
                       r"to drop it"):
        load_series(_frame(_fridays()))
    with pytest.raises(DataError, match=r"series 'a' has dates off its 'W-FRI' calendar.*"
                       r"off_grid='snap' \(read_panel; --off-grid snap\)"):
        read_panel(_panel_frame(_fridays(), pd.date_range("2020-01-03", periods=60,
                                                          freq="W-FRI")))


def test_snap_dates_a_true_date_as_the_grid_expects():
    s = load_series(_frame(_fridays()), off_grid="snap")
    assert s.freq == "W-FRI" and s.gaps == 0 and len(s) == 60
    assert s.index[50] == pd.Timestamp("2020-12-18")
    assert s.values[50] == pytest.approx(np.sin(50.0))  # (its value kept, at its row)


def test_drop_drops_the_row_and_reads_the_gap():
    s = load_series(_frame(_fridays()), off_grid="drop")
    assert s.freq == "W-FRI" and s.gaps == 1 and len(s) == 59
    assert pd.Timestamp("2020-12-17") not in s.index
    assert s.values[50] == pytest.approx(np.sin(51.0))


def test_a_date_typed_a_keystroke_wrong_is_snapped_too():
    months = pd.date_range("2019-01-01", periods=30, freq="MS").astype(str).tolist()
    months[0] = "2012-01-01"
    s = load_series(_frame(months), off_grid="snap")
    assert s.freq == "MS" and s.index[0] == pd.Timestamp("2019-01-01")


def test_off_grid_keeps_the_fill_positions_of_the_rows_kept():
    df = _frame(_fridays())
    df.loc[55, "y"] = np.nan
    s = load_series(df, off_grid="drop", fill="ffill")
    # (row 55 of 60 is row 54 of the 59 kept; the dropped Friday's date, 50, filled back)
    assert s.filled.tolist() == [50, 55] and len(s) == 60
    assert s.index[50] == pd.Timestamp("2020-12-18") and s.values[50] == s.values[49]


def test_a_regular_series_reads_the_same_whatever_the_option():
    df = _frame(pd.date_range("2020-01-03", periods=60, freq="W-FRI").astype(str))
    base = load_series(df)
    for how in ("drop", "snap"):
        s = load_series(df, off_grid=how)
        assert s.index.equals(base.index) and np.array_equal(s.values, base.values)


def test_an_unknown_choice_is_refused():
    with pytest.raises(DataError, match=r"off_grid must be one of \('refuse', 'drop', "
                       r"'snap'\), got 'move'"):
        load_series(_frame(_fridays()), off_grid="move")
    with pytest.raises(DataError, match=r"off_grid must be one of"):
        read_panel(_panel_frame(_fridays(), _fridays()), off_grid="move")


@pytest.mark.parametrize("how, rows", [("snap", 60), ("drop", 59)])
def test_a_panel_series_off_its_grid_is_snapped_or_dropped(how, rows):
    fridays = pd.date_range("2020-01-03", periods=60, freq="W-FRI")
    p = read_panel(_panel_frame(_fridays(), fridays), off_grid=how, fill="zero")
    a = p.df[p.df["unique_id"] == "a"]
    assert p.freq == "W-FRI" and len(a) == 60  # (dropped: its Friday a filled gap)
    assert pd.Timestamp("2020-12-17") not in set(a["ds"])
    assert a["y"].notna().sum() == 60 and (a["y"] != 0).sum() == rows - 1  # (y[0] is 0)


def _paused(last):
    full = pd.date_range("2020-01-01", periods=19, freq="MS")
    return full, list(full[:6]) + [pd.Timestamp(last)]


def test_a_paused_panel_series_whose_true_last_date_others_have_is_read():
    full, b = _paused("2021-07-01")  # (2021-07-01: one keystroke from 2020-07-01)
    from rnnlab.forecast.history import CalendarWarning

    said = r"its date 2021-07-01 .* read as a true date after a gap"  # (said: a typo?)
    with pytest.raises(DataError, match=r"12 NaN values or missing dates \(series, date: "
                       r"\('b', 2020-07-01\)"), pytest.warns(CalendarWarning, match=said):
        read_panel(_panel_frame(full, b))  # (was: its date 2021-07-01 ... typed wrong?)
    with pytest.warns(CalendarWarning, match=said):
        p = read_panel(_panel_frame(full, b), fill="zero")
    got = p.df[p.df["unique_id"] == "b"]
    assert got["ds"].iloc[-1] == pd.Timestamp("2021-07-01") and len(got) == 19


def test_a_paused_series_last_date_the_others_lack_is_still_named_with_the_option():
    full, b = _paused("2021-07-01")
    with pytest.raises(DataError, match=r"series 'b': its date 2021-07-01 \(date 7 of 7, "
                       r"where the grid expects 2020-07-01\).*a date typed wrong\?.*or read the "
                       r"data with off_grid='snap' \(read_panel; --off-grid snap\)"):
        read_panel(_panel_frame(full[:12], b))  # (the others end in 2020-12)
    p = read_panel(_panel_frame(full[:12], b), off_grid="snap")
    assert p.df[p.df["unique_id"] == "b"]["ds"].iloc[-1] == pd.Timestamp("2020-07-01")
