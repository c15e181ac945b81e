"""The forms a table of one series comes in, put right before its columns are picked:
a ``year`` column beside a ``month`` or ``quarter`` one (one date column made of them),
numbers written with thousands separators (1,120) and the empty column a trailing comma
makes, and the sign of a long table holding several series (what to do instead)."""

from __future__ import annotations

from typing import Optional

import pandas as pd

from .csv_floats import exact_to_numeric


def year_and_part(df: pd.DataFrame) -> pd.DataFrame:
    """A table dated by a ``year`` column and a ``month`` (1-12) or ``quarter`` (1-4) one,
    as statistics offices publish: both replaced by one ``date`` column (the first day of
    each month or quarter). Any other table is returned as it is."""
    cols = {str(c).lower(): c for c in df.columns}
    year = cols.get("year")
    for part, n, step in (("month", 12, 1), ("quarter", 4, 3)):
        c = cols.get(part)
        if year is None or c is None or "date" in cols:
            continue
        y, m = (pd.to_numeric(df[k], errors="coerce") for k in (year, c))
        if y.isna().any() or m.isna().any() or not ((m >= 1) & (m <= n)).all() or \
                not ((y >= 1000) & (y <= 2999)).all() or (m != m.round()).any():
            continue
        dates = pd.to_datetime(pd.DataFrame({"year": y.astype(int),
                                             "month": (m.astype(int) - 1) * step + 1, "day": 1}))
        return df.drop(columns=[year, c]).assign(date=dates.to_numpy())
    return df


def panel_hint(df: pd.DataFrame, dcol, source: str) -> Optional[str]:
    """When repeated dates come from several series in one long table (a text column
    whose groups each hold distinct dates, or several such columns together: State and
    Zone), what to do about it; else None."""
    if not df[dcol].duplicated().any():
        return None
    keys = series_keys(df, dcol)
    if not keys:
        return None
    groups = df.groupby(keys).ngroups
    first = df[keys].drop_duplicates().head(3).astype(object).to_numpy().tolist()
    if len(keys) == 1:
        ids = ", ".join(repr(f[0]) for f in first) + (", ..." if groups > 3 else "")
        c = keys[0]
        return (f"{source}: a long table of {groups} series (column {str(c)!r}: {ids}), "
                f"not one series: forecast them together with rnnlab.panel."
                f"GlobalForecaster (`rnnlab forecast --id-column {c}`), or one of them "
                f"(df[df[{str(c)!r}] == {first[0][0]!r}])")
    ids = ", ".join(repr(tuple(f)) for f in first) + (", ..." if groups > 3 else "")
    pick = " & ".join(f"(df[{str(c)!r}] == {v!r})" for c, v in zip(keys, first[0]))
    return (f"{source}: a long table of {groups} series (columns "
            f"{', '.join(repr(str(c)) for c in keys)} together: {ids}), not one series: "
            f"forecast them together with rnnlab.panel.GlobalForecaster (`rnnlab forecast "
            f"--id-column {','.join(map(str, keys))}`), or one of them (df[{pick}])")


def series_keys(df: pd.DataFrame, dcol) -> list:
    """The columns that name the series of the long table ``df`` (dated by ``dcol``): one
    text (or ``*_id``) column whose groups each hold distinct dates, else all such columns
    together; [] when none do."""
    cands = []
    for c in df.columns:
        col = df[c]
        numeric_id = str(c).lower() in ("unique_id", "id") or str(c).lower().endswith("_id")
        if c == dcol or col.isna().any() or (pd.api.types.is_numeric_dtype(col)
                                             and not numeric_id):
            continue
        cands.append(c)
        groups = col.nunique()
        if 2 <= groups <= len(df) // 2 and not df.duplicated([c, dcol]).any():
            return [c]
    if len(cands) >= 2 and 2 <= df.groupby(cands).ngroups <= len(df) // 2 \
            and not df.duplicated(cands + [dcol]).any():
        return cands
    return []


_THOUSANDS = r"^\s*[-+]?\d{1,3}(,\d{3})+(\.\d+)?\s*$"  # 1,120 or 12,345.5


def readable_numbers(df: pd.DataFrame, dcol) -> pd.DataFrame:
    """``df`` with its text columns of numbers written with thousands separators (1,120:
    a spreadsheet's export) read as numbers, and without the empty columns a trailing
    comma on each line makes (pandas' "Unnamed: 2")."""
    out = df
    for c in df.columns:
        col = df[c]
        if c == dcol:
            continue
        if str(c).startswith("Unnamed: ") and col.isna().all():
            out = out.drop(columns=[c])
            continue
        if col.dtype == object or pd.api.types.is_string_dtype(col):
            text = col.dropna().astype(str)
            if len(text) and text.str.match(_THOUSANDS).any() and \
                    text.str.match(_THOUSANDS + "|" + r"^\s*[-+]?\d{1,3}(\.\d+)?\s*$").all():
                out = out.copy()
                out[c] = exact_to_numeric(col.astype(str).str.replace(",", "").where(col.notna()))
    return out
