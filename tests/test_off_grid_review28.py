"""Review of off_grid= (session 28): what the merged change missed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rnnlab.panel import read_panel


def _fridays_with_a_thursday(at=20):
    dates = list(pd.date_range("2020-01-03", periods=60, freq="W-FRI"))
    dates[at] -= pd.Timedelta(days=1)
    return dates


@pytest.mark.parametrize("how, rows", [("snap", 60), ("drop", 59)])
def test_every_series_off_its_grid_is_mended_before_the_panel_frequency_is_told(how, rows):
    # a one-series panel (or one whose every series has a Thursday among its Fridays) was
    # refused with off_grid='snap' or 'drop': "cannot tell the frequency of any series",
    # the frequency being told before the dates were mended
    one = pd.DataFrame({"unique_id": "a", "ds": _fridays_with_a_thursday(),
                        "y": np.arange(60.0)})
    p = read_panel(one, off_grid=how, fill="zero")
    assert p.freq == "W-FRI" and len(p.df) == 60 and (p.df["y"] != 0).sum() == rows - 1
    two = pd.concat([one, one.assign(unique_id="b", ds=_fridays_with_a_thursday(40))])
    p = read_panel(two, off_grid=how, fill="zero")
    assert p.freq == "W-FRI" and len(p.df) == 120
    assert not p.df["ds"].dt.day_of_week.eq(3).any()  # (no Thursday left)
