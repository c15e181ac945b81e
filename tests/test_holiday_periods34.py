"""Holiday counts over the periods a frequency defines (session 34): quarter_holidays on
fiscal quarters ('QS-FEB': February to April, ...) counted the calendar quarter holding
each date, a month or two off the step's own; and a count given beside 'holiday' silenced
the CoarseHolidayWarning on weekly data, where it counts months or quarters, not weeks."""

import warnings

import numpy as np
import pandas as pd
import pytest

holidays = pytest.importorskip("holidays")

from rnnlab.panel.calendar import calendar_features, count_period, holiday_counts  # noqa: E402
from rnnlab.panel.coarse_holidays import CoarseHolidayWarning, warn_coarse_holidays  # noqa: E402
from rnnlab.panel.features import Features  # noqa: E402


def _between(country: str, first: pd.Timestamp, months: int) -> int:
    """The holidays of ``country`` from ``first`` for ``months`` months, read from the
    holidays package directly (its calendars of the years the span touches)."""
    end = first + pd.DateOffset(months=months)
    cal = holidays.country_holidays(country, years=range(first.year, end.year + 1))
    return sum(first <= pd.Timestamp(d) < end for d in cal)


def test_fiscal_quarters_count_their_own_holidays_counted_by_hand():
    # US holidays, quarters from February: Feb-Apr 2019 Washington's Birthday; May-Jul
    # Memorial Day, Independence Day; Aug-Oct Labor Day, Columbus Day; Nov 2019-Jan 2020
    # Veterans Day, Thanksgiving, Christmas, New Year's Day, Martin Luther King Jr. Day.
    # The calendar quarters holding those dates held 3, 1, 2 and 4
    ds = pd.date_range("2019-02-01", periods=4, freq="QS-FEB")
    got = calendar_features(ds, ("quarter_holidays",), "US", "QS-FEB")[:, 0]
    np.testing.assert_array_equal(got, [1, 2, 2, 5])
    np.testing.assert_array_equal(got, [_between("US", d, 3) for d in ds])


@pytest.mark.parametrize("freq, start", [("QS-FEB", 0), ("BQS-FEB", 0), ("QE-JAN", -2),
                                         ("QE-APR", -2), ("2QS-NOV", 0), ("QE-JUN", -2),
                                         ("QS", 0)])
def test_each_date_counts_the_quarter_its_frequency_steps_by(freq, start):
    # start: the quarter's first month from the date's (a quarter-end date names its last)
    ds = pd.date_range("2014-01-01", periods=10, freq=freq)
    got = holiday_counts(ds, "AU", "Q", freq)
    first = [pd.Timestamp(d.year, d.month, 1) + pd.DateOffset(months=start) for d in ds]
    np.testing.assert_array_equal(got, [_between("AU", d, 3) for d in first])


def test_a_quarter_reaching_into_another_year_reads_that_years_holidays():
    # Jan 31 2016 names November 2015 to January 2016: Christmas and Boxing Day of 2015
    # were not read, the calendar of 2016 alone was
    ds = pd.DatetimeIndex(["2016-01-31", "2016-04-30"])
    got = holiday_counts(ds, "AU", "Q", "QE-JAN")
    assert got[0] == _between("AU", pd.Timestamp("2015-11-01"), 3) >= 4


def test_calendar_quarters_and_months_count_as_before():
    assert [count_period("Q", f) for f in ("QS", "QE", "QE-DEC", "MS", "W-SUN", "YS", None)] \
        == ["Q-DEC", "Q-DEC", "Q-DEC", "Q", "Q", "Q", "Q"]
    assert count_period("M", "QS-FEB") == "M" and count_period("Q", "QE-JUN") == "Q-JUN"
    for freq in ("MS", "ME", "BMS"):
        ds = pd.date_range("2019-01-01", periods=24, freq=freq)
        first = [pd.Timestamp(d.year, d.month, 1) for d in ds]
        np.testing.assert_array_equal(holiday_counts(ds, "US", "M", freq),
                                      [_between("US", d, 1) for d in first])


@pytest.mark.parametrize("freq", ["W-SUN", "W-MON"])
def test_a_weeks_count_is_of_the_month_and_quarter_holding_its_date(freq):
    # weeks do not step by months or quarters: each date's own month and quarter (the
    # Sunday ending a week, or its Monday), whichever weekday names the week
    ds = pd.date_range("2019-03-20", periods=4, freq=freq)  # (a quarter's end among them)
    months = holiday_counts(ds, "US", "M", freq)
    quarters = holiday_counts(ds, "US", "Q", freq)
    np.testing.assert_array_equal(months, [_between("US", pd.Timestamp(d.year, d.month, 1), 1)
                                           for d in ds])
    np.testing.assert_array_equal(
        quarters, [_between("US", pd.Timestamp(d.year, 3 * ((d.month - 1) // 3) + 1, 1), 3)
                   for d in ds])
    assert sorted(set(d.quarter for d in ds)) == [1, 2]


def test_a_panel_model_reads_its_frequencys_quarters():
    f = Features(lookback=4, horizon=4, lag=0, freq="QS-FEB", past=(), future=(),
                 calendar=("quarter_holidays",), country="US")
    ds = pd.date_range("2019-02-01", periods=4, freq="QS-FEB")
    np.testing.assert_array_equal(f.known("a", ds, pd.DataFrame(index=range(4)))[:, 0],
                                  [1, 2, 2, 5])
    g = pd.DataFrame({"ds": ds, "y": 1.0})
    f.transforms = {"a": _Identity()}
    np.testing.assert_array_equal(f.rows("a", g)[:, -1], [1, 2, 2, 5])


class _Identity:
    def to_model(self, y, uid):
        return np.asarray(y, dtype=float), np.zeros(len(y))


def _said(features, freq, periods=60) -> list:
    ds = pd.date_range("2010-01-01", periods=periods, freq=freq)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        warn_coarse_holidays(features, ds, "US")
    return [str(x.message) for x in w if issubclass(x.category, CoarseHolidayWarning)]


@pytest.mark.parametrize("counts", [("month_holidays",), ("quarter_holidays",),
                                    ("month_holidays", "quarter_holidays")])
def test_a_count_beside_the_flag_on_weeks_does_not_silence_the_warning(counts):
    # was: any count beside 'holiday' returned at once, though a week's holidays are
    # neither its month's nor its quarter's
    said = _said(("holiday", *counts), "W-SUN")
    assert len(said) == 1
    assert f"{', '.join(counts)} beside it count" in said[0] and "not of these steps" in said[0]
    assert "column of your own" in said[0]


def test_a_count_of_the_steps_own_periods_silences_it_and_another_does_not():
    assert _said(("holiday", "quarter_holidays"), "QS") == []
    assert _said(("holiday", "quarter_holidays"), "QS-FEB") == []  # (its own quarters now)
    assert _said(("holiday", "month_holidays"), "MS") == []
    said = _said(("holiday", "quarter_holidays"), "MS")
    assert len(said) == 1 and "use the calendar feature 'month_holidays'" in said[0]
    said = _said(("holiday", "month_holidays"), "QS-FEB")
    assert len(said) == 1 and "use the calendar feature 'quarter_holidays'" in said[0]
