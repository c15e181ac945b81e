"""A panel checked against a model's lengths: the series too short for its windows
skipped with a warning naming them, or refused (``on_short='error'``, or none left)."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

from ..io.errors import DataError
from ..listing import first_few
from .long_table import ID

if TYPE_CHECKING:
    from .frame import PanelFrame


def check_lengths(panel: PanelFrame, min_length: int, on_short: str = "skip",
                  what: str = "lookback + horizon") -> PanelFrame:
    """The panel without series shorter than ``min_length`` (a warning lists them), or a
    DataError naming them when ``on_short='error'``; an error when none is left."""
    n = panel.lengths()
    if n.empty:
        raise DataError("the panel has no rows (cut(steps) past every series' length?); "
                        "expected at least one series to fit on")
    short = n[n < min_length]
    if short.empty:
        return panel
    shown = first_few(list(short.items())[:10], 10, show=lambda uk: f"{uk[0]!r} ({uk[1]})",
                      total=len(short))
    msg = f"{len(short)} series shorter than {what} = {min_length} points: {shown}"
    if on_short == "error" or len(short) == len(n):
        raise DataError(f"{msg}; use a shorter lookback/horizon or drop them"
                        + ("" if on_short == "error" else " (no series is long enough)"))
    warnings.warn(f"{msg}; skipped (not trained on, not forecast)", stacklevel=3)
    return panel.with_df(panel.df[~panel.df[ID].isin(short.index)])
