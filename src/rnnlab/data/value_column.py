"""Which column of a table holds the values to forecast: the one named (by name or
position), else the only numeric one besides empty columns and counters numbering the
rows, else ``Close`` of a price file; a pandas Series or an array is one column."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..io.errors import DataError
from .csv_file import require_column


def pick_column(df: pd.DataFrame, column, source: str) -> str:
    cols = [str(c) for c in df.columns]
    if column is None:
        numeric = [c for c in df.columns if pd.api.types.is_numeric_dtype(df[c])]
        if not numeric:
            head = [str(v) for v in df.iloc[0].tolist()] if len(df) else []
            title = (f"; the first row holds {head}: if the file starts with a title or notes, "
                     f"delete the lines above its header line") if any(
                         any(ch.isalpha() for ch in v) for v in head) and len(df) > 1 else ""
            # (a title line first: that, not the header it makes a value of a column)
            hint = _units_hint(df) or (not title and _stray_text_hint(df)) or \
                "; pass column=NAME" + title
            raise DataError(f"{source}: no numeric column among {cols}{hint}")
        if len(numeric) > 1:  # an empty column (a spreadsheet's trailing one, read as all
            # NaN) or a counter (0, 1, 2, ... or years) numbering the rows: not a target
            numeric = [c for c in numeric if df[c].notna().any()] or numeric
            numeric = [c for c in numeric if not _is_counter(df[c])] or numeric
        return numeric[-1] if len(numeric) == 1 else _close_or_last(numeric, source)
    if isinstance(column, int) or (isinstance(column, str) and column.isascii() and column.isdigit()
                                   and column not in cols):
        i = int(column)
        if not -len(cols) <= i < len(cols):
            raise DataError(f"{source}: column index {i} out of range; the file has "
                            f"{len(cols)} columns: {cols}")
        return df.columns[i]
    require_column(df, column, "column", source)
    return column


_UNITS = r"^\s*[-+(]?\s*[$€£¥%]?\s*[-+]?[\d.,'\s\u00a0\u202f]*\d\s*[$€£¥%]?\s*\)?\s*$"


def _units_hint(df: pd.DataFrame) -> str:
    """What to do when a text column holds numbers with a currency or percent sign (a
    spreadsheet's formatted cells, "€1,234.50", "12%"): they are not read as numbers, and
    rnnlab does not guess what the sign meant."""
    for c in df.columns:
        text = df[c].dropna().astype(str)
        signed = text.str.contains(r"[$€£¥%]")
        if len(text) and signed.any() and text.str.match(_UNITS).all():
            return (f"; column {str(c)!r} holds numbers written with a currency or percent "
                    f"sign ({text[signed].iloc[0]!r}): format those cells as plain numbers "
                    f"in the spreadsheet and save the CSV again")
    return ""


def _stray_text_hint(df: pd.DataFrame) -> str:
    """What to do when a column of numbers holds a few words or marks ("-", "sNaN", "n.a.")
    that make pandas read it as text: name them and their rows (the error said only "no
    numeric column ...; pass column=NAME", and the column was the one to forecast)."""
    from .numbers import numbers_of

    for c in df.columns:
        col = df[c]
        if col.dtype != object and not pd.api.types.is_string_dtype(col):
            continue
        known = col.notna().to_numpy()
        past = _past_doubles(col)
        if past:
            return past
        stray = np.flatnonzero(known & numbers_of(col).isna().to_numpy())
        if 0 < len(stray) <= max(3, known.sum() // 10):
            shown = ", ".join(f"row {i}: {col.iloc[i]!r}" for i in stray[:3])
            some = "them numbers" if len(stray) > 1 else "it a number"
            return (f"; column {str(c)!r} holds numbers but for {len(stray)} value"
                    f"{'s' * (len(stray) > 1)} ({shown}): make {some}, or blank for a "
                    f"missing value (fill='interpolate', --fill interpolate, fills it)")
    return ""


def _past_doubles(col: pd.Series) -> str:
    """What to do when a column of numbers holds a whole number past a double's range (a
    paste of hundreds of digits): pandas reads the column as text, so it was "no numeric
    column"."""
    import re

    from .csv_floats import int_past_double

    def past(v) -> bool:  # (pandas holds it as a Python int; a str where mixed with text)
        if isinstance(v, int) and not isinstance(v, bool):
            return int_past_double(v)
        return isinstance(v, str) and len(v) > 300 and bool(
            re.fullmatch(r"\s*[-+]?\d+\s*", v)) and math.isinf(float(v))  # (10**305: not)

    values = col.to_numpy(dtype=object)
    huge = [i for i, v in enumerate(values) if past(v)]
    if not huge:
        return _past_64_bits(col, values)
    v = str(col.iloc[huge[0]]).strip().lstrip("+")
    return (f"; column {str(col.name)!r} holds {len(huge)} whole number"
            f"{'s' * (len(huge) > 1)} past a double's range of about 1.8e308 (row {huge[0]}: "
            f"{v[:12]}... of {len(v)} digits): fix {'them' if len(huge) > 1 else 'it'}, or "
            f"blank for a missing value")


def _past_64_bits(col: pd.Series, values: np.ndarray) -> str:
    """What to do when a column of whole numbers holds one past 64 bits (20 digits and
    more, within a double): pandas holds the column as Python ints, not a numeric type, so
    it was "no numeric column" with no reason, though column=NAME reads it. (pandas 2
    keeps such a column as the text of its numbers: read the same way where every value
    is a whole number's text, as pandas 3 holds ints only then.)"""
    from .csv_floats import whole_number_text

    texts = all(whole_number_text(v) for v in values if isinstance(v, str))

    def wide_int(v) -> bool:
        if texts and isinstance(v, str):  # (its digits counted: int() refuses text past
            digits = v.strip().lstrip("+-").lstrip("0")  # 4,300 digits on Python 3.11+)
            return len(digits) > 20 or (len(digits) == 20 and int(digits) >= 2 ** 64)
        return isinstance(v, int) and not isinstance(v, bool) and abs(v) >= 2 ** 64

    wide = [i for i, v in enumerate(values) if wide_int(v)]
    if not wide:
        return ""
    name = str(col.name)
    return (f"; column {name!r} holds whole numbers too long for 64 bits (row {wide[0]}: "
            f"{str(values[wide[0]]).strip()[:40]}), which pandas keeps as text: pass "
            f"column={name!r} "
            f"(--column {name}) to read them as numbers, or fix them if mistyped")


def _is_counter(col: pd.Series) -> bool:
    """Whole numbers rising by exactly 1 each row: an index or a year, not a series."""
    if pd.api.types.is_complex_dtype(col):
        return False
    v = col.to_numpy(dtype=np.float64, na_value=np.nan)
    return len(v) > 2 and bool(np.all(np.diff(v) == 1)) and bool(np.all(v == np.round(v)))


def _close_or_last(numeric, source):
    for name in numeric:  # price files: the close is the usual target
        if str(name).lower() in ("close", "zamkniecie", "adj close"):
            return name
    first, *others = map(str, numeric)
    raise DataError(f"several numeric columns ({', '.join(map(str, numeric))}) and none is "
                    f"Close; choose the one to forecast: --column NAME (column=NAME). The "
                    f"others may be its covariates (the global model reads them; Forecaster "
                    f"reads one column): --column {first} --future-covariates "
                    f"{','.join(others)} for values known ahead (weather forecasts, workdays), "
                    f"--past-covariates for values seen only up to the forecast "
                    f"(rnnlab.panel.GlobalForecaster(future_covariates=...))" + (
                        ". Or, one series per column: rnnlab.panel.read_panel(df) reads such "
                        "a wide table for GlobalForecaster, one model across the series"
                        if source == "series" else  # (a DataFrame given in Python)
                        # (a file: Darts' multi-column series as written; `rnnlab backtest`
                        # reads it as a panel, of which this said nothing)
                        f". Or, one series per column (a wide table): `rnnlab backtest --data "
                        f"{source}` reads it so, as does `rnnlab forecast` written long "
                        f"(unique_id, ds, y columns)" if _is_file(source) else ""))


def _is_file(source) -> bool:
    return str(source).lower().endswith((".csv", ".gz", ".bz2", ".xz", ".zip", ".txt"))


def one_column(column, name, source: str) -> None:
    """A pandas Series or an array is one column: ``column`` may name it (or be 0), not
    pick another (it was ignored: the Series was forecast whatever column said)."""
    if column is None or str(column) in ("0", str(name)):
        return
    what = f"a pandas Series ({str(name)!r})" if name is not None else "an array"
    raise DataError(f"{source}: column={column!r} picks a column of a table, and {what} is "
                    f"one column; pass the DataFrame or CSV to choose from, or drop column=")
