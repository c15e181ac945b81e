"""The numbers of a CSV file, and of text read as numbers, as the doubles they name, on every
pandas rnnlab supports.

pandas 2's C reader (its default ``float_precision``, "high") reads a decimal written with
17 significant digits (``repr`` of a computed double: what ``to_csv`` writes, rnnlab's own
forecasts.csv and history.csv included) one unit in the last place off the nearest double:
about a third of them. pandas 3 reads them exactly, and deprecates the argument. Python 3.10
installs pandas 2 at most, so without it the same file held other values there (a score of
forecasts.csv differed from metrics.json in its last digits). pandas 2's ``pd.to_numeric``
parses text the same way, one ulp off: :func:`exact_to_numeric` reads it as float() does."""

import numpy as np
import pandas as pd

# the keyword arguments of ``pd.read_csv`` that read each number as Python's float() does
EXACT_FLOATS = {} if int(pd.__version__.split(".")[0]) >= 3 else {"float_precision": "round_trip"}


def exact_to_numeric(col: pd.Series, errors: str = "raise") -> pd.Series:
    """``pd.to_numeric(col, errors=errors)`` with each text value it read as a float read
    again as ``float()`` reads it: the nearest double, on pandas 2 too (whose parser was one
    ulp off for 17 significant digits). What pandas refuses or reads as ints is unchanged."""
    num = pd.to_numeric(col, errors=errors)
    if num.dtype.kind != "f" or not (col.dtype == object or pd.api.types.is_string_dtype(col)):
        return num
    raw = col.to_numpy(dtype=object)
    text = np.array([isinstance(v, str) for v in raw], dtype=bool)
    text &= num.notna().to_numpy()
    if not text.any():
        return num
    values = num.to_numpy(dtype=np.float64, na_value=np.nan)  # a copy: Float64 holds masks
    try:
        values[text] = np.asarray(raw[text], dtype=str).astype(np.float64)
    except ValueError:  # a form pandas reads and numpy does not: each value on its own
        for i in np.flatnonzero(text):
            try:
                values[i] = float(raw[i])
            except ValueError:
                pass
    return pd.Series(values, index=num.index, name=num.name).astype(num.dtype)
