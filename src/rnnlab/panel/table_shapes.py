"""The shapes a panel's table comes in besides a long table with its id column: a frame
indexed by an id level and a date level of any names (read as the long table it is), and
the shapes refused with what to do: a long table that lost its id column, a wide table
turned round (a row per series), a wide table without dates and columns in several
levels (a pivot's). Read by
:func:`rnnlab.panel.long_table.to_long`."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..data.dates import looks_like_dates
from ..io.errors import DataError
from ..listing import shown_names
from .int_steps import shown_date

ID, DS = "unique_id", "ds"  # (long_table's ID and DS)


def dates_as_columns(df: pd.DataFrame) -> str:
    """The columns, as a refusal names them; columns that are dates (a wide table turned
    round, one row per series: ``unstack()`` of the ids) said so, not listed by the
    thousand."""
    cols = list(df.columns)
    seen = cols if len(cols) <= 40 else cols[:20] + cols[-20:]  # (each one parsed)
    rest = [c for c in seen if not looks_like_dates(pd.Series([c]))]
    dated = [c for c in seen if c not in rest]
    if len(dated) < 3 or len(rest) > 3:
        return f"columns are {[str(c) for c in cols]}"
    rest, n = [str(c) for c in rest], len(cols) - len(rest)
    first, last = (shown_date(d) if isinstance(d, pd.Timestamp) else d
                   for d in (dated[0], dated[-1]))
    return (f"the columns are {n} dates ({first} .. {last}) beside {rest}: "
            f"one row per series; turn it round to one column per series (df.set_index("
            f"{rest[0] if rest else 'ID'!r}).T) or melt it to a long table (unique_id, ds, "
            f"y: df.melt(id_vars=..., var_name='ds', value_name='y'))")


# a spreadsheet's serial day numbers (Excel's, LibreOffice's: days from 1899-12-30) of
# the years 1960-2100, which a date column exported as "General" numbers holds
SERIAL_DAYS = (21916, 73415)


def serial_days_hint(df: pd.DataFrame) -> str:
    """Where a column named as dates (``Date``, ``day``) holds whole numbers in the range of
    a spreadsheet's serial day numbers (41640 for 2014-01-01): how to read them as dates
    ('' otherwise). Such a table was refused as having no date column, saying no more."""
    for c in df.columns:
        if not any(w in str(c).lower() for w in ("date", "day", "time")):
            continue
        v = pd.to_numeric(df[c], errors="coerce")
        if v.isna().any() or not (v == v.round()).all() or v.empty:
            continue
        low, high = int(v.min()), int(v.max())
        if SERIAL_DAYS[0] <= low and high <= SERIAL_DAYS[1]:
            day = (pd.Timestamp("1899-12-30") + pd.Timedelta(days=low)).date()
            return (f"; column {str(c)!r} holds whole numbers ({low} .. {high}): a "
                    f"spreadsheet's serial day numbers? ({low} is {day}) read them as dates "
                    f"first: df[{str(c)!r}] = pd.to_datetime(df[{str(c)!r}], unit='D', "
                    f"origin='1899-12-30'), or format the column as dates in the spreadsheet "
                    f"before saving the CSV")
    return ""


def warn_serial_days(df: pd.DataFrame, source) -> None:
    """Say (a CalendarWarning) that a date column of serial day numbers was read as integer
    time steps: no calendar, so no weekly season and no calendar features, unsaid until a
    baseline or --calendar was refused for want of dates."""
    hint = serial_days_hint(df)
    if hint:
        import warnings

        from ..callers_line import callers_level
        from ..forecast.history import CalendarWarning

        warnings.warn(f"{source}: read as integer time steps, which have no calendar (no "
                      f"season, no calendar features){hint}", CalendarWarning,
                      stacklevel=callers_level(3))


def id_and_date_levels(df: pd.DataFrame, date_column):
    """(df, id column, date column) of a frame indexed by two levels, one of dates, named
    otherwise than ``unique_id``/``ds`` (``set_index(["store", "week"])``, or unnamed):
    the levels as columns, the other level the id. It was refused for want of an id
    column, naming the columns left beside the index (``['y']``). Other levels: as
    columns, unread (the refusal names them); an index of one level: ``df`` as it is."""
    idx = df.index
    if not isinstance(idx, pd.MultiIndex):
        return df, None, date_column
    names = [str(n) if n is not None else f"level_{i}" for i, n in enumerate(idx.names)]
    if len(set(names)) < len(names) or set(names) & {str(c) for c in df.columns}:
        return df, None, date_column
    flat = df.reset_index()
    flat.columns = names + list(flat.columns[len(names):])
    dated = [i for i in range(len(names))
             if looks_like_dates(pd.Series(idx.get_level_values(i)))]
    if len(names) != 2 or len(dated) != 1 or date_column is not None:
        return flat, None, date_column
    return flat, names[1 - dated[0]], names[dated[0]]


def no_dates_asked(df: pd.DataFrame, source) -> str:
    """The refusal of ``date_column=False`` (``--date-column none``: the one-series
    reading of a table without dates) for a panel: its series are ordered by a column of
    dates or time steps, which this table's ``ds`` column would be (it was said "no date
    column")."""
    there = (f"its {DS!r} column holds the dates: leave date_column out (--date-column) to "
             f"read them" if DS in df.columns else "pass date_column=NAME (--date-column NAME)")
    return (f"{source}: date_column=False (--date-column none) was asked, no date column, "
            f"but a panel orders each series by its dates: {there}; series without dates: "
            f"give them a column of integer time steps (0, 1, 2, ...) as dates; columns are "
            f"{shown_names(df.columns)}")


