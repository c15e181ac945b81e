"""Fiscal years written as their two calendar years (2005-06, 2005/06: the year from
July 2005 to June 2006, as statistics offices write them) are refused, saying how to
write them: pandas reads 2005-06 as June 2005 and 2006-07 as July 2006, so a column of
them was read, without a word, as months thirteen apart (a frequency '13MS', no season)
or as dates of no frequency forecast by step."""

from __future__ import annotations

import pandas as pd

from ..io.errors import DataError

_FISCAL = r"^\s*(\d{4})\s*[-/]\s*(\d{2})\s*$"  # 2005-06, 2005/06


def refuse_fiscal_years(col: pd.Series, source: str, name) -> None:
    """DataError when the text column ``col`` holds two distinct values or more, each a
    year and the next one's last two digits (2005-06, 2006-07, ...)."""
    if not (col.dtype == object or pd.api.types.is_string_dtype(col)):
        return
    distinct = pd.Series(pd.unique(col.dropna())).astype(str)
    if len(distinct) < 2:
        return
    parts = distinct.str.extract(_FISCAL)
    if parts.isna().any().any():
        return
    first, second = parts[0].astype(int), parts[1].astype(int)
    if not ((first + 1) % 100 == second).all():
        return
    one = distinct.iloc[0].strip()
    y = int(first.iloc[0])
    raise DataError(f"{source}: date column {name!r} holds fiscal years like {one!r} (the "
                    f"year from {y} to {y + 1}), which pandas reads as months ({one!r}: "
                    f"{pd.Timestamp(year=y, month=int(second.iloc[0]), day=1):%B %Y}); write "
                    f"each as the year it ends ({y + 1}), or as the date it starts or ends "
                    f"(e.g. {y + 1}-06-30), or pass periods (pd.Period('{y + 1}', "
                    f"freq='Y-JUN'): a fiscal year ending in June)")
