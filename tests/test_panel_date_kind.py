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


def test_quarters_and_months_written_as_text_come_back_as_periods(tmp_path):
    """A CSV's quarters (1998Q1) came back as timestamps (2017-01-01) in the forecasts."""
    from rnnlab.panel.baselines import Naive

    q = pd.period_range("2000Q1", periods=N, freq="Q")
    text = _frame(Quarter=q.strftime("%YQ%q"))  # found by its name, as visnights' column
    p = read_panel(text)
    assert p.ds_period == "Q-DEC"
    fc = Naive().fit(p).predict(2)
    assert fc["ds"].tolist() == [pd.Period("2006Q1", "Q"), pd.Period("2006Q2", "Q")]
    path = tmp_path / "fc.csv"
    fc.to_csv(path, index=False)
    assert pd.read_csv(path)["ds"].tolist() == ["2006Q1", "2006Q2"]
    months = _frame(ds=pd.period_range("2000-01", periods=N, freq="M").strftime("%YM%m"))
    assert read_panel(months).ds_period == "M"
    assert read_panel(_frame(ds=q.strftime("%Y-%m-%d"))).ds_period is None  # dates stay so
