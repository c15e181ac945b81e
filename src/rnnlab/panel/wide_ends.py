"""The rows a wide table's series leaves out at its start or end. A wide table (one column
per series) or a dict of series pads a series that starts late or ends early with NaN,
and the reader starts and ends each series where it has values; a series whose first or
last rows were lost, not padded, was shortened with no word: at its end, its forecast
started before the table's last date, and a backtest of it (origins counted back from that
date) cut it elsewhere; at its start, it was fitted on less of the data than the user gave.
The long table's reader refuses such rows (:func:`rnnlab.panel.missing_values.
trailing_note`); here they are read as before and said in a warning naming each series,
its rows and the first of their dates."""

from __future__ import annotations

import os
import sys
import warnings
from types import FrameType
from typing import List, Optional, Tuple

from .int_steps import shown_date

SHOWN = 3  # series named in the warning

# (what a series does with the rows at that side, what that means, the fill that keeps them)
_SIDES = {"end": ("end", "a series ends at its last value, and its forecast starts after "
                  "it (a backtest's origins count back from the panel's last date)",
                  "df.ffill()"),
          "start": ("start", "a series starts at its first value (its forecast and a "
                    "backtest's origins, which count from the end, do not move)",
                    "df.bfill()")}


def warn_left_out_ends(ends: List[Tuple[str, int, object]], source, side: str = "end") -> None:
    """A UserWarning naming ``ends``: (series id, rows left out at its ``side``, "start" or
    "end", the first of their dates) of each series read shorter than its table; nothing
    when there is none."""
    if not ends:
        return
    verb, meaning, fill = _SIDES[side]
    shown = ", ".join(f"{uid!r}: {n} row{'s' if n > 1 else ''} from {shown_date(first)}"
                      for uid, n, first in ends[:SHOWN])
    more = f" and {len(ends) - SHOWN} more" if len(ends) > SHOWN else ""
    k = len(ends)
    warnings.warn(f"{source}: {k} series {verb}{'s' if k == 1 else ''} with rows without a "
                  f"value, left out ({shown}{more}): {meaning}: nothing to do where they pad "
                  f"a series that {'ended' if side == 'end' else 'started later'}; where its "
                  f"values were lost, fill them in the table before reading it ({fill})",
                  UserWarning, stacklevel=_callers_level())


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
