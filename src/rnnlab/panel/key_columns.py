"""Series named by several key columns (tsibble's ``key = c(State, Zone)``): one id.

A panel names each series by one ``unique_id``. A table whose series are told apart by
several columns (State and Zone, Store and Item) is read with ``id_column=["State",
"Zone"]`` (``--id-column State,Zone``): each series' id is its keys' values joined by
:data:`KEY_SEP` (``'NSW/Metro'``), and the key columns stay in the table beside it (so
``static_covariates=("State",)`` may read one).
A future or static table names its series by the same keys or by the joined id.
Outputs (forecasts, backtest frames, evaluation tables, the files of a run) carry the key
columns beside ``unique_id``, their values of the types given (:func:`key_kinds`,
:func:`with_key_columns`).

:func:`refuse_repeats` refuses repeated (id, date) pairs and, where the repeats differ in
another column, names it as a key the id may be missing.
"""

from __future__ import annotations

import warnings
from typing import Hashable, Optional, Sequence, Tuple, Union

import pandas as pd

from ..callers_line import callers_level
from ..io.errors import DataError
from ..listing import first_few, shown_names
from .clock_change import clock_change_note
from .ids import check_kind, id_kind
from .int_steps import date_word, shown_as_given
from .long_table import DS, ID, Y, shown_pairs

KEY_SEP = "/"  # between the keys' values in a series' id: 'NSW/Metro'
# the columns of the outputs a key column beside unique_id would be mistaken for
OUTPUT_COLUMNS = ("model", "origin", "ds", "step", "y", "mean", "scale", "rms_scale", "n")


def key_names(id_column, columns) -> Optional[Tuple[str, ...]]:
    """The key columns ``id_column`` names when it names several: a list or tuple, or the
    command line's ``'State,Zone'`` (text that is no column itself); else None."""
    if isinstance(id_column, (list, tuple)):
        return tuple(id_column)
    if isinstance(id_column, str) and "," in id_column and id_column not in columns:
        return tuple(k.strip() for k in id_column.split(","))
    return None


def joined_keys(table: pd.DataFrame, id_column, source):
    """``(table, id_column)``, where several key columns become one ``unique_id`` column
    (their values joined by :data:`KEY_SEP`) and ``id_column`` becomes None (the
    ``unique_id`` found by name); one key or a single name: unchanged."""
    keys = key_names(id_column, table.columns)
    if keys is None:
        return table, id_column
    if not keys or not all(isinstance(k, str) and k for k in keys):
        raise DataError(f"{source}: id_column={list(keys)!r}; expected the names of the key "
                        f"columns, e.g. id_column=['State', 'Zone'] (--id-column State,Zone)")
    if len(keys) == 1:
        return table, keys[0]
    if any(k in table.index.names and k not in table.columns for k in keys):
        table = table.reset_index()  # (set_index(["State", "Zone", "Quarter"]): its levels)
    _require(table, keys, source)
    joined = _joined(table, keys, source)
    if ID in table.columns and ID not in keys and not (
            table[ID].astype(str).to_numpy() == joined.to_numpy()).all():  # (not ours)
        raise DataError(f"{source}: has a {ID!r} column and id_column names the keys "
                        f"{list(keys)}, which would make another; drop one of them")
    return table.assign(**{ID: joined}), None


def join_keys(table: pd.DataFrame, keys: Union[str, Sequence[str]]) -> pd.DataFrame:
    """``table`` with a ``unique_id`` column of the ids a panel read with
    ``id_column=keys`` gives its series (``'NSW/Metro'``): for a ``future=`` or ``static``
    table, or to merge with forecasts."""
    keys = [keys] if isinstance(keys, str) else list(keys)
    _require(table, keys, "join_keys")
    return table.assign(**{ID: _joined(table, keys, "join_keys")})


def keyed_table(table: pd.DataFrame, id_column, source):
    """``(table, id_column)`` of a future or static table of a panel read by several keys:
    the keys joined as :func:`joined_keys` joins them where it has them all, else
    ``id_column`` None (its ``unique_id``, the joined ids, or no id column)."""
    keys = key_names(id_column, table.columns)
    if keys is None or len(keys) < 2:
        return table, (keys[0] if keys else id_column)
    if all(k in table.columns for k in keys):
        return joined_keys(table, keys, source)
    return table, None


