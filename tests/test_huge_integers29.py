"""A whole number past a double's range in a data file (hundreds of digits pasted into a
cell): pandas reads it as a Python int, which ``pd.to_numeric`` cannot convert (an
OverflowError, even with ``errors="coerce"``). A panel came out of ``rnnlab forecast`` as
an internal error (exit status 70, a traceback); a series said "cannot be used as a series
(OverflowError: ...)", naming no row, or "no numeric column" with no reason. Now the value
reads as infinite, as float() reads its text, and is refused naming its row."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from rnnlab.data.csv_floats import exact_to_numeric
from rnnlab.io.errors import DataError

HUGE = "9" * 400


def _series_csv(path, cell=HUGE):
    rows = ["date,value"] + [f"{2000 + i // 12}-{i % 12 + 1:02d}-01,"
                             f"{cell if i == 30 else 100 + i % 12}" for i in range(48)]
    path.write_text("\n".join(rows) + "\n")
    return path


@pytest.mark.parametrize("values, expected", [
    (["1", HUGE], [1.0, math.inf]), (["1", "-" + HUGE], [1.0, -math.inf]),
    ([1, 10 ** 400], [1.0, math.inf]), ([1, -(10 ** 400)], [1.0, -math.inf]),
    (["2.5", "x", HUGE], [2.5, math.nan, math.inf])])
def test_a_number_past_a_double_reads_as_infinite(values, expected):
    got = exact_to_numeric(pd.Series(values, dtype=object), errors="coerce").tolist()
    assert [("nan" if math.isnan(g) else g) for g in got] == \
        [("nan" if math.isnan(e) else e) for e in expected]


@pytest.mark.parametrize("cell", [HUGE, "-" + HUGE])
def test_the_named_column_is_refused_naming_the_row(tmp_path, cell):
    from rnnlab.data.series import load_series

    with pytest.raises(DataError, match=r"series 'value' has infinite values \(rows "
                                        r"2002-07-01\); expected finite numbers"):
        load_series(_series_csv(tmp_path / "d.csv", cell), column="value")


def test_the_column_found_for_the_user_says_why_it_is_not_numeric(tmp_path):
    from rnnlab.data.series import load_series

    with pytest.raises(DataError) as got:
        load_series(_series_csv(tmp_path / "d.csv"))
    said = str(got.value)
    assert "column 'value' holds 1 whole number past a double's range" in said, said
    assert "(row 30: 999999999999... of 400 digits): fix it" in said, said


def test_a_panel_refuses_it_naming_the_series_and_date(tmp_path):
    from rnnlab.panel import read_panel

    rows = ["unique_id,ds,y"] + [f"{s},{2000 + i // 12}-{i % 12 + 1:02d}-01,"
                                 f"{HUGE if (s, i) == ('a', 9) else 10 + i % 7}"
                                 for s in "ab" for i in range(40)]
    (tmp_path / "p.csv").write_text("\n".join(rows) + "\n")
    with pytest.raises(DataError, match=r"1 infinite values .*\('a', 2000-10-01\)"):
        read_panel(tmp_path / "p.csv")
