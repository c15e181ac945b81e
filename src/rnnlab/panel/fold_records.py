"""One backtest fold's forecasts kept on disk and read back exactly: the record a
resumed backtest takes in place of computing that (model, origin) again
(:mod:`.backtest_checkpoints`).

A record is a NumPy ``.npz`` file, data only (read with ``allow_pickle=False``): one
array per column, and a JSON header with the columns' order and dtypes. Numbers and
dates are kept as their bits (no text round trip), so the tables of a resumed run are
those of an uninterrupted one to the bit; text columns (the model, the series' ids) as
text with a mask of the missing values; an object column of numbers (a user model's
``mean`` built from a list) as their exact text, read back as the same Python numbers
(written as text before session 30, they read back as strings); a missing cell as the
kind it was (None, NaN, ``pd.NA``, ``NaT``: before session 31 ``pd.NA`` and ``NaT`` read
back as None, and a text column's None and NaN as one kind); an object column of other
things is refused as the fold's forecasts come back (:func:`check_keepable`), naming the
model, the origin and the column. The file is written atomically: a kill leaves the
record whole or absent, never half of it.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any, Dict, Tuple

import numpy as np
import pandas as pd

from ..io.errors import CheckpointError

_HEADER = "__header__"
_MISSING = "__missing__:"  # (prefix of a text column's mask of missing values)


def write_fold(path: Path, frame: pd.DataFrame, extra: Dict[str, Any]) -> None:
    """Write ``frame`` (a fold's forecasts) and ``extra`` (JSON: its seconds, ...) to
    ``path`` atomically."""
    from ..io.atomic import atomic_write_bytes

    arrays: Dict[str, np.ndarray] = {}
    dtypes, numbers = [], []  # (numbers: the object columns of numbers, read back so)
    for k, name in enumerate(frame.columns):
        col = frame[name]
        dtypes.append(str(col.dtype))
        if isinstance(col.dtype, pd.DatetimeTZDtype):  # (the instants, in UTC)
            arrays[f"c{k}"] = col.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy()
        elif (bits := _bits(col)) is not None:
            arrays[f"c{k}"] = bits
        elif _numbers(col, name):  # (objects: a user model's column of Python numbers, or
            # a nullable column with <NA>)
            missing = np.array([_missing(v) and not isinstance(v, (float, np.floating))
                                for v in col], dtype=bool)  # (NaN: a float, kept so)
            arrays[f"c{k}"] = np.array([_gap_text(v) if m else repr(_plain(v))
                                        for v, m in zip(col, missing)], dtype=str)
            arrays[f"{_MISSING}{k}"] = missing
            numbers.append(k)
        else:  # text (str, object of str): the text and where it is missing
            missing = col.isna().to_numpy()
            arrays[f"c{k}"] = np.array([_gap_text(v) if m else str(v)
                                        for v, m in zip(col, missing)], dtype=str)
            arrays[f"{_MISSING}{k}"] = missing
    header = {"columns": [str(c) for c in frame.columns], "dtypes": dtypes, **extra,
              **({"numbers": numbers} if numbers else {})}
    arrays[_HEADER] = np.array(json.dumps(header))
    buf = io.BytesIO()
    # (mypy's [arg-type]: numpy's stub reads a dict's keys as if one were allow_pickle)
    np.savez(buf, **arrays)
    atomic_write_bytes(path, buf.getvalue())


def read_fold(path: Path) -> Tuple[pd.DataFrame, Dict[str, Any]]:
    """(the forecasts, the extra) of a record :func:`write_fold` wrote; a record that
    cannot be read is a CheckpointError saying what to do."""
    try:
        with np.load(path, allow_pickle=False) as z:
            header = json.loads(str(z[_HEADER]))
            cols = {}
            for k, (name, dtype) in enumerate(zip(header["columns"], header["dtypes"])):
                values = z[f"c{k}"]
                if k in header.get("numbers", ()):
                    values = np.array([_number(t) for t in values.tolist()], dtype=object)
                if f"{_MISSING}{k}" in z.files:
                    values = _gaps(values, z[f"c{k}"], z[f"{_MISSING}{k}"])
                cols[name] = _typed(values, dtype)
    except (OSError, ValueError, KeyError, TypeError, IndexError, zipfile.BadZipFile) as e:
        raise CheckpointError(f"cannot read the backtest record {path} ({e}); delete it to "
                              f"compute that fold again on resume") from None
    extra = {k: v for k, v in header.items() if k not in ("columns", "dtypes", "numbers")}
    return pd.DataFrame(cols), extra


_NUMBER = (bool, np.bool_, int, np.integer, float, np.floating)


def check_keepable(frame: pd.DataFrame, whose: str) -> None:
    """Refuse ``frame`` (``whose`` forecasts: "model 'x' at origin 1 of 3") where a column
    holds objects a record cannot read back as they were (:func:`write_fold` keeps numbers,
    dates and text), naming the column, what it holds and what to do: called on a fold's
    forecasts as they come back, before any of it is written (refused as it was written,
    in words that named the column alone)."""
    for name in frame.columns:
        col = frame[name]
        if not isinstance(col.dtype, pd.DatetimeTZDtype) and _bits(col) is None:
            _numbers(col, name, whose)


def _bits(col: pd.Series):
    """``col``'s values as a NumPy array of numbers or dates, kept as their bits; None
    where they come out as objects (a nullable ``boolean`` column with <NA>, and on pandas
    2 an ``Int64`` or ``Float64`` one), which ``np.savez`` pickled: the record was written,
    then every resume refused it (``allow_pickle=False``), computed it again, and wrote it
    so again."""
    if col.dtype.kind not in "biufcmM":
        return None
    values = col.to_numpy()
    return None if values.dtype == object else values


def _numbers(col: pd.Series, name, whose: str = "the forecasts") -> bool:
    """Whether object column ``col`` holds numbers (besides missing cells): True; text:
    False; anything else, or text and numbers mixed, cannot be read back as it was:
    refused, naming ``whose`` forecasts, the column and what it holds (an example)."""
    found = {type(v) for v in col if not _missing(v)}
    if all(issubclass(t, _NUMBER) for t in found):  # (all missing too: NaN kept as NaN,
        return True  # None as None; as text, a fold's mean of NaN read back as None)
    if all(issubclass(t, str) for t in found):
        return False
    kinds = ", ".join(sorted(t.__name__ for t in found))
    odd = next(v for v in col if not _missing(v) and not issubclass(type(v), _NUMBER))
    raise CheckpointError(f"backtest: {whose}: column {name!r} holds objects of types "
                          f"{kinds} (such as {odd!r:.60}), which a kept fold cannot read back "
                          f"as they were (it keeps numbers, dates and text); return numbers "
                          f"there (a float column: .astype(float)), or text alone; or run "
                          f"without checkpoint_dir (--out's checkpoints), which keeps no "
                          f"fold")


def _missing(v) -> bool:
    """Whether cell ``v`` of an object column is a missing value (NaN too, here)."""
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, (float, np.floating))
                                                       and v != v)


# each kind of missing value, as its cell's text under the mask (a record written before
# session 31 holds "" under it: None, as it read on pandas 2)
_GAPS = {"": None, "nan": float("nan"), "<NA>": pd.NA, "NaT": pd.NaT}


def _gap_text(v) -> str:
    """The text that marks missing cell ``v`` as the kind it is (:data:`_GAPS`; another
    kind, NumPy's NaT, as None)."""
    if v is pd.NA or v is pd.NaT:
        return str(v)
    return "nan" if isinstance(v, (float, np.floating)) else ""


def _gaps(values: np.ndarray, text: np.ndarray, missing: np.ndarray) -> np.ndarray:
    """``values`` as objects, each missing cell (``missing``) the value its ``text`` marks:
    None, NaN, <NA> or NaT, as written (<NA> and NaT read back as None before session 31,
    so a resumed run's <NA> differed from the uninterrupted run's)."""
    out = values.astype(object)
    for i in np.flatnonzero(missing):
        out[i] = _GAPS.get(str(text[i]))
    return out


def _plain(v):
    """``v`` (a number of :data:`_NUMBER`) as Python's bool, int or float, whose text
    reads back exactly (a float's repr is its shortest exact form)."""
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    return int(v) if isinstance(v, (int, np.integer)) else float(v)


def _number(text: str):
    """The number :func:`_plain`'s repr wrote (or a missing cell's mark, :data:`_GAPS`:
    marked apart too)."""
    if text in _GAPS:
        return _GAPS[text]
    if text in ("True", "False"):
        return text == "True"
    try:
        return int(text)
    except ValueError:
        return float(text)


def _typed(array: np.ndarray, dtype: str) -> pd.Series:
    """``array`` back in the column's ``dtype`` (as its name was written). Objects stay
    objects until then: pandas 3 read an object array of text as its ``str`` dtype, whose
    missing value is NaN, so a text column's None and <NA> came back as NaN."""
    values = pd.Series(array, dtype=object if array.dtype == object else None)
    if "," in dtype and dtype.startswith("datetime64"):  # datetime64[us, Zone]
        zone = dtype[dtype.index(",") + 1:-1].strip()
        return values.dt.tz_localize("UTC").dt.tz_convert(zone).astype(dtype)
    return values.astype(pd.api.types.pandas_dtype(dtype))


__all__ = ["check_keepable", "read_fold", "write_fold"]
