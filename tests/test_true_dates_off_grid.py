"""Dates that break a grid but are true, not typed wrong (rnnlab.data.grid_typos): a
daily series of UTC midnights shown in a zone with daylight saving time, or local
midnights written in UTC, that ends a day or two after the clocks change (its last
dates one hour off the others' time of day) was refused as "a date typed wrong? correct
or drop that row", and read again a week later; a true date off a weekly grid (a
Thursday among Fridays: a holiday moved it) is refused saying how to read it anyway."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rnnlab.data.series import load_series
from rnnlab.io.errors import DataError


@pytest.mark.parametrize("n", [29, 30])
def test_days_whose_clock_moves_an_hour_at_the_end_read_as_before(n):
    idx = pd.date_range("2021-03-01", periods=n, freq="D", tz="UTC").tz_convert(
        "Europe/Berlin")  # (01:00+01:00 ..., then 02:00+02:00 from 29 March)
    s = load_series(pd.Series(np.sin(np.arange(n)), index=idx, name="y"))
    assert s.freq is None and len(s.values) == n  # (was: refused as a date typed wrong)
    text = idx.tz_localize(None).strftime("%Y-%m-%d %H:%M")  # (local clock, no offset)
    s = load_series(pd.DataFrame({"date": text, "y": np.sin(np.arange(n))}))
    assert s.freq is None and len(s.values) == n


def test_local_midnights_in_utc_starting_before_the_clocks_change_read_as_before():
    idx = pd.date_range("2021-10-30", periods=20, freq="D", tz="Europe/Berlin")
    text = idx.tz_convert("UTC").tz_localize(None).strftime("%Y-%m-%d %H:%M")
    s = load_series(pd.DataFrame({"date": text, "y": np.sin(np.arange(20.0))}))
    assert s.freq is None and len(s.values) == 20  # (22:00 twice, then 23:00)


def test_a_date_one_hour_off_among_hours_is_still_named():
    dates = pd.date_range("2020-01-01", periods=50, freq="h").astype(str).tolist()
    dates[20] = "2020-01-01 21:30:00"
    with pytest.raises(DataError, match=r"its date 2020-01-01 21:30:00 \(date 21 of 50"):
        load_series(pd.DataFrame({"date": dates, "y": np.sin(np.arange(50.0))}))


def test_a_thursday_among_fridays_is_refused_saying_how_to_read_it_if_true():
    dates = pd.date_range("2020-01-03", periods=104, freq="W-FRI").astype(str).tolist()
    dates[50] = "2020-12-17"  # (a holiday on Friday 18 December moved it)
    df = pd.DataFrame({"date": dates, "y": np.sin(np.arange(104.0))})
    with pytest.raises(DataError, match=r"its date 2020-12-17 \(date 51 of 104, where the "
                       r"grid expects 2020-12-18\).*a date typed wrong\? correct or drop "
                       r"that row; if it is true \(a holiday moved it, say\), write the "
                       r"date the grid expects for it, or pass date_column=False \(--date-column "
                       r"none\) to read the rows as steps, without dates"):
        load_series(df)
    assert load_series(df, date_column=False).index is None  # (the way it names)


@pytest.mark.parametrize("unit", ["m2", "w10", "q1"])
def test_numbers_with_a_lower_case_unit_are_not_read_as_periods(unit):
    """1200 m2 (square metres) read as month 2 of year 1200 since lower-case periods
    (2019m01) were read: a table of flats' areas was "not in increasing order"."""
    area = [f"{a} {unit}" for a in (1200, 1350, 1900, 1100, 1500, 1250, 1010)]
    s = load_series(pd.DataFrame({"area": area, "price": np.arange(7.0)}))
    assert s.index is None and s.name == "price"


@pytest.mark.parametrize("form", ["{y}q{q}", "{y}-q{q}", "{y} Q{q}", "{y}Q{q}"])
def test_quarters_written_without_a_space_before_a_lower_case_letter_still_read(form):
    q = [form.format(y=p.year, q=p.quarter) for p in pd.period_range("2018Q1", periods=8,
                                                                       freq="Q")]
    s = load_series(pd.DataFrame({"when": q, "y": np.arange(8.0)}))
    assert s.freq == "QS-JAN" and s.index[1] == pd.Timestamp("2018-04-01")


def test_a_row_added_at_the_end_for_a_missing_month_is_told_to_sort_the_file():
    """July 2020 appended after June 2021 (a late row) fills the others' one gap: it was
    "a date typed wrong? correct or drop that row" (dropping it lost a true month)."""
    months = pd.date_range("2020-01-01", periods=18, freq="MS").astype(str).tolist()
    late = months[:6] + months[7:] + [months[6]]
    with pytest.raises(DataError, match=r"not in increasing order \(data row 18: 2020-07-01 "
                       r"after 2021-06-01\).*sort the file"):
        load_series(pd.DataFrame({"date": late, "y": np.arange(18.0)}))


def test_a_date_typed_out_of_order_is_still_named_when_sorting_leaves_gaps():
    months = pd.date_range("2019-01-01", periods=30, freq="MS").astype(str).tolist()
    months[24] = "2021-10-01"  # (for 2021-01-01, in a file ending 2021-06-01)
    with pytest.raises(DataError, match=r"its date 2021-10-01 \(date 25 of 30, where the "
                       r"grid expects 2021-01-01\)"):
        load_series(pd.DataFrame({"date": months, "y": np.arange(30.0)}))


@pytest.mark.parametrize("freq", [None, "W-FRI"])
def test_a_panel_series_with_a_thursday_among_fridays_names_the_date_expected(freq):
    """It said "give every series the same frequency (and freq= one they lie on)", which
    they did."""
    from rnnlab.panel import read_panel

    b = pd.date_range("2020-01-03", periods=60, freq="W-FRI")
    a = b.astype(str).tolist()
    a[50] = "2020-12-17"
    df = pd.concat([pd.DataFrame({"unique_id": u, "ds": d, "y": np.arange(60.0)})
                    for u, d in (("a", a), ("b", b.astype(str).tolist()))])
    with pytest.raises(DataError, match=r"series 'a' has dates off its 'W-FRI' calendar "
                       r"\(2020-12-17\); its date 2020-12-17 \(date 51 of 60, where the grid "
                       r"expects 2020-12-18\) breaks the 'W-FRI' dates the other 59 follow: "
                       r"write the date the grid expects for it \(a holiday moved it, say\), "
                       r"or drop that row"):
        read_panel(df, freq=freq)
