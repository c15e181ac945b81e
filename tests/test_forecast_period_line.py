"""The run's period line names the weekly period of hourly and finer data, whose dates
give the daily one only (hourly: 24, where a load series also cycles weekly, 168)."""

from types import SimpleNamespace

import pytest

from rnnlab.forecast.report import period_line


def _fitted(period, given, freq):
    return SimpleNamespace(period=period, config=SimpleNamespace(period=given),
                           series=SimpleNamespace(freq=freq, index=None))


@pytest.mark.parametrize("freq, period, week", [("h", 24, 168), ("30min", 48, 336),
                                                 ("15min", 96, 672)])
def test_intraday_periods_name_the_week(freq, period, week):
    line = period_line(_fitted(period, None, freq))
    assert f"seasonal period: {period} (from the dates' {freq!r} calendar" in line
    assert f"--period {week}" in line


@pytest.mark.parametrize("freq, period, given", [("D", 7, None), ("MS", 12, None),
                                                  ("h", 168, 168), ("h", 24, 24)])
def test_other_periods_say_nothing_of_a_week(freq, period, given):
    assert "a week" not in period_line(_fitted(period, given, freq))
