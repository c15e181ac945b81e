"""A panel's extreme values (:mod:`rnnlab.data.outliers`: a 1e9 typed among values near
100), named in one warning before a fit: one such value made a series' scale some 160
times its own, and its 80% interval 4..8740 around values near 100, without a word."""

from __future__ import annotations

import warnings

from typing import Dict, List, Optional

import numpy as np

from ..data.outliers import ADVICE, Spike, scores, spike_text, spikes
from ..data.outliers import OutlierWarning as OutlierWarning  # (rnnlab.panel exports it)
from .int_steps import shown_date
from .long_table import DS, Y
from .series_blocks import blocks
from ..callers_line import callers_level

SERIES_SHOWN = 5  # series named in the warning


def panel_spikes(df) -> list:
    """``[(id, [Spike, ...], dates), ...]`` of the series of the long table ``df`` that
    have extreme values, in the order the series first appear. The series of one length
    without NaN are scored together, one row each (one at a time: 5 s for 10,000 series)."""
    b = blocks(df)
    y_all = df[Y].to_numpy(dtype=np.float64)[b.order]
    nan = np.add.reduceat(~np.isfinite(y_all), b.starts) > 0 if len(y_all) else b.lengths > 0
    hits: Dict[np.integer, List[Spike]] = {}  # {block: its spikes}
    for n in np.unique(b.lengths[~nan]):
        which = np.flatnonzero((b.lengths == n) & ~nan)
        if n < 5:
            continue
        z = scores(y_all[b.starts[which][:, None] + np.arange(n)])  # (series, n)
        for r, i in zip(*np.nonzero(z)):
            hits.setdefault(which[r], []).append(
                Spike(int(i), float(y_all[b.starts[which[r]] + i]), float(z[r, i])))
    for i in np.flatnonzero(nan):  # (NaN left out: their neighbours are the values beside)
        found = spikes(y_all[b.starts[i]:b.ends[i]])
        if found:
            hits[i] = found
    ds = df[DS].to_numpy()
    return [(b.ids[i], hits[i], ds[b.order[b.starts[i]:b.ends[i]]]) for i in sorted(hits)]


ROBUST = "; or fit with scale='robust' (--scale robust), which they do not widen"


def warn_panel_spikes(df, scale: Optional[str] = "std", stacklevel: int = 3,
                      what: str = "") -> None:
    """Warn (:class:`~rnnlab.data.outliers.OutlierWarning`) naming the series of ``df``
    with extreme values, their dates and values; with ``scale='std'`` (the default), that
    ``scale='robust'`` is not moved by them (None: no model's scale to speak of); ``what``
    starts the message (the new data of a ``predict(history=...)``)."""
    found = panel_spikes(df)
    if not found:
        return
    shown = "; ".join(f"{uid!r}: {spike_text(hits, [shown_date(d) for d in dates])}"
                      for uid, hits, dates in found[:SERIES_SHOWN])
    more = len(found) - SERIES_SHOWN
    shown += f" and {more} more series" if more > 0 else ""
    verb = "have" if len(found) > 1 else "has"
    warnings.warn(f"{what}{len(found)} series {verb} extreme values, far from both neighbours: "
                  f"{shown}; {ADVICE}" + (ROBUST if scale == "std" else ""),
                  OutlierWarning, stacklevel=callers_level(stacklevel))
