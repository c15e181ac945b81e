"""A user coming from Darts, one series (session 29): a column named in another case or
with a header's spaces, a date column missing, plots asked by their kind's name, Darts'
predict keywords."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rnnlab.io.errors import DataError


def _monthly(n: int = 60) -> pd.DataFrame:
    t = np.arange(n)
    return pd.DataFrame({"month": pd.date_range("2010-01-01", periods=n, freq="MS"),
                         "value": 200 + 3 * t + 20 * np.sin(2 * np.pi * t / 12)})


@pytest.mark.parametrize("typed, header, said", [
    ("value", "Value ", "its case and the spaces in it differ"),
    ("Value", "value", "its case differs"),
    ("value", " value", "the spaces in it differ"),
])
def test_a_column_named_but_for_its_case_or_spaces_names_the_one_meant(tmp_path, typed,
                                                                      header, said):
    from rnnlab.data.series import load_series

    path = tmp_path / "s.csv"
    _monthly().rename(columns={"value": header}).to_csv(path, index=False)
    with pytest.raises(DataError) as e:
        load_series(str(path), column=typed)
    assert f"did you mean {header!r}? ({said}" in str(e.value)


def test_a_misspelt_column_names_the_close_one_and_a_far_one_none(tmp_path):
    from rnnlab.data.series import load_series

    path = tmp_path / "s.csv"
    _monthly().to_csv(path, index=False)
    with pytest.raises(DataError, match=r"'valeu' not found.*did you mean 'value'\?$"):
        load_series(str(path), column="valeu")
    with pytest.raises(DataError) as e:
        load_series(str(path), column="price")
    assert "did you mean" not in str(e.value)


def test_a_missing_date_column_names_the_file_and_the_column_meant(tmp_path):
    from rnnlab.data.series import load_series

    path = tmp_path / "s.csv"
    _monthly().to_csv(path, index=False)
    with pytest.raises(DataError) as e:
        load_series(str(path), date_column="Month")
    assert str(e.value).startswith(f"{path}: date column 'Month' not found")
    assert "did you mean 'month'? (its case differs" in str(e.value)
