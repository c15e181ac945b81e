"""ISO week dates (2021-W05: weekly, read as Mondays, 'W-MON'; 2021-W05-1: daily) and
half-years (2015-H1, 2015H2: read as the half's first day, two quarters apart, season
2) read in one series and in panels, and written back as read; weeks or halves that do
not exist, or mixed with other dates, are refused naming the value. Before, a week day
or a half-year was "not a date" and a week typed wrong was too, without saying why."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rnnlab.data.frequency import infer_period
from rnnlab.data.series import load_series
from rnnlab.io.errors import DataError
from rnnlab.panel import read_panel
from rnnlab.panel.date_kind import written_dates
from rnnlab.panel.origin_align import origin_text


def _weeks(n, start="2020-01-06", day=False, form="{y}-W{w:02d}"):
    out = []
    for d in pd.date_range(start, periods=n, freq="D" if day else "W-MON"):
        y, w, k = d.isocalendar()
        out.append(form.format(y=y, w=w, k=k))
    return out


def _halves(n, form="{y}-H{h}"):
    return [form.format(y=2010 + i // 2, h=i % 2 + 1) for i in range(n)]


def _one(dates):
    return load_series(pd.DataFrame({"date": dates, "y": np.sin(np.arange(len(dates)))}))


def _panel(dates, **kw):
    return read_panel(pd.concat([pd.DataFrame({"unique_id": u, "ds": dates,
                                               "y": np.arange(len(dates)) + i})
                                 for i, u in enumerate("ab")]), **kw)


@pytest.mark.parametrize("form", ["{y}-W{w:02d}", "{y}W{w:02d}", "{y}w{w:02d}"])
def test_iso_weeks_read_as_mondays_and_forecasts_write_them_as_read(form):
    dates = _weeks(60, start="2019-12-30", form=form)  # (2020 has 53 weeks: W53 inside)
    s = _one(dates)
    assert s.freq == "W-MON" and s.index[0] == pd.Timestamp("2019-12-30")
    assert list(s.written(s.index)) == dates
    nxt = s.written(s.future_index(2))
    assert list(nxt) == _weeks(62, start="2019-12-30", form=form)[60:]
    p = _panel(dates)
    assert p.freq == "W-MON" and p.ds_written == s.date_format


@pytest.mark.parametrize("form", ["{y}-W{w:02d}-{k}", "{y}W{w:02d}{k}"])
def test_iso_week_days_read_as_days_and_are_written_back(form):
    dates = _weeks(40, start="2020-12-28", day=True, form=form)
    s = _one(dates)
    assert s.freq == "D" and s.index[0] == pd.Timestamp("2020-12-28")
    assert infer_period(s.freq) == 7
    assert list(s.written(s.future_index(3))) == _weeks(43, "2020-12-28", True, form)[40:]
    p = _panel(dates)
    assert p.freq == "D"
    fc = pd.DataFrame({"unique_id": "a", "ds": pd.date_range("2021-02-06", periods=2)})
    assert written_dates(fc, p.ds_written)["ds"].tolist() == ["2021-W05-6", "2021-W05-7"] \
        if "-W" in form else ["2021W056", "2021W057"]


@pytest.mark.parametrize("bad, why", [("2021-W54", "2021 has 52 ISO weeks"),
                                      ("2021-W53", "2021 has 52 ISO weeks"),
                                      ("2021-W00", "2021 has 52 ISO weeks")])
def test_a_week_that_does_not_exist_is_refused_naming_it(bad, why):
    dates = _weeks(30, start="2021-01-04")
    dates[-1] = bad
    with pytest.raises(DataError, match=rf"'{bad}' \(data row 30\), an ISO week that does "
                       rf"not exist: {why}"):
        _one(dates)
    with pytest.raises(DataError, match=rf"'{bad}'.*an ISO week that does not exist"):
        _panel(dates)


def test_a_week_day_outside_one_to_seven_is_refused():
    dates = _weeks(20, start="2021-01-04", day=True, form="{y}-W{w:02d}-{k}")
    dates[5] = "2021-W01-8"
    with pytest.raises(DataError, match=r"'2021-W01-8' \(data row 6\).*days of an ISO week "
                       r"are 1 \(Monday\) to 7"):
        _one(dates)


@pytest.mark.parametrize("other", ["2021-W05-1", "2021-02-01"])
def test_weeks_mixed_with_week_days_or_dates_are_refused(other):
    dates = _weeks(20, start="2021-01-04")
    dates[10] = other
    with pytest.raises(DataError, match=r"mixes ISO weeks.*with other dates, such as "
                       rf"'{other}' \(data row 11\); write every date in one form"):
        _one(dates)
    with pytest.raises(DataError, match=r"mixes ISO weeks"):
        _panel(dates)


@pytest.mark.parametrize("form", ["{y}-H{h}", "{y}H{h}", "{y} H{h}", "{y}h{h}"])
def test_half_years_read_two_quarters_apart_with_season_two(form):
    dates = _halves(20, form)
    s = _one(dates)
    assert s.index[1] == pd.Timestamp("2010-07-01") and infer_period(s.freq) == 2
    assert pd.Timestamp("2019-07-01") + pd.tseries.frequencies.to_offset(s.freq) == \
        pd.Timestamp("2020-01-01")
    p = _panel(dates)
    assert p.freq == s.freq


@pytest.mark.parametrize("form", ["{y}-H{h}", "{y}H{h}", "{y} H{h}", "{y}h{h}"])
def test_half_years_are_written_back_as_read(form):
    s = _one(_halves(20, form))
    assert list(s.written(s.future_index(3))) == _halves(23, form)[20:]
    p = _panel(_halves(20, form))
    fc = pd.DataFrame({"unique_id": "a", "ds": pd.to_datetime(["2020-01-01", "2020-07-01"])})
    assert written_dates(fc, p.ds_written)["ds"].tolist() == _halves(22, form)[20:]
    assert origin_text(pd.Timestamp("2019-07-01"), None, p.ds_written) == _halves(20, form)[19]


def test_a_half_that_does_not_exist_or_mixed_halves_are_refused():
    dates = _halves(20)
    dates[7] = "2013-H3"
    with pytest.raises(DataError, match=r"'2013-H3' \(data row 8\), a half-year that does "
                       r"not exist: a year has H1 and H2"):
        _one(dates)
    with pytest.raises(DataError, match=r"'2013-H3'.*a half-year that does not exist"):
        _panel(dates)
    dates[7] = "2013-07-01"
    with pytest.raises(DataError, match=r"mixes half-years, such as '2010-H1' \(data row 1\),"
                       r" with other dates, such as '2013-07-01' \(data row 8\)"):
        _one(dates)


def test_a_half_year_column_is_found_by_its_values_whatever_its_name():
    s = load_series(pd.DataFrame({"semester": _halves(12), "sales": np.arange(12.0) ** 1.5}))
    assert s.name == "sales" and s.index[2] == pd.Timestamp("2011-01-01")
