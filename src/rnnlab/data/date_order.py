"""The order a series' dates must be in: increasing, each date once, none missing; a
refusal names the first rows out of order or repeated, as the file writes their dates."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..io.errors import DataError


def check_order(idx: pd.DatetimeIndex, source: str, name) -> None:
    """Refuse dates out of increasing order or repeated, naming the first ones."""
    what = "the index" if name == "index" else f"date column {name!r}"
    fix = "sort it (.sort_index())" if name == "index" else "sort the file"
    if idx.hasnans:  # (NaT: an empty cell; read on, it failed inside pandas' date code)
        rows = np.flatnonzero(idx.isna())
        shown = ", ".join(str(i + 1) for i in rows[:5]) + (" ..." if len(rows) > 5 else "")
        drop = "s[s.index.notna()]" if name == "index" else f"df[df[{str(name)!r}].notna()]"
        raise DataError(f"{source}: {what} has {len(rows)} missing dates (NaT, data rows "
                        f"{shown}); expected a date on every row: fill them in or drop those "
                        f"rows ({drop})")
    if not idx.is_monotonic_increasing:
        from .date_typo import TYPED_WRONG
        from .grid_typos import typed_out_of_order

        typed = typed_out_of_order(idx)
        if typed:  # (2012-01-01 among 2021's months: sorting the file was no cure)
            raise DataError(f"{source}: {what} is not in increasing order: {typed}; "
                            + (TYPED_WRONG if typed.startswith("its date ") else
                               "dates typed wrong? correct or drop those rows"))
        down = np.flatnonzero(np.diff(idx.asi8) < 0)[0]
        raise DataError(f"{source}: {what} is not in increasing order (data row {down + 2}: "
                        f"{_day(idx[down + 1])} after {_day(idx[down])}); expected the dates "
                        f"in time order: {fix}")
    dup = idx.duplicated(keep=False)
    if dup.any():
        clock = idx.tz is None and (idx[dup] != idx[dup].normalize()).any()
        dst = (" (local clock times repeat an hour when daylight saving time ends: write "
               "them in UTC or with their UTC offset, e.g. 2021-10-31T02:00:00+02:00)"
               if clock else "")
        raise DataError(f"{source}: {what} repeats dates ({_repeats(idx, dup, name)}); "
                        f"expected one value per date: drop or aggregate the repeated "
                        f"rows{dst}")


def _repeats(idx: pd.DatetimeIndex, dup: np.ndarray, name) -> str:
    """Each repeated date once, with the rows holding it (data rows counted from 1 after
    the header; positions in an index): it was each row's date, midnight shown, with
    no row ("2022-01-01 00:00:00, 2022-01-01 00:00:00")."""
    rows = np.flatnonzero(dup)
    where = "positions" if name == "index" else "data rows"
    shift = 0 if name == "index" else 1
    shown = []
    for t in pd.unique(idx[rows])[:4]:
        at = np.flatnonzero(idx == t)
        shown.append(f"{_day(t)} at {where} {', '.join(str(i + shift) for i in at[:4])}"
                     f"{' ...' if len(at) > 4 else ''}")
    more = len(pd.unique(idx[rows])) - len(shown)
    return "; ".join(shown) + (f"; and {more} more" if more > 0 else "")


def _day(t) -> str:
    """A date as the file would write it: the day, or the time when there is one."""
    t = pd.Timestamp(t)
    return str(t.date()) if t == t.normalize() else str(t)
