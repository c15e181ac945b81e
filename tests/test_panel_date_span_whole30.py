"""check_spans counted each series' limit in nanoseconds, so on a monthly panel every
series (240 months: 6e17 ns, over a limit of 100,000) went through its Python loop, most
of `rnnlab score`'s time on 72,000 rows. The spans are now measured against the
calendar's shortest step on the whole column; a series left is counted as before, so
the outcome is the nanosecond bound's, series for series, message for message."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rnnlab.io.errors import DataError
from rnnlab.panel import date_span
from rnnlab.panel.long_table import DS, ID, Y


def _long(series: dict) -> pd.DataFrame:
    return pd.concat([pd.DataFrame({ID: uid, DS: pd.DatetimeIndex(ds), Y: np.arange(len(ds),
                                                                                 dtype=float)})
                      for uid, ds in series.items()], ignore_index=True)


def _grid(start, n, freq, tz=None):
    return pd.date_range(start, periods=n, freq=freq, tz=tz)


def _with_last(dates, last):
    return dates[:-1].append(pd.DatetimeIndex([pd.Timestamp(last, tz=dates.tz)]))


HOURS = _grid("2020-01-01", 100, "h")
PANELS = {
    "monthly": ({f"s{i}": _grid("2000-01-01", 240, "MS") for i in range(20)}, "MS"),
    "quarterly": ({f"s{i}": _grid("1990-01-01", 120, "QS") for i in range(5)}, "QS"),
    "daily": ({"a": _grid("2001-01-01", 400, "D"), "b": _grid("2002-03-01", 90, "D")}, "D"),
    "daily, a year typed 1700": ({"a": _grid("2001-01-01", 400, "D"),
                                  "b": _grid("2001-01-01", 400, "D").insert(0, pd.Timestamp(
                                      "1700-01-01")),
                                  "c": _grid("2001-01-01", 30, "D").insert(0, pd.Timestamp(
                                      "1700-01-01"))}, "D"),
    "ragged monthly": ({"a": _grid("1950-01-01", 800, "MS"), "b": _grid("2015-06-01", 7, "MS"),
                        "c": _with_last(_grid("2010-01-01", 24, "MS"), "2261-01-01")}, "MS"),
    "ragged hourly at the limit": ({"short": HOURS[:3],
                                    "at": _with_last(HOURS, HOURS[0] + pd.Timedelta(hours=100_000)),
                                    "past": _with_last(HOURS, HOURS[0] + pd.Timedelta(
                                        hours=100_001)),
                                    "later": _with_last(HOURS, "2050-01-01")}, "h"),
    "monthly in a zone": ({f"s{i}": _grid("2000-01-01", 120, "MS", "Europe/Berlin")
                           for i in range(3)}, "MS"),
    "business days": ({"a": _grid("1800-01-01", 10, "B").append(_grid("2200-01-01", 5, "B"))},
                      "B"),
}


def _outcome(long, freq):
    try:
        date_span.check_spans(long, freq, "panel")
    except DataError as e:
        return str(e)
    return None


@pytest.mark.parametrize("name", list(PANELS))
def test_the_outcome_is_the_nanosecond_bounds(name, monkeypatch):
    series, freq = PANELS[name]
    long = _long(series)
    got = _outcome(long, freq)
    monkeypatch.setattr(date_span, "_shortest_step", lambda off: 1e-9)  # (every series)
    assert got == _outcome(long, freq)
    if name in ("daily, a year typed 1700", "ragged hourly at the limit", "business days"):
        assert got and "more than 100,000 dates" in got, got  # (the cases refuse one)
    if name == "ragged hourly at the limit":
        assert got.startswith("panel: series 'past' runs from")  # (not 'at', at the limit)


def test_a_monthly_panel_counts_no_series_date_by_date(monkeypatch):
    series, freq = PANELS["monthly"]
    counted = []
    monkeypatch.setattr(date_span, "_wall", lambda d: counted.append(d) or d)
    date_span.check_spans(_long(series), freq, "panel")
    assert counted == []  # (was: each of its 20 series, first and last date)


CALENDARS = ["h", "30min", "D", "B", "C", "bh", "W-SUN", "SME", "ME", "MS", "QS", "QE-NOV",
             "BME", "YE"]


@pytest.mark.parametrize("freq", CALENDARS)
def test_no_span_the_nanosecond_bound_refuses_passes_the_screen(freq, monkeypatch):
    """A series of 3 rows whose last date is its calendar's 100,000th date from its first,
    one before or one after: across a daylight saving change (Berlin, Sao Paulo), the day
    Samoa skipped (2011-12-30), month ends, week anchors, business days and hours, and dates
    past 2262 (unit 'us'), the screen refuses what the nanosecond bound refuses, in its
    words."""
    off = pd.tseries.frequencies.to_offset(freq)
    refused = 0
    for tz, start in [(None, "2000-02-28 23:00"), ("Europe/Berlin", "1990-03-25 01:30"),
                      ("America/Sao_Paulo", "2000-02-28 23:00"), ("Pacific/Apia", "2011-12-29")]:
        for unit, extra in [(u, e) for u in ("ns", "us") for e in (-1, 0, 1)]:
            first = pd.Timestamp(start).as_unit(unit)
            try:
                ds = pd.DatetimeIndex([first, first + off, first + (100_000 + extra) * off],
                                      dtype=f"datetime64[{unit}]")  # (pandas 2: ns unless said)
                if tz:
                    ds = ds.tz_localize(tz, nonexistent="shift_forward", ambiguous=True)
            except (OverflowError, ValueError, NotImplementedError):
                continue  # (past the dates pandas holds in that unit or zone)
            long = pd.DataFrame({ID: "a", DS: ds, Y: 1.0})
            got = _outcome(long, freq)
            with monkeypatch.context() as m:
                m.setattr(date_span, "_shortest_step", lambda off: 1e-9)
                assert got == _outcome(long, freq), (tz, unit, extra)
            refused += got is not None
            assert extra < 1 or got, (tz, unit, extra)  # (one past the limit: refused)
    assert refused > 0


def test_a_date_past_9999_is_named_not_a_traceback():
    """A monthly panel with one date typed 12000-01-01 (a datetime64[s] column): its
    message's date was NotImplementedError (Timestamp.date past Python's last year)."""
    from rnnlab.panel import read_panel

    ds = np.array(["2000-01-01", "2000-02-01", "2000-03-01", "12000-01-01"], dtype="M8[s]")
    df = pd.DataFrame({ID: "a", DS: ds, Y: [1.0, 2.0, 3.0, 4.0]})
    with pytest.raises(DataError, match=r"series 'a' runs from 2000-01-01 to 12000-01-01: "
                                        r"more than 100,000 dates"):
        read_panel(df, freq="MS")
