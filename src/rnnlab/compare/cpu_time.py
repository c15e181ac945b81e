"""CPU seconds beside a comparison record's wall-clock training seconds.

``train_seconds`` is wall clock: on a machine that other work shares it swings (one record's
GRU trained at 2,501 time steps/s, the same code at 13,100 by CPU time), so two records made
under different loads do not compare. ``train_cpu_seconds`` is the training process's CPU
time over the same loop (``time.process_time``: every thread of the process, not its child
processes; under DDP rank 0's own), which a busy machine barely moves. It is still not a
speed benchmark: a thread waiting on a lock or a cache miss counts, and threads running at
once add up (``rnnlab bench`` measures speed).
"""

from __future__ import annotations

from typing import Dict, Optional


def cpu_fields(cpu_seconds: Optional[float], steps: float) -> Dict[str, Optional[float]]:
    """``train_cpu_seconds`` and ``steps_per_cpu_second`` of a record: ``steps`` trained
    over ``cpu_seconds`` (None each, when the history has no CPU time: an earlier rnnlab's)."""
    if cpu_seconds is None:
        return {"train_cpu_seconds": None, "steps_per_cpu_second": None}
    cpu = float(cpu_seconds)
    return {"train_cpu_seconds": cpu, "steps_per_cpu_second": steps / cpu if cpu > 0 else None}
