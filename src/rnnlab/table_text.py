"""A results table as text, its float columns' decimal points in line.

``to_string(float_format="{:.4g}")`` gave each number 4 significant digits on its own, so a
column read 1.343, 1.16, 1.239: as many decimals as each value needed, right-aligned, the
points out of line. Here each float column has one number of decimals, enough for
:data:`DIGITS` significant digits of its largest value (1.777: 3 decimals, so 1.160; 0.8212:
4; 2338.13: none), so a column compares at a glance, as a spreadsheet shows it. Its smallest
nonzero value keeps :data:`SMALL_DIGITS` (a MASE of 0.0004 beside 1234.5 read 0 by the
largest alone: 1234.50000, 0.00040); a column no :data:`MAX_DECIMALS` can show so (1e-12)
has each value's own 4 significant digits, as before. A float column of whole numbers (a
count with a missing value) is shown whole; integers and text as pandas shows them; NaN as
``NaN``."""

from __future__ import annotations

import math
from typing import Optional

import numpy as np
import pandas as pd

DIGITS = 4  # significant digits of a column's largest value
SMALL_DIGITS = 2  # significant digits of its smallest nonzero value
MAX_DECIMALS = 8  # (a column of values near 0: 1e-12 would ask for 15)


def decimals(values) -> Optional[int]:
    """The decimals that give the largest finite ``values`` :data:`DIGITS` significant
    digits and the smallest nonzero one :data:`SMALL_DIGITS` (0 for a column of none, of
    zeros or of whole numbers); None where that takes more than :data:`MAX_DECIMALS`."""
    finite = np.abs(np.asarray(values, dtype=float))
    finite = finite[np.isfinite(finite) & (finite > 0)]
    if not finite.size or (finite == np.round(finite)).all():
        return 0
    need = max(0, DIGITS - 1 - math.floor(math.log10(finite.max())),
               SMALL_DIGITS - 1 - math.floor(math.log10(finite.min())))
    return need if need <= MAX_DECIMALS else None


def table_cells(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with each float column as text, formatted with its own :func:`decimals`
    (each value with its own :data:`DIGITS` significant digits where those are None), NaN
    as ``NaN``: the cells :func:`table_text` writes, for a caller that marks some of them
    (a "-" where a model has no quantiles: :mod:`rnnlab.panel.printed_scores`)."""
    shown = table.copy()
    for c in table.columns:
        if pd.api.types.is_float_dtype(table[c]):
            d = decimals(table[c])
            form = f".{DIGITS}g" if d is None else f".{d}f"
            shown[c] = [("NaN" if pd.isna(v) else f"{v:{form}}") for v in table[c]]
    return shown


def table_text(table: pd.DataFrame) -> str:
    """``table`` as ``to_string(index=False)`` writes it, its cells those of
    :func:`table_cells`. No value is changed but in the digits shown."""
    return table_cells(table).to_string(index=False)
