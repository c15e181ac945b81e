"""The key columns of a keyed panel's forecast (State, Zone beside ``unique_id``: what
``--id-column State,Zone`` runs write), read by :func:`.scoring.score_forecast` so that the
actuals, a table of those keys without a ``unique_id`` (the tourism table the run was
trained on), are joined by them without ``--id-column``, and a forecast of the keys alone
(its ``unique_id`` dropped, or a fable frame: State, Zone, Quarter, .mean) is read too."""

from __future__ import annotations

from pathlib import Path
from typing import Tuple

import pandas as pd

from ..panel.date_kind import DATE_COLUMNS
from ..panel.key_columns import KEY_SEP, OUTPUT_COLUMNS, join_keys, key_names
from ..panel.long_table import ID


def key_columns(table: pd.DataFrame) -> Tuple[str, ...]:
    """The columns of the forecast ``table`` that name its series beside (or instead of)
    ``unique_id``: those that are no output column (``ds``, ``step``, ``mean``, ``q0.1``,
    ...) nor an index written by ``to_csv()``, and hold text or whole numbers (a float
    column is a value, not a key)."""
    from .score_input import _quantile_columns

    taken = {ID, "index", *OUTPUT_COLUMNS, *DATE_COLUMNS, *_quantile_columns(table)}
    return tuple(str(c) for c in table.columns if str(c) not in taken
                 and not str(c).startswith("Unnamed: ")  # (a frame's index, to_csv'd)
                 and not pd.api.types.is_float_dtype(table[c])
                 and not pd.api.types.is_bool_dtype(table[c]))


def joining_keys(table: pd.DataFrame) -> Tuple[str, ...]:
    """The key columns that join to the forecast's ids: all of :func:`key_columns` where it
    has no ``unique_id`` (made from them), else those of a keyed panel's output (two or more,
    whose values joined are each row's ``unique_id``); ``()`` for none."""
    keys = key_columns(table)
    if ID not in table.columns or len(keys) < 2:
        return keys if ID not in table.columns else ()
    joined = table[list(keys)].astype(str).agg(KEY_SEP.join, axis=1)
    return keys if (joined.to_numpy() == table[ID].astype(str).to_numpy()).all() else ()


def with_ids(table: pd.DataFrame, id_column) -> pd.DataFrame:
    """The forecast ``table`` with a ``unique_id``: its own, else its key columns' (those
    ``id_column`` names, else :func:`key_columns`) joined as the panel commands join them
    ('NSW/Metro'); one key is the id as it is."""
    if ID in table.columns:
        return table
    keys = list(_named(id_column, table) or key_columns(table))
    return join_keys(table, keys)


def _named(id_column, table: pd.DataFrame):
    """The key columns ``id_column`` names, where the forecast has them all; else None."""
    if id_column is None:
        return None
    keys = key_names(id_column, table.columns) or (id_column,)
    return keys if all(k in table.columns for k in keys) else None


def actuals_id_column(actuals, id_column, keys: Tuple[str, ...]):
    """The id column(s) to read ``actuals`` by: ``id_column`` when given; else the
    forecast's ``keys`` where the actuals have them all and no ``unique_id`` (None: as
    read_panel finds one)."""
    if id_column is not None or not keys:
        return id_column
    columns = _columns(actuals)
    if ID in columns or not all(k in columns for k in keys):
        return None
    return list(keys) if len(keys) > 1 else keys[0]


def _columns(actuals) -> set:
    """The column names (and index level names) of the actuals, a file's read from its
    first line; empty where they cannot be (a built-in panel's name: read as before)."""
    if isinstance(actuals, pd.DataFrame):
        return set(map(str, actuals.columns)) | {str(n) for n in actuals.index.names if n}
    if isinstance(actuals, (str, Path)) and Path(actuals).expanduser().is_file():
        from ..data.packed_files import open_packed, packing_of
        from ..io.errors import DataError

        path = Path(actuals).expanduser()
        try:  # (a compressed one: its text's first line, whatever its name)
            kind = packing_of(path)
            with (open(path, "rb") if kind is None else open_packed(path, kind)) as f:
                return set(map(str, pd.read_csv(f, nrows=0, encoding="utf-8").columns))
        except (ValueError, OSError, UnicodeDecodeError, DataError):  # (read_panel says)
            return set()
    return set()
