"""A forecast scored against actuals of another calendar is refused, saying so: a monthly
forecast joined to daily actuals met them on each month's 1st and scored that day's value
as the month's (MASE 27.9, nothing said); against weekly or quarterly ones, the few dates
that coincide were scored and the rest named "a month that never arrived?"; a panel's was
refused as "the target has 178 NaN values ...; pass fill='ffill'" (a made-up forecast)."""

import numpy as np
import pandas as pd
import pytest

from rnnlab.forecast.scoring import score_forecast
from rnnlab.io.errors import DataError

MONTHS = pd.date_range("2021-06-01", periods=4, freq="MS")


def _actuals(freq, start="2019-01-01", end="2021-12-31"):
    d = pd.date_range(start, end, freq=freq)
    return pd.DataFrame({"date": d, "sales": 100 + np.arange(len(d), dtype=np.float64)})


@pytest.mark.parametrize("freq, advice", [("D", "resample('MS'"), ("W-SUN", "resample('MS'"),
                                          ("QS", "sum the forecast to theirs")])
def test_one_series_actuals_of_another_calendar_are_refused(freq, advice):
    fc = pd.DataFrame({"time": MONTHS, "forecast": 120.0})
    with pytest.raises(DataError, match=r"the forecast's dates step by 'MS'") as e:
        score_forecast(fc, _actuals(freq))
    assert advice in str(e.value)


def test_a_panel_against_daily_actuals_is_refused_as_such():
    ys = _actuals("D").rename(columns={"date": "ds", "sales": "y"})
    ys = pd.concat([ys.assign(unique_id=k) for k in "AB"])
    fc = pd.concat([pd.DataFrame({"unique_id": k, "ds": MONTHS, "mean": 5.0}) for k in "AB"])
    with pytest.raises(DataError, match="step by 'MS'.*actuals' by 'D'"):
        score_forecast(fc, ys)


def test_the_same_calendar_is_scored_as_before():
    """A multiple of the actuals' step (every other month), business days whose forecast
    reads as daily, and a forecast of two dates (no calendar to tell) are scored."""
    monthly = _actuals("MS")
    every_other = pd.DataFrame({"time": pd.date_range("2021-06-01", periods=3, freq="2MS"),
                                "forecast": 1.0})
    assert score_forecast(every_other, monthly).summary.n_forecasts.iloc[0] == 3
    days = pd.bdate_range("2021-01-04", periods=200)  # (its last 5: Monday .. Friday)
    ys = pd.DataFrame({"date": days, "v": np.arange(200.0)})
    fc = pd.DataFrame({"time": days[-5:], "forecast": np.arange(195.0, 200.0)})
    assert score_forecast(fc, ys).summary.mae.iloc[0] == 0
    quarters = pd.DataFrame({"time": ["2021-04-01", "2021-07-01"], "forecast": 1.0})
    assert score_forecast(quarters, monthly).summary.n_forecasts.iloc[0] == 2


def test_dates_with_a_zone_meet_the_same_instants_and_without_one_are_refused():
    """A zone on one side only was pandas' "You are trying to merge on datetime64[us,
    UTC+01:00] and datetime64[us] columns"; Berlin and UTC dates are the same instants."""
    hours = pd.date_range("2020-01-01", periods=60, freq="h")
    ys = pd.DataFrame({"date": hours.tz_localize("UTC").astype(str), "v": np.arange(60.0)})
    berlin = hours[-5:].tz_localize("UTC").tz_convert("Europe/Berlin").astype(str)
    fc = pd.DataFrame({"time": berlin, "forecast": np.arange(56.0, 61.0)})
    got = score_forecast(fc, ys)
    assert got.summary.mae.iloc[0] == 1 and str(got.rows["ds"].iloc[0]).endswith("+01:00")
    naive = ys.assign(date=hours.astype(str))
    with pytest.raises(DataError, match=r"the forecast's dates are in UTC\+01:00 and the "
                                        r"actuals' without a time zone"):
        score_forecast(fc, naive)


def test_weeks_named_by_other_days_are_said_to_be_relabelled():
    """Weeks by their Monday in the forecast, by their Sunday in the actuals: "none of the
    forecast's dates has an actual", as if the weeks had not arrived."""
    weeks = pd.date_range("2020-01-05", periods=80, freq="W-SUN")
    ys = pd.DataFrame({"week": weeks, "v": np.sin(np.arange(80.0))})
    fc = pd.DataFrame({"time": weeks[-4:] - pd.Timedelta(days=6), "forecast": 1.0})
    with pytest.raises(DataError, match=r"'W-MON' .* 'W-SUN'.*relabel the actuals' dates"):
        score_forecast(fc, ys)


@pytest.mark.parametrize("keep, freq, named", [(3, "MS", "QS-MAR"), (7, "D", "W-FRI")])
def test_every_kth_date_of_the_actuals_calendar_is_refused_saying_how_to_score_it(
        keep, freq, named):
    """A monthly forecast kept at its steps 3, 6, 9, 12 reads as quarters ('QS-MAR'), a
    daily one at every 7th day as weeks ('W-FRI'): refused as another calendar (a quarterly
    forecast has the same dates); the advice was only to resample the actuals to quarters,
    wrong for those: it says to score the forecast with every date."""
    ys = _actuals(freq, start="2015-01-01")
    picked = pd.DatetimeIndex(ys["date"])[-(4 * keep) + keep - 1::keep]
    fc = pd.DataFrame({"time": picked, "forecast": 1.0})
    said = rf"step by '{named}'.*resample.*kept at one date in {keep} is scored whole"
    with pytest.raises(DataError, match=said + ": pass it with every date"):
        score_forecast(fc, ys)
    with pytest.raises(DataError) as e:  # (months against days: no k-th date)
        score_forecast(pd.DataFrame({"time": MONTHS, "forecast": 1.0}), _actuals("D"))
    assert "every" not in str(e.value) and "resample('MS'" in str(e.value)


@pytest.mark.parametrize("theirs, mine, start", [("ME", "MS", "2021-06-01"),
                                                 ("QE-DEC", "QS-JAN", "2021-01-01")])
def test_months_named_by_their_last_day_are_said_to_be_relabelled(theirs, mine, start):
    """Actuals by each month's last day, a forecast by its first: the one step from June 1
    (30 days) and from June 30 (31) differed, so it was told to 'sum the forecast to
    theirs ('ME')', the same months; it is told to relabel, as weeks by other days are."""
    ys = _actuals(theirs, start="2015-01-01", end="2020-12-31")
    fc = pd.DataFrame({"time": pd.date_range(start, periods=4, freq=mine), "forecast": 1.0})
    with pytest.raises(DataError, match=rf"step by '{mine}'.*relabel the actuals' dates") as e:
        score_forecast(fc, ys)
    assert "sum the forecast" not in str(e.value)
