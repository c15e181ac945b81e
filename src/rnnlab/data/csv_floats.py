"""The numbers of a CSV file, and of text read as numbers, as the doubles they name, on every
pandas rnnlab supports.

pandas 2's C reader (its default ``float_precision``, "high") reads a decimal written with
17 significant digits (``repr`` of a computed double: what ``to_csv`` writes, rnnlab's own
forecasts.csv and history.csv included) one unit in the last place off the nearest double:
about a third of them. pandas 3 reads them exactly, and deprecates the argument. Python 3.10
installs pandas 2 at most, so without it the same file held other values there (a score of
forecasts.csv differed from metrics.json in its last digits). pandas 2's ``pd.to_numeric``
parses text the same way, one ulp off: :func:`exact_to_numeric` reads it as float() does.

pandas 3.0 still does (a third of ``repr``'s 17-digit doubles, in ``read_csv`` and
``to_numeric`` alike). pandas 3.1 parses every float with fast_float (pandas-dev/pandas
#64432), which rounds to the nearest double as float() does: there neither the argument
nor the second reading is needed. Which parser this pandas has is not told by its version
(a patch release may carry it) but seen: :data:`PARSES_EXACTLY` reads text that the old
parser misreads, once, when this module is imported."""

import io
import re
from typing import Literal, TypedDict

import numpy as np
import pandas as pd

# repr() of doubles that the parser of pandas 2 and 3.0 reads one ulp off, each of them
MISREAD = ("8043.3190087916555", "1844.6424213813398", "-3797.0486136133477",
           "93.73711634780557", "5872.1708426686755", "1261.3380473862367")


def _reads_exactly() -> tuple:
    """(``pd.read_csv``, ``pd.to_numeric``): whether each reads :data:`MISREAD` as float()
    does, with its default parser."""
    exact = np.array([float(t) for t in MISREAD])
    table = pd.read_csv(io.StringIO("v\n" + "\n".join(MISREAD)))["v"].to_numpy()
    text = pd.to_numeric(pd.Series(MISREAD, dtype=object)).to_numpy()
    return bool((table == exact).all()), bool((text == exact).all())


# whether this pandas reads a CSV's numbers, and text as numbers, as float() does
CSV_EXACT, PARSES_EXACTLY = _reads_exactly()


# whether this pandas reads whole-number text past a double as NaN with errors="coerce"
# (pandas 2, which has no other reading of it; pandas 3 reads it as infinite, as float() does)
WIDE_TEXT_LOST = bool(pd.isna(pd.to_numeric(pd.Series(["9" * 400], dtype=object),
                                            errors="coerce")).all())


class ReadFloats(TypedDict, total=False):
    """The keyword arguments of ``pd.read_csv`` on how it reads a number."""

    float_precision: Literal["high", "legacy", "round_trip"]


# the keyword arguments of ``pd.read_csv`` that read each number as Python's float() does
# (pandas 3.1 deprecates the argument: its one parser is exact)
EXACT_FLOATS: ReadFloats = {} if CSV_EXACT else {"float_precision": "round_trip"}


def reread_mask(raw: np.ndarray) -> np.ndarray:
    """Which of ``raw`` (objects) pandas 2 may read one ulp off: text of 16 characters or
    more, or with an exponent. Shorter text without one (at most 15 digits scaled by at most
    1e14) it reads exactly, so a column of short decimals is not parsed twice."""
    if pd.api.types.infer_dtype(raw, skipna=False) != "string":  # mixed: each on its own
        return np.fromiter((isinstance(v, str) and (len(v) > 15 or "e" in v or "E" in v)
                            for v in raw), dtype=bool, count=len(raw))
    mask = np.fromiter(map(len, raw), dtype=np.int64, count=len(raw)) > 15
    short = raw[~mask]
    joined = "".join(short)
    if "e" in joined or "E" in joined:
        mask[~mask] = np.fromiter((("e" in v or "E" in v) for v in short), dtype=bool,
                                  count=len(short))
    return mask