def step_levels_hint(index) -> str:
    """How to read a frame indexed by two levels, the last of integer time steps (sktime's
    pd-multiindex frame: instances, time points), which :func:`id_and_date_levels` leaves
    unread: named as an id and a date, they read (the refusal gave a wide table's melt)."""
    from .int_steps import is_steps

    if not isinstance(index, pd.MultiIndex) or index.nlevels != 2 \
            or not is_steps(index.get_level_values(1)):
        return ""
    return ("; its index levels read as a series id and integer time steps (sktime's "
            "instances and time points) once named so: read_panel(df.rename_axis("
            "['unique_id', 'ds']))")


def steps_hint(df: pd.DataFrame) -> str:
    """How to give a wide table without dates (every column numeric, an integer index:
    Darts' frames of a RangeIndex) as series of integer time steps."""
    if len(df.columns) < 2 or not pd.api.types.is_integer_dtype(df.index) or not all(
            pd.api.types.is_numeric_dtype(df[c]) for c in df.columns):
        return ""
    return ("; one series per column without dates: melt it to integer time steps, "
            "df.rename_axis('ds').reset_index().melt(id_vars='ds', var_name='unique_id', "
            "value_name='y')")


def refuse_repeated_dates(wide: pd.DataFrame, source) -> None:
    """A table without an id column read as wide has one row per date: dates that repeat
    are those of a long table that lost its id column (a groupby's apply drops it), not
    one series per column (each column's rows were refused as repeating (id, date) pairs,
    the column's name as the id)."""
    dup = wide.index.duplicated(keep=False)
    if not dup.any():
        return
    first = wide.index[np.flatnonzero(dup)[0]]
    cols = [str(c) for c in wide.columns]
    shown = shown_date(first) if isinstance(first, (pd.Timestamp, np.datetime64)) else first
    raise DataError(f"{source}: no id column, and the dates repeat ({shown} on "
                    f"{int((wide.index == first).sum())} rows): a long table (one row per "
                    f"series and date) needs its id column: {ID!r} (NeuralForecast's name) "
                    f"or id_column=NAME (--id-column); a wide table (one numeric column per "
                    f"series, here {cols}) has one row per date")


def refuse_column_levels(df: pd.DataFrame, source) -> None:
    """Columns in several levels: ``long.pivot(index="ds", columns="unique_id",
    values=["y"])``'s (variable, series), or a groupby's ``agg`` (column, statistic). pandas
    raised its NotImplementedError ("initializing a Series from a MultiIndex is not
    supported") from inside read_panel; the pivot's stacked back reads as its levels."""
    if not isinstance(df.columns, pd.MultiIndex):
        return
    cols = [tuple(map(str, c)) for c in df.columns[:3]]
    shown = ", ".join(repr(c) for c in cols) + (", ..." if len(df.columns) > 3 else "")
    raise DataError(f"{source}: the columns are in {df.columns.nlevels} levels ({shown}); "
                    f"expected one name per column. A pivot of the series (a level of "
                    f"series ids under each variable): df.stack(level=-1, future_stack=True) "
                    f"is its long table, indexed by date and id; other levels: join them into "
                    f"one name (df.columns = ['_'.join(map(str, c)) for c in df.columns])")