def key_kinds(table: pd.DataFrame, id_column) -> Tuple[Tuple[str, str], ...]:
    """``((name, kind), ...)`` of the key columns of ``table`` that ``id_column`` names when
    it names several (kind: :func:`~.ids.id_kind`, 'str' or an int dtype); else ``()``.
    A panel records them, and its outputs split each id back into those columns; a key
    named as an output's column (``model``) is not, with a warning."""
    keys = key_names(id_column, getattr(table, "columns", ()))
    if keys is None or len(keys) < 2:
        return ()
    if any(k in table.index.names and k not in table.columns for k in keys):
        table = table.reset_index()  # (set_index(["State", "Zone", "Quarter"]): its levels)
    if not all(k in table.columns for k in keys):
        return ()
    taken = [k for k in keys if k in OUTPUT_COLUMNS or k == ID]
    if taken:
        warnings.warn(f"key column {taken[0]!r} has the name of a column of the forecasts and "
                      f"backtest tables ({', '.join(OUTPUT_COLUMNS)}): they give the joined id "
                      f"alone; rename it (df.rename(columns={{{taken[0]!r}: "
                      f"{taken[0] + '_name'!r}}})) to have the keys {list(keys)} beside "
                      f"unique_id", stacklevel=callers_level(3))  # (read_panel's caller, or fit's)
        return ()
    with warnings.catch_warnings():  # (float keys: the joined id, text, said nothing)
        warnings.simplefilter("ignore")
        return tuple((k, id_kind(table[k])) for k in keys)


def checked_key_kinds(saved, source, error) -> Tuple[Tuple[str, str], ...]:
    """Key columns read from a saved model (``[[name, kind], ...]``), checked."""
    try:
        pairs = tuple((str(k), check_kind(kind, source, error)) for k, kind in (saved or ()))
    except (TypeError, ValueError) as e:
        if isinstance(e, error):
            raise
        raise error(f"{source}: key columns {saved!r}; expected [[name, kind], ...]. The "
                    f"file is damaged: save the model again") from None
    return pairs if len(pairs) >= 2 else ()


def with_key_columns(df: pd.DataFrame, kinds) -> pd.DataFrame:
    """``df`` (an output) with the key columns ``kinds`` names (:func:`key_kinds`) beside
    its ``unique_id``, split from each id and of their given types; ``df`` unchanged when
    there are none, it has no ids, holds them already (the panel's own table), or an id is
    not of that many keys (a history of other series given to a model fitted on keys)."""
    if not kinds or ID not in df.columns or any(k in df.columns for k, _ in kinds):
        return df
    parts = df[ID].astype(str).str.split(KEY_SEP, expand=True)
    if parts.shape[1] != len(kinds) or parts.isna().any().any():
        return df
    at = list(df.columns).index(ID) + 1
    out = df.copy()
    for i, (name, kind) in enumerate(kinds):
        col = parts[i]
        if kind != "str" and col.notna().all():
            try:
                col = col.astype(kind)
            except (ValueError, TypeError, OverflowError):
                pass
        out.insert(at + i, name, col.to_numpy())
    return out


def keyed_table_of(table, kinds):
    """``table`` (forecasts, a future table: a DataFrame) with the ``unique_id`` its key
    columns (``kinds``: a panel's or a model's, :func:`key_kinds`) join, where it has those
    columns and no id (a fable frame: State, Zone, Quarter, ...); else as it is."""
    names = [k for k, _ in kinds]
    if not names or not isinstance(table, pd.DataFrame) or ID in table.columns \
            or not all(k in table.columns for k in names):
        return table
    out = join_keys(table, names)
    return out[[ID] + [c for c in out.columns if c != ID]]


def _require(table: pd.DataFrame, keys, source) -> None:
    missing = [k for k in keys if k not in table.columns]
    if missing:
        raise DataError(f"{source}: key columns {shown_names(missing)} not found; columns "
                        f"are {shown_names(table.columns)}. Pass the columns that together "
                        f"name each series (id_column=['State', 'Zone'], --id-column State,Zone)")


def _joined(table: pd.DataFrame, keys, source) -> pd.Series:
    """Each row's keys' values joined by :data:`KEY_SEP`; a missing key or a value holding
    the separator (two series could get one id) refused."""
    part = table[list(keys)]
    if part.isna().any().any():
        k = next(c for c in keys if part[c].isna().any())
        rows = first_few(part.index[part[k].isna()], 5)
        raise DataError(f"{source}: key column {k!r} is missing in rows {rows}; every row "
                        f"needs all its keys {list(keys)}: fill or drop those rows (a total over "
                        f"a key, fable's <aggregated>, needs a name of its own: "
                        f"df[{k!r}].fillna('Total'))")
    text = part.astype(str)
    for k in keys:
        bad = text[k].str.contains(KEY_SEP, regex=False)
        if bad.any():
            raise DataError(f"{source}: key column {k!r} holds {text[k][bad].iloc[0]!r}, "
                            f"with the {KEY_SEP!r} that joins the keys in a series' id; "
                            f"replace it in that column (df[{k!r}].str.replace("
                            f"{KEY_SEP!r}, '-'))")
    return text[list(keys)].agg(KEY_SEP.join, axis=1)


