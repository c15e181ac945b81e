"""Numbers as European spreadsheets write them: decimal commas (``1001,5``) and thousands
grouped by points or spaces (``1.234,5``, ``1 234,5``), which pandas reads as text."""

from __future__ import annotations

import pandas as pd

from .csv_floats import exact_to_numeric


# a number as European spreadsheets write it: 1.234,5 / 1 234,5 (a space, no-break space or
# narrow no-break space groups the thousands: French, Swiss); the grouped form is group 1
_GROUPED = r"^\s*[-+]?(\d{1,3}(?:([.\u00a0\u202f ])\d{3})(?:\2\d{3})*|\d+)(,\d+)?\s*$"


def grouped_decimal_commas(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` (read with decimal commas) with its text columns of numbers whose thousands
    are grouped (``1.234,5``: pandas reads no such column as numbers) read as numbers. A
    column is read so only where it cannot mean anything else: every value is such a
    number and one has a decimal comma or a space as a separator (``1.000`` alone could
    be 1.0 in a file with decimal points)."""
    out = df
    for c in df.columns:
        col = df[c]
        if not (col.dtype == object or pd.api.types.is_string_dtype(col)):
            continue
        text = col.dropna().astype(str)
        parts = text.str.extract(_GROUPED)
        if not len(text) or parts[0].isna().any() or parts[1].isna().all():
            continue
        if not (parts[2].notna().any() or parts[1].isin(["\u00a0", "\u202f", " "]).any()):
            continue
        plain = text.str.replace(r"[.\u00a0\u202f ]", "", regex=True).str.replace(",", ".")
        out = out.copy() if out is df else out
        out[c] = exact_to_numeric(plain).reindex(col.index)
    return out


def decimal_commas(df: pd.DataFrame) -> bool:
    """Whether a table read with decimal points has no numeric column and a text column
    with a decimal comma that cannot be a thousands comma (``1001,5``; ``1,500`` could)."""
    if any(pd.api.types.is_numeric_dtype(df[c]) for c in df.columns):
        return False
    return any(df[c].dropna().astype(str).str.contains(r"\d,(?:\d{1,2}|\d{4,})\s*$").any()
               for c in df.columns)
