"""The forms a panel comes in, turned into one long table: ``unique_id``, ``ds``, ``y``, covariates.

A long table (one row per series and date; the id, date and target columns found by
name or given), a wide table (one numeric column per series, dates as index or a date
column) or a dict of series with dates: :func:`to_long` and :func:`dict_to_long` return
the long table (ids as text) and the ids' kind (:func:`rnnlab.panel.ids.id_kind`),
unsorted and unchecked for calendar and gaps (that is
:func:`rnnlab.panel.frame.read_panel`'s part). Column names, dates and numbers that
cannot be read raise :class:`~rnnlab.io.errors.DataError` naming them.
"""

from __future__ import annotations

from typing import Dict, Optional, Tuple

import numpy as np
import pandas as pd

from ..data.csv_file import require_column
from ..data.dates import find_date_column, looks_like_dates, read_dates
from ..data.table_forms import readable_numbers
from ..data.numbers import (numbers_of, quiet_nans, real_values, refuse_boolean,
                            warn_rounded_integers)
from ..callers_line import callers_level
from ..io.errors import DataError
from ..listing import first_few
from .date_column import column_dates
from .ids import id_kind
from .reserved_names import refuse_reserved_covariates
from .int_steps import shown_date
from .wide_ends import warn_left_out_ends
from .table_shapes import (dates_as_columns, id_and_date_levels, no_dates_asked,
                           refuse_column_levels, refuse_repeated_dates, step_levels_hint,
                           serial_days_hint, steps_hint)
from .wide_reading import covariates_read_as_series

ID, DS, Y = "unique_id", "ds", "y"  # the long table's (and PanelFrame's) columns


def series_table(s: pd.Series) -> pd.DataFrame:
    """A pandas Series as a panel's long table: indexed by (id, date) levels
    (``df.set_index(["unique_id", "ds"])["y"]``), the table they make; else one series, its
    id the Series' name (``y`` without one), its ``ds`` the index (dates, periods, or
    integer time steps)."""
    if isinstance(s.index, pd.MultiIndex):  # (levels named otherwise: to_long reads them)
        return s.to_frame(Y if s.name is None else s.name)
    return pd.DataFrame({ID: [Y if s.name is None else s.name] * len(s),
                         DS: s.index.to_numpy(), Y: s.to_numpy()})


def to_long(df: pd.DataFrame, source, id_column, date_column, target,
            covariates=()) -> Tuple[pd.DataFrame, str, Optional[Tuple]]:
    """``df`` as the long table, its ids' kind and the columns of ``df`` it read as
    ``(id, date, target)`` (id None: one series; None for a wide table: no such columns),
    which messages name; ``covariates``: the columns a model reads as covariates, refused
    as the series of a wide reading (:mod:`.wide_reading`)."""
    refuse_column_levels(df, source)  # (a pivot's (variable, series): stacked, it reads)
    # the id or date as the index (statsforecast's frames before 1.7 kept unique_id there;
    # set_index(["unique_id", "ds"])): read as the columns they are
    levels = df.index  # (sktime's (instance, time point): named in a refusal)
    named = {str(n) for n in df.index.names if n is not None}
    if named & ({ID, DS, str(id_column), str(date_column)} - {"None"}) \
            and not named & {str(c) for c in df.columns}:
        df = df.reset_index()
    elif id_column is None and ID not in df.columns:
        df, id_column, date_column = id_and_date_levels(df, date_column)
    cols = [str(c) for c in df.columns]
    if id_column is not None:
        require_column(df, id_column, "id column", source, ". Pass the column that names "
                       "each series (id_column=, --id-column)")
    idc = id_column if id_column is not None else (ID if ID in df.columns else None)
    if date_column is False and not _dated_index(df):  # (said first: no shape reads it)
        raise DataError(no_dates_asked(df, source))
    if idc is None and target is None and not _is_wide(df, date_column):
        raise DataError(f"{source}: no id column: expected {ID!r} (NeuralForecast's name) or "
                        f"id_column=NAME (read_panel(df, id_column=NAME, date_column=..., "
                        f"target=...), --id-column); columns are {cols}. A wide table (one "
                        f"numeric column per series, dates as index or a date column) or "
                        f"target=NAME for one series are read too"
                        + (step_levels_hint(levels) or steps_hint(df))
                        + _keys_hint(df, date_column, source))
    if idc is None and target is None:  # wide: one column per series
        dcol = _date_col(df, date_column, source, required=not _dated_index(df))
        wide = df.set_index(dcol) if dcol is not None else df
        refuse_repeated_dates(wide, source)
        said = covariates_read_as_series(wide.columns, covariates or ())
        if said:
            raise DataError(f"{source}: {said}")
        long, _ = dict_to_long({str(c): wide[c] for c in wide.columns}, source)
        return long, id_kind(wide.columns, source), None
    if date_column is None and _dated_index(df) \
            and _date_col(df, None, source, required=False) is None:
        df = df.rename_axis(DS).reset_index()  # the dates as the index (Darts' frames)
    dcol = _date_col(df, date_column, source, required=True)
    tcol = _target_col(df, target, source, exclude=(idc, dcol))
    for col, what in ((idc, "series id"), (dcol, "date")):  # (groupby would drop them)
        blank = df[col].isna().to_numpy() if col is not None else np.zeros(len(df), bool)
        if blank.any():
            rows = ", ".join(f"row {i}" for i in np.flatnonzero(blank)[:5])
            raise DataError(f"{source}: {int(blank.sum())} rows have no {what} (column "
                            f"{str(col)!r}: {rows}); expected one on every row: fill it in or "
                            f"drop those rows")
    refuse_reserved_covariates(df.columns, (idc, dcol, tcol), covariates, source)
    df = _grouped_thousands(df, (idc, dcol))
    out = pd.DataFrame({ID: df[idc].astype(str) if idc is not None else str(tcol),
                        DS: column_dates(df[dcol], source, dcol),
                        Y: _numbers(df[tcol], source, tcol)})
    for c in df.columns:
        if c in (idc, dcol, tcol) or c in (ID, DS, Y):
            continue
        raw = quiet_nans(df[c])  # (Decimal('sNaN'): missing)
        num = real_values(numbers_of(raw), source, c, row=lambda i: f"row {i}")
        # a column of words (a category) stays text, a blank one NaN (pandas 2's astype(str)
        # wrote it 'nan': a category); a numeric one with NaN is checked later
        out[str(c)] = num.astype(np.float64) if num.notna().sum() >= raw.notna().sum() \
            else raw.astype(str).where(raw.notna())
    return out, id_kind(df[idc], source) if idc is not None else "str", (idc, dcol, tcol)


