"""Whole numbers written as text past 64 bits (20 digits and more) read as float() reads
them, on pandas 2 too. pandas 2 (the only pandas on Python 3.10) keeps such a CSV column as
text where pandas 3 holds Python ints, and its ``pd.to_numeric`` refuses the text ("Integer
out of range") or, past a double, reads NaN with ``errors="coerce"``: the value was called
non-numeric (or the column "no numeric column" with no reason) on Python 3.10 only."""

import math

import pandas as pd
import pytest

from rnnlab.data.csv_floats import exact_to_numeric
from rnnlab.data.value_column import pick_column
from rnnlab.io.errors import DataError

HUGE = "9" * 400


@pytest.mark.parametrize("dtype", [object, "string"])
def test_text_past_a_double_reads_as_infinite_when_coerced(dtype):
    got = exact_to_numeric(pd.Series(["1", "-" + HUGE, "x"], dtype=dtype), errors="coerce")
    assert got.iloc[:2].astype(float).tolist() == [1.0, -math.inf]
    assert pd.isna(got.iloc[2])
    assert str(got.dtype) == ("Float64" if dtype == "string" else "float64")  # (as pandas')


@pytest.mark.parametrize("text", [HUGE, str(10 ** 30), " " + str(-(10 ** 25)) + " "])
def test_text_past_64_bits_reads_when_refusals_raise(text):
    got = exact_to_numeric(pd.Series(["1", text], dtype=object))  # (errors="raise")
    assert [float(str(v)) for v in got] == [1.0, float(text)]  # (pandas 3: Python ints)


def test_other_text_is_still_refused_by_pandas():
    with pytest.raises(ValueError, match="x"):
        exact_to_numeric(pd.Series(["1", str(10 ** 30), "x"], dtype=object))


def test_a_column_of_such_text_says_why_it_is_not_numeric():
    """As pandas 2's read_csv holds it: the text of each number."""
    df = pd.DataFrame({"value": [str(100 + i) for i in range(30)] + [str(10 ** 30)]},
                      dtype=object)
    with pytest.raises(DataError, match=r"column 'value' holds whole numbers too long for "
                                        r"64 bits \(row 30: 1000000000000000000000000000000\)"
                                        r", which pandas keeps as text: pass column='value'"):
        pick_column(df, None, "d.csv")


@pytest.mark.parametrize("dtype", [object, "string"])
def test_whole_text_past_64_bits_keeps_every_digit_when_refusals_raise(dtype):
    """pandas 3 holds a column of such text as Python ints; pandas 2 refused it, and the
    mend read each as float(): two 24-digit ids one unit apart became one float."""
    texts = ["123456789012345678901234", "123456789012345678901235", " -7 "]
    got = exact_to_numeric(pd.Series(texts, dtype=dtype))  # (errors="raise")
    assert [int(v) for v in got] == [int(t) for t in texts]


def test_a_long_run_of_leading_zeros_gets_the_error_not_a_traceback():
    """Text of a whole number with more than 4,300 digits (zeros in front: within a
    double): int() of it raised ValueError ("Exceeds the limit") on Python 3.11+, a
    traceback out of the hint meant to explain the column."""
    df = pd.DataFrame({"value": ["0" * 5000 + "1", "2", "3"]}, dtype=object)
    with pytest.raises(DataError, match="no numeric column"):
        pick_column(df, None, "d.csv")
