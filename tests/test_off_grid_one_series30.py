"""docs/panels.md: "A date off a series' grid (a Thursday among Fridays ...) is refused,
naming it and the date expected". A panel of one series (or whose every series had such a
date) was refused with "cannot tell the frequency of any series ... pass freq='MS'",
naming neither the date nor the grid, and pointing weekly data to monthly starts."""

import numpy as np
import pandas as pd
import pytest

from rnnlab.io.errors import DataError
from rnnlab.panel import read_panel


def _fridays(uid: str, off: bool) -> pd.DataFrame:
    d = pd.DataFrame({"unique_id": uid, "y": np.arange(30.0),
                      "ds": pd.date_range("2020-01-03", periods=30, freq="W-FRI")})
    if off:
        d.loc[10, "ds"] -= pd.Timedelta(days=1)  # 2020-03-12, a Thursday
    return d


@pytest.mark.parametrize("series", [("a",), ("a", "b")])
def test_a_panel_whose_every_series_has_a_date_off_its_grid_names_it(series):
    df = pd.concat([_fridays(uid, True) for uid in series])
    with pytest.raises(DataError) as e:
        read_panel(df)
    said = str(e.value)
    assert "series 'a'" in said and "2020-03-12" in said and "grid expects 2020-03-13" in said
    assert "off_grid='snap'" in said and "freq='MS'" not in said
    snapped = read_panel(df, off_grid="snap")  # (what it points to reads it)
    assert snapped.freq == "W-FRI" and len(snapped.df) == len(df)


def test_dates_with_no_grid_at_all_are_still_said_as_before():
    df = pd.DataFrame({"unique_id": "a", "y": np.arange(8.0),
                       "ds": pd.to_datetime(["2020-01-01", "2020-01-09", "2020-02-03",
                                             "2020-02-04", "2020-03-20", "2020-05-01",
                                             "2020-05-02", "2020-07-30"])})
    with pytest.raises(DataError, match="cannot tell the frequency of any series"):
        read_panel(df)
