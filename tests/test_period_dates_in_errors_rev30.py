"""A panel whose dates are periods (quarters 2000Q1 as a CSV writes them, pandas Periods)
names them so in its errors, as its outputs give them back (session 30 review): a panel
read by id_column="State" alone, whose (State, Quarter) pairs repeat over its zones, was
refused naming ('NSW', 2000-01-01), a date the file never wrote."""

import pandas as pd
import pytest

from rnnlab.io.errors import DataError
from rnnlab.panel import read_panel


def _zones(quarters) -> pd.DataFrame:
    return pd.concat([pd.DataFrame({"State": s, "Zone": z, "Quarter": quarters,
                                    "Trips": range(len(quarters))})
                      for s in ("NSW", "VIC") for z in ("Metro", "Coast")])


TEXT = [f"{y}Q{q}" for y in range(2000, 2004) for q in range(1, 5)]


@pytest.mark.parametrize("quarters", [TEXT, list(pd.PeriodIndex(TEXT, freq="Q"))],
                         ids=["text", "periods"])
def test_repeated_pairs_of_a_quarterly_panel_are_named_as_quarters(quarters, tmp_path):
    df = _zones(quarters)
    for data in (df, None):
        if data is None:  # (the same table as a CSV holds it)
            data = tmp_path / "tourism.csv"
            df.to_csv(data, index=False)
        with pytest.raises(DataError) as e:
            read_panel(data, id_column="State", date_column="Quarter", target="Trips")
        said = str(e.value)
        assert "('NSW', 2000Q1), ('NSW', 2000Q2)" in said, said
        assert "2000-01-01" not in said and "id_column=['State', 'Zone']" in said


def test_repeated_pairs_of_dated_panel_are_named_as_dates():
    # (a panel of days names its days, as before)
    df = _zones(pd.date_range("2000-01-01", periods=16, freq="QS").strftime("%Y-%m-%d"))
    with pytest.raises(DataError, match=r"\('NSW', 2000-01-01\), \('NSW', 2000-04-01\)"):
        read_panel(df, id_column="State", date_column="Quarter", target="Trips")
