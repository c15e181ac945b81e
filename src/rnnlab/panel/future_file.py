"""``--future FILE.csv``: the future covariates over the horizon, read from a CSV for
``rnnlab forecast`` and ``rnnlab forecast --run`` (:mod:`rnnlab.panel.forecast_run`)."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Optional

from ..io.errors import DataError


def read_future(path, columns, id_column: Optional[str], date_column: Optional[str],
                freq: Optional[str] = None, tz: Optional[str] = None, lasts=None):
    """The future covariates over the horizon from a CSV (the data's id and date column
    names, or ``unique_id`` / ``ds``; without an id column, one row per date shared by
    every series); a missing column is named. ``freq``: the data's, which decides dates
    that read day first and month first alike (01/03/2015 .. 07/03/2015 of daily data).
    ``tz``: the data's time zone (``--time-zone``), the dates read in it as the data's.
    ``lasts``: the series' last dates, whose next dates decide a table of one date that
    reads both ways (tomorrow's 02/01/2015 after 2015-01-01)."""
    from .frame import DS, ID

    if not path:
        return None
    if not Path(path).is_file():
        from ..io.unreadable import absent

        raise DataError(absent(path, f"pass the CSV of the future covariates "
                                     f"({', '.join(columns)}) over the horizon"))
    from ..data.csv_file import read_csv_checked

    from .key_columns import keyed_table

    raw = read_csv_checked(path)  # (encoding, size, separator: as the data)
    raw, id_column = keyed_table(raw, id_column, path)  # (State, Zone: one id)
    idc = id_column if id_column in raw.columns else ID
    from .ids import ids_as_written

    raw = ids_as_written(path, raw, idc)  # (007 as written, as the data's ids are read)
    dc = date_column if date_column in raw.columns else DS
    if dc not in raw.columns:  # a built-in panel's file (Date, Month, ...): found by name
        from ..data.dates import find_date_column

        dc = find_date_column(raw.drop(columns=list(columns), errors="ignore"), None) or DS
    # without an id column: one row per date, the same covariates for every series
    shared = idc not in raw.columns
    missing = [c for c in [dc, *columns] if c not in raw.columns]
    if missing:
        from ..data.name_forms import other_form_hint

        raise DataError(f"{path}: columns {missing} not found (found {list(raw.columns)}); "
                        f"the future covariates need the id (or one row per date, shared by "
                        f"every series), date and {list(columns)} columns"
                        f"{other_form_hint(missing, raw.columns)}")
    fut = raw.rename(columns={idc: ID, dc: DS})[([] if shared else [ID]) + [DS, *columns]]
    from .int_steps import is_steps
    from .long_table import column_dates

    if not is_steps(fut[DS]):  # (integer steps stay so: the model checks their kind)
        from .future_dates import first_forecast_dates

        first = None if lasts is None or freq is None else partial(first_forecast_dates,
                                                                   lasts, freq)
        fut = fut.assign(**{DS: column_dates(fut[DS], str(path), dc, freq, first)})
        if tz is not None:
            from .time_zone import dates_in_zone

            fut = fut.assign(**{DS: dates_in_zone(fut[DS], tz, str(path))})
    return fut if shared else fut.assign(**{ID: fut[ID].astype(str)})


def check_future_covers(panel, future, columns, horizon: int, lookback: int) -> None:
    """Refuse, before any training, a ``--future`` table that lacks a value of
    ``columns`` on one of the ``horizon`` dates after a series' end (the series the
    forecast reads: at least ``lookback`` values), as ``predict`` would refuse it after the
    fit (a minute or an hour later, the run then lost); the same message. The dates are
    the forecast's, also past the years whose holidays the panel's week closes (its
    clause's holidays of the years the horizon reaches: :mod:`.panel_week`)."""
    from .baseline_frames import future_dates
    from .future_table import future_values
    from .int_steps import steps_in_errors
    from .long_table import DS, ID
    from .panel_week import reach_freq

    if future is None or not columns:
        return
    n = panel.df.groupby(ID, sort=False).size()
    last = panel.df.groupby(ID, sort=False)[DS].max()[n >= lookback]
    if last.empty:
        return
    ids = [str(u) for u in last.index]
    freq = reach_freq(panel, horizon)  # (the data's years + 2 closed: a long horizon's too)
    each = [future_dates(d, horizon, freq) for d in last]
    with steps_in_errors(panel.ds_period):
        future_values(future, ids, dict(zip(ids, last)), horizon, freq, list(columns), each)
