"""A boolean target is refused by the panel as by the one-series reader (it was read as 0/1
there, refused here); Decimal('sNaN') is read as a missing value, as Decimal('NaN') is
(pandas raised TypeError / decimal.InvalidOperation naming no column). Session 23."""

import re
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from rnnlab.data.series import load_series
from rnnlab.io.errors import DataError
from rnnlab.panel import read_panel

DAYS = pd.date_range("2000-01-01", periods=20, freq="D")
BOOLS = [True, False] * 10


@pytest.mark.parametrize("dtype", [bool, "boolean", object])
def test_a_boolean_panel_target_is_refused_as_the_one_series_one_is(dtype):
    y = pd.Series(BOOLS, dtype=dtype)
    match = r"column 'y' is boolean, expected numbers; .*astype\(int\)"
    with pytest.raises(DataError, match=match):
        read_panel(pd.DataFrame({"unique_id": "a", "ds": DAYS, "y": y}))
    with pytest.raises(DataError, match="is boolean, expected numbers"):
        load_series(pd.Series(BOOLS, index=DAYS, dtype=dtype))
    if dtype is not object:  # (a wide table's series: numeric columns)
        with pytest.raises(DataError, match="'a' is boolean"):
            read_panel(pd.DataFrame({"a": y.array, "b": np.arange(20.0)}, index=DAYS))


def test_a_boolean_covariate_is_still_read_as_0_and_1():
    df = pd.DataFrame({"unique_id": "a", "ds": DAYS, "y": np.arange(20.0), "on": BOOLS})
    assert read_panel(df).df["on"].tolist() == [1.0, 0.0] * 10


def _decimals(snan_at: int) -> list:
    v = [Decimal(i) for i in range(20)]
    v[snan_at] = Decimal("sNaN")
    return v


def test_a_signalling_nan_target_is_a_missing_value_in_both_readers():
    df = pd.DataFrame({"unique_id": "a", "ds": DAYS, "y": _decimals(3)})
    with pytest.raises(DataError, match=r"1 NaN values .*\('a', 2000-01-04\)"):
        read_panel(df)
    assert read_panel(df, fill="interpolate").df["y"].tolist() == list(map(float, range(20)))
    s = pd.Series(_decimals(3), index=DAYS)
    with pytest.raises(DataError, match=r"1 NaN value \(row 2000-01-04\)"):
        load_series(s)
    assert load_series(s, fill="interpolate").values.tolist() == list(map(float, range(20)))


def test_a_signalling_nan_covariate_is_a_missing_value():
    df = pd.DataFrame({"unique_id": "a", "ds": DAYS, "y": np.arange(20.0), "x": _decimals(5)})
    with pytest.raises(DataError, match=r"covariate 'x' has 1 NaN values"):
        read_panel(df)
    assert read_panel(df, fill="ffill").df["x"].iloc[5] == 4.0


def test_numbers_with_thousands_separators_are_read_by_the_panel_as_by_one_series(tmp_path):
    path = tmp_path / "p.csv"
    pd.DataFrame({"store": ["1,001"] * 3 + ["2"] * 3, "week": list(DAYS[:3].date) * 2,
                  "units": ["1,234.5", "118,559", "7", "2,000", "3", "4"],
                  "price": ["1,000", "2", "3", "4", "5", "6,000"]}).to_csv(path, index=False)
    p = read_panel(path, id_column="store", date_column="week", target="units")
    assert p.df["y"].tolist() == [1234.5, 118559.0, 7.0, 2000.0, 3.0, 4.0]
    assert p.df["price"].tolist() == [1000.0, 2, 3, 4, 5, 6000.0]
    assert sorted(p.ids) == ["1,001", "2"]  # (an id stays as written)


@pytest.mark.parametrize("mark", ["sNaN", "-", "n.a.x"])
def test_a_column_of_numbers_with_a_stray_mark_is_named_with_the_row(tmp_path, mark):
    path = tmp_path / "s.csv"
    values = [str(v) for v in range(100, 130)]
    values[5] = mark
    pd.DataFrame({"month": pd.date_range("2000-01-01", periods=30, freq="MS").date,
                  "units": values}).to_csv(path, index=False)
    # (was: "no numeric column among ['units']; pass column=NAME", and it was that column)
    with pytest.raises(DataError, match=re.escape(
            f"column 'units' holds numbers but for 1 value (row 5: {mark!r}): make it a "
            f"number, or blank for a missing value")):
        load_series(path)
