"""Extreme values that cannot be right: a 1e9 typed among values near 100, a reading with
its decimal point moved. Such a value is far from *both* its neighbours, so a level shift
or a counter reset (a jump that stays) is not one.

For a series ``y`` (``g = log y`` when every known value is > 0, else ``g = y``), each
point ``t`` has a distance ``j_t``, the larger of

- the smaller of its two one-step changes, ``min(|g_t - g_{t-1}|, |g_t - g_{t+1}|)`` (the
  last value's one change; the first value is not judged), and
- over the runs of two or three values ``a..e`` holding ``t`` with a known value on both
  sides (glitches in a row, each one's neighbour another), the largest of each run's
  smallest distance of one of its values from ``g_{a-1}`` or ``g_{e+1}`` (a run at either
  end of the series is not judged: a new level there looks the same; where ``RANK`` or
  more values are extreme only as such runs, a season's peak of two or three months,
  only those ``factor`` times farther than the ``RANK``-th farthest of them are);

and is extreme when ``j_t`` is both

* more than ``threshold`` robust standard deviations of the series' one-step changes
  (1.4826 x their median absolute deviation; their mean absolute deviation where more than
  half do not change: a stuck sensor), and
* far in level: on logs at least a factor ``factor`` from both neighbours
  (``j_t > log(factor)``); on the values themselves (a series reaching 0 or below)
  ``factor`` times the ``RANK``-th largest ``j`` of the series (so up to ``RANK - 1``
  glitches stand out of series whose spikes are all alike: sales of 0 with a few orders,
  one at a time or in runs; none where fewer than ``RANK`` points differ from both
  neighbours).

The defaults (10 and 5: five times the level, in a series whose changes are under about
a sixth of its level) flag nothing in the data sets rnnlab ships, whose strikes and
Christmas peaks (employment falling to 0.7 or rising to 1.8 of its level for a month) are
real, and flag the glitches above. This only warns; the value is used as it is.
"""

from __future__ import annotations

import contextlib
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, List, Optional, Sequence, Union

import numpy as np

if TYPE_CHECKING:  # (pandas: read only where a frame is given)
    import pandas as pd

THRESHOLD = 10.0  # robust standard deviations of the one-step changes
FACTOR = 5.0  # how far in level from both neighbours (module docstring)
RUN = 3  # runs of up to this many values far from the known values either side (docstring)
RANK = 5  # without logs: ``FACTOR`` times the RANK-th largest change from both neighbours
SHOWN = 3  # extreme values named per series
MAD_SD = 1.4826  # a normal's standard deviation per median absolute deviation


class OutlierWarning(UserWarning):
    """A series has a value far from both its neighbours (:mod:`rnnlab.data.outliers`)."""


@dataclass(frozen=True)
class Spike:
    position: int  # in the values given (NaN included)
    value: float
    score: float  # robust standard deviations of the one-step changes


def _spread(c: np.ndarray) -> np.ndarray:
    """(k,) a robust standard deviation of each row of ``c`` (k, m), already centred:
    1.4826 x its median absolute value, or its mean absolute value where that median is 0."""
    a = np.abs(c)
    s = MAD_SD * np.median(a, axis=1)
    return np.where(s > 0, s, a.mean(axis=1))


def scores(v: np.ndarray, threshold: float = THRESHOLD,
           factor: float = FACTOR) -> np.ndarray:
    """(k, n) each value's score, robust standard deviations of its row's one-step changes
    (0 where it is not extreme: module docstring), for the rows of ``v`` (k, n >= 5), series
    of known values; all at once (a panel's series of one length)."""
    k, n = v.shape
    logs = np.asarray((v > 0).all(axis=1))  # (k,) (an array: axis=1 of a 2-d array)
    with np.errstate(divide="ignore", invalid="ignore"):
        g = np.where(logs[:, None], np.log(np.where(logs[:, None], v, 1.0)), v)
    step = np.diff(g, axis=1)  # (k, n - 1)
    s, d = _spread(step - np.median(step, axis=1, keepdims=True)), np.abs(step)
    # (the first value has one neighbour, and the start of a series going from its first
    # level to another is common; the last one is kept: the forecast starts from it)
    one = np.minimum(np.c_[np.zeros(k), d], np.c_[d, np.full(k, np.inf)])  # (k, n)
    jump = one
    for length in range(2, RUN + 1):
        jump = np.maximum(jump, run_jumps(g, length))
    ranked = -np.partition(-jump, min(RANK, n) - 1, axis=1)[:, min(RANK, n) - 1]
    # (without logs, fewer than RANK spikes at all: far is 0 and none stands out)
    far = np.where(logs, np.log(factor), factor * ranked)  # (k,)
    ok = (s > 0) & (far > 0)  # (nothing changes: no score)
    hit = ok[:, None] & (jump > threshold * s[:, None]) & (jump > far[:, None])
    in_runs = hit & ~((one > threshold * s[:, None]) & (one > far[:, None]))  # (k, n)
    # (RANK or more values extreme only as runs: a pattern, a season's peak of two or
    # three months; those of them that stand out of it still are)
    rows = np.flatnonzero(in_runs.sum(axis=1) >= RANK)  # (few or none)
    if rows.size:
        ranked = -np.partition(-np.where(in_runs[rows], jump[rows], 0.0), RANK - 1, axis=1)
        pattern = ranked[:, RANK - 1]  # (rows,)
        beyond = np.where(logs[rows], pattern + np.log(factor), factor * pattern)
        hit[rows] &= ~in_runs[rows] | (jump[rows] > beyond[:, None])
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(hit, jump / np.where(ok, s, 1.0)[:, None], 0.0)


