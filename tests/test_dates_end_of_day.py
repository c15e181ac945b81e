"""Hour-ending clock times written 24:00 (ERCOT's ``01/01/2021 24:00``, ISO 8601's end of
a day) are the next day's 00:00: the column was not taken for dates at all, and the
series was forecast without dates, said only by "the data have no dates"."""

import numpy as np
import pandas as pd
import pytest

from rnnlab.data.datasets import resolve_data
from rnnlab.data.freq_names import this_pandas_freq
from rnnlab.io.errors import DataError
from rnnlab.panel import read_panel


def _hour_ending(days: int = 3) -> pd.DataFrame:
    ends = pd.date_range("2021-01-01 01:00", periods=24 * days, freq="h")  # 01:00 .. 24:00
    start = ends - pd.Timedelta(hours=1)
    text = [f"{s:%m/%d/%Y} {s.hour + 1:02d}:00" for s in start]
    return pd.DataFrame({"HourEnding": text, "Load": np.arange(24.0 * days)})


def test_hour_ending_csv_is_read_as_hourly_dates(tmp_path):
    df = _hour_ending()
    assert df.HourEnding[23] == "01/01/2021 24:00"
    df.to_csv(tmp_path / "ercot.csv", index=False)
    s = resolve_data(str(tmp_path / "ercot.csv"))
    assert s.index is not None and s.freq == this_pandas_freq("h")  # ('H': pandas < 2.2)
    assert s.index[0] == pd.Timestamp("2021-01-01 01:00")
    assert s.index[23] == pd.Timestamp("2021-01-02 00:00")  # 01/01/2021 24:00
    assert s.index[-1] == pd.Timestamp("2021-01-04 00:00")


@pytest.mark.parametrize("text, instant", [
    ("2021-01-31T24:00:00", "2021-02-01 00:00"),  # ISO 8601, into the next month
    ("31.12.2020 24:00", "2021-01-01 00:00"),  # day first, into the next year
])
def test_forms_of_the_end_of_a_day(text, instant):
    hours = pd.date_range(pd.Timestamp(instant) - pd.Timedelta(hours=2), periods=2, freq="h")
    day_first = text[2] == "."
    col = [f"{t:%d.%m.%Y %H:%M}" if day_first else f"{t:%Y-%m-%dT%H:%M:%S}" for t in hours]
    s = resolve_data(pd.DataFrame({"date": col + [text], "y": [1.0, 2.0, 3.0]}))
    assert s.index[-1] == pd.Timestamp(instant)


def test_with_an_offset_the_instant_is_kept():
    col = ["2021-07-01 23:00+02:00", "2021-07-01 24:00+02:00", "2021-07-02 01:00+02:00"]
    s = resolve_data(pd.DataFrame({"date": col, "y": [1.0, 2.0, 3.0]}))
    assert s.index[1] == pd.Timestamp("2021-07-01 22:00", tz="UTC")


def test_a_panel_reads_them_too():
    df = _hour_ending(2).rename(columns={"HourEnding": "ds", "Load": "y"})
    p = read_panel(df.assign(unique_id="north"))
    assert p.freq == this_pandas_freq("h") and p.df.ds.iloc[23] == pd.Timestamp("2021-01-02 00:00")


def test_other_impossible_times_are_still_refused():
    df = pd.DataFrame({"date": ["2021-01-01 23:00", "2021-01-01 24:30"], "y": [1.0, 2.0]})
    with pytest.raises(DataError, match="date column 'date' has values that are not dates"):
        resolve_data(df, date_column="date")
