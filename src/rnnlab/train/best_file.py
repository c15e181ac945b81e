"""``best.safetensors``: the best epoch's weights, written beside a run's checkpoints each
time the validation loss improves (Keras' ``ModelCheckpoint(save_best_only=True)``), so a
run killed mid-way (a spot instance's SIGKILL, a crash) or still running has them on disk
as a plain safetensors file: ``safetensors.torch.load_file(path)``, or
``rnnlab.io.weights.load_weights``, then ``model.load_state_dict``. Written atomically
after the epoch's checkpoint, by rank 0; its header's metadata says which epoch, its
validation loss and the step count. The checkpoint's training state holds the same
weights (:func:`rnnlab.train.best_weights` reads them from there)."""

from __future__ import annotations

from pathlib import Path
from typing import Dict, Optional

import torch

BEST_NAME = "best.safetensors"


def write_best(directory: Path, weights: Dict[str, torch.Tensor], epoch: int,
               val_loss: float, steps: int) -> Path:
    """``weights`` (on the CPU) into ``directory / best.safetensors``, replacing it
    atomically (a kill leaves the previous best or this one, never a part)."""
    from ..io.weights import save_weights

    path = Path(directory) / BEST_NAME
    save_weights(path, weights, metadata={"epoch": str(epoch), "val_loss": repr(val_loss),
                                          "steps": str(steps)})
    return path


def best_metadata(directory) -> Optional[Dict[str, str]]:
    """The metadata of ``directory / best.safetensors`` (epoch, val_loss, steps), or None
    when there is none."""
    from ..io.weights import read_header

    path = Path(directory) / BEST_NAME
    if not path.is_file():
        return None
    return dict(read_header(path).get("__metadata__") or {})
