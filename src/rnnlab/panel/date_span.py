"""A series whose calendar, from its first to its last date, would hold far more dates
than it has rows is refused before its missing dates are added: one date typed wrong
(9999-12-31 among a year of daily rows) made ``read_panel`` build millions of empty rows
per series (seconds, and gigabytes with hourly data) only to refuse their NaN values, or,
with ``fill``, to train on them."""

from __future__ import annotations

import pandas as pd
from pandas.tseries.frequencies import to_offset

from ..data.date_typo import TYPED_WRONG
from ..io.errors import DataError
from .long_table import DS, ID
from .week_freq import freq_name

MAX_DATES_PER_ROW = 100  # a calendar may hold this many dates per row the series has,
MIN_DATES = 100_000  # and this many whatever its rows (sparse series, filled with zero)


def check_spans(long: pd.DataFrame, freq: str, source: str) -> None:
    """Refuse a series of ``long`` (one row per id and date) whose ``freq`` calendar from
    its first to its last date holds more than ``max(MIN_DATES, MAX_DATES_PER_ROW * rows)``
    dates, naming it, its first and last dates and its rows."""
    from .int_steps import shown_date

    try:
        off = to_offset(freq)
    except (ValueError, TypeError):
        return  # (integer steps, or a calendar the caller refuses)
    if long.empty or not pd.api.types.is_datetime64_any_dtype(long[DS]):
        return
    by = long.groupby(ID, sort=False)[DS]
    spans = pd.DataFrame({"first": by.min(), "last": by.max(), "rows": by.size()})
    spans["limit"] = (spans["rows"] * MAX_DATES_PER_ROW).clip(lower=MIN_DATES)
    # (no step is shorter than a nanosecond: only a span longer than limit ns can exceed)
    wide = spans[(spans["last"] - spans["first"]).dt.total_seconds() * 1e9 > spans["limit"]]
    for uid, s in wide.iterrows():
        try:
            end = s["first"] + int(s["limit"]) * off  # (the limit-th date of its calendar)
        except (OverflowError, ValueError):  # (past the last date pandas holds: 2262)
            continue
        if s["last"] > end:
            raise DataError(f"{source}: series {uid!r} runs from {shown_date(s['first'])} to "
                            f"{shown_date(s['last'])}: more than {int(s['limit']):,} dates "
                            f"of its {freq_name(freq)} calendar for {int(s['rows'])} rows (refused "
                            f"before adding the missing ones); {TYPED_WRONG}")
