"""A panel checked against a model's lengths: the series too short for its windows
skipped with a warning naming them, or refused (``on_short='error'``, or none left).
Within :func:`test_part_held` (``rnnlab forecast``, which fits on all but each series'
last horizon) a series' points are counted as the user gave them too: "'c' (8)" read as
a count of the rows given, 14, of which the test part took 6."""

from __future__ import annotations

import warnings
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Iterator

from ..io.errors import DataError
from ..listing import first_few
from .long_table import ID

if TYPE_CHECKING:
    from .frame import PanelFrame

# the points held out after each series while fitting: rnnlab forecast's test part (0: none)
_HELD_OUT: ContextVar[int] = ContextVar("rnnlab_panel_held_out", default=0)


@contextmanager
def test_part_held(steps: int) -> Iterator[None]:
    """Within: the fits are on each series but its last ``steps`` (a test part held out
    to score), which the warning of the series skipped as too short says."""
    token = _HELD_OUT.set(int(steps))
    try:
        yield
    finally:
        _HELD_OUT.reset(token)


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
    held = _HELD_OUT.get()
    shown = first_few(list(short.items())[:10], 10, total=len(short), show=lambda uk: (
        f"{uk[0]!r} ({uk[1]} of its {uk[1] + held})" if held else f"{uk[0]!r} ({uk[1]})"))
    msg = f"{len(short)} series shorter than {what} = {min_length} points: {shown}" + (
        f" (the points before the test part, each series' last {held}, held out to score)"
        if held else "")
    if on_short == "error" or len(short) == len(n):
        raise DataError(f"{msg}; use a shorter lookback/horizon or drop them"
                        + ("" if on_short == "error" else " (no series is long enough)"))
    warnings.warn(f"{msg}; skipped (not trained on, not " + (
        "scored; the forecast past the data reads all its points, as a series not trained "
        "on)" if held else "forecast)"), stacklevel=3)
    return panel.with_df(panel.df[~panel.df[ID].isin(short.index)])
