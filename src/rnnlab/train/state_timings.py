"""A checkpoint's timings kept beside its training state, in ``meta.json``.

The training state holds the run's history, whose ``seconds`` (the run's, and each
epoch's) differ between two runs of the same seed. Kept in the state, they made its file
(and its SHA-256) differ whatever else was equal; kept in ``meta.json`` (``"timings"``),
``train_state.safetensors`` holds the same bytes for the same seed, and the history is
put back whole when the checkpoint loads. A checkpoint an earlier rnnlab wrote (its
timings inside the state, none in ``meta.json``) loads as it is.
"""

from __future__ import annotations

import numbers
from typing import Any, Dict, Optional, Tuple

from ..io.errors import CheckpointError

TIMINGS = "timings"  # meta.json's key: {"seconds": the run's, "epochs": each epoch's,
#                     "cpu_seconds": the run's CPU time, "epochs_cpu": each epoch's (both
#                     absent from earlier checkpoints)}
_RUN_CLOCKS = ("seconds", "cpu_seconds")  # the history's run-level times


def split_timings(train_state: Dict[str, Any]) -> Tuple[Dict[str, Any], Optional[dict]]:
    """(``train_state`` with its history's seconds at 0.0, those seconds); the state as it
    is and None when it holds no history. The caller's dicts are left as they were."""
    hist = train_state.get("history")
    if not isinstance(hist, dict) or not isinstance(hist.get("epochs"), list):
        return train_state, None
    epochs = hist["epochs"]
    timings = {"seconds": hist.get("seconds"),
               "epochs": [e.get("seconds") if isinstance(e, dict) else None for e in epochs]}
    if "cpu_seconds" in hist:
        timings["cpu_seconds"] = hist["cpu_seconds"]
    if any(isinstance(e, dict) and "cpu_seconds" in e for e in epochs):
        timings["epochs_cpu"] = [e.get("cpu_seconds") if isinstance(e, dict) else None
                                 for e in epochs]
    hist = dict(hist, epochs=[_zeroed(e) for e in epochs])
    for key in _RUN_CLOCKS:
        if hist.get(key) is not None:  # (a None cpu_seconds, unknown, stays None)
            hist[key] = 0.0
    return dict(train_state, history=hist), timings


def merge_timings(train_state: Dict[str, Any], timings: Any, where) -> Dict[str, Any]:
    """``train_state`` with the seconds :func:`split_timings` took out put back (as it is
    when ``timings`` is None: an earlier rnnlab's checkpoint); CheckpointError when they do
    not fit its history."""
    if timings is None:
        return train_state
    hist = train_state.get("history")
    if not isinstance(hist, dict) or not isinstance(hist.get("epochs"), list):
        return train_state  # (the resume's check of the state's kinds names what is wrong)
    epochs = hist["epochs"]
    seconds = timings.get("seconds") if isinstance(timings, dict) else None
    cpu = timings.get("cpu_seconds") if isinstance(timings, dict) else None
    each = timings.get("epochs") if isinstance(timings, dict) else None
    each_cpu = timings.get("epochs_cpu", [None] * len(epochs)) \
        if isinstance(timings, dict) else None  # (absent: an earlier rnnlab's, unknown)
    if not (isinstance(each, list) and len(each) == len(epochs)
            and isinstance(each_cpu, list) and len(each_cpu) == len(epochs)
            and all(_number_or_none(s) for s in [seconds, cpu, *each, *each_cpu])):
        found = f"{timings!r}"[:80]
        raise CheckpointError(f"{where}: its {TIMINGS!r} should hold the run's seconds and one "
                              f"number per epoch of the training state's history "
                              f"({len(epochs)}), found {found}; the checkpoint is damaged: "
                              f"resume from another one, or start the run again")
    hist = dict(hist, epochs=[_timed(e, s, c) for e, s, c in zip(epochs, each, each_cpu)])
    if "seconds" in hist:
        hist["seconds"] = seconds
    if "cpu_seconds" in hist:  # (None where it was None; absent from an earlier rnnlab's)
        hist["cpu_seconds"] = cpu
    return dict(train_state, history=hist)


def _zeroed(e):
    """An epoch's record with its seconds (wall and CPU) at 0.0 where it has them."""
    if not isinstance(e, dict):
        return e
    return {k: 0.0 if k in ("seconds", "cpu_seconds") and v is not None else v
            for k, v in e.items()}


def _timed(e, seconds, cpu):
    """An epoch's record with the ``seconds`` and ``cpu`` :func:`_zeroed` took out."""
    if not isinstance(e, dict):
        return e
    return {k: seconds if k == "seconds" else cpu if k == "cpu_seconds" else v
            for k, v in e.items()}


def _number_or_none(v) -> bool:
    return v is None or (isinstance(v, numbers.Real) and not isinstance(v, bool))
