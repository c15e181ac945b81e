"""One row of ``rnnlab bench``: what ran, its times, and its ratios to its anchors."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Dict, Optional


@dataclass
class Result:
    config: str  # workload name
    model: str  # what ran
    path: str  # which implementation ran (torch / fused / fast-torch / fast-triton / reference)
    layers: int
    dtype: str
    device: str
    fwd_ms: Optional[float]  # forward, under torch.no_grad (None: the row failed)
    fwd_bwd_ms: Optional[float]  # forward + backward of a scalar loss
    steps_per_s: Optional[float]  # `steps` per second of forward + backward
    anchor: str  # what the ratio compares with
    ratio: Optional[float]  # fwd_bwd_ms / anchor's fwd_bwd_ms (None for the anchor itself)
    ratio_ref: Optional[float] = None  # custom cells: fast path / reference loop
    fwd_bwd_min_ms: Optional[float] = None  # the fastest forward+backward (less noise-prone)
    ratio_min: Optional[float] = None  # fwd_bwd_min_ms / anchor's fwd_bwd_min_ms
    lengths: str = "full"  # "full": every sequence T steps; "variable": lengths in [T/2, T]
    ratio_fwd: Optional[float] = None  # fwd_ms / anchor's fwd_ms (forward only, no_grad)
    error: Optional[str] = None  # why the row has no times ("failed: ...", "over the time
    #                              cap: ...", "interrupted: not timed")
    repeats: Optional[int] = None  # timed runs behind the medians (fewer for slow rows)
    anchor_fwd_bwd_ms: Optional[float] = None  # the anchor's fwd_bwd_ms behind `ratio`
    anchor_fwd_ms: Optional[float] = None  # the anchor's fwd_ms behind `ratio_fwd`
    steps: Optional[int] = None  # real time steps in the batch: the sum of the lengths (T*B
    #                              with full lengths); None in files written before it, whose
    #                              steps_per_s counted T*B even with variable lengths
    fwd_cpu_ms: Optional[float] = None  # this process's CPU time over the fwd runs (median;
    #                                     every thread: above fwd_ms where threads ran in
    #                                     parallel, below it where the process waited)
    fwd_bwd_cpu_ms: Optional[float] = None  # the same over the fwd+bwd runs; None in files
    #                                         written before it, and for a failed row

    def as_dict(self) -> Dict[str, Any]:
        return asdict(self)


def _ms(seconds: Optional[float]) -> Optional[float]:
    return None if seconds is None else seconds * 1e3


def _ratio(mine: Optional[float], anchor: Optional[float]) -> Optional[float]:
    return None if mine is None or not anchor else mine / anchor
