"""Series ids: text inside a panel, given back as the user gave them.

Inside, every ``unique_id`` is its text (``str(id)``): the keys of transforms, windows and
saved models. :func:`id_kind` records what the ids were when the panel was read, and
:func:`restore_ids` turns the ``unique_id`` column of an output (forecasts, backtest
frames, evaluation tables) back into it. The rule:

* integer ids (a numpy or nullable integer column without missing values, or Python ints)
  come back with their dtype (``int64`` stays ``int64``, ``int32`` stays ``int32``);
* text ids come back as text;
* anything else (floats, booleans, dates, a mix of types) comes back as its text
  (``1.5`` as ``'1.5'``), with a warning when read: cast the column to int or str to
  merge the forecasts on it.
"""

from __future__ import annotations

import warnings
from typing import Optional

import numpy as np
import pandas as pd

from ..callers_line import callers_level

ID = "unique_id"
INT_KINDS = ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
             "Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32", "UInt64")
ID_KINDS = ("str",) + INT_KINDS  # what id_kind returns; what a saved model may record


def id_kind(values, source="panel") -> str:
    """``'str'`` or the integer dtype's name (:data:`INT_KINDS`) of the ids ``values``
    (a column, an index or a list); warns when other values are read as text."""
    s = pd.Series(values) if isinstance(values, (pd.Series, pd.Index)) \
        else pd.Series(list(values), dtype=object)
    if isinstance(s.dtype, pd.CategoricalDtype):
        s = s.astype(object)
    if str(s.dtype) in INT_KINDS and not s.isna().any():
        return str(s.dtype)
    found = pd.api.types.infer_dtype(s, skipna=False)
    if found == "string" or len(s) == 0:
        return "str"
    if s.isna().any():
        found += " with missing ids"
    elif found == "integer":  # Python ints in an object column or a dict's keys
        try:
            np.asarray(s, dtype=np.int64)
            return "int64"
        except (OverflowError, ValueError):
            pass
    warnings.warn(f"{source}: series ids of type {found} are kept as text (e.g. "
                  f"{str(s.iloc[0])!r}) in forecasts and saved models; cast the id column to "
                  f"int or str to merge the forecasts on it",
                  stacklevel=callers_level(4))  # (read_panel's caller, or fit's)
    return "str"


def check_kind(kind, source, error=ValueError) -> str:
    """``kind`` read from a file, if it is one of :data:`ID_KINDS`; else ``error``."""
    if not isinstance(kind, str) or kind not in ID_KINDS:
        raise error(f"{source}: the series ids' type is {kind!r}; expected one of "
                    f"{', '.join(ID_KINDS)}. The file is damaged: save the model again")
    return kind


def check_ids(ids, kind: str, source, error=ValueError) -> None:
    """``error`` unless each id (text) reads back as ``kind`` and prints as itself."""
    if kind == "str":
        return
    try:
        back = pd.Series(list(ids), dtype=object).astype(kind)
        bad = [u for u, v in zip(ids, back) if str(v) != u]
    except (ValueError, TypeError, OverflowError):
        bad = [u for u in ids if not str(u).lstrip("-").isdigit()] or list(ids)
    if bad:
        raise error(f"{source}: series ids {bad[:5]} are not of the recorded type {kind!r}; "
                    f"the file is damaged: save the model again")


def restore_ids(df: pd.DataFrame, kind: Optional[str]) -> pd.DataFrame:
    """``df`` with its ``unique_id`` column as ``kind`` (None or 'str': unchanged)."""
    if kind in (None, "str") or ID not in df.columns:
        return df
    return df.assign(**{ID: df[ID].astype(pd.api.types.pandas_dtype(kind))})


def restore_id(uid: str, kind: Optional[str]):
    """One id (e.g. a dict key) as ``kind``: a Python int for the integer kinds (a numpy
    integer key is refused by ``json.dumps`` and prints as ``np.int64(7)``)."""
    return uid if kind in (None, "str") else \
        pd.Series([uid]).astype(pd.api.types.pandas_dtype(kind)).tolist()[0]


def ids_as_written(path, table: pd.DataFrame, column) -> pd.DataFrame:
    """``table`` (read from the CSV ``path``) with its id ``column`` as the file's text
    where pandas' numbers changed it: zero-padded codes (store ``007``, a FIPS code
    ``01001``) were read as 7 and 1001, forecast and written back under those."""
    if column not in table.columns or not pd.api.types.is_integer_dtype(table[column]):
        return table
    from ..data.csv_file import column_text

    text = column_text(path, column, nrows=len(table)).str.strip()
    if len(text) != len(table) or (text.to_numpy() == table[column].astype(str).to_numpy()).all():
        return table
    return table.assign(**{column: text.to_numpy()})