def run_jumps(g: np.ndarray, length: int) -> np.ndarray:
    """(k, n) for each value of ``g`` (k, n), the largest over the runs of ``length``
    values holding it, with a known value on both sides, of the run's smallest distance
    from those two values (0 where no such run holds it)."""
    k, n = g.shape
    out = np.zeros((k, n))
    m = n - length - 1  # runs starting at 1 .. n - length - 1
    if m <= 0:
        return out
    before, after = g[:, :m], g[:, length + 1:]  # (k, m) the values either side of each run
    far = np.full((k, m), np.inf)
    for o in range(length):
        inner = g[:, 1 + o:1 + o + m]  # (k, m)
        far = np.minimum(far, np.minimum(np.abs(inner - before), np.abs(inner - after)))
    for o in range(length):
        out[:, 1 + o:1 + o + m] = np.maximum(out[:, 1 + o:1 + o + m], far)
    return out


def spikes(values, threshold: float = THRESHOLD, factor: float = FACTOR) -> List[Spike]:
    """The extreme values of ``values`` (module docstring), in order of position; NaN
    values are left out (their neighbours are the known values either side)."""
    y = np.asarray(values, dtype=np.float64).reshape(-1)
    known = np.flatnonzero(np.isfinite(y))
    if len(known) < 5:  # (too few to tell a typical change)
        return []
    v = y[known]
    z = scores(v[None, :], threshold, factor)[0]
    return [Spike(int(known[i]), float(v[i]), float(z[i])) for i in np.flatnonzero(z)]


def spike_text(found: Sequence[Spike], labels: Union[Sequence, pd.Index, None] = None) -> str:
    """``1e+09 at 1955-05 (position 76)``, the first :data:`SHOWN` of ``found``."""
    def one(p: Spike) -> str:
        at = f"position {p.position}"
        shown = None if labels is None else _label(labels[p.position])
        if shown is not None and shown != str(p.position):
            at = f"{shown} ({at})"
        return f"{p.value:.6g} at {at}"

    more = len(found) - SHOWN
    return ", ".join(one(p) for p in found[:SHOWN]) + (f" and {more} more" if more > 0 else "")


def _label(x) -> str:
    import pandas as pd

    if isinstance(x, pd.Timestamp) and x == x.normalize():
        return str(x.date())
    return str(x)


ADVICE = ("a value like this inflates the series' scale (wide intervals) and is echoed in "
          "the forecast; if it is a mistake, correct it, or make it NaN and fill it "
          "(fill='interpolate', --fill interpolate)")


def spike_note(name: str, values, labels: Union[Sequence, pd.Index, None] = None
               ) -> Optional[str]:
    """The warning's text for one series, or None when it has no extreme value."""
    found = spikes(values)
    if not found:
        return None
    return (f"series {name!r} has {len(found)} extreme value{'s' * (len(found) > 1)}, "
            f"far from both neighbours: {spike_text(found, labels)}; {ADVICE}")


def warn_spikes(name: str, values, labels: Union[Sequence, pd.Index, None] = None,
                stacklevel: int = 3) -> None:
    """Warn (:class:`OutlierWarning`) when the series has an extreme value."""
    note = spike_note(name, values, labels)
    if note:
        warnings.warn(note, OutlierWarning, stacklevel=stacklevel)


@contextlib.contextmanager
def quiet_spikes():
    """Within: no :class:`OutlierWarning` (the fits after the first of one data: a
    backtest's origins, a comparison's models and seeds; said once, not again and again)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OutlierWarning)
        yield
