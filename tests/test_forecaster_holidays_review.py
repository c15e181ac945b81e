"""Holidays in the one-series Forecaster, as a review found them: a history without
dates, the `holidays` version a model's flags came from (rnnlab.forecast.holidays)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from rnnlab.forecast import Forecaster
from rnnlab.io.errors import DataError

pytest.importorskip("holidays")

TINY = dict(lookback=14, horizon=7, hidden_size=4, epochs=1, ensemble=1, progress=False,
            seed=0, select="network")
US = dict(calendar=("holiday",), country="US")


def _daily(days: int = 200, start: str = "2018-01-01") -> pd.Series:
    dates = pd.date_range(start, periods=days, freq="D")
    t = np.arange(days)
    return pd.Series(100 + 10 * np.sin(2 * np.pi * t / 7) + t % 5, index=dates, name="sales")


@pytest.fixture(scope="module")
def fitted():
    return Forecaster(**TINY, **US).fit(_daily())


@pytest.mark.parametrize("history", [
    lambda s: s.to_numpy()[-60:],  # numbers alone
    lambda s: pd.Series(s.to_numpy()[-60:], name="sales"),  # numbered, no dates
])
def test_a_history_without_dates_is_refused_by_name(fitted, history):
    # was: TypeError "object of type 'NoneType' has no len()" from deep in the flags
    with pytest.raises(DataError, match=r"reads the holidays of the dates forecast, and the "
                       r"history has no dates: pass it with its dates"):
        fitted.predict(history=history(_daily(400)))


def test_a_saved_model_records_the_holidays_release_its_flags_came_from(fitted, tmp_path):
    import importlib.metadata as md

    fitted.save(tmp_path / "m")
    extra = json.loads((tmp_path / "m" / "model.json").read_text())["extra"]
    assert extra["packages"] == {"holidays": md.version("holidays")}
    Forecaster.load(tmp_path / "m")  # (read back as before)
    plain = Forecaster(**dict(TINY, epochs=1)).fit(_daily(120))
    plain.save(tmp_path / "p")  # (without holidays: nothing recorded of them)
    assert "packages" not in json.loads((tmp_path / "p" / "model.json").read_text())["extra"]


def test_the_forecaster_module_split_keeps_every_method_on_the_class():
    # forecaster.py passed 300 lines with holidays: evaluation, backtest and plots moved to
    # forecast/fitted_outputs.py, a base of Forecaster as forecasting.py's Forecasting is
    from pathlib import Path

    import rnnlab.forecast.forecaster as module
    from rnnlab.forecast.fitted_outputs import FittedOutputs

    for name in ("evaluate", "backtest", "plot"):
        assert getattr(Forecaster, name) is getattr(FittedOutputs, name)
    for name in ("fit", "save", "load", "predict", "forecast_from"):
        assert callable(getattr(Forecaster, name))
    assert len(Path(module.__file__).read_text().splitlines()) < 300


def test_calendar_none_is_no_calendar_and_a_number_is_refused_by_name():
    from rnnlab.io.errors import SettingError

    assert Forecaster(calendar=None).config.calendar == ()  # (was: TypeError, not iterable)
    with pytest.raises(SettingError, match=r"calendar must be feature names \('holiday', or "
                       r"\('holiday',\)\), got 3 \(int\)"):
        Forecaster(calendar=3)
    with pytest.raises(SettingError, match=r"calendar must be feature names"):
        Forecaster(calendar=("holiday", 1), country="US")


def test_hourly_dates_in_utc_are_said_to_read_the_holidays_hours_off(tmp_path):
    # hourly dates written with Melbourne's offsets, +11:00 then +10:00 (daylight saving
    # ends on 5 April 2020), are read as UTC: Good Friday (10 April) was flagged from
    # 00:00 UTC, 10:00 in Melbourne, without a word (the panel model warns)
    from rnnlab.panel.calendar import UtcClockWarning

    d = pd.date_range("2020-04-01", periods=24 * 16, freq="h", tz="Australia/Melbourne")
    path = tmp_path / "mel.csv"
    pd.DataFrame({"ds": [x.isoformat() for x in d],
                  "y": np.sin(np.arange(len(d)) / 3.8) + 2}).to_csv(path, index=False)
    au = dict(TINY, lookback=24, horizon=24, calendar=("holiday",), country="AU-VIC")
    with pytest.warns(UtcClockWarning, match=r"reads the holidays of 'AU-VIC' from the dates' "
                      r"UTC clock .* Give the series its time zone"):
        Forecaster(**au).fit(path, date_column="ds")
    import warnings

    from rnnlab.data.series import load_series
    from rnnlab.forecast.holidays import check_dates

    local = pd.Series(np.sin(np.arange(len(d)) / 3.8) + 2, index=d)  # (its zone: no warning)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UtcClockWarning)
        check_dates(load_series(local), Forecaster(**au).config)


@pytest.mark.parametrize("country, said", [
    ("us", r"country 'us': the `holidays` package's codes are upper-case; pass 'US'"),
    ("au-vic", r"codes are upper-case; pass 'AU-VIC'"),
    ("US-XX", r"country 'US-XX': 'US' has no subdivision 'XX' in the `holidays` package; its "
              r"subdivisions: AK, AL, "),
    ("XX", r"country 'XX' is not known to the `holidays` package"),
])
def test_a_country_the_package_refuses_says_what_it_takes(country, said):
    # (the first three were "not known to the `holidays` package", as an unknown country)
    with pytest.raises(DataError, match=said):
        Forecaster(calendar=("holiday",), country=country)
