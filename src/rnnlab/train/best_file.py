"""``best.safetensors``: the best epoch's weights, written beside a run's checkpoints each
time the validation loss improves (Keras' ``ModelCheckpoint(save_best_only=True)``), so a
run killed mid-way (a spot instance's SIGKILL, a crash) or still running has them on disk
as a plain safetensors file: ``safetensors.torch.load_file(path)``, or
``rnnlab.io.weights.load_weights``, then ``model.load_state_dict``. Written atomically
after the epoch's checkpoint, by rank 0; its header's metadata ``rnnlab_best`` says, as
JSON, which epoch, its validation loss and the step count
(``safetensors.safe_open(path, "pt").metadata()``). The checkpoint's training state holds the same
weights (:func:`rnnlab.train.best_weights` reads them from there)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, Optional

import torch

BEST_NAME = "best.safetensors"
META_KEY = "rnnlab_best"  # its header's metadata: JSON {"epoch", "val_loss", "steps"}


def write_best(directory: Path, weights: Dict[str, torch.Tensor], epoch: int,
               val_loss: float, steps: int) -> Path:
    """``weights`` (on the CPU) into ``directory / best.safetensors``, replacing it
    atomically (a kill leaves the previous best or this one, never a part)."""
    from ..io.weights import save_weights

    path = Path(directory) / BEST_NAME
    # one key: safetensors writes several in no fixed order, and the same seed must give
    # the same file byte for byte
    save_weights(path, weights, metadata={META_KEY: json.dumps(
        {"epoch": epoch, "val_loss": val_loss, "steps": steps})})
    return path


def best_metadata(directory) -> Optional[Dict[str, Any]]:
    """What ``directory / best.safetensors`` says of its weights (epoch, val_loss, steps),
    or None when there is no such file."""
    from ..io.weights import read_header

    path = Path(directory) / BEST_NAME
    if not path.is_file():
        return None
    meta = read_header(path).get("__metadata__") or {}
    return json.loads(meta[META_KEY]) if META_KEY in meta else {}
