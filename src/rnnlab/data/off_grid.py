"""What to do with the one or two dates that break the grid a series' other dates follow
(:mod:`.grid_typos`): ``off_grid='refuse'`` (the default; ``--off-grid refuse``) names
them and stops, as before; ``'drop'`` drops their rows (the series reads with a gap
there); ``'snap'`` moves each to the date the grid expects in its place (a Thursday
among Fridays, moved by a holiday, dated the Friday). Before, a true date off the grid
had to be rewritten in the file, or the series read without dates
(``--date-column none``), losing its calendar."""

from __future__ import annotations

from typing import Optional, Tuple

import numpy as np
import pandas as pd

from ..callers_line import callers_level
from ..io.errors import DataError
from .option_names import OFF_GRID


def checked_off_grid(off_grid, source: str) -> str:
    """``off_grid`` when it is one of :data:`OFF_GRID`, else a DataError saying which."""
    if off_grid not in OFF_GRID:
        raise DataError(f"{source}: off_grid must be one of {OFF_GRID}, got {off_grid!r}")
    return off_grid


def mended_dates(index: pd.DatetimeIndex, off_grid: str,
                 whose: str) -> Tuple[np.ndarray, pd.DatetimeIndex]:
    """(which rows of ``index`` to keep, their dates) after ``off_grid`` ('drop' or
    'snap') acts on the dates that break its grid (:func:`.grid_typos.grid_break`); all
    rows, unchanged, when none does or ``off_grid`` is 'refuse'. A date 'snap' has no
    free date of the grid for (two dates between the same neighbours) is refused."""
    from .date_typo import MIN_ROWS
    from .grid_typos import grid_break

    keep = np.ones(len(index), dtype=bool)
    found = grid_break(index) if off_grid != "refuse" and len(index) >= MIN_ROWS else None
    if found is None:
        return keep, index
    if off_grid == "drop":
        keep[list(found.positions)] = False
        _say(whose, "drop", "dropped the row" + _dated(index[list(found.positions)]) +
             ", off the grid its other dates follow")
        return keep, index[keep]
    if any(e is None for e in found.expected):
        raise DataError(f"{whose}: {found.said}; the grid has no free date to move "
                        f"{'it' if len(found.positions) == 1 else 'them'} to: correct the "
                        f"file, or pass off_grid='drop' (--off-grid drop)")
    moved = dict(zip(found.positions, found.expected))
    _say(whose, "snap", "moved " + ", ".join(f"{_day(index[i])} to {_day(e)}"
                                             for i, e in moved.items()) +
         ", the date" + ("s" if len(moved) > 1 else "") + " its grid expects there")
    return keep, pd.DatetimeIndex([moved.get(i, d) for i, d in enumerate(index)],
                                  name=index.name)


def _day(stamp) -> str:
    """``stamp`` as the file would write it: the date alone at midnight."""
    stamp = pd.Timestamp(stamp)
    return str(stamp.date()) if stamp == stamp.normalize() else str(stamp)


def _dated(dates) -> str:
    """' dated D' or 's dated D1, D2' of the rows ``dates``."""
    return ("s" if len(dates) > 1 else "") + " dated " + ", ".join(_day(d) for d in dates)


def _say(whose: str, how: str, what: str) -> None:
    """A note (:class:`OffGridWarning`) of what ``off_grid`` did to the dates, so a date
    moved or a row dropped is told, not done without a word (``rnnlab`` prints it)."""
    import warnings

    warnings.warn(f"{whose}: off_grid={how!r} {what}", OffGridWarning,
                  stacklevel=callers_level(2))


class OffGridWarning(UserWarning):
    """``off_grid='drop'`` or ``'snap'`` dropped or moved a date that breaks its series'
    grid: which, said."""


def kept_positions(filled: Optional[np.ndarray], keep: np.ndarray) -> Optional[np.ndarray]:
    """The positions ``filled`` (of all rows) among the rows ``keep`` marks."""
    if filled is None or keep.all():
        return filled
    at = np.flatnonzero(np.isin(np.flatnonzero(keep), filled))
    return at if len(at) else None
