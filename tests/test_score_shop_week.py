"""``score_forecast`` / ``rnnlab score`` of a shop open Monday to Saturday (session 25's
weekmask): MASE's scale was taken at period 7 on the open-day steps (a Monday paired with
the next week's Tuesday: MASE 0.15 where the week's scale gives 1.26), or at none for
actuals carrying pandas' Mon-Sat CustomBusinessDay, while the forecast read period 6."""

import numpy as np
import pandas as pd
import pytest

from rnnlab.forecast.scoring import score_forecast
from rnnlab.panel.scales import mase_scale

SHOP = "Mon Tue Wed Thu Fri Sat"


def _shop(n=120):
    days = pd.date_range("2023-01-02", periods=n,
                         freq=pd.offsets.CustomBusinessDay(weekmask=SHOP))
    y = 50 + 30 * (days.day_of_week.to_numpy() == 5) + np.arange(n) * 0.1
    return days, y


def test_daily_rows_without_sundays_are_scaled_on_their_six_day_week():
    days, y = _shop()
    ys = pd.DataFrame({"date": days.strftime("%Y-%m-%d"), "sales": y})
    fc = pd.DataFrame({"time": days[-6:].strftime("%Y-%m-%d"), "forecast": y[-6:] + 1.0})
    got = score_forecast(fc, ys)
    assert got.summary.mase.iloc[0] == pytest.approx(1.0 / mase_scale(y[:-6], 6))
    assert got.summary.mase.iloc[0] == pytest.approx(
        score_forecast(fc, ys, period=6).summary.mase.iloc[0])


def test_actuals_on_a_custom_business_day_week_are_scaled_on_that_week():
    days, y = _shop()
    ys = pd.Series(y, index=days, name="sales")
    fc = pd.DataFrame({"time": days[-6:].strftime("%Y-%m-%d"), "forecast": y[-6:] + 1.0})
    got = score_forecast(fc, ys)
    assert got.summary.mase.iloc[0] == pytest.approx(1.0 / mase_scale(y[:-6], 6))


def test_a_given_period_is_kept_for_a_six_day_week():
    days, y = _shop()
    ys = pd.DataFrame({"date": days.strftime("%Y-%m-%d"), "sales": y})
    fc = pd.DataFrame({"time": days[-6:].strftime("%Y-%m-%d"), "forecast": y[-6:] + 1.0})
    got = score_forecast(fc, ys, period=7)
    assert got.summary.mase.iloc[0] == pytest.approx(1.0 / mase_scale(y[:-6], 7))
