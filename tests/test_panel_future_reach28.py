"""``rnnlab forecast --data PANEL --weekmask '... holidays=US' --future FILE.csv``: the
check that the file covers the horizon, made before the training, draws the dates the
forecast draws, also past the data's years and the two after (whose holidays the panel's
week closes when read): a horizon reaching 2026 from 2023's data is checked on the days
the forecast is made on, 2026-01-01 closed. The check read the panel's week alone: a file
with the forecast's very dates was refused for a value missing on New Year's Day 2026, and
one ending a day short passed it, the run then lost at the forecast after its training."""

import numpy as np
import pandas as pd
import pytest

from rnnlab.io.errors import DataError
from rnnlab.panel import read_panel
from rnnlab.panel.future_file import check_future_covers
from rnnlab.panel.panel_week import reach_freq

holidays = pytest.importorskip("holidays")

WEEK = "Mon Tue Wed Thu Fri holidays=US"
H = 540  # (open days after 2023-12-29: into February 2026)


def _panel():
    grid = pd.bdate_range("2023-01-03", "2023-12-29", freq="C", weekmask="Mon Tue Wed Thu Fri",
                          holidays=[str(d) for d in holidays.US(years=[2023])])
    df = pd.concat([pd.DataFrame({"unique_id": u, "ds": grid, "y": 10.0 + np.arange(len(grid)) % 5,
                                  "promo": 0.0}) for u in ("a", "b")], ignore_index=True)
    return read_panel(df, weekmask=WEEK, covariates=["promo"])


def _future(dates):
    return pd.concat([pd.DataFrame({"unique_id": u, "ds": dates, "promo": 1.0})
                      for u in ("a", "b")], ignore_index=True)


def test_the_forecasts_own_dates_pass_the_check():
    panel = _panel()
    dates = pd.date_range(panel.df["ds"].max(), periods=H + 1, freq=reach_freq(panel, H))[1:]
    assert pd.Timestamp("2026-01-01") not in dates and dates[-1].year == 2026
    check_future_covers(panel, _future(dates), ["promo"], H, lookback=8)


def test_a_file_a_day_short_of_the_forecast_is_refused_before_the_training():
    panel = _panel()
    dates = pd.date_range(panel.df["ds"].max(), periods=H + 1, freq=reach_freq(panel, H))[1:]
    with pytest.raises(DataError, match=str(dates[-1].date())):
        check_future_covers(panel, _future(dates[:-1]), ["promo"], H, lookback=8)


def test_a_horizon_within_the_years_read_is_checked_as_before():
    panel = _panel()
    dates = pd.date_range(panel.df["ds"].max(), periods=21, freq=panel.freq)[1:]
    check_future_covers(panel, _future(dates), ["promo"], 20, lookback=8)
    with pytest.raises(DataError):
        check_future_covers(panel, _future(dates[:-1]), ["promo"], 20, lookback=8)
