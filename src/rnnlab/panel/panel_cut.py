"""``PanelFrame.cut(steps)``: each series without its last ``steps`` points, the part a
model may see when those are held out. A count that is not a whole number >= 0 is refused
(2.5 was taken as 3, -1 as 0), and a series left with nothing is named, not dropped
without a word (``cut(1000)`` gave an empty panel)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ..io.errors import DataError
from ..number_kinds import is_whole_valued
from .long_table import ID


def steps_from_end(df: pd.DataFrame) -> np.ndarray:
    """(rows,) each row's steps before its series' last row (0 for the last)."""
    return df.groupby(ID, sort=False).cumcount(ascending=False).to_numpy()


def cut_rows(df: pd.DataFrame, steps) -> pd.DataFrame:
    """The rows of ``df`` (a long panel table) before each series' last ``steps``."""
    if not is_whole_valued(steps) or steps < 0:
        raise DataError(f"cut: steps must be a whole number >= 0 (the points held out at the "
                        f"end of each series); got {steps!r}")
    if df.empty:  # no series to cut (nothing lost: an empty panel, as before)
        return df
    pos = steps_from_end(df)
    kept = df[pos >= int(steps)]
    left = set(pd.unique(kept[ID]))
    gone = [u for u in pd.unique(df[ID]) if u not in left]
    if len(gone) == df[ID].nunique():
        raise DataError(f"cut({steps!r}) leaves nothing: every series has at most {steps} "
                        f"points (the longest {int(pos.max()) + 1}); hold out fewer")
    if gone:
        warnings.warn(f"cut({steps!r}): {len(gone)} series have at most {steps} points and "
                      f"are left with none: {', '.join(map(repr, gone[:5]))}"
                      f"{' ...' if len(gone) > 5 else ''}", stacklevel=3)
    return kept
