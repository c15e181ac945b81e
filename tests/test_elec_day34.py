"""A daily electricity-demand forecaster's day (elecdaily: Demand, WorkDay, Temperature):
the mistakes a Darts or NeuralForecast user makes with future covariates, frequencies and
covariates kept apart, each answered by an error that says what to do."""

from __future__ import annotations

import pandas as pd
import pytest

from rnnlab.io.errors import DataError


def _future(days: int, start: str = "2015-01-01") -> pd.DataFrame:
    """One series' future covariates over ``days`` days from ``start``."""
    ds = pd.date_range(start, periods=days, freq="D")
    return pd.DataFrame({"unique_id": "Demand", "ds": ds,
                         "Temperature": [25.0 + i % 5 for i in range(days)],
                         "WorkDay": [float(d.weekday() < 5) for d in ds]})


def test_an_empty_future_cell_is_said_as_one_not_as_a_shorter_horizon():
    from rnnlab.panel.future_table import future_block

    fut = _future(14)
    fut.loc[5, "Temperature"] = float("nan")  # the weather forecast lacks one day
    last = {"Demand": pd.Timestamp("2014-12-31")}
    with pytest.raises(DataError) as e:
        future_block(fut, ["Demand"], last, 14, "D", ["Temperature", "WorkDay"])
    said = str(e.value)
    # the 14 rows are there: no "the table gives every series' first 5 steps: forecast 5"
    assert "forecast 5" not in said and "first 5 step" not in said
    assert "2015-01-06" in said and "no value in ['Temperature']" in said
    # a table one day short keeps its hint: the horizon it serves
    with pytest.raises(DataError) as e:
        future_block(_future(13), ["Demand"], last, 14, "D", ["Temperature", "WorkDay"])
    assert "first 13 steps: forecast 13" in str(e.value)
    assert "no value in" not in str(e.value)


@pytest.mark.parametrize("given, named", [("d", "D"), ("w", "W-SUN"), ("b", "B")])
def test_a_lower_case_frequency_is_read_as_pandas_names_it(given, named):
    import warnings

    from rnnlab.panel import read_panel

    days = pd.date_range("2014-01-06", periods=70, freq=named)
    df = pd.DataFrame({"ds": days, "Demand": range(70)})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # (pandas' deprecation of the lower-case name: not said)
        panel = read_panel(df, target="Demand", freq=given)
    # 'd' kept as given had no season (period None: no weekly seasonal naive, MASE by lag 1)
    assert (panel.freq, panel.period) == (named, read_panel(df, target="Demand").period)


def test_an_hourly_freq_for_daily_dates_names_the_daily_one_not_a_fill():
    from rnnlab.panel import read_panel

    days = pd.date_range("2014-01-01", periods=60, freq="D")
    df = pd.DataFrame({"Date": days, "Demand": range(60)})
    with pytest.raises(DataError) as e:
        read_panel(df, target="Demand", freq="h")
    said = str(e.value)
    # "the target has 1416 NaN values ...: pass fill='ffill'" made up 23 hours a day
    assert "fill='ffill'" not in said and "pass freq='D'" in said
    assert "60 of the 1417 dates" in said
    # a true gap in daily data keeps its fill advice
    with pytest.raises(DataError) as e:
        read_panel(df.drop(index=[10, 11]), target="Demand", freq="D")
    assert "fill='ffill'" in str(e.value) and "pass freq=" not in str(e.value)
