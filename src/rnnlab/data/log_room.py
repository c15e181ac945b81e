"""Whether float64 logs still tell a positive series' changes apart.

``log y`` of a value near 9e15 has a resolution (one float64 step) of about 7e-15, which
is 64 in units of y: a series 2**53 + 2 * (100 .. 220) (counters, ids, totals in units)
has every change of its log rounded to 0 or one step. Modelled in logs its changes are
gone (a panel series read as constant was forecast 3.5e13 off, for changes of 20); the
same values without the log are exact. ``transform='auto'`` takes the log only where it
keeps them; ``transform='log'`` is refused there, saying so.
"""

from __future__ import annotations

import numpy as np

from ..io.errors import DataError

# the largest share of a typical step that the log's round-off may take
LOG_ROUNDOFF_SHARE = 1e-3


def log_resolution(y: np.ndarray) -> float:
    """The largest value of one float64 step of ``log y``, in units of y (``y`` > 0)."""
    y = np.asarray(y, dtype=np.float64)
    # exp(log y) can be no closer than y's own spacing, whatever log y's is (log 1 = 0)
    step = np.maximum(np.spacing(np.abs(np.log(y))), np.finfo(np.float64).eps)
    return float(np.max(y * step))


def typical_step(y: np.ndarray) -> float:
    """The median size of the nonzero changes of ``y`` (0 for a constant series)."""
    steps = np.abs(np.diff(np.asarray(y, dtype=np.float64)))
    steps = steps[steps > 0]
    return float(np.median(steps)) if len(steps) else 0.0


def log_keeps_changes(y: np.ndarray) -> bool:
    """True when the log of ``y`` (positive values) rounds its typical change by at most
    LOG_ROUNDOFF_SHARE of it; a constant series has no change to lose."""
    y = np.asarray(y, dtype=np.float64)
    step = typical_step(y)
    return step == 0 or log_resolution(y) <= LOG_ROUNDOFF_SHARE * step


def refuse_lossy_log(y: np.ndarray, what: str = "the series") -> None:
    """transform='log' asked for where the log would round the changes of ``y`` (``what``:
    "series 'a'") away."""
    if log_keeps_changes(y):
        return
    y = np.asarray(y, dtype=np.float64)
    raise DataError(f"transform='log' on {what}: its values (up to {y.max():.6g}) "
                    f"change by about {typical_step(y):.3g} a step, and float64 logs of "
                    f"them resolve only {log_resolution(y):.3g}, so the log would round "
                    f"those changes away; use transform='none' (--transform none; or "
                    f"'auto', which then takes none), or subtract an offset from the series")
