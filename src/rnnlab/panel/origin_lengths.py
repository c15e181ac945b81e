"""The series' lengths at each origin a backtest fits at, as it will cut them
(:func:`~.origin_cuts.cut_at_origins`), read before its run folder is made: what
``rnnlab backtest``'s check of a network's lengths holds against each fit.

Held out by one count of steps (``--first-origin``) the series were checked only where
they all end on one date (``--align end``, or one end): cut at common dates (``--align
date``, the default) a series that ends early loses fewer values, the latest-ending
more, and a count held out by every series under-refused there (the first fit failed
after the folder was made). Each fitted origin is checked (``--refit k``: every k-th),
as a series too short at the first (left out there) can be fitted at a later one.
"""

from __future__ import annotations

import warnings
from typing import List, Optional, Tuple

import numpy as np
import pandas as pd

from .long_table import ID


def fitted_origins(offsets: List[int], refit) -> List[int]:
    """The indices of the origins a model is fitted at: the first, and every ``refit``-th
    (``"never"``: the first alone), as :func:`~.origin_loop.forecast_origins` fits."""
    if refit == "never":
        return [0]
    return list(range(0, len(offsets), int(refit)))


def fitted_cut_lengths(panel, offsets: List[int], refit, align: Optional[str],
                       min_length: int = 2) -> List[Tuple[str, pd.Series]]:
    """(what a message says of the origin, each series' values before it) at each fitted
    origin, without the series with fewer than ``min_length`` (left out there)."""
    from .origin_align import aligned_steps, origin_dates, origin_named

    with warnings.catch_warnings():  # (said by the backtest itself, once)
        warnings.simplefilter("ignore")
        pos, align = aligned_steps(panel, align)
    df = panel.df
    dates = origin_dates(df, pos, offsets) if align == "date" else []
    kind = getattr(panel, "ds_period", None)
    ragged = align == "date" and df.groupby(ID, sort=False)["ds"].last().nunique() > 1
    codes, ids = pd.factorize(df[ID], sort=False)  # (counted as whole numbers: thousands
    out = []  # of origins of a large panel with --refit 1, each a grouping of its rows)
    for j in fitted_origins(offsets, refit):
        off = offsets[j]
        n = pd.Series(np.bincount(codes[pos >= off], minlength=len(ids)), index=ids)
        named = origin_named(align, off, dates[j] if dates else None, kind)
        out.append((f", counting the values before {named}"
                    + ("" if ragged else f" (the {off} steps held out)"), n[n >= min_length]))
    return out


__all__ = ["fitted_cut_lengths", "fitted_origins"]
