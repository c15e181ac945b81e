"""Quarters, months and ISO weeks written in lower case (2021q1, 2019m01, 2020w05), and
quarters before their year (Q1 2021): pandas read 2021q1 as a date by itself, so its
forecasts came back as dates (2022-01-01) where 2021Q1's come back as quarters (2022Q1);
2019m01, 2020w05 and Q1 2021 were "not dates"."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rnnlab.data.series import load_series
from rnnlab.panel import read_panel


def _frame(dates):
    return pd.DataFrame({"date": dates, "y": 10 + np.sin(np.arange(len(dates)))})


@pytest.mark.parametrize("upper", [True, False])
def test_quarters_in_either_case_forecast_quarters(upper):
    q = [str(p) for p in pd.period_range("2018Q1", periods=16, freq="Q")]
    s = load_series(_frame(q if upper else [t.lower() for t in q]))
    assert s.freq == "QS-JAN" and str(s.future_index(1)[0]) == "2022Q1"  # (was 2022-01-01)


def test_lower_case_months_and_weeks_read_as_periods():
    months = load_series(_frame([f"2019m{m:02d}" for m in range(1, 13)]))
    assert months.freq == "MS" and months.index[0] == pd.Timestamp("2019-01-01")
    weeks = load_series(_frame([f"2020w{w:02d}" for w in range(2, 14)]))
    assert weeks.freq == "W-MON" and weeks.index[0] == pd.Timestamp("2020-01-06")


def test_a_panel_of_lower_case_quarters_reads_as_quarters():
    q = [str(p).lower() for p in pd.period_range("2018Q1", periods=12, freq="Q")]
    df = pd.concat([pd.DataFrame({"unique_id": u, "ds": q, "y": np.arange(12.0) + k})
                    for k, u in enumerate("ab")])
    assert "2018Q1 .. 2020Q4" in repr(read_panel(df))  # (was 2018-01-01 .. 2020-10-01)


@pytest.mark.parametrize("form", ["Q{q} {y}", "Q{q}-{y}", "q{q}/{y}"])
def test_quarters_written_before_their_year_read_as_quarters(form):
    """Q1 2021 (as reports write quarters) was "values that are not dates"."""
    q = [form.format(q=p.quarter, y=p.year) for p in pd.period_range("2018Q1", periods=12,
                                                                       freq="Q")]
    s = load_series(_frame(q))
    assert s.freq == "QS-JAN" and s.index[1] == pd.Timestamp("2018-04-01")
    assert str(s.future_index(1)[0]) == "2021Q1"
    df = pd.concat([pd.DataFrame({"unique_id": u, "ds": q, "y": np.arange(12.0) + k})
                    for k, u in enumerate("ab")])
    assert "2018Q1 .. 2020Q4" in repr(read_panel(df))
