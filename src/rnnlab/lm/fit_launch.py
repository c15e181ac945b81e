"""Where ``CharLM.fit``'s training runs: in this process, on the device asked for, or in
worker processes (one per device, or this one's place in a torchrun group) whose rank 0
leaves the trained weights and history in a folder read back here; and the record the
fit keeps of how it went (``CharLM.info``)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any, Dict, Optional

from ..train import History
from ..train.distributed import DistContext, launch
from .config import LMTrainConfig
from .fit_process import FitJob, fit_worker


def run_fit_job(job: FitJob, dcfg, device, net, spawn: bool,
                result_dir: Optional[str]) -> History:
    """``job`` trained, its history returned: by the workers :func:`launch` starts
    (``spawn``, or under torchrun), ``net`` then loaded with what rank 0 left in
    ``result_dir``; else in this process."""
    if spawn or "RANK" in os.environ:
        hist = launch(fit_worker, (job,), dcfg)
    else:  # one process, on exactly the device asked for (e.g. cuda:1)
        hist = fit_worker(DistContext(device=device), job)
    if spawn:  # the workers trained copies; rank 0 left the result here
        from ..io.weights import load_weights

        net.load_state_dict(load_weights(Path(result_dir) / "model.safetensors"))
        from ..io.json_file import read_json

        hist = History.from_dict(read_json(Path(result_dir) / "history.json"))
        net.to(device)
    return hist


def fit_info(hist: History, tc: LMTrainConfig, t0: float, dcfg, data_sha256,
             val_sha256) -> Dict[str, Any]:
    """The outcome of a fit that began at ``t0`` (``time.monotonic()``) and trained
    ``hist``: what stopped it, its seconds, best epoch, path, precision, processes and the
    identities of its texts."""
    stop = hist.stop_reason
    if stop == "time budget":
        stop = f"time budget ({tc.minutes} min)"
    return {"stopped_by": stop, "seconds": time.monotonic() - t0,  # (this call)
            "train_seconds": hist.seconds,  # all its epochs' (across a resume)
            # the loop's own (finite losses only: min() took a NaN epoch for best)
            "epochs": len(hist.epochs), "best_epoch": hist.best_epoch,
            "best_val_loss": hist.best_val_loss, "skipped_steps": hist.skipped_steps,
            "path": hist.path,  # which implementation the recurrent layers ran on
            "precision": hist.precision,  # which precision each part ran in
            "world_size": int(os.environ.get("WORLD_SIZE", 0))
            or dcfg.devices * dcfg.num_nodes, "data_sha256": data_sha256,
            "val_data_sha256": val_sha256}  # (None: carved off the text)
