"""Which periods a panel's outputs give back (rnnlab.panel.date_kind.period_freq): those of
its date column, not of another column that holds periods."""

import numpy as np
import pandas as pd

from rnnlab.panel.frame import read_panel

N = 24


def _frame(**cols):
    return pd.DataFrame({**cols, "unique_id": "a", "y": np.arange(N) + 1.0})


def test_timestamps_beside_a_column_of_quarters_stay_timestamps():
    """ds_period was the first Period column's: monthly timestamps came back as quarters."""
    df = _frame(fiscal=pd.period_range("2000Q1", periods=N, freq="Q"),
                ds=pd.date_range("2000-01-01", periods=N, freq="MS"))
    assert read_panel(df).ds_period is None


def test_the_date_columns_periods_are_given_back_whatever_comes_before_it():
    df = _frame(fiscal=pd.period_range("2000Q1", periods=N, freq="Q"),
                ds=pd.period_range("2000-01", periods=N, freq="M"))
    assert read_panel(df).ds_period == "M"
    named = df.rename(columns={"ds": "month"})
    assert read_panel(named, date_column="month").ds_period == "M"
    assert read_panel(df.set_index("ds").drop(columns="fiscal")).ds_period == "M"
