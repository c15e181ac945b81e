"""One date typed wrong in an otherwise regular series is refused, naming it and its
neighbours: on pandas 3 (whose dates reach past 2262) a monthly file whose last date
read 9021-12-01 for 2021-12-01 was read as dates of no frequency, trained on and
forecast by step, where pandas 2 refused the date and ``read_panel`` refuses its span
(:mod:`rnnlab.panel.date_span`) with the same words, :data:`TYPED_WRONG`."""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.tseries.frequencies import to_offset

from ..io.errors import DataError

TYPED_WRONG = "a date typed wrong? correct or drop that row"  # (every reader's last words)
MIN_JUMP = 100  # a jump over more missing dates than this, and than the series has rows,
MIN_ROWS = 6  # in a series of this many dates or more, regular without one of its two ends


def refuse_typed_date(index: pd.DatetimeIndex, whose: str) -> None:
    """DataError when the dates ``index`` (increasing, of no single frequency) have one
    jump over more than ``max(MIN_JUMP, rows)`` dates of the frequency the others follow
    without one of the jump's two dates, or one or two dates that break the grid the
    others follow (:mod:`.grid_typos`); truly irregular dates pass (and are read as
    evenly spaced steps, as before)."""
    from .grid_typos import refuse_grid_typos

    n = len(index)
    if n < MIN_ROWS:
        return
    _refuse_far_date(index, whose)
    refuse_grid_typos(index, whose, TYPED_WRONG)  # (nearer dates typed wrong)


def _refuse_far_date(index: pd.DatetimeIndex, whose: str) -> None:
    """The refusal of one date typed more than ``max(MIN_JUMP, rows)`` dates away."""
    from .frequency import infer_freq_with_gaps

    n = len(index)
    at = int(np.argmax(np.diff(index.asi8)))  # (the jump: from index[at] to at + 1)
    for bad in (at + 1, at):  # (the later date typed too late, or the earlier too early)
        freq, _ = infer_freq_with_gaps(index.delete(bad))
        if freq is None:
            continue
        try:
            off, limit = to_offset(freq), max(MIN_JUMP, n)
            if index[at + 1] <= index[at] + limit * off:
                return  # (a gap the reader leaves to the dates' note, not a typo)
        except (ValueError, TypeError, OverflowError):  # (past the dates pandas holds)
            continue
        near = " and ".join(_shown(index[i]) for i in (bad - 1, bad + 1) if 0 <= i < n)
        raise DataError(f"{whose}: its date {_shown(index[bad])} (date {bad + 1} of {n}, "
                        f"beside {near}) breaks its {freq!r} dates: more than {limit:,} "
                        f"dates of that calendar missing between {_shown(index[at])} and "
                        f"{_shown(index[at + 1])}, for {n} rows; {TYPED_WRONG}")


def _shown(d: pd.Timestamp) -> str:
    """2021-12-01, or with its time of day when it has one (2021-12-01 13:00:00)."""
    return str(d.date()) if d == d.normalize() else str(d)
