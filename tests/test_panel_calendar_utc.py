"""Calendar features of the clock read from hourly dates held in UTC are said: dates
written with a UTC offset that changes (daylight saving time) are read in UTC, and their
hour and holidays were taken in UTC without a word (hours off a local load's clock)."""

import warnings

import numpy as np
import pandas as pd
import pytest

from rnnlab.panel import GlobalForecaster, read_panel
from rnnlab.panel.calendar import UtcClockWarning, calendar_features, warn_utc_clock


def _offsets_table(hours: int = 24 * 30) -> pd.DataFrame:
    """Hourly Melbourne dates as a CSV writes them: +11:00, then +10:00 (5 April 2020)."""
    idx = pd.date_range("2020-03-20", periods=hours, freq="h", tz="Australia/Melbourne")
    ds = [t.isoformat() for t in idx]
    return pd.DataFrame({"ds": ds, "y": 100 + np.sin(np.arange(hours) * 2 * np.pi / 24)})


def test_the_utc_clock_shifts_the_holidays_of_a_local_day():
    # Good Friday 10 April 2020 in Victoria: local midnight is 14:00 UTC the day before
    utc = pd.date_range("2020-04-09 13:00", periods=3, freq="h", tz="UTC")
    local = utc.tz_convert("Australia/Melbourne")
    assert calendar_features(utc, ("holiday",), "AU-VIC")[:, 0].tolist() == [0, 0, 0]
    assert calendar_features(local, ("holiday",), "AU-VIC")[:, 0].tolist() == [0, 1, 1]


def test_a_fit_on_dates_read_in_utc_warns():
    panel = read_panel(_offsets_table())
    assert str(panel.df["ds"].dt.tz) == "UTC"  # (how such dates are read)
    f = GlobalForecaster(lookback=24, horizon=24, calendar=("hour",), epochs=1,
                         batches_per_epoch=1, calibrate="none", hidden_size=4)
    with pytest.warns(UtcClockWarning, match=r"\['hour'\].*time_zone='Australia/Melbourne'"
                                             r".*tz_convert"):
        f.fit(panel)


def _said(features, ds, freq) -> bool:
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        warn_utc_clock(features, ds, freq)
    return any(issubclass(w.category, UtcClockWarning) for w in got)


def test_only_the_clock_of_intraday_utc_dates():
    utc = pd.date_range("2020-01-01", periods=48, freq="h", tz="UTC")
    assert _said(("hour",), utc, "h")
    assert _said(("month", "holiday"), utc, "h")
    assert _said(("dayofweek",), pd.date_range("2020-01-01", periods=9, freq="30min",
                                               tz="UTC"), "30min")
    assert not _said(("hour",), utc.tz_convert("Australia/Melbourne"), "h")  # its zone
    assert not _said(("hour",), utc.tz_localize(None), "h")  # naive: the clock as given
    assert not _said(("month",), utc, "h")
    assert not _said(("dayofweek",), pd.date_range("2020-01-01", periods=9, freq="D",
                                                   tz="UTC"), "D")
    assert not _said(("month",), pd.date_range("2020-01-01", periods=9, freq="MS",
                                               tz="UTC"), "MS")
