"""Numbers read from a user's table: real ones only."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd

from ..io.errors import DataError
from .csv_floats import exact_to_numeric


def quiet_nans(col: pd.Series) -> pd.Series:
    """``col`` with each signalling NaN, ``Decimal('sNaN')``, as NaN: read as missing, as
    ``Decimal('NaN')`` is (pandas raised on it: "Cannot hash a signaling NaN value" in
    ``to_numeric``, ``decimal.InvalidOperation`` in ``isna``, naming no column or row)."""
    if col.dtype != object:
        return col
    values = col.to_numpy(dtype=object)
    snan = np.array([isinstance(v, Decimal) and v.is_snan() for v in values], dtype=bool)
    if not snan.any():
        return col
    values = values.copy()
    values[snan] = np.nan
    return pd.Series(values, index=col.index, name=col.name)


def numbers_of(col: pd.Series) -> pd.Series:
    """``pd.to_numeric(col, errors="coerce")`` of :func:`quiet_nans` of ``col``, text read
    as the doubles it names on every pandas (:func:`.csv_floats.exact_to_numeric`)."""
    return exact_to_numeric(quiet_nans(col), errors="coerce")


def refuse_boolean(col: pd.Series, source: str, name) -> None:
    """A boolean target (True/False, a pandas ``boolean``, an object column of bools) is
    refused, by the one-series and the panel readers alike, saying how to forecast it."""
    if pd.api.types.is_bool_dtype(col) or (col.dtype == object and bool(
            col.map(lambda v: isinstance(v, (bool, np.bool_))).any())):
        raise DataError(f"{source}: column {name!r} is boolean, expected numbers; to "
                        f"forecast it as 0/1, pass it as numbers (.astype(int); in a file, 0 and 1)")


def real_values(num: pd.Series, source: str, name, row=str) -> pd.Series:
    """``num`` (numbers from ``pd.to_numeric``) as real numbers: complex values with an
    imaginary part are refused (numpy would drop it with only a warning), those without one
    kept as their real part. ``row(i)`` names the i-th row in the message."""
    values = num.to_numpy()
    if not (np.iscomplexobj(values) or (values.dtype == object and any(
            isinstance(v, (complex, np.complexfloating)) for v in values))):
        return num
    imag = [i for i, v in enumerate(values) if isinstance(v, (complex, np.complexfloating))
            and v.imag != 0 and v.imag == v.imag]
    if imag:
        i = imag[0]
        raise DataError(f"{source}: column {name!r} holds {len(imag)} numbers with an "
                        f"imaginary part ({row(i)}: {complex(values[i])}), expected real "
                        f"ones; forecast the real part, the imaginary part or the magnitude "
                        f"(np.real / np.imag / np.abs) instead")
    return pd.Series(np.real(values.astype(complex)), index=num.index)


EXACT_INTS = 2 ** 53  # float64 holds every whole number up to this size, and not all beyond


def warn_rounded_integers(num: pd.Series, source: str, name, row=str, stacklevel: int = 2) -> None:
    """Whole numbers beyond 2**53 (counters, totals in units) that float64, rnnlab's
    arithmetic, rounds: 2**53 + 1 is read as 2**53, silently, and forecasts, baselines and
    metrics then describe other values. Said in a warning naming the first such row."""
    if pd.api.types.is_integer_dtype(num.dtype):  # int64, uint64, nullable Int64
        known = num.notna().to_numpy()
        ints = num.to_numpy(dtype=object, na_value=0)
        big = known & (np.abs(num.to_numpy(dtype=np.float64, na_value=0.0)) >= EXACT_INTS)
        where = np.flatnonzero(big).tolist()  # (rows as ints, as the other branch's)
    elif num.dtype == object:  # Python ints of any size
        ints = num.to_numpy()
        where = [i for i, v in enumerate(ints) if isinstance(v, (int, np.integer))
                 and not isinstance(v, bool) and abs(int(v)) > EXACT_INTS]
    else:
        return
    for i in where:
        v = int(ints[i])
        if int(float(v)) != v:
            import warnings

            warnings.warn(f"{source}: column {name!r} has whole numbers beyond 2**53 that "
                          f"float64 rounds ({row(i)}: {v} is read as {int(float(v))}); "
                          f"subtract an offset (e.g. its first value) to keep them exact",
                          UserWarning, stacklevel=stacklevel)
            return
