"""A panel of months or quarters in a time zone with daylight saving time (tz=, or dates
with one) raised pandas' NotImplementedError "Localizing Timestamps which are outside
the range of Python's standard library datetime" (check_spans counted 100,000 months on
in the zone); and a month typed 9021 for 2021 raised OutOfBoundsDatetime from the typed
dates' check (rnnlab.panel.date_span) where a DataError names it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rnnlab.io.errors import DataError
from rnnlab.panel import read_panel


def _panel(dates_a, dates_b) -> pd.DataFrame:
    return pd.concat([pd.DataFrame({"unique_id": u, "ds": d, "y": np.arange(len(d)) + k})
                      for k, (u, d) in enumerate({"a": dates_a, "b": dates_b}.items())])


@pytest.mark.parametrize("freq, read", [("MS", "MS"), ("QS", "QS-JAN")])
def test_months_and_quarters_in_a_zone_read(freq, read):
    b = pd.date_range("2019-01-01", periods=30, freq=freq, tz="Europe/Berlin")
    p = read_panel(_panel(b.delete(5), b), fill="ffill")  # (was: NotImplementedError)
    assert p.freq == read and len(p.df) == 60
    text = b.tz_localize(None).astype(str)
    p = read_panel(_panel(text, text), tz="Europe/Berlin")
    assert p.freq == read and str(p.df["ds"].dt.tz) == "Europe/Berlin"


def _typed(date: str, grid_said: str, position: int) -> str:
    """The message a month typed past 9000 gets: on pandas 2 (Python 3.10's), whose dates
    end in 2262, the date column's (tests/test_date_typo.py pins it); else the grid's."""
    if int(pd.__version__.split(".")[0]) < 3:
        return (rf"date column 'ds' has a date outside the years pandas 2\.\S+ holds, 1677 to "
                rf"2262 \(Out of bounds nanosecond timestamp: {date}, at position "
                rf"{position}\): a date typed wrong\? Fix it in the file$")
    return (rf"series 'a': its date {date} \(date 30 of 30, where the grid expects "
            rf"{grid_said}\)")


@pytest.mark.parametrize("tz", [None, "Europe/Berlin"])
def test_a_month_typed_9021_is_named_not_out_of_bounds(tz):
    b = pd.date_range("2019-01-01", periods=30, freq="MS").astype(str).tolist()
    a = b[:-1] + ["9021-06-01"]
    with pytest.raises(DataError, match=_typed("9021-06-01", "2021-06-01", 29)):
        read_panel(_panel(a, b), fill="ffill", tz=tz)  # (was: OutOfBoundsDatetime)


def test_a_panel_month_typed_far_in_the_middle_is_named_with_the_month_it_left():
    """A panel sorts its dates: 9016-07-01 typed for 2016-07-01 went last, not one
    keystroke from the month after the others, and fill='ffill' filled 84,000 months."""
    b = pd.date_range("2015-01-01", periods=30, freq="MS").astype(str).tolist()
    a = list(b)
    a[18] = "9016-07-01"
    with pytest.raises(DataError, match=_typed("9016-07-01", "2016-07-01", 18)):
        read_panel(_panel(a, b), fill="ffill")


def test_hours_with_two_holes_and_a_late_last_hour_read_as_before():
    """Only a date sorted away from the one date its series misses is named by that hole:
    two holes and a last reading hours later stay irregular dates."""
    from rnnlab.data.series import load_series

    idx = pd.date_range("2015-01-01", periods=34, freq="h", tz="UTC")
    idx = idx.delete([3, 25]).append(pd.DatetimeIndex(["2015-01-02 17:00"], tz="UTC"))
    s = load_series(pd.Series(np.arange(len(idx), dtype=float), index=idx, name="y"))
    assert s.freq is None and len(s.values) == 33  # (09:00, then 17:00)
