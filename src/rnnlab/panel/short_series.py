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
    msg = _short(short, min_length, what, held)
    if on_short == "error" or len(short) == len(n):
        raise DataError(f"{msg}; use a shorter lookback/horizon or drop them"
                        + ("" if on_short == "error" else " (no series is long enough)"))
    warnings.warn(f"{msg}; skipped (not trained on, not " + (
        "scored; the forecast past the data reads all its points, as a series not trained "
        "on)" if held else "forecast)"), stacklevel=3)
    return panel.with_df(panel.df[~panel.df[ID].isin(short.index)])


def _short(short, min_length: int, what: str, held: int = 0) -> str:
    """The series too short, each with its points (``held``: those held out after them
    too, the rows given counted beside)."""
    shown = first_few(list(short.items())[:10], 10, total=len(short), show=lambda uk: (
        f"{uk[0]!r} ({uk[1]} of its {uk[1] + held})" if held else f"{uk[0]!r} ({uk[1]})"))
    return f"{len(short)} series shorter than {what} = {min_length} points: {shown}" + (
        f" (the points before the test part, each series' last {held}, held out to score)"
        if held else "")


def refuse_unfittable(panel: PanelFrame, cfg, held_out: int) -> None:
    """Before a run directory is made: the DataError every fit of ``cfg`` (a PanelConfig)
    would raise on ``panel`` when each of them holds out at least the last ``held_out``
    steps of each series: no series long enough for lookback + horizon (+ the validation
    tail of local models) after them, or one short with ``on_short='error'``. A fit needs
    a seasonal lag more at times (:func:`check_lengths`, which it runs): what passes here
    may still be refused there, but what is refused here is refused by every fit
    (``--lookback 100000`` made the folder, marked a run started, then stopped)."""
    full = panel.lengths()
    need = cfg.lookback + cfg.horizon + (cfg.n_val if cfg.local else 0) + held_out
    kept = full[full > held_out]  # (a series no longer than that is left out of each fit)
    short = kept[kept < need]
    if full.empty or (not kept.empty and (short.empty or (
            cfg.on_short != "error" and len(short) < len(kept)))):
        return
    short = short if not kept.empty else full  # (none left: each is too short)
    what = ("lookback + horizon" + (" + validation" if cfg.local else "")
            + (f" + the {held_out} steps held out" if held_out else ""))
    raise DataError(f"{_short(short, need, what)}; use a shorter lookback/horizon or drop "
                    f"them" + ("" if cfg.on_short == "error" else " (no series is long enough)"))