def _grouped_thousands(df: pd.DataFrame, keep) -> pd.DataFrame:
    """``df`` with its text columns of numbers written with thousands separators (1,120)
    read as numbers, as the one-series reader reads them (the panel refused them as
    non-numeric values), but for the columns ``keep`` (the id and date: as written);
    ``Decimal('sNaN')`` there as NaN (:func:`~rnnlab.data.numbers.quiet_nans`)."""
    rest = [c for c in df.columns if c not in keep]
    quiet = [quiet_nans(df[c]) for c in rest]
    read = readable_numbers(pd.concat(quiet, axis=1) if quiet else df[rest], None)
    changed = [i for i, c in enumerate(rest) if c in read.columns and (
        quiet[i] is not df[c] or read[c].dtype != df[c].dtype)]
    if changed:
        df = df.copy()
        for i in changed:
            df[rest[i]] = read[rest[i]]
    return df


def _dated_index(df: pd.DataFrame) -> bool:
    """Dates as the index: a DatetimeIndex, a PeriodIndex, or text written as dates
    (``pd.read_csv(..., index_col=0)`` without ``parse_dates``)."""
    return not isinstance(df.index, pd.MultiIndex) and looks_like_dates(pd.Series(df.index))


def _is_wide(df: pd.DataFrame, date_column) -> bool:
    dated = _dated_index(df)
    dcol = None if dated else find_date_column(df, date_column)
    if dcol is None and not dated:
        return False
    rest = [c for c in df.columns if c != dcol]
    return bool(rest) and all(pd.api.types.is_numeric_dtype(df[c]) for c in rest)


def _date_col(df, date_column, source, required: bool):
    if date_column is False:  # (asked for no date column: none guessed)
        if required:
            raise DataError(no_dates_asked(df, source))
        return None
    if date_column is None and DS in df.columns:
        return DS
    dcol = find_date_column(df, date_column)
    if dcol is None:
        dcol = next((c for c in df.columns if str(c).lower() in ("quarter", "week", "year")), None)
    if dcol is None and required:
        raise DataError(f"{source}: no date column: expected {DS!r} or date_column=NAME "
                        f"(--date-column); " + dates_as_columns(df) + serial_days_hint(df))
    return dcol


def _keys_hint(df: pd.DataFrame, date_column, source) -> str:
    """The columns that name the series, where the table shows them (State and Zone)."""
    from ..data.table_forms import series_keys

    dcol = _date_col(df, date_column, source, required=False)
    keys = [] if dcol is None else [str(c) for c in series_keys(df, dcol)]
    if not keys:
        return ""
    said = repr(keys[0]) if len(keys) == 1 else repr(keys)
    return (f". Here {', '.join(map(repr, keys))} name{'s' if len(keys) == 1 else ''} the "
            f"series: id_column={said} (--id-column {','.join(keys)})")


def date_column_of(df: pd.DataFrame):
    """The date column :func:`to_long` reads in a long table without ``date_column``
    (None where there is none)."""
    return _date_col(df, None, "panel", required=False)


