"""A pandas user's sweep (session 21) of panels: a long table that lost its id column, and
durations given as the dates."""

import numpy as np
import pandas as pd
import pytest

from rnnlab.io.errors import DataError
from rnnlab.panel import read_panel


def _long_without_id(n=24):
    d = pd.date_range("2000-01-01", periods=n, freq="MS")
    return pd.DataFrame({"ds": np.tile(d, 2), "y": np.arange(2 * n, dtype=float),
                         "temp": 1.0})


def test_a_long_table_that_lost_its_id_column_is_told_to_name_it():
    # (pandas 3's groupby("unique_id").apply drops the grouping column; read as a wide
    # table, the refusal named ('temp', 2000-01-01) as a repeated (id, date) pair)
    with pytest.raises(DataError) as e:
        read_panel(_long_without_id())
    msg = str(e.value)
    assert "no id column, and the dates repeat (2000-01-01 on 2 rows)" in msg
    assert "id_column=NAME" in msg and "['y', 'temp']" in msg and "('temp'" not in msg


def test_a_wide_table_with_a_date_column_still_reads():
    df = pd.DataFrame({"ds": pd.date_range("2000-01-01", periods=24, freq="MS"),
                       "a": np.arange(24.0), "b": np.arange(24.0) + 5})
    assert len(read_panel(df).ids) == 2


@pytest.mark.parametrize("as_series", [False, True])
def test_durations_as_a_panels_dates_are_told_how_to_become_dates_or_steps(as_series):
    ds = pd.timedelta_range("0s", periods=30, freq="5s")
    data = (pd.Series(np.arange(30.0), index=ds) if as_series else
            pd.DataFrame({"unique_id": "a", "ds": ds, "y": np.arange(30.0)}))
    with pytest.raises(DataError, match=r"holds durations \(timedelta64.*pd.Timestamp"):
        read_panel(data)
    steps = pd.DataFrame({"unique_id": "a", "ds": ds // pd.Timedelta("5s"),
                          "y": np.arange(30.0)})
    assert read_panel(steps).ids == ("a",)  # (what the message says to do reads)
