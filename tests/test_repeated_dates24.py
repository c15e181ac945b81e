"""A month that arrived twice: the refusal named each repeated row's date, midnight shown
and no row ("2022-01-01 00:00:00, 2022-01-01 00:00:00"); it names each date once, with the
rows (or index positions) that hold it."""

import pandas as pd
import pytest

from rnnlab.data.series import load_series
from rnnlab.io.errors import DataError


def test_a_repeated_month_in_a_file_is_named_once_with_its_rows(tmp_path):
    months = pd.date_range("2020-01-01", periods=30, freq="MS").strftime("%Y-%m-%d")
    df = pd.DataFrame({"date": months, "y": range(30)})
    pd.concat([df, df.tail(1), df.tail(1)]).to_csv(tmp_path / "d.csv", index=False)
    with pytest.raises(DataError, match=r"repeats dates \(2022-06-01 at data rows 30, 31, "
                                        r"32\); expected one value per date"):
        load_series(tmp_path / "d.csv")


def test_repeats_in_an_index_are_named_by_position_and_counted_past_four():
    days = pd.to_datetime([f"2020-01-{d:02d}" for d in (1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6)])
    with pytest.raises(DataError, match=r"\(2020-01-01 at positions 0, 1; 2020-01-02 at "
                                        r"positions 2, 3; .*; and 2 more\)"):
        load_series(pd.Series(range(12), days, dtype=float))
