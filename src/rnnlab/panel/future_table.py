"""The future covariates over each series' forecast dates: the table checked
(:func:`checked_future`: columns, numbers, one row per series and date, the data's time
zone), and looked up per series (:func:`future_block`, frames by date) or for all series
at once (:func:`future_values`: one array; the frame per series was 4-7 ms a series, the
largest cost of predict), a missing value refused naming the series and dates."""

from __future__ import annotations

from functools import partial
from typing import Dict, Optional, Sequence, Union

import numpy as np
import pandas as pd

from ..data.numbers import numbers_of, quiet_nans, real_values
from ..data.table_forms import readable_numbers
from ..io.errors import DataError
from .future_dates import first_forecast_dates, why_missing
from .int_steps import date_word, shown_date
from .long_table import DS, ID, column_dates, shown_pairs


def checked_future(future: Optional[pd.DataFrame], ids: Sequence[str],
                   last: Dict[str, pd.Timestamp], horizon: int,
                   freq: Union[str, pd.offsets.BaseOffset],
                   columns: Sequence[str]) -> Optional[pd.DataFrame]:
    """The future table with text ids, numeric ``columns`` and dates in the data's zone,
    checked: the columns there, numbers, one row per series and date (None without
    ``columns``)."""
    if not columns:
        return None
    if future is None:
        raise DataError(f"the model reads future covariates {list(columns)}: pass future= a "
                        f"table (unique_id, ds, {', '.join(columns)}) over the {horizon} steps "
                        f"after each series' last date")
    future = _shared_future(future, ids)
    if not len(future):  # (a file of its header alone: an IndexError)
        raise DataError(f"future covariates: the table has no rows; expected the values of "
                        f"{list(columns)} over the {horizon} steps after each series' last "
                        f"date (one row per series and date)")
    missing_cols = [c for c in (ID, DS, *columns) if c not in future.columns]
    if missing_cols:
        others = [str(c) for c in future.columns if c not in (ID, DS, *columns)]
        # one series and no id column: a table of one row per date (shared by every
        # series) needs only ds
        keys = [DS] if {ID, DS} <= set(missing_cols) and len(ids) == 1 else missing_cols
        raise DataError(f"future covariates: the table lacks columns {missing_cols}; "
                        f"found {[str(c) for c in future.columns]}; expected "
                        f"{[ID, DS, *columns]}" + (
                            f" (or {[DS, *columns]}: one row per date, shared by every "
                            f"series)" if keys != missing_cols else "") + (
                            f": name its {_roles(keys)} "
                            f"{' and '.join(map(repr, keys))} (its other columns: "
                            f"{others}; the names read_panel was given are not kept)"
                            if others and not set(missing_cols) - {ID, DS} else "")
                        + _merge_suffixes(missing_cols, future.columns))
    read = readable_numbers(future[list(columns)], None)  # (1,120 as the data reads it)
    for c in columns:  # text such as 'x' (numbers held as objects are taken), complex
        raw = quiet_nans(read[c] if c in read.columns else future[c])  # (Decimal('sNaN'): missing)
        num = real_values(numbers_of(raw), "future covariates", c, row=lambda i: f"row {i}")
        bad = (num.isna() & raw.notna()).to_numpy()
        if bad.any():
            raise DataError(f"future covariates: column {c!r} is not numeric (e.g. "
                            f"{future[c][bad].iloc[0]!r}); expected numbers over the "
                            f"horizon, as in the data the model was fitted on")
        future = future.assign(**{c: num})
    fut = future.assign(**{ID: future[ID].astype(str),
                           DS: _same_zone(column_dates(
                               future[DS], "future covariates", DS, freq,
                               partial(first_forecast_dates, last.values(), freq)), last)})
    dup = fut.duplicated([ID, DS], keep=False).to_numpy()
    if dup.any():  # the first of differing rows would be taken without a word
        pairs = fut.loc[dup, [ID, DS]].drop_duplicates().head(5)
        shown = shown_pairs(pairs)
        w = date_word()
        raise DataError(f"future covariates: {int(dup.sum())} rows repeat a (series, {w}) "
                        f"pair: {shown}; expected one row per series and {w}: drop or "
                        f"aggregate them")
    return fut


def _merge_suffixes(missing: Sequence[str], found) -> str:
    """Columns missing as ``c_x`` and ``c_y`` (a merge onto make_future_dataframe()'s own
    NaN columns, NeuralForecast's habit, whose frame has only unique_id and ds): the drop
    before the merge that keeps their names."""
    doubled = [c for c in missing if f"{c}_x" in found and f"{c}_y" in found]
    if not doubled:
        return ""
    return (f"; {', '.join(f'{c}_x and {c}_y' for c in doubled)}: a merge onto a table that "
            f"already held {doubled} (make_future_dataframe() gives one NaN column per "
            f"future covariate, to fill): drop them before the merge, "
            f"fut.drop(columns={doubled!r}).merge(values, on=['unique_id', 'ds'])")


