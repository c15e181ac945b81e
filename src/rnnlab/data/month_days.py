"""Dates on the same day of each month (the 15th), quarter or year, or on a day of each
that varies (the last trading day of each month): a calendar no pandas frequency names
(``MS`` is the 1st, ``ME`` the last day, ``BME`` the last weekday), so such dates read as
irregular (a single series: no period, forecasts numbered by step; a panel: refused, and
refused again with ``freq='MS'``). They read as periods: :func:`month_day_hint` says how."""

from __future__ import annotations

from typing import Optional

import numpy as np
import pandas as pd

_KINDS = {1: ("M", "month"), 3: ("Q", "quarter"), 12: ("Y", "year")}
_WRITTEN = {"M": "2015-01", "Q": "2015Q1", "Y": "years, 2015"}  # (read as such from a file)


def month_day_hint(dates) -> Optional[str]:
    """What to do with ``dates`` that fall on one day (not the 1st) of consecutive months,
    quarters or years, or on one day of each that varies (the last trading day of each
    month), at one time of day; None for any other dates."""
    try:
        idx = pd.DatetimeIndex(dates)
    except (TypeError, ValueError):
        return None
    if len(idx) < 3 or idx.hasnans or len(set(idx.time)) != 1:
        return None
    steps = np.diff(np.asarray(idx.year) * 12 + np.asarray(idx.month))
    if not (steps == steps[0]).all() or int(steps[0]) not in _KINDS:
        return None
    kind, word = _KINDS[int(steps[0])]
    if (idx.day == idx[0].day).all() and idx[0].day != 1:
        which = (f"fall on day {idx[0].day} of each {word}, a calendar no pandas frequency "
                 f"names (MS: the 1st, ME: the last day)")
    elif not (idx.day == idx[0].day).all():  # the last trading day of each month, ...
        which = (f"fall on one day of each {word}, a different day from {word} to {word} "
                 f"(the last trading day, say), which no pandas frequency names")
    else:
        return None
    return (f"its dates {which}: read them as {word}s, "
            f"s.index = s.index.to_period({kind!r}) (a date column: df['ds'] = "
            f"df['ds'].dt.to_period({kind!r}); a CSV file: its dates written as "
            f"{_WRITTEN[kind]}), and forecasts come back as {word}s")
