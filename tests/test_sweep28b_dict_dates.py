"""A panel given as a dict of series whose index holds a date that cannot be one (ISO
week 2021-W54) is told what a CSV of it is told, of that series: it was "has no dates
(index of Index); give each series a DatetimeIndex"."""

from __future__ import annotations

import pandas as pd
import pytest

from rnnlab.io.errors import DataError
from rnnlab.panel import read_panel

WEEKS = ["2021-W50", "2021-W51", "2021-W52", "2021-W54"]


def test_a_dict_of_series_is_told_of_its_week_as_a_csv_is(tmp_path):
    with pytest.raises(DataError) as from_dict:
        read_panel({"shop7": pd.Series([1.0, 2, 3, 4], index=WEEKS),
                    "shop8": pd.Series([1.0, 2, 3, 4], index=WEEKS[:3] + ["2022-W01"])})
    said = str(from_dict.value)
    assert "has no dates" not in said
    assert "series 'shop7' (its index) has '2021-W54'" in said
    path = tmp_path / "p.csv"
    pd.DataFrame({"unique_id": "shop7", "ds": WEEKS, "y": [1.0, 2, 3, 4]}).to_csv(path,
                                                                               index=False)
    with pytest.raises(DataError) as from_csv:
        read_panel(path)
    assert "an ISO week that does not exist" in str(from_csv.value)
    tail = lambda m: m[m.index("an ISO week"):]  # noqa: E731 - what the reader says of it
    assert tail(said) == tail(str(from_csv.value))


def test_an_index_of_no_dates_is_still_said_so():
    with pytest.raises(DataError, match=r"series 'a' has no dates \(index of Index\)"):
        read_panel({"a": pd.Series([1.0, 2, 3], index=["x", "y", "z"])})
