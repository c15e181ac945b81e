"""A results table as text, its float columns' decimal points in line.

``to_string(float_format="{:.4g}")`` gave each number 4 significant digits on its own, so a
column read 1.343, 1.16, 1.239: as many decimals as each value needed, right-aligned, the
points out of line. Here each float column has one number of decimals, enough for
:data:`DIGITS` significant digits of its largest value (1.777: 3 decimals, so 1.160; 0.8212:
4; 2338.13: none), so a column compares at a glance, as a spreadsheet shows it. Whole
numbers and text are shown as pandas shows them; NaN as ``NaN``."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

DIGITS = 4  # significant digits of a column's largest value
MAX_DECIMALS = 8  # (a column of values near 0: 1e-12 would ask for 15)


def decimals(values) -> int:
    """The decimals that give the largest finite ``values`` :data:`DIGITS` significant
    digits (0 for a column of none, or of zeros: whole)."""
    finite = np.abs(np.asarray(values, dtype=float))
    finite = finite[np.isfinite(finite) & (finite > 0)]
    if not finite.size:
        return 0
    return int(min(MAX_DECIMALS, max(0, DIGITS - 1 - math.floor(math.log10(finite.max())))))


def table_text(table: pd.DataFrame) -> str:
    """``table`` as ``to_string(index=False)`` writes it, each float column formatted with
    its own :func:`decimals`."""
    shown = table.copy()
    for c in table.columns:
        if pd.api.types.is_float_dtype(table[c]):
            d = decimals(table[c])
            shown[c] = [("NaN" if pd.isna(v) else f"{v:.{d}f}") for v in table[c]]
    return shown.to_string(index=False)