def exact_to_numeric(col: pd.Series,
                     errors: Literal["raise", "coerce"] = "raise") -> pd.Series:
    """``pd.to_numeric(col, errors=errors)`` with each text value it read as a float read
    again as ``float()`` reads it: the nearest double, on pandas 2 too (whose parser was one
    ulp off for 17 significant digits). What pandas refuses or reads as ints is unchanged.
    Where pandas reads text as float() does (:data:`PARSES_EXACTLY`: pandas 3.1), its
    reading, not parsed twice. An integer past a double's range (999... of 400 digits) is
    read as float() reads its text, infinite, and refused as such by the callers, naming its
    row (pandas raised OverflowError, even with ``errors="coerce"``)."""
    try:
        num = pd.to_numeric(col, errors=errors)
    except OverflowError:
        num = pd.to_numeric(col.map(_past_double), errors=errors)
    except ValueError:  # pandas 2: "Integer out of range" for text past 64 bits
        wide = _whole_ints(col)
        if wide is None:
            wide = _read_whole_texts(col, np.ones(len(col), dtype=bool), errors)
        if wide is None:
            raise
        num = wide
    else:
        if WIDE_TEXT_LOST and errors == "coerce" and (
                col.dtype == object or isinstance(col.dtype, pd.StringDtype)):
            lost = num.isna().to_numpy() & col.notna().to_numpy()
            wide = _read_whole_texts(col, lost, errors) if lost.any() else None
            num = num if wide is None else wide
    if PARSES_EXACTLY or num.dtype.kind != "f" or not (
            col.dtype == object or pd.api.types.is_string_dtype(col)):
        return num
    read = num.notna().to_numpy()
    raw = col.to_numpy(dtype=object)
    text = np.zeros(len(raw), dtype=bool)
    text[read] = reread_mask(raw[read])
    if not text.any():
        return num
    # a writable copy: pandas 3 hands a read-only view (and Float64 a masked array)
    values = np.array(num.to_numpy(dtype=np.float64, na_value=np.nan), dtype=np.float64)
    values[text] = _floats(raw[text], values[text])
    return pd.Series(values, index=num.index, name=num.name).astype(num.dtype)


_WHOLE = re.compile(r"\s*[-+]?[0-9]+\s*", re.ASCII)


def whole_number_text(v) -> bool:
    """Whether ``v`` is the text of a whole number (``" -12 "``; ASCII digits, any length)."""
    return isinstance(v, str) and _WHOLE.fullmatch(v) is not None


def _whole_ints(col: pd.Series):
    """``col`` as Python ints where every value is a whole number's text within a double's
    range, as pandas 3's ``to_numeric`` holds such a column; else None. pandas 2 refused
    it, and float() of each value merged ids past 2**53 (two 24-digit ids, one float)."""
    values = col.to_numpy(dtype=object)
    if not len(values) or not all(isinstance(v, str) and len(v) <= 320
                                  and _WHOLE.fullmatch(v) for v in values):
        return None
    ints = [int(v) for v in values]
    if any(int_past_double(v) for v in ints):
        return None  # (read as float() reads its text: infinite, refused by the callers)
    return pd.Series(ints, index=col.index, name=col.name, dtype=object)


def _read_whole_texts(col: pd.Series, where: np.ndarray, errors):
    """``pd.to_numeric`` of ``col`` with each whole number written as text among ``where``
    read as float() reads it first, or None where there is none. pandas 2 refuses such text
    past 64 bits (its ``to_numeric`` raises "Integer out of range", or past a double reads
    NaN with ``errors="coerce"``); pandas 3 reads it as a Python int. float() reads any
    length: past a double, infinite. A column of strings gives nullable floats, as pandas'."""
    values = col.to_numpy(dtype=object)
    hit = [i for i in np.flatnonzero(where)
           if isinstance(values[i], str) and _WHOLE.fullmatch(values[i])]
    if not hit:
        return None
    values = values.copy()
    values[hit] = [float(values[i]) for i in hit]
    num = pd.to_numeric(pd.Series(values, index=col.index, name=col.name), errors=errors)
    return num.astype("Float64") if isinstance(col.dtype, pd.StringDtype) else num


def _past_double(v):
    """``v``, or the infinity of its sign where it is an integer (or its text) past the
    largest double, which pd.to_numeric cannot convert."""
    if isinstance(v, str) and len(v) > 300:  # (a double's 309 digits, give or take a sign)
        try:
            return float(v)  # (text: inf; float() reads any length)
        except ValueError:
            return v
    if int_past_double(v):
        return float("inf") if v > 0 else float("-inf")
    return v


def int_past_double(v) -> bool:
    """True for a Python int (not a bool) that float() cannot convert: from the largest
    double plus half its step, 2**1024 - 2**970, not only from 2**1024 (those in between
    raised OverflowError past every check)."""
    if not isinstance(v, int) or isinstance(v, bool) or abs(v) < 2 ** 1023:
        return False
    try:
        float(v)
    except OverflowError:
        return True
    return False


def _floats(text: np.ndarray, read: np.ndarray) -> np.ndarray:
    """float() of each of ``text``; where float() refuses a form pandas read, pandas' value
    from ``read``."""
    try:
        return text.astype(np.float64)
    except ValueError:
        return np.array([_float_or(t, r) for t, r in zip(text, read)], dtype=np.float64)


def _float_or(t: str, r: float) -> float:
    try:
        return float(t)
    except ValueError:
        return r
