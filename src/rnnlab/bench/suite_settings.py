"""What :func:`~rnnlab.bench.suite.run_suite` was asked to measure, checked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional, Tuple

import torch

from .names import FAST_IMPLS, LENGTHS, MODELS
from ..io.errors import ConfigError


@dataclass(frozen=True)
class SuiteSettings:
    """How run_suite measures, as its caller asked (checked by :func:`suite_settings`)."""

    dtype: torch.dtype
    device: torch.device
    warmup: int
    repeats: int
    depth: int  # transition depth of the deep-transition models
    reference: bool  # custom cells get a reference-loop row
    graphs: bool  # each fast path (and torch.nn) again, captured into a CUDA graph
    impls: List[str]  # the fast paths tried
    lengths: str  # "full" or "variable"
    row_seconds: Optional[float]  # cap on each row's timed runs


def suite_settings(models, dtype, device, warmup, repeats, depth, reference, graphs,
                   impls, lengths, row_seconds) -> Tuple[List[str], SuiteSettings]:
    """(the models, the settings) of run_suite, each checked; ``graphs`` None: on CUDA."""
    if lengths not in LENGTHS:
        raise ConfigError(f"lengths must be one of {LENGTHS}, got {lengths!r}")
    impls = list(impls)
    bad = [i for i in impls if i not in FAST_IMPLS]
    if bad or not impls:
        raise ConfigError(f"unknown fast path(s) {bad}; known: {', '.join(FAST_IMPLS)}")
    graphs = device.type == "cuda" if graphs is None else graphs
    if graphs and device.type != "cuda":
        raise ConfigError("CUDA graphs need --device cuda")
    models = list(models)
    unknown = [m for m in models if m not in MODELS]
    if unknown:
        raise ConfigError(f"unknown model(s) {unknown}; known: {', '.join(MODELS)}")
    return models, SuiteSettings(dtype, device, warmup, repeats, depth, reference,
                                 graphs, impls, lengths, row_seconds)
