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

import warnings
from typing import List, Tuple

from ..callers_line import callers_level
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
                  f"(df.ffill())", UserWarning, stacklevel=callers_level(3))
    # (the caller's line outside rnnlab: read_panel reaches this at one depth for a dict,
    # another for a wide table, deeper from GlobalForecaster.fit; a fixed 6 named a line
    # above the caller, or none: sys:1)
