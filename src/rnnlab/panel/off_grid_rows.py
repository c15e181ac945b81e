"""``read_panel(off_grid=...)`` (``--off-grid``): each series' one or two dates that break
the grid its other dates follow dropped ('drop') or moved to the dates that grid expects
('snap'), as the one-series reader does (:mod:`rnnlab.data.off_grid`); by default
('refuse') they are named and the panel refused, as before."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import pandas as pd

from ..data.frequency import infer_freq_with_gaps
from ..data.off_grid import OffGridWarning as OffGridWarning  # (rnnlab.panel exports it)
from ..data.off_grid import mended_dates
from ..io.errors import DataError
from .long_table import DS, ID


def mended_panel(long: pd.DataFrame, off_grid: str, source: str) -> pd.DataFrame:
    """``long`` (sorted by id and date) with the rows of each series whose dates follow
    no frequency of their own mended by ``off_grid`` ('drop' or 'snap'); a series on its
    grid (gaps and all) as it is."""
    parts, changed = [], False
    for uid, g in long.groupby(ID, sort=False):
        ds = pd.DatetimeIndex(g[DS])
        if infer_freq_with_gaps(ds)[0] is None:
            keep, dates = mended_dates(ds, off_grid, f"{source}: series {uid!r}")
            if not keep.all() or not dates.equals(ds):
                g, changed = g[keep].assign(**{DS: dates}), True
        parts.append(g)
    return pd.concat(parts, ignore_index=True) if changed else long


@contextmanager
def dropped_gaps_said(read: pd.DataFrame, mended: pd.DataFrame, source: str) -> Iterator[None]:
    """Within it, the refusal of a panel's missing values, where ``off_grid='drop'`` dropped
    rows of ``read`` (``mended``: what is left), says why and what to add: a panel keeps
    every series on its calendar, so a date dropped is a date without a value, which
    ``fill=`` fills or ``off_grid='snap'`` keeps (the refusal named a NaN and fill='ffill',
    as if the file had one, beside the warning that the row was dropped)."""
    try:
        yield
    except DataError as e:
        said, cut, _ = str(e).partition("; pass fill=")
        holes = _holes(read, mended) if cut and len(mended) < len(read) else {}
        if not holes:  # (nothing dropped, or no date left empty by it: as it was)
            raise
        rows = ", ".join(f"series {u!r} {_day(d)}, its grid's {_day(e)}"
                         for (u, d), e in list(holes.items())[:3])
        n = len(holes)
        raise DataError(
            f"{said}: off_grid='drop' dropped {n} row{'s' if n > 1 else ''} off the grid, "
            f"leaving {'their dates' if n > 1 else 'its date'} there without a value "
            f"({rows}{', ...' if n > 3 else ''}), and a panel keeps every series on its "
            f"calendar; add fill='interpolate' (--fill interpolate; or ffill, bfill, zero) "
            f"to fill {'them' if n > 1 else 'it'}, or pass off_grid='snap' (--off-grid "
            f"snap) instead to keep the row{'s' if n > 1 else ''}, dated as the grid "
            f"expects") from None


def _holes(read: pd.DataFrame, mended: pd.DataFrame) -> dict:
    """``{(id, date dropped): the grid's date there}`` for each row of ``read`` that
    'drop' dropped where ``mended`` has no row at the date its grid expects (a Thursday
    dropped beside its week's Friday leaves none)."""
    from ..data.grid_typos import grid_break

    kept = set(zip(mended[ID], pd.DatetimeIndex(mended[DS])))
    left = mended[ID].value_counts()  # (once: counted per series, a panel of 4,000 series
    out = {}  # took 2 minutes to be refused, 20 times its read with fill=)
    for uid, g in read.groupby(ID, sort=False):
        if len(g) <= left.get(uid, 0):
            continue  # (no row of this series dropped)
        ds = pd.DatetimeIndex(g[DS])
        found = grid_break(ds)
        for i, e in zip(found.positions if found else (), found.expected if found else ()):
            if e is not None and (uid, e) not in kept:
                out[(uid, ds[i])] = e
    return out


def _day(stamp) -> str:
    """A date as a file writes it: the day alone at midnight."""
    stamp = pd.Timestamp(stamp)
    return str(stamp.date()) if stamp == stamp.normalize() else str(stamp)
