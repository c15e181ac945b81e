"""The time budget (``TrainConfig.max_seconds``): read after every step, so that a budget
ends a run within a step of it, and agreed by every rank, so that all stop at the same
step (at an epoch's end only, a budget of 3 s ran 29 s where an epoch was 100 steps)."""

from __future__ import annotations

import time
from typing import Optional

from . import distributed as D
from .config import TrainConfig
from .run_state import History


def out_of_time(max_seconds: Optional[float], t0: float, ctx: D.DistContext) -> bool:
    """Whether ``max_seconds`` since ``t0`` (``time.perf_counter``) are spent, on any rank."""
    over = max_seconds is not None and time.perf_counter() - t0 >= max_seconds
    if ctx.active and max_seconds is not None:  # every rank stops at the same step
        over = D.all_sum([1.0 if over else 0.0], ctx)[0] > 0
    return over


def stop_at_budget(hist: History, cfg: TrainConfig, ctx: D.DistContext, epoch: int,
                   cut_short: bool) -> None:
    """At the end of epoch ``epoch`` (from 0), ``hist.seconds`` read: the run stops early
    ("time budget") when the budget is spent and epochs are left, or this one was cut
    short by it."""
    if cfg.max_seconds is None or hist.stopped_early:
        return
    over = hist.seconds >= cfg.max_seconds
    if ctx.active:  # every rank must stop at the same epoch
        over = D.all_sum([1.0 if over else 0.0], ctx)[0] > 0
    if over and (epoch + 1 < cfg.epochs or cut_short):
        hist.stopped_early, hist.stop_reason = True, "time budget"
