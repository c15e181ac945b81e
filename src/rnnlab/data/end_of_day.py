"""Clock times written ``24:00``: the end of a day, as ISO 8601 allows and hour-ending
load data write their last hour (ERCOT's ``01/01/2021 24:00``, the hour that ends at
midnight). pandas refuses them (hour must be in 0..23), so such a date column was not
taken for dates at all: the series was read without dates, said only by the period line
("the data have no dates"). They are read as the next day's ``00:00``."""

from __future__ import annotations

from typing import Optional, Tuple

import pandas as pd

# the hour of 24:00, 24:00:00 or 24:00:00.000 at the end of the value, before any UTC
# offset (written 00 in its place: the rest of the text is kept as it is)
_END_OF_DAY = r"(?<![\d:])24(?=:00(?::00(?:\.0+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?\s*$)"


def end_of_day(col: pd.Series) -> Optional[Tuple[pd.Series, pd.Series]]:
    """(the text with each ``24:00`` written ``00:00``, a boolean Series marking those rows:
    one day to add once read) when some value of the text column ``col`` ends at 24:00;
    None otherwise."""
    if not (col.dtype == object or pd.api.types.is_string_dtype(col)) or len(col) == 0:
        return None
    text = col.astype(str)
    late = text.str.contains(_END_OF_DAY, regex=True)
    if not late.any():
        return None
    return text.str.replace(_END_OF_DAY, "00", regex=True), late


def plus_a_day(idx: pd.DatetimeIndex, late: pd.Series) -> pd.DatetimeIndex:
    """``idx`` with a day added where ``late`` (the 24:00 rows, read as 00:00 that day)."""
    days = pd.to_timedelta(late.to_numpy().astype("int64"), unit="D")
    return pd.DatetimeIndex(idx + days)