def refuse_repeats(long: pd.DataFrame, source, id_name: Optional[Hashable] = None,
                   columns: Optional[Tuple] = None) -> None:
    """DataError if rows repeat an (id, date) pair of the long table ``long``; where the
    repeats differ in other columns that are not measurements, they are named as the keys
    the id may lack (``id_name``: the column the ids came from; None: no id column), and
    their total is a sum over the user's ``columns``: ``(id columns, date, target, all
    columns)`` of the table read (the date None: its unnamed index), which name the id's
    keys and the differing columns as the table does (5, not '5'; None: ``long``'s own, a
    panel made of unique_id, ds and y)."""
    dup = long.duplicated([ID, DS], keep=False).to_numpy()
    if not dup.any():
        return
    rows = long.loc[dup].sort_values([ID, DS], kind="stable")
    shown = shown_pairs(rows[[ID, DS]].drop_duplicates().head(5), shown_as_given)  # (2000Q1)
    w = date_word()
    raise DataError(f"{source}: {int(dup.sum())} rows repeat an (id, {w}) pair: {shown}; "
                    f"expected one row per series and {w}: drop or aggregate them"
                    + (_clock_note(rows[DS], id_name, columns) or _key_hint(
                        rows, [id_name] if id_name is not None else [], columns)))


def _clock_note(dates: pd.Series, id_name, columns: Optional[Tuple]) -> str:
    """:func:`clock_change_note` of the repeated ``dates``, its recipe in the user's own
    id and date columns (``columns`` as :func:`refuse_repeats` takes them)."""
    ids = list(columns[0]) if columns else ([id_name] if id_name is not None else [ID])
    return clock_change_note(dates, True, ids, columns[1] if columns else None)


def _key_hint(rows: pd.DataFrame, ids: list, columns: Optional[Tuple]) -> str:
    """What to pass when the repeated rows differ in a text column (or numbers named as
    ids: ``store_id``), which names series; a measurement (an integer ``promo``) does not."""
    cols = [c for c in rows.columns if c not in (ID, DS, Y) and (
        not (pd.api.types.is_numeric_dtype(rows[c]) or pd.api.types.is_bool_dtype(rows[c]))
        or str(c).lower() == "id" or str(c).lower().endswith("_id"))]
    varying = [c for c in cols if (rows.groupby([ID, DS])[c].nunique() > 1).any()]
    if not varying:
        return ""
    labels = {str(c): c for c in columns[3]} if columns else {}  # (long's are text)
    named = list(columns[0] if columns else ids) + [labels.get(c, c) for c in varying]
    keys = [str(k) for k in named]  # (key columns are named by text: a number is refused)
    said = f"id_column={keys[0]!r}" if len(keys) == 1 else f"id_column={keys!r}"
    if not all(isinstance(k, str) for k in named):
        said += " with the columns named as text (df = df.rename(columns=str))"
    return (f"; they differ in {', '.join(repr(str(c)) for c in varying)}: if "
            f"{'it names' if len(varying) == 1 else 'those name'} the series too, pass "
            f"{said} (--id-column {','.join(keys)}); for their total, sum them first "
            f"({_summed(*(columns if columns else ((ID,), DS, Y, (ID, DS, Y))))})")


def _summed(ids: Sequence[Hashable], date: Optional[Hashable], target: Hashable,
            cols: Sequence[Hashable]) -> str:
    """The pandas call that sums a table's rows of one series and date, in its own
    column names: ``df.groupby(['State', 'Quarter'], as_index=False)['Trips'].sum()``;
    dates in the index (not among ``cols``, the table's columns) made a column first,
    named 'ds' where the index has no name: pandas 2's ``as_index=False`` leaves an index
    level it groups by out of the total (pandas 3 keeps it)."""
    table = ("df" if date in cols else "df.reset_index()" if date is not None
             else f"df.rename_axis({DS!r}).reset_index()")
    return (f"{table}.groupby({[*ids, DS if date is None else date]!r}, as_index=False)"
            f"[{target!r}].sum()")
