"""Newer data of a shop open Monday to Saturday handed to a model fitted on the daily
calendar (no weekmask): the closed-Sundays note said to pass ``weekmask=`` and
``period=``, options of the fit that ``predict(history=)`` and ``--run`` do not read
(``--run`` printed "ignored --weekmask" beside that very advice)."""

import warnings

import numpy as np
import pandas as pd
import pytest

from rnnlab.forecast.history import CalendarWarning
from rnnlab.forecast import Forecaster

TINY = dict(hidden_size=4, epochs=1, ensemble=1, progress=False, lookback=12, horizon=6,
            device="cpu")


def _rows(n):
    days = pd.date_range("2024-01-01", periods=n, freq="D")
    days = days[days.day_of_week != 6]  # (a CSV's Mon-Sat rows: no freq)
    noise = np.random.default_rng(0).normal(0, 2, len(days))
    y = 100 + 20 * (days.day_of_week.to_numpy() == 5) + noise
    return pd.Series(y, index=pd.DatetimeIndex(days.to_numpy()), name="sales")


def test_the_history_note_says_to_fit_again_with_the_weekmask():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        f = Forecaster(**TINY).fit(_rows(200))  # (read as 'D' with every Sunday missing)
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        f.predict(3, history=_rows(230))
    said = [str(w.message) for w in got if issubclass(w.category, CalendarWarning)]
    assert len(said) == 1 and "a 6-day week" in said[0]
    assert "fit again with weekmask='Mon Tue Wed Thu Fri Sat'" in said[0]
    assert "pass weekmask=" not in said[0] and "pass period=" not in said[0]


def test_a_model_fitted_on_the_daily_calendar_reads_mon_to_sat_data_as_it_was_fitted():
    """A model saved before session 25 read a Mon-Sat CustomBusinessDay index as 'D' with
    every Sunday missing; the same index given as newer data now reads as 'C' and was
    refused ("fitted on 'D' data and this is 'C' data"): an upgrade broke the nightly
    predict(history=s). Read as the model was fitted, it forecasts as before."""
    days = pd.offsets.CustomBusinessDay(weekmask="Mon Tue Wed Thu Fri Sat")
    idx = pd.date_range("2024-01-01", periods=230, freq=days)
    s = pd.Series(100 + 20 * (idx.day_of_week == 5) + np.random.default_rng(1).normal(0, 2, 230),
                  index=idx, name="sales")
    bare = s.copy()
    bare.index = pd.DatetimeIndex(idx.to_numpy())  # (no freq: 'D', every Sunday missing)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        f = Forecaster(**TINY).fit(bare[:200])
        assert f.series.freq == "D" and f.series.calendar is None  # (as an older model)
        got = f.predict(4, history=s)
        want = f.predict(4, history=bare)
    pd.testing.assert_series_equal(got, want)


@pytest.mark.parametrize("freq", ["BMS", "W-MON"])
def test_a_weekmask_for_dates_that_are_not_daily_is_refused(freq):
    """Business-month starts (never a Sunday) all lie on a Mon-Sat week: read as 'C' with
    1,000 open days "missing" (a note), its period 6 and its forecasts dated on the next
    days; weekmask is for daily dates."""
    from rnnlab.data.series import load_series
    from rnnlab.io.errors import DataError

    s = pd.Series(np.arange(48.0) % 12, index=pd.date_range("2000-01-01", periods=48, freq=freq),
                  name="m")
    with pytest.raises(DataError, match=r"weekmask='Mon Tue Wed Thu Fri Sat' reads daily dates"):
        load_series(s, weekmask="Mon Tue Wed Thu Fri Sat")


def test_a_date_typed_wrong_is_named_not_said_to_be_not_daily():
    """Daily Mon-Sat dates with one typed 2223 for 2023: refused as "not daily ... drop
    weekmask", the date typed wrong unnamed (a panel names it: date_span)."""
    from rnnlab.data.series import load_series
    from rnnlab.io.errors import DataError

    days = pd.date_range("2023-01-02", periods=120, freq=pd.offsets.CustomBusinessDay(
        weekmask="Mon Tue Wed Thu Fri Sat"))
    dates = pd.DatetimeIndex(list(days[:-1].to_numpy()) + [pd.Timestamp("2223-05-16")])
    with pytest.raises(DataError, match=r"its daily dates jump from 2023-05-19 to 2223-05-16 "
                                        r"\(more open days of that week without a date, "
                                        r"\d+, than it has dates, 120\): a date typed wrong\? "
                                        r"correct or drop that row"):
        load_series(pd.Series(np.arange(120.0), index=dates, name="y"),
                    weekmask="Mon Tue Wed Thu Fri Sat")


def test_newer_data_with_a_row_on_a_closed_day_is_refused_naming_it():
    """A model fitted on a Mon-Sat index, given a file with one Sunday row: refused as
    "fitted on 'C' data and this is 'D' data", the Sunday unnamed (the README says a date
    on a closed day is refused, named)."""
    from rnnlab.io.errors import DataError

    days = pd.offsets.CustomBusinessDay(weekmask="Mon Tue Wed Thu Fri Sat")
    idx = pd.date_range("2024-01-01", periods=230, freq=days)
    s = pd.Series(100 + 20 * (idx.day_of_week == 5) + np.random.default_rng(1).normal(0, 2, 230),
                  index=idx, name="sales")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        f = Forecaster(**TINY).fit(s[:200])
    newer = s.copy()
    newer.index = pd.DatetimeIndex(idx.to_numpy())
    newer[pd.Timestamp("2024-09-15")] = 99.0  # (a Sunday)
    with pytest.raises(DataError, match=r"week Mon Tue Wed Thu Fri Sat leaves out "
                                        r"\(2024-09-15 \(Sunday\)\)"):
        f.predict(3, history=newer.sort_index())


def test_newer_data_on_another_week_is_refused_naming_both_weeks():
    """A model of a Mon-Sat shop given a history whose index is a Tue-Sun week (both 'C'
    dates): it forecast on Sundays, its Saturday spike a day late, without a word."""
    from rnnlab.io.errors import DataError

    days = pd.offsets.CustomBusinessDay(weekmask="Mon Tue Wed Thu Fri Sat")
    idx = pd.date_range("2024-01-01", periods=200, freq=days)
    s = pd.Series(100 + 20 * (idx.day_of_week == 5) + np.random.default_rng(1).normal(0, 2, 200),
                  index=idx, name="sales")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        f = Forecaster(**TINY).fit(s)
    other = pd.date_range("2024-01-02", periods=200,
                          freq=pd.offsets.CustomBusinessDay(weekmask="Tue Wed Thu Fri Sat Sun"))
    with pytest.raises(DataError, match=r"open on Tue Wed Thu Fri Sat Sun and the model was "
                                        r"fitted on a week open on Mon Tue Wed Thu Fri Sat; "
                                        r".*seasonal period 6"):
        f.predict(3, history=pd.Series(s.to_numpy(), index=other, name="sales"))
    holidays = pd.offsets.CustomBusinessDay(weekmask="Mon Tue Wed Thu Fri Sat",
                                            holidays=["2024-12-25"])
    same = pd.Series(s.to_numpy(), index=pd.date_range("2024-01-01", periods=200, freq=holidays),
                     name="sales")
    assert len(f.predict(3, history=same)) == 3  # (the same week, a holiday more: read)
