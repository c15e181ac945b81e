"""Integer time steps (NeuralForecast's and statsforecast's int ``ds``: 1, 2, 3, ... per series).

Steps have no calendar. Inside, step ``k`` is the day ``EPOCH + k`` on a fixed daily grid (so
windows, gaps, fills and future covariates work as for dates); at the edges the panel's
date kind (``ds_period``, :mod:`.date_kind`) is :data:`STEPS` and every output gives the
steps back as integers (:func:`rnnlab.panel.date_kind.restore_dates`), each series
continuing its own (last + 1, ...). Such a panel has no seasonal period unless one is given
(``period=``, ``--period``); calendar features are refused; an error that names a date
names the step (:func:`shown_date` within :func:`steps_in_errors`), so the internal days
are never shown.

A column of integers that all read as yyyymm (202001) or yyyymmdd (20200131) dates stays
dates, as before; every other integer column (years such as 1990 included: they come back as
the same integers) is steps.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from math import gcd
from functools import reduce

import numpy as np
import pandas as pd

from ..io.errors import DataError

STEPS = "int"  # a panel's ds_period (date kind) when its ds are integer time steps
EPOCH = pd.Timestamp("1970-01-01")  # step 0 inside
MAX_STEP = 100_000  # |step| (the internal days stay within pandas' dates, 1677 to 2262)
_DAY = pd.Timedelta(days=1)


def is_steps(col) -> bool:
    """Whether ``col`` (a Series or an index) holds integer time steps: integers (an integer
    dtype, or Python ints in an object column), not booleans, not yyyymm/yyyymmdd dates."""
    col = pd.Series(col)
    if pd.api.types.is_bool_dtype(col):
        return False
    if not pd.api.types.is_integer_dtype(col):
        if col.dtype != object or pd.api.types.infer_dtype(col, skipna=False) != "integer":
            return False
    v = col.to_numpy(dtype=np.int64)
    if len(v) and ((v >= 1000) & (v <= 2999)).all():
        return True  # years: the same integers back
    from ..data.dates import _numeric_dates

    try:
        _numeric_dates(col)
    except (ValueError, TypeError, OverflowError):
        return True
    return False


def steps_to_dates(col, source, name) -> pd.Series:
    """The internal days of the integer steps ``col`` (a Series, index kept)."""
    col = pd.Series(col)
    v = col.to_numpy(dtype=np.int64)
    big = np.abs(v) > MAX_STEP
    if big.any():
        raise DataError(f"{source}: column {name!r} holds integer time steps up to "
                        f"{int(v[big][0])}; expected steps between {-MAX_STEP} and {MAX_STEP}: "
                        f"number each series' steps from 0 or 1 (ds - ds.min()), or give "
                        f"dates")
    return pd.Series(EPOCH + pd.to_timedelta(v, unit="D"), index=col.index)


def dates_to_steps(values) -> np.ndarray:
    """The integer steps of internal days (a Series, an index or an array of datetimes)."""
    return ((pd.DatetimeIndex(values) - EPOCH) // _DAY).to_numpy(dtype=np.int64)


def step_freq(ds: pd.Series, ids: pd.Series, freq, source) -> str:
    """The internal frequency of steps: ``freq`` as given (a whole number of steps, 1 by
    default), else the greatest common step of the series ('D' for 1, '2D' for 0, 2, 4)."""
    if freq is not None:
        ok = not isinstance(freq, bool) and (isinstance(freq, (int, np.integer))
                                             or str(freq).strip().isdigit())
        if not ok or int(str(freq).strip()) < 1:
            raise DataError(f"{source}: the ds are integer time steps, which have no calendar, "
                            f"so freq= is the step between them (1, 2, ...); got {freq!r}: "
                            f"pass freq=1 (or leave it out), or give dates")
    days = pd.DataFrame({"i": ids.to_numpy(), "d": dates_to_steps(ds)}).sort_values(["i", "d"])
    diffs = days.groupby("i", sort=False)["d"].diff()
    if freq is None:
        n = reduce(gcd, diffs.dropna().astype(np.int64).abs().tolist(), 0) or 1
    else:
        n = int(str(freq).strip())
        off = (diffs % n).fillna(0) != 0
        if off.any():
            rows = days[off.to_numpy()].head(3)
            shown = ", ".join(f"({u!r}, {k})" for u, k in rows.itertuples(index=False))
            raise DataError(f"{source}: {int(off.sum())} steps are not a multiple of {n} "
                            f"after the one before them (series, step: {shown}), but "
                            f"freq={freq!r} says the steps are {n} apart; pass the step they "
                            f"have (or leave freq= out)")
    return "D" if n == 1 else f"{n}D"


def steps_apart(freq) -> int:
    """The step of a panel of integer steps from its internal frequency ('D': 1, '2D': 2)."""
    text = str(freq)[:-1]
    return int(text) if text.isdigit() else 1


# the date kind of the panel the messages made within steps_in_errors are about
_SHOWN_KIND: ContextVar = ContextVar("rnnlab_panel_shown_kind", default=None)


def shown_date(d) -> str:
    """A date (an internal day) as a message names it: within :func:`steps_in_errors` of a
    panel of integer steps, its step (4); else the date (2020-01-31), with its time of day
    when it has one (2020-01-31 13:00:00: hourly dates all read as their day)."""
    d = pd.Timestamp(d)
    if _SHOWN_KIND.get() == STEPS:
        return str(int(dates_to_steps([d])[0]))
    try:
        return str(d.date()) if d == d.normalize() else str(d)
    except (ValueError, NotImplementedError, OverflowError):  # (past 9999: no Python date)
        wall = d.tz_localize(None) if d.tz is not None else d  # (its zone's offset: neither)
        return str(wall).split(" ")[0] if wall == wall.normalize() else str(wall)


def shown_as_given(d) -> str:
    """A row's date as the data gave it, for a message naming rows (a repeated (id, date)
    pair): within :func:`steps_in_errors` of a panel of periods (quarters 2000Q1 as a file
    writes them, Periods), the period whose first day it is (2000Q1, not 2000-01-01); else
    as :func:`shown_date` (which messages comparing calendars keep: their days)."""
    kind, d = _SHOWN_KIND.get(), pd.Timestamp(d)
    if kind not in (None, STEPS):
        try:
            p = d.to_period(kind)
        except (ValueError, TypeError):  # (a kind that names no period)
            p = None
        if p is not None and p.start_time == d:
            return str(p)
    return shown_date(d)


def date_word() -> str:
    """What a message calls a row's ds: "step" within :func:`steps_in_errors` of a panel
    of integer steps, else "date"."""
    return "step" if _SHOWN_KIND.get() == STEPS else "date"


@contextmanager
def steps_in_errors(kind):
    """Within it, a message about a panel of date kind ``kind`` names its ds as that kind:
    steps, not the internal days, for integer steps (:func:`shown_date`,
    :func:`date_word`; the kind is set for the messages as they are made, not read back
    from their words)."""
    token = _SHOWN_KIND.set(kind)
    try:
        yield
    finally:
        _SHOWN_KIND.reset(token)


def refuse_calendar(features, kind, what: str = "calendar") -> None:
    """Calendar features of a panel of integer steps: refused, saying why."""
    if kind == STEPS and features:
        raise DataError(f"{what}={list(features)}: calendar features need dates, and this "
                        f"panel's ds are integer time steps (no calendar); drop {what}= "
                        f"(--calendar), or give dates")


def check_same_kind(fitted, given, what: str = "the history") -> None:
    """A model fitted on integer steps given dates, or the other way round: refused."""
    if (fitted == STEPS) != (given == STEPS):
        said = {True: "integer time steps", False: "dates"}
        raise DataError(f"{what} has {said[given == STEPS]} as ds, but the model was fitted on "
                        f"{said[fitted == STEPS]}; give {what} with ds of the same kind")


def check_kinds(fitted, history, future, fitted_freq=None) -> None:
    """A history panel and a ``future=`` table of the kind (steps or dates) the model was
    fitted on, and a history of steps as far apart as the model's (``fitted_freq``):
    refused otherwise, saying which is which."""
    if history is not None:
        check_same_kind(fitted, getattr(history, "ds_period", None), "the history")
        if fitted == STEPS and fitted_freq and getattr(history, "freq", None) \
                and steps_apart(history.freq) != steps_apart(fitted_freq):
            raise DataError(f"the history's steps are {steps_apart(history.freq)} apart, but "
                            f"the model was fitted on steps {steps_apart(fitted_freq)} apart; "
                            f"give the history with the model's step, or fit a model on it")
    if isinstance(future, pd.DataFrame) and "ds" in future.columns and len(future):
        check_same_kind(fitted, STEPS if is_steps(future["ds"]) else None, "future=")
