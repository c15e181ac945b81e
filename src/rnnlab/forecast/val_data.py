"""``Forecaster.fit(data, val_data=...)``: a validation series of the user's own (Keras'
``fit(x, y, validation_data=...)``, CharLM's ``val_text``) in place of the tail cut from the
training part.

    values = [ data: training windows | val_data: validation tail ]     (no test part)

``val_data`` continues ``data``: it is what early stopping and the choice between the
network and its baselines see (as the tail ``val_size`` cut would be), the network never
trains on it, and the forecast starts after its end (the validation tail is history once the
choice is made, as always). Nothing is held out after it: :meth:`Forecaster.evaluate` has no
test part (the later values are the user's to compare with ``predict()``, or fit the whole
series with ``val_size=len(val)`` and ``test_size``). A ``val_data`` that does not follow
``data`` (earlier dates, an overlap, a gap, dates on one side only) is refused.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Optional, Tuple

import numpy as np
import pandas as pd

from ..data.series import Series
from ..io.errors import DataError
from .config import ForecastConfig


def split_given(cfg, spelt) -> list:
    """``val_size`` and ``test_size`` where ``cfg`` sets them, each as ``spelt(name, value)``
    (``val_size=12``; the command's ``--val-size 12``)."""
    return [spelt(k, getattr(cfg, k)) for k in ("val_size", "test_size")
            if getattr(cfg, k) is not None]


def refuse_split_settings(cfg: ForecastConfig) -> None:
    """``val_size`` and ``test_size`` cut the series ``val_data`` replaces the tail of (as
    CharLM refuses ``val_text`` with ``val_fraction``)."""
    given = split_given(cfg, lambda k, v: f"{k}={v!r}")
    if given:
        raise DataError(
            f"Forecaster.fit: val_data is the validation tail, and {' and '.join(given)} "
            f"would cut the series too: leave {'it' if len(given) == 1 else 'them'} unset "
            f"(val_data validates; nothing after it is held out), or give the whole series "
            f"without val_data, its validation tail as val_size=len(val) and its test part "
            f"as test_size")


def read_validation(val_data: Any, cfg: ForecastConfig, **read: Any) -> Series:
    """``val_data`` read as the data is (``column``, ``date_column``, ``fetch`` in ``read``;
    the config's ``fill``), its problems said as val_data's; after the split settings it
    would clash with are refused (before it is read)."""
    from ..data.datasets import resolve_data

    refuse_split_settings(cfg)
    try:
        return resolve_data(val_data, fill=cfg.fill, weekmask=cfg.weekmask, **read)
    except DataError as e:
        raise DataError(f"Forecaster.fit: val_data: {e}") from None


def join_validation(series: Series, val: Series, given: Any,
                    cfg: ForecastConfig) -> Tuple[Series, ForecastConfig]:
    """(``series`` followed by ``val``, the config that splits it there: ``val_size`` the
    length of ``val``, ``test_size`` 0). ``given``: ``val_data`` as passed (an array's
    values follow the series whatever its positions; a pandas object's labels must)."""
    refuse_split_settings(cfg)
    if len(val) == 0:
        raise DataError("Forecaster.fit: val_data is empty: pass the values after the "
                        "training data (at least one), or leave val_data out")
    val = _in_zone_of(series, val)
    _check_follows(series, val, labelled=isinstance(given, (pd.Series, pd.DataFrame)))
    ahead = cfg.horizon if cfg.strategy == "direct" else 1
    if len(series) < cfg.lookback + ahead + 1:  # (the split's own words count val_data in)
        raise DataError(f"Forecaster.fit: the data before val_data has {len(series)} points, "
                        f"too short for look-back {cfg.lookback} + {ahead} target step(s) "
                        f"(+1 so there are 2 windows): pass a longer history, or a shorter "
                        f"lookback")
    n = len(series)
    filled = [f for f in (series.filled, None if val.filled is None else val.filled + n)
              if f is not None]
    joined = replace(series, values=np.concatenate([series.values, val.values]),
                     index=_joined_dates(series.index, val.index),
                     filled=np.concatenate(filled).astype(np.int64) if filled else None,
                     fill=series.fill or val.fill, gaps=series.gaps + val.gaps)
    return joined, cfg.replace(val_size=len(val), test_size=0)


def _in_zone_of(series: Series, val: Series) -> Series:
    """``val`` with its dates in ``series``' time zone (the same instants: one calendar,
    as pandas aligns two zones); a DataError where one side's dates have a zone and the
    other's none (which instants they are cannot be told)."""
    if series.index is None or val.index is None:
        return val
    zone, its = series.index.tz, val.index.tz
    if (zone is None) != (its is None):
        has, lacks = ("data", "val_data") if its is None else ("val_data", "data")
        raise DataError(f"Forecaster.fit: {lacks}'s dates have no time zone and {has}'s are "
                        f"in {zone or its}: expected both in one zone; give {lacks}'s "
                        f"dates that zone (pandas: .tz_localize('{zone or its}')), or take "
                        f"it off {has}'s (.tz_localize(None))")
    return val if zone is None or its == zone else \
        replace(val, index=val.index.tz_convert(zone))


def _joined_dates(before: Optional[pd.DatetimeIndex],
                  after: Optional[pd.DatetimeIndex]) -> Optional[pd.DatetimeIndex]:
    """The dates of data then val_data (None where they have none: both or neither do,
    as :func:`_check_follows` made sure)."""
    if before is None or after is None:
        return None
    return pd.DatetimeIndex(before.append(after))


def named_labels(series: Series, n_val: int) -> pd.Index:
    """``series.labels()``, those of the last ``n_val`` values (``val_data`` joined after the
    data) named ``val_data[j]`` where they are positions (an array's): a warning naming a
    value there says where the user typed it, not its place in the joined series."""
    labels = series.labels()
    if series.index is not None or n_val <= 0:
        return labels
    n = len(labels) - n_val
    return pd.Index(list(labels[:n]) + [f"val_data[{j}]" for j in range(n_val)])


NUMBERED = ("; a pandas object's index is read as its labels (pd.Series(values) numbers "
            "them from 0): val_data.to_numpy() takes its values as the ones that follow")


def _check_follows(series: Series, val: Series, labelled: bool) -> None:
    """A DataError unless ``val``'s labels come right after ``series``' (dates: the next
    ones of its frequency, or after its last for dates of none; numbers: the next ones
    where ``val`` came labelled)."""
    if (series.index is None) != (val.index is None):
        has, lacks = ("data", "val_data") if val.index is None else ("val_data", "data")
        raise DataError(f"Forecaster.fit: {has} has dates and {lacks} none, so whether "
                        f"val_data comes after the training data cannot be told: give both "
                        f"with their dates (pandas indexed by date) or both as arrays")
    if series.index is None and not labelled:
        return  # (an array's values are taken as the ones that follow)
    expected = series.future_index(len(val))
    got = val.labels()
    if expected is not None and len(got) and not got.equals(expected):
        first = next(i for i in range(len(got)) if got[i] != expected[i])
        where = "before or at the end of" if got[first] <= series.labels()[-1] else "after"
        why = ("validating on values among the training data scores what it trained on"
               if where != "after" else "a gap: the forecasts from the validation origins "
               "would read values that are not there")
        raise DataError(
            f"Forecaster.fit: val_data must come right after the training data: its value "
            f"{first} is labelled {got[first]}, {where} the data's last ({series.labels()[-1]}), "
            f"where {expected[first]} was expected ({why}). Pass the values that follow the "
            f"data (the data up to the validation start, and val_data from there)"
            + (NUMBERED if series.index is None else ""))
    if expected is None and val.index is not None and series.index is not None and \
            val.index[0] <= series.index[-1]:  # (dates of no frequency; both dated, as checked)
        raise DataError(f"Forecaster.fit: val_data must come after the training data: it "
                        f"starts at {val.index[0]}, and the data ends at {series.index[-1]}")