def _roles(missing) -> str:
    """What the missing key columns are: "id column", "date column" or both."""
    return " and ".join(["id", "date"][i] for i, c in enumerate((ID, DS))
                        if c in missing) + (" columns" if len(missing) > 1 else " column")


def future_block(future: Optional[pd.DataFrame], ids: Sequence[str], last: Dict[str, pd.Timestamp],
                 horizon: int, freq: Union[str, pd.offsets.BaseOffset],
                 columns: Sequence[str]) -> Dict[str, pd.DataFrame]:
    """Per series, its ``horizon`` dates after ``last[id]`` with the future ``columns``
    (a DataFrame indexed by date); a DataError names the series and the missing dates."""
    out: Dict[str, pd.DataFrame] = {}
    fut = checked_future(future, ids, last, horizon, freq, columns)
    if fut is not None:  # (columns given)
        groups = {str(u): g.set_index(DS) for u, g in fut.groupby(ID, sort=False)}
        known = set(ids)
        strangers = [u for u in groups if u not in known]
    for uid in ids:
        dates = pd.date_range(last[uid], periods=horizon + 1, freq=freq)[1:]
        if not columns:
            out[uid] = pd.DataFrame(index=dates)
            continue
        g = groups.get(uid)
        block = (g.reindex(dates)[list(columns)] if g is not None
                 else pd.DataFrame(np.nan, index=dates, columns=list(columns)))
        bad = block.isna().any(axis=1).to_numpy()
        if bad.any():
            shown = ", ".join(shown_date(d) for d in dates[bad][:6])
            lack = [c for c in columns if block[c].isna().any()]  # (all of them: no row)
            raise DataError(f"future covariates {lack} are missing for series {uid!r} "
                            f"on {int(bad.sum())} of the {horizon} forecast {date_word()}s ({shown}"
                            f"{' ...' if bad.sum() > 6 else ''}); give their values over the "
                            f"horizon (planned or forecast values)" + (
                                f"; the table's ids {strangers[:3]} are not the series' ids: "
                                f"give them as in the data (e.g. {uid!r})"
                                if g is None and strangers else
                                _empty_cells(g, dates[bad], lack) or
                                why_missing(g, last[uid], dates, freq) or
                                _fewer_steps(groups, ids, last, horizon, freq, columns)))
        out[uid] = block.astype(np.float64)
    return out


def _empty_cells(g: Optional[pd.DataFrame], dates: pd.DatetimeIndex, lack) -> str:
    """Where the series' rows ``g`` hold some of the forecast ``dates`` the values are
    missing on, with empty (NaN) cells in ``lack``: a gap in the table, to fill (its
    forecast dates are there; "the table gives the first k steps" sent the user to a
    shorter horizon); '' otherwise."""
    if g is None:
        return ""
    there = dates[dates.isin(g.index)]
    if not len(there):
        return ""
    lack = [c for c in lack if g.loc[there, c].isna().any()]  # (not a missing row's)
    shown = "those rows" if len(there) == len(dates) else "rows on " + ", ".join(
        shown_date(d) for d in there[:6]) + (" ..." if len(there) > 6 else "")
    return (f"; the table has {shown}, with no value in {lack} there (empty or NaN cells, "
            f"as make_future_dataframe() lays them out to fill): give each its value (a "
            f"planned or forecast one; a gap between known values may be interpolated "
            f"within its series)")


def _fewer_steps(groups: Dict[str, pd.DataFrame], ids: Sequence[str],
                 last: Dict[str, pd.Timestamp], horizon: int,
                 freq: Union[str, pd.offsets.BaseOffset], columns: Sequence[str]) -> str:
    """Where the table covers every series' first ``k`` forecast steps (1 <= k < horizon:
    a table laid out for a shorter horizon, NeuralForecast's predict(h=...) of fewer
    steps): the horizon that forecasts from it ('' otherwise)."""
    k = horizon
    for uid in ids:
        g = groups.get(uid)
        if g is None:
            return ""
        dates = pd.date_range(last[uid], periods=horizon + 1, freq=freq)[1:]
        bad = g.reindex(dates)[list(columns)].isna().any(axis=1).to_numpy()
        first = int(bad.argmax()) if bad.any() else horizon
        if dates[first:].isin(g.index).any():  # (rows after it: empty cells, not fewer steps)
            return ""
        k = min(k, first)
    if not 1 <= k < horizon:
        return ""
    return (f"; the table gives every series' first {k} step{'s' if k > 1 else ''}: "
            f"forecast {k} (predict({k}, future=...); --horizon {k} of the command "
            f"line), or add the values of the {date_word()}s after them")


