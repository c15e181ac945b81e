"""off_grid='snap' / 'drop' (--off-grid) moved or dropped a date without a word: a user
who asked for it could not tell which row was changed, and a panel series' row dropped
came back as "the target has 1 NaN values or missing dates" at a date the file never
held. Now each moved or dropped date is said (OffGridWarning), in one series and in a
panel, and a series on its grid is read without the note."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from rnnlab import DataError, OffGridWarning
from rnnlab.data.series import load_series
from rnnlab.panel import read_panel
from test_off_grid_dates28 import _frame, _fridays  # (a Thursday among Fridays)


def test_snap_says_which_date_it_moved_and_where():
    with pytest.warns(OffGridWarning, match=r"off_grid='snap' moved 2020-12-17 to "
                      r"2020-12-18, the date its grid expects there"):
        s = load_series(_frame(_fridays()), off_grid="snap")
    assert pd.Timestamp("2020-12-18") in set(s.index)


def test_drop_says_which_row_it_dropped():
    with pytest.warns(OffGridWarning, match=r"off_grid='drop' dropped the row dated "
                      r"2020-12-17"):
        s = load_series(_frame(_fridays()), off_grid="drop")
    assert len(s.values) == 59


def test_a_panel_row_dropped_is_named_before_the_gap_it_leaves_is_refused():
    fridays = pd.date_range("2020-01-03", periods=60, freq="W-FRI").astype(str).tolist()
    df = pd.concat([pd.DataFrame({"unique_id": u, "ds": d, "y": np.arange(60.0)})
                    for u, d in (("a", fridays), ("b", _fridays()))], ignore_index=True)
    with pytest.warns(OffGridWarning, match=r"series 'b': off_grid='drop' dropped the row "
                      r"dated 2020-12-17"):  # (said before the gap's refusal, without fill=)
        with pytest.raises(DataError, match=r"missing dates \(series, date: \('b', 2020-12-18"):
            read_panel(df, off_grid="drop")
    with pytest.warns(OffGridWarning, match="dropped the row dated 2020-12-17"):
        assert read_panel(df, off_grid="drop", fill="zero") is not None


def test_a_series_on_its_grid_reads_without_the_note():
    dates = pd.date_range("2020-01-03", periods=60, freq="W-FRI").astype(str).tolist()
    with warnings.catch_warnings():
        warnings.simplefilter("error", OffGridWarning)
        load_series(_frame(dates), off_grid="snap")


def _panel_of_one():
    return _frame(_fridays()).rename(columns={"date": "ds"}).assign(unique_id="a")


@pytest.mark.parametrize("read", [lambda: load_series(_frame(_fridays()), off_grid="snap"),
                                  lambda: read_panel(_panel_of_one(), off_grid="snap")])
def test_the_note_points_at_the_callers_line(read):
    with pytest.warns(OffGridWarning) as said:
        read()  # (was: rnnlab/data/series.py's line, deep inside the reader)
    assert {w.filename for w in said.list if w.category is OffGridWarning} == {__file__}
