"""A panel's dates in nanoseconds (pandas 2's only unit; on pandas 3 a column made from
numpy's datetime64[ns]) spanning more than 292 years: check_spans subtracted them in
nanoseconds (OverflowError, a traceback, for 1700 typed among 2001's dates) and counted a
calendar's steps in them (100,000 business days from 1800 overflowed: the series was let
through, though the date it reaches, 2183, is held)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rnnlab.io.errors import DataError
from rnnlab.panel import date_span
from rnnlab.panel.long_table import DS, ID, Y


def _ns(dates) -> pd.DataFrame:
    ds = pd.DatetimeIndex(dates).as_unit("ns")
    return pd.DataFrame({ID: "a", DS: ds, Y: np.arange(len(ds), dtype=float)})


@pytest.mark.parametrize("dates, freq", [
    ([pd.Timestamp("1700-01-01")] + list(pd.date_range("2001-01-01", periods=30, freq="D")),
     "D"),
    (list(pd.date_range("1800-01-01", periods=10, freq="B"))
     + list(pd.date_range("2200-01-01", periods=5, freq="B")), "B")])
def test_a_span_past_292_years_in_nanoseconds_is_refused_naming_it(dates, freq):
    long = _ns(dates)
    assert str(long[DS].dtype) == "datetime64[ns]"
    with pytest.raises(DataError, match=r"series 'a' runs from 1[78]00-01-01 to .*more than "
                                        r"100,000 dates"):
        date_span.check_spans(long, freq, "panel")


def test_a_span_within_its_limit_passes():
    date_span.check_spans(_ns(pd.date_range("1700-01-01", periods=400, freq="YS")), "YS",
                          "panel")
