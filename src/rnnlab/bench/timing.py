"""Median wall-clock time of a callable after warm-up."""

from __future__ import annotations

import statistics
import time
from typing import Callable

import torch

from ..io.errors import ConfigError


def median_seconds(fn: Callable[[], object], device: torch.device, warmup: int = 1,
                   repeats: int = 5) -> float:
    """Run ``fn`` ``warmup`` times, then ``repeats`` timed times; the median in seconds.

    On CUDA each run is bracketed by ``torch.cuda.synchronize`` so queued kernels count.
    """
    if repeats < 1:
        raise ConfigError(f"median_seconds: repeats must be >= 1, got {repeats}")
    cuda = device.type == "cuda"
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        if cuda:
            torch.cuda.synchronize(device)
        t0 = time.perf_counter()
        fn()
        if cuda:
            torch.cuda.synchronize(device)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)