def _same_zone(ds: pd.Series, last: Dict[str, pd.Timestamp]) -> pd.Series:
    """The future table's dates in the data's time zone (UTC dates of a Paris panel are
    the same instants); dates without a zone beside the data's with one, or the other way
    round, are refused (each future date was reported missing)."""
    zone = pd.Timestamp(next(iter(last.values()))).tz if last else None
    mine = getattr(ds.dt, "tz", None)
    if (zone is None) != (mine is None):
        found = f"in {mine}" if mine is not None else "without a time zone"
        data = f"in {zone}" if zone is not None else "without a time zone"
        fix = (f".dt.tz_localize({str(zone)!r})" if zone is not None
               else ".dt.tz_convert(ZONE).dt.tz_localize(None)")
        raise DataError(f"future covariates: the dates are {found}, the data's are {data}; "
                        f"give them as the data's (ds{fix})")
    return ds if zone is None else ds.dt.tz_convert(zone)


def _shared_future(future: pd.DataFrame, ids: Sequence[str]) -> pd.DataFrame:
    """A future table without ``unique_id`` and with one row per date (a holiday flag, the
    weather of one region: the same for every series), repeated for each series in ``ids``;
    any other table as it is. Dates may be its index (a DatetimeIndex, as Darts keeps them, or
    a PeriodIndex)."""
    named = {n for n in future.index.names if n in (ID, DS) and n not in future.columns}
    if named:  # unique_id / ds as the index (statsforecast's frames): their columns
        future = future.reset_index(level=sorted(named))
    if ID not in future.columns and DS not in future.columns \
            and isinstance(future.index, (pd.DatetimeIndex, pd.PeriodIndex)):
        future = future.rename_axis(DS).reset_index()
    if ID in future.columns or DS not in future.columns:
        return future
    if future[DS].duplicated().any():
        raise DataError(f"future covariates: the table has no {ID!r} column and repeats "
                        f"dates; expected {ID!r}, {DS!r} and the covariates (one row per "
                        f"series and date), or one row per date for covariates shared by "
                        f"every series" + _keys_hint(future))
    return pd.concat([future.assign(**{ID: u}) for u in ids], ignore_index=True)


def _keys_hint(future: pd.DataFrame) -> str:
    """Where text columns may name the series (State, Zone): how to give their ids."""
    text = [str(c) for c in future.columns if c != DS and (
        pd.api.types.is_object_dtype(future[c]) or pd.api.types.is_string_dtype(future[c]))]
    if not text:
        return ""
    return (f"; if {text} name the series (as id_column= named them when the panel was "
            f"read), give their ids: rnnlab.panel.join_keys(future, {text})")


def future_values(future, ids: Sequence[str], last: Dict[str, pd.Timestamp], horizon: int,
                  freq: Union[str, pd.offsets.BaseOffset], columns: Sequence[str],
                  dates: Sequence[pd.DatetimeIndex]):
    """(S x horizon, C) float64: ``columns`` of ``future`` on each series' forecast
    ``dates`` (one DatetimeIndex of ``horizon`` dates per id of ``ids``), series after
    series; what ``future_block(...)[id][columns]`` holds, stacked."""
    cols = list(columns)
    fut = checked_future(future, ids, last, horizon, freq, cols)
    if fut is None:  # (no columns)
        return np.zeros((len(ids) * horizon, 0))
    where = pd.MultiIndex.from_arrays([fut[ID].to_numpy(), _ns(fut[DS])])
    want = pd.MultiIndex.from_arrays([np.repeat(np.asarray(ids, dtype=object), horizon),
                                      _ns(dates[0].append(list(dates[1:])))])
    pos = where.get_indexer(want)
    # (a missing row's -1 picked the last row's values: an IndexError on an empty table)
    values = fut[cols].to_numpy(np.float64)[np.maximum(pos, 0)] if len(fut) else None
    if values is None or (pos < 0).any() or np.isnan(values).any():  # (names series, dates)
        blocks = future_block(future, ids, last, horizon, freq, cols)
        return np.concatenate([blocks[u][cols].to_numpy() for u in ids])
    return values


def _ns(dates) -> pd.DatetimeIndex:
    """The dates in nanoseconds (a table's dates and a date range's may differ in unit)."""
    return pd.DatetimeIndex(dates).as_unit("ns")
