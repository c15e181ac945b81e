"""The rows a wide table's series leaves out at its end. A wide table (one column per
series) or a dict of series pads a series that ends early with NaN, and the reader starts
and ends each series where it has values; a series whose last rows were lost, not padded,
was shortened with no word: its forecast started before the table's last date, and a
backtest of it (origins counted back from that date) cut it elsewhere. The long table's
reader refuses such rows (:func:`rnnlab.panel.missing_values.trailing_note`); here they
are read as before and said in a warning naming each series and its rows. NaN rows at a
series' start are how a wide table writes a series that starts later: nothing of the
user's is lost and no origin moves, so they are read with no word (as pandas' ``stack``
and Darts read them)."""

from __future__ import annotations

import os
import sys
import warnings
from types import FrameType
from typing import List, Optional, Tuple

from .int_steps import shown_date

SHOWN = 3  # series named in the warning


def warn_left_out_ends(ends: List[Tuple[str, int, object]], source) -> None:
    """A UserWarning naming ``ends``: (series id, rows left out at its end, the first of
    their dates) of each series read shorter than its table; nothing when there is none."""
    if not ends:
        return
    shown = ", ".join(f"{uid!r}: {n} row{'s' if n > 1 else ''} from {shown_date(first)}"
                      for uid, n, first in ends[:SHOWN])
    more = f" and {len(ends) - SHOWN} more" if len(ends) > SHOWN else ""
    k = len(ends)
    warnings.warn(f"{source}: {k} series end{'s' if k == 1 else ''} with rows without a value, "
                  f"left out ({shown}{more}): a series ends at its last value, and its "
                  f"forecast starts after it (a backtest's origins count back from the "
                  f"panel's last date): nothing to do where they pad a series that ended; "
                  f"where its values were lost, fill them in the table before reading it "
                  f"(df.ffill())", UserWarning, stacklevel=_callers_level())


def _callers_level() -> int:
    """The ``stacklevel`` of :func:`warn_left_out_ends`'s warning that names the first
    caller outside rnnlab: ``read_panel`` reaches it at one depth for a dict, another for
    a wide table (a fixed 6 named a line above the caller, or none: ``sys:1``)."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
    frame: Optional[FrameType] = sys._getframe(1)  # (level 1: warn_left_out_ends itself)
    level = 1
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(package):
        frame, level = frame.f_back, level + 1
    return level
