"""Missing values of a panel: NaN, and dates missing from a series' calendar (NaN after
the reindex), in the target and the numeric covariates are filled as asked (``fill``:
ffill, bfill, interpolate, zero) or refused naming series and dates; infinite values and
values whose squares overflow are refused."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..io.errors import DataError
from .int_steps import date_word
from .long_table import DS, ID, Y, shown_pairs

FILLS = ("ffill", "bfill", "interpolate", "zero")


def fill_or_refuse(df: pd.DataFrame, source, fill) -> pd.DataFrame:
    """``df`` (a long panel table, filled in place) without NaN in its numeric columns:
    each series filled by ``fill``, or a DataError naming the first series and dates."""
    cols = [c for c in df.columns if c not in (ID, DS) and pd.api.types.is_numeric_dtype(df[c])]
    refuse_huge(df, cols, source)
    nan = df[cols].isna()
    if not nan.to_numpy().any():
        return df
    if fill is None:
        c = next(c for c in cols if nan[c].any())
        rows = df.loc[nan[c], [ID, DS]].head(5)
        shown = shown_pairs(rows)
        what = "the target" if c == Y else f"covariate {c!r}"
        unread = "" if c == Y else ", or drop the column if the model does not read it"
        w = date_word()
        raise DataError(f"{source}: {what} has {int(nan[c].sum())} NaN values or missing {w}s "
                        f"(series, {w}: {shown}); pass fill='ffill' (--fill ffill) or clean "
                        f"the data{unread}")
    g = df.groupby(ID, sort=False)[cols]
    how = {"zero": lambda s: s.fillna(0.0), "ffill": lambda s: s.ffill().bfill(),
           "bfill": lambda s: s.bfill().ffill(),
           "interpolate": lambda s: s.interpolate(limit_direction="both")}[fill]
    df[cols] = g.transform(how)
    return df


def refuse_huge(df: pd.DataFrame, cols, source) -> None:
    """Infinite values, or values whose squares overflow float64 (beyond MAX_ABS), named
    by series and date: a model fitted on them silently forecasts nonsense."""
    from ..data.series import MAX_ABS

    for c in cols:
        v = df[c].to_numpy(dtype=np.float64, na_value=np.nan)
        bad = np.isinf(v) | (np.abs(np.nan_to_num(v)) > MAX_ABS)
        if bad.any():
            rows = df.loc[bad, [ID, DS]].head(5)
            shown = shown_pairs(rows)
            what = "the target" if c == Y else f"covariate {c!r}"
            raise DataError(f"{source}: {what} has {int(bad.sum())} infinite values or values "
                            f"beyond {MAX_ABS:.0e} (series, {date_word()}: {shown}); expected "
                            f"finite "
                            f"numbers of a usable size: fix or rescale them")
