"""What ``CharLM.fit`` keeps of a training: the weights and history that worker processes
(one per device) left in a folder, read back; and the record of how it went
(``CharLM.info``)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any, Dict

from ..train import History
from .config import LMTrainConfig


def read_fit_result(net, result_dir: str, device) -> History:
    """What the workers' rank 0 left in ``result_dir`` (they trained copies): its weights
    loaded into ``net``, moved to ``device``; its history returned."""
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
            # the same span's CPU seconds (every thread; under DDP rank 0's process alone)
            "train_cpu_seconds": hist.cpu_seconds,
            # the loop's own (finite losses only: min() took a NaN epoch for best)
            "epochs": len(hist.epochs), "best_epoch": hist.best_epoch,
            "best_val_loss": hist.best_val_loss, "skipped_steps": hist.skipped_steps,
            "path": hist.path,  # which implementation the recurrent layers ran on
            "precision": hist.precision,  # which precision each part ran in
            "world_size": int(os.environ.get("WORLD_SIZE", 0))
            or dcfg.devices * dcfg.num_nodes, "data_sha256": data_sha256,
            "val_data_sha256": val_sha256}  # (None: carved off the text)
