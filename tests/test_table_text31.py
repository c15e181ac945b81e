"""The tables `rnnlab backtest`, `rnnlab score` and a panel's `rnnlab forecast` print gave
each number 4 significant digits: a column read 1.343, 1.16, 1.239 (and 0.621 beside
0.5382), its decimal points out of line, so a reader comparing models compared ragged
text. Each float column now has one number of decimals, enough for 4 significant digits of
its largest value, so the points line up (:func:`rnnlab.table_text.table_text`)."""

import numpy as np
import pytest
import pandas as pd

from rnnlab.table_text import table_text

SUMMARY = pd.DataFrame({"model": ["lstm", "gru", "naive", "ets"],
                        "mase": [1.343, 1.16, 1.777, np.nan],
                        "rmse": [0.621, 0.5382, 0.8212, 0.5376],
                        "seconds": [3.713, 1.45, 0.1202, 10.61],
                        "n_series": [20, 20, 20, 20]})


def _column(text: str, i: int) -> list:
    return [line.split()[i] for line in text.splitlines()[1:]]


def test_a_float_column_has_one_number_of_decimals():
    text = table_text(SUMMARY)
    assert _column(text, 1) == ["1.343", "1.160", "1.777", "NaN"]
    assert _column(text, 2) == ["0.6210", "0.5382", "0.8212", "0.5376"]
    assert _column(text, 3) == ["3.71", "1.45", "0.12", "10.61"]
    assert _column(text, 4) == ["20"] * 4  # whole numbers stay whole


def test_the_decimal_points_line_up():
    lines = table_text(SUMMARY).splitlines()[1:]
    for i in (1, 2, 3):
        ends = {line.index(line.split()[i]) + len(line.split()[i]) for line in lines}
        assert len(ends) == 1  # right-aligned: one end, one number of decimals
    points = {line.index(".", line.index(line.split()[3])) for line in lines}
    assert len(points) == 1


def test_large_and_small_values_keep_their_digits():
    t = pd.DataFrame({"rmse": [2338.13, 280.42], "crps": [0.0012345, 0.0101]})
    text = table_text(t)
    assert _column(text, 0) == ["2338", "280"]
    assert _column(text, 1) == ["0.00123", "0.01010"]


def test_a_column_of_nan_alone_and_an_empty_table():
    assert "NaN" in table_text(pd.DataFrame({"crps": [np.nan, np.nan], "m": ["a", "b"]}))
    table_text(pd.DataFrame({"mase": pd.Series([], dtype=float)}))


def test_a_nullable_float_column_shows_its_missing_values():
    t = pd.DataFrame({"mase": pd.array([1.5, None], dtype="Float64")})
    assert _column(table_text(t), 0) == ["1.500", "NaN"]  # (np.isfinite refused pd.NA)


def test_a_small_value_beside_a_large_one_keeps_its_digits():
    """A column's decimals came from its largest value alone: a per-series MASE of 0.0004
    beside 1234.5 read 0 (and -2.5 read -2), a number the table did not hold. The
    smallest nonzero value keeps two significant digits too; values no column of decimals
    can show (1e-12) are written as 4 significant digits each, as before the alignment."""
    t = pd.DataFrame({"mase": [0.0004, 1234.5, -2.5], "crps": [1e-12, 2e-12, np.inf]})
    mase, crps = _column(table_text(t), 0), _column(table_text(t), 1)
    assert [float(v) for v in mase] == pytest.approx([0.0004, 1234.5, -2.5])
    assert len({len(v.split(".")[1]) for v in mase}) == 1  # the points still in line
    assert [float(v) for v in crps] == pytest.approx([1e-12, 2e-12, np.inf])


def test_a_float_column_of_whole_numbers_stays_whole():
    """A count made float by a missing value (n_series of a model without one) read 20.00."""
    t = pd.DataFrame({"n_series": [20.0, np.nan, 7.0]})
    assert _column(table_text(t), 0) == ["20", "NaN", "7"]


def test_the_readme_says_how_the_tables_round_and_where_every_digit_is():
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    said = " ".join(readme[readme.index("The printed\ntables"):].split()[:60])
    small, large, read_small, read_large = re.search(
        r"a MASE of ([\d.]+) beside ([\d.]+) reads ([\d.]+) and ([\d.]+)", said).groups()
    text = table_text(pd.DataFrame({"mase": [float(small), float(large)]}))
    assert _column(text, 0) == [read_small, read_large]
    assert "`--json` and the CSV files keep every digit" in said
