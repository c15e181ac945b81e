"""Fiscal years written as two calendar years (2005-06, 2005/06) were read by pandas as
months (June 2005, July 2006, ...): a file of them read, without a word, as a series of
frequency '13MS' (a panel too); they are refused, saying how to write them
(rnnlab.data.fiscal_years). Months and quarters written alike still read."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rnnlab.data.series import load_series
from rnnlab.io.errors import DataError
from rnnlab.panel import read_panel

YEARS = range(2005, 2012)  # (2005-06 .. 2011-12: each also a month pandas reads)


@pytest.mark.parametrize("sep", ["-", "/"])
def test_fiscal_years_in_a_file_are_refused_saying_how_to_write_them(tmp_path, sep):
    dates = [f"{y}{sep}{str(y + 1)[2:]}" for y in YEARS]
    pd.DataFrame({"date": dates, "y": np.sin(np.arange(7.0))}).to_csv(tmp_path / "f.csv",
                                                                       index=False)
    with pytest.raises(DataError, match=rf"date column 'date' holds fiscal years like "
                       rf"'2005{sep}06' \(the year from 2005 to 2006\), which pandas reads as "
                       rf"months .*June 2005.*write each as the year it ends \(2006\)"):
        load_series(tmp_path / "f.csv")  # (was: freq '13MS', June 2005, July 2006, ...)


def test_fiscal_years_in_a_panel_are_refused():
    dates = [f"{y}-{str(y + 1)[2:]}" for y in YEARS]
    df = pd.concat([pd.DataFrame({"unique_id": u, "ds": dates, "y": np.arange(7.0) + k})
                    for k, u in enumerate("ab")])
    with pytest.raises(DataError, match=r"date column 'ds' holds fiscal years like '2005-06'"):
        read_panel(df)  # (was: a PanelFrame of freq '13MS')


def test_months_written_alike_still_read_as_months():
    months = pd.date_range("2010-11-01", periods=14, freq="MS").strftime("%Y-%m").tolist()
    s = load_series(pd.DataFrame({"date": months, "y": np.sin(np.arange(14.0))}))
    assert s.freq == "MS" and s.index[0] == pd.Timestamp("2010-11-01")
