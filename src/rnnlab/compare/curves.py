"""Loss curves of one training run, its gradient norms, and the check that its training
loss fell."""

from __future__ import annotations

import math
from typing import List, Optional


def _num(v) -> Optional[float]:
    return None if v is None or (isinstance(v, float) and not math.isfinite(v)) else float(v)


def curve_record(epochs: List[dict]) -> dict:
    """Per-epoch train/validation losses, gradient norms (each epoch's mean and largest
    total norm before clipping: rnnlab.train.grad_norms) and ``cpu_seconds`` (the run's
    CPU seconds at the epoch's end, as the fit's history and ``history.csv`` give them;
    None where unknown: resumed from an earlier rnnlab's checkpoint), first/last/lowest training loss,
    the run's largest gradient norm and its clipped steps (None: no clipping, or a history
    without them), and whether the training loss fell (last epoch's mean below the first
    epoch's; None with fewer than two epochs to compare)."""
    train = [_num(e.get("train_loss")) for e in epochs]
    tops = [t for t in (_num(e.get("grad_norm_max")) for e in epochs) if t is not None]
    clipped = [e.get("clipped_steps") for e in epochs]
    val = [_num(e.get("val_loss")) for e in epochs]
    seen = [t for t in train if t is not None]
    first, last = (seen[0], seen[-1]) if seen else (None, None)
    return {"curve": {"epoch": [int(e["epoch"]) for e in epochs], "train": train, "val": val,
                      "grad_norm_mean": [_num(e.get("grad_norm_mean")) for e in epochs],
                      "grad_norm_max": [_num(e.get("grad_norm_max")) for e in epochs],
                      "cpu_seconds": [_num(e.get("cpu_seconds")) for e in epochs]},
            "grad_norm_max": max(tops) if tops else None,
            "clipped_steps": (sum(clipped) if clipped and None not in clipped else None),
            "first_train_loss": first, "last_train_loss": last,
            "min_train_loss": min(seen) if seen else None,
            # None: one epoch (or none finite) cannot show a fall
            "loss_fell": (seen[-1] < seen[0]) if len(seen) >= 2 else None}
