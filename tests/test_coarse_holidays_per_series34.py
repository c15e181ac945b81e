"""The CoarseHolidayWarning of a panel decides on each series' own dates. All series'
dates read together stepped by neither series' period: quarterly series from January
and from February (a panel read with freq='3MS') stepped by about a month together, and
were told to use month_holidays, which counts neither's quarters; and quarter_holidays
beside the flag (each series' own quarters, as 3MS counts them) did not silence it."""

import warnings

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("holidays")

from rnnlab.panel.coarse_holidays import CoarseHolidayWarning  # noqa: E402

JAN = pd.date_range("2015-01-01", periods=12, freq="QS-JAN")
FEB = pd.date_range("2015-02-01", periods=12, freq="QS-FEB")
MONTHS = pd.date_range("2015-01-01", periods=36, freq="MS")


def _panel(**series) -> pd.DataFrame:
    return pd.concat([pd.DataFrame({"unique_id": k, "ds": ds, "y": np.arange(len(ds)) % 4
                                    + 10.0}) for k, ds in series.items()], ignore_index=True)


def _said(features, df) -> list:
    from rnnlab.panel.coarse_holidays import warn_panel_coarse_holidays

    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        warn_panel_coarse_holidays(features, df, "US")
    return [str(x.message) for x in w if issubclass(x.category, CoarseHolidayWarning)]


def test_quarters_of_two_phases_are_told_quarter_holidays_as_each_alone():
    said = _said(("holiday",), _panel(jan=JAN, feb=FEB))
    assert len(said) == 1 and "month_holidays" not in said[0]
    assert "use the calendar feature 'quarter_holidays'" in said[0]
    assert "91 days apart" in said[0] and not said[0].startswith("Series")


def test_their_own_quarters_counted_beside_the_flag_silence_it():
    assert _said(("holiday", "quarter_holidays"), _panel(jan=JAN, feb=FEB)) == []


def test_series_told_different_things_are_named():
    said = _said(("holiday",), _panel(q=JAN, m=MONTHS))
    assert len(said) == 2
    assert said[0].startswith("Series 'q': ") and "'quarter_holidays'" in said[0]
    assert said[1].startswith("Series 'm': ") and "'month_holidays'" in said[1]
    said = _said(("holiday", "quarter_holidays"), _panel(q=JAN, m=MONTHS))
    assert len(said) == 1 and said[0].startswith("Series 'm': ")


def test_an_aligned_panel_is_said_as_before():
    weeks = pd.date_range("2022-01-02", "2024-12-29", freq="W-SUN")
    said = _said(("holiday",), _panel(a=weeks, b=weeks))
    assert len(said) == 1 and not said[0].startswith("Series")
    assert "7 days apart: 3 of the 157 are, while 36 holidays fall in their span" in said[0]


def test_the_panel_fit_decides_per_series():
    from rnnlab.panel import GlobalForecaster, read_panel

    panel = read_panel(_panel(jan=JAN, feb=FEB), freq="3MS")
    tiny = dict(lookback=4, horizon=2, epochs=1, batches_per_epoch=1, hidden_size=4,
                ensemble=1, progress=False)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        GlobalForecaster("gru", calendar=("holiday",), country="US", **tiny).fit(panel)
    said = [str(x.message) for x in w if issubclass(x.category, CoarseHolidayWarning)]
    assert len(said) == 1 and "'quarter_holidays'" in said[0], said


def test_dates_with_a_time_zone_are_read_on_their_own_clock():
    # was: TypeError (tz-aware dates compared with the calendar's naive ones), on one
    # series as on a panel
    from rnnlab.panel.coarse_holidays import warn_coarse_holidays

    weeks = pd.date_range("2022-01-02", "2024-12-29", freq="W-SUN")
    local = weeks.tz_localize("US/Eastern")
    said = _said(("holiday",), _panel(a=local, b=local))
    assert len(said) == 1 and "3 of the 157 are, while 36 holidays" in said[0]
    with pytest.warns(CoarseHolidayWarning, match="3 of the 157 are, while 36 holidays"):
        warn_coarse_holidays(("holiday",), local, "US")