def _target_col(df, target, source, exclude) -> str:
    if target is not None:
        require_column(df, target, "target column", source)
        return target
    if Y in df.columns:
        return Y
    numeric = [c for c in df.columns if c not in exclude and pd.api.types.is_numeric_dtype(df[c])]
    if len(numeric) == 1:
        return numeric[0]
    raise DataError(f"{source}: which column is the target? expected {Y!r} or one numeric column, "
                    f"found {[str(c) for c in numeric]}; pass target=NAME (--column NAME)")


def _numbers(col: pd.Series, source, name) -> pd.Series:
    refuse_boolean(col, source, name)  # (as the one-series reader does)
    col = quiet_nans(col)  # (Decimal('sNaN'): missing)
    num = real_values(numbers_of(col), source, name, row=lambda i: f"row {i}")
    warn_rounded_integers(num, source, name, row=lambda i: f"row {i}",  # (the caller's line:
                          stacklevel=callers_level(4) + 1)  # a wide table's is deeper)
    bad = num.isna() & col.notna()
    if bad.any():
        rows = [f"row {i}: {col.iloc[i]!r}" for i in np.flatnonzero(bad.to_numpy())[:5]]
        raise DataError(f"{source}: column {name!r} has {int(bad.sum())} non-numeric values "
                        f"({'; '.join(rows)}); clean the file")
    return num.astype(np.float64)


def dict_to_long(d: Dict, source) -> Tuple[pd.DataFrame, str]:
    from .int_steps import is_steps, steps_to_dates

    parts, ends, stepped = [], [], []
    for uid, s in d.items():
        s = _one_series(s, uid, source)
        if isinstance(s.index, pd.PeriodIndex):
            s.index = s.index.to_timestamp()
        if is_steps(s.index):  # integer time steps (.int_steps)
            s.index = pd.DatetimeIndex(steps_to_dates(s.index, source, uid))
            stepped.append(str(uid))
        elif not isinstance(s.index, pd.DatetimeIndex):
            try:
                s.index = read_dates(pd.Series(s.index), source, uid)
            except DataError as e:  # (2021-W54: read_dates' own words, as a CSV's, were
                # "has no dates") said of this series' index, not of a "date column"
                raise DataError(str(e).replace(f"date column {uid!r}",
                                               f"series {uid!r} (its index)")) from None
            except (ValueError, TypeError, OverflowError):
                raise DataError(f"{source}: series {uid!r} has no dates (index of "
                                f"{type(s.index).__name__}); give each series a DatetimeIndex") from None
        v = _numbers(s.reset_index(drop=True), source, uid).to_numpy()
        ok = np.flatnonzero(~np.isnan(v))  # wide tables: a series starts and ends where it has values
        if len(ok) == 0:
            raise DataError(f"{source}: series {uid!r} has no values")
        sl = slice(ok[0], ok[-1] + 1)
        parts.append(pd.DataFrame({ID: str(uid), DS: s.index[sl], Y: v[sl]}))
        if ok[-1] < len(v) - 1:  # (NaN rows after its last value: left out, said below;
            # before its first: a series that starts later, as wide tables write it)
            ends.append((str(uid), len(v) - 1 - int(ok[-1]), s.index[ok[-1] + 1]))
    if not parts:
        raise DataError(f"{source}: no series")
    _refuse_steps_beside_dates(stepped, [str(u) for u in d if str(u) not in stepped], source)
    warn_left_out_ends(ends, source)
    return pd.concat(parts, ignore_index=True), id_kind(list(d), source)


def _one_series(values, uid, source) -> pd.Series:
    """A dict's value as a Series; a DataError for an array of several dimensions (pandas'
    ValueError "Data must be 1-dimensional"), giving the dict of its columns."""
    try:
        shape = np.shape(values) if isinstance(values, (np.ndarray, list, tuple)) else ()
    except ValueError:  # (ragged lists: no shape; read as a series of non-numbers, said)
        shape = ()
    if len(shape) > 1:
        raise DataError(f"{source}: series {str(uid)!r} is an array of shape {shape}; "
                        f"expected one series per key, of one dimension: split its columns "
                        f"into series of their own, dict(enumerate(np.asarray(values).T))")
    return pd.Series(values)


def _refuse_steps_beside_dates(stepped: list, dated: list, source) -> None:
    """A DataError for a dict whose series are of integer time steps (an array's, a
    list's positions) beside series of dates: the steps were read as days of 1970 beside
    the others' dates, one panel of two calendars."""
    if not stepped or not dated:
        return
    raise DataError(f"{source}: the series {first_few(stepped, 3)} are of integer time "
                    f"steps (an array's or a list's positions 0, 1, 2, ..., or an index of "
                    f"whole numbers) and the series {first_few(dated, 3)} of dates; expected "
                    f"one kind for every series: give each its dates, pd.Series(values, "
                    f"index=dates)")


def shown_pairs(rows: pd.DataFrame, date=shown_date) -> str:
    """``rows`` (columns id, date) as the messages name them: ``('a', 2020-01-31), ...``."""
    return ", ".join(f"({u!r}, {date(d)})" for u, d in rows.itertuples(index=False))
