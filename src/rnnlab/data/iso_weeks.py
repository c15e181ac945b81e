"""ISO week dates as statistics offices and ERP exports write them: weeks ``2021-W05``
(``2021W05``), each read as its Monday (a weekly calendar, 'W-MON'), and week days
``2021-W05-1`` (``2021W051``; day 1 is Monday, 7 Sunday), each read as its day (a daily
calendar). A week its year does not have (``2021-W54``, ``W53`` of a year of 52 weeks,
``W00``), a day outside 1..7, or weeks mixed with week days or other dates in one column
are refused by :func:`refuse_bad_weeks`, naming the value (pandas read none of them: a
week day was "not a date", and a week typed wrong was too, without saying why)."""

from __future__ import annotations

from functools import lru_cache
from typing import Optional

import numpy as np
import pandas as pd

from ..io.errors import DataError

WEEK = r"^\s*(\d{4})\s*-?[Ww](\d{2})\s*$"  # 2021-W05, 2021W05, 2021-w05
WEEK_DAY = r"^\s*(\d{4})\s*-?[Ww](\d{2})-?(\d)\s*$"  # 2021-W05-1, 2021W051


@lru_cache(maxsize=4096)
def weeks_in(year: int) -> int:
    """How many ISO weeks ``year`` has (52, or 53 when 28 December falls in week 53)."""
    return int(pd.Timestamp(year=year, month=12, day=28).isocalendar()[1])


def _problem(year: int, week: int, day: Optional[int]) -> Optional[str]:
    """Why ISO week ``week`` (day ``day``) of ``year`` does not exist, else None."""
    n = weeks_in(year)
    if not 1 <= week <= n:
        return f"{year} has {n} ISO weeks (W01 to W{n})"
    if day is not None and not 1 <= day <= 7:
        return "the days of an ISO week are 1 (Monday) to 7 (Sunday)"
    return None


def week_days(parts: pd.DataFrame) -> pd.Series:
    """The dates of ISO weeks (``parts``: year and week text; their Mondays) or week days
    (year, week and day). Raises ValueError on one that does not exist."""
    day = parts[2] if 2 in parts.columns else pd.Series("1", index=parts.index)
    for y, w, d in zip(parts[0], parts[1], day):
        why = _problem(int(y), int(w), int(d))
        if why is not None:
            raise ValueError(f"ISO week {y}-W{w} does not exist: {why}")
    text = parts[0].astype(str) + "-W" + parts[1].astype(str) + "-" + day.astype(str)
    return pd.to_datetime(text, format="%G-W%V-%u")


def refuse_bad_weeks(col: pd.Series, source: str, name) -> None:
    """DataError when the text column ``col`` holds ISO weeks or week days that do not
    exist, or mixes weeks, week days and other dates (each alone a date: pandas said only
    "mixed formats", or "not dates")."""
    text = distinct_text(col)  # (a panel repeats each date in every series)
    if text is None:
        return
    week, day = text.str.match(WEEK), text.str.match(WEEK_DAY)
    if not (week.any() or day.any()):
        return
    for mask, what in ((week, "ISO weeks (2021-W05)"), (day, "ISO week days (2021-W05-1)")):
        if mask.any() and not mask.all():
            a, b = text[mask.to_numpy()].iloc[0], text[~mask.to_numpy()].iloc[0]
            raise DataError(f"{source}: date column {name!r} mixes {what}, such as {a!r} "
                            f"(data row {row_of(col, a)}), with other dates, such as {b!r} "
                            f"(data row {row_of(col, b)}); write every date in one form "
                            f"(weeks 2021-W05, week days 2021-W05-1 or ISO dates 2021-02-01)")
    parts = text.str.extract(WEEK_DAY if day.all() else WEEK)
    for v, row in zip(text, parts.itertuples(index=False)):
        why = _problem(int(row[0]), int(row[1]), int(row[2]) if len(row) > 2 else None)
        if why is not None:
            raise DataError(f"{source}: date column {name!r} has {v.strip()!r} (data row "
                            f"{row_of(col, v)}), an ISO week that does not exist: {why}; a "
                            f"date typed wrong? correct or drop that row")


def distinct_text(col: pd.Series) -> Optional[pd.Series]:
    """The distinct values of a text column, in order of their first rows, as text; None
    for a column that is not text."""
    if not (col.dtype == object or pd.api.types.is_string_dtype(col)):
        return None
    return pd.Series(pd.unique(col.dropna())).astype(str)


def row_of(col: pd.Series, value: str) -> int:
    """The data row (counted from 1) of the first value of ``col`` written ``value``."""
    return int(np.argmax(col.astype(str).to_numpy() == value)) + 1
