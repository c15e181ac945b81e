"""The best epoch's weights out of a run's checkpoint folder, without resuming it: a
crashed, killed or still running fit keeps them in its training state (Keras'
``ModelCheckpoint(save_best_only=True)`` file, here read from the last checkpoint)."""

from __future__ import annotations

from typing import Dict, Tuple

import torch

from ..io.errors import CheckpointError
from ..type_aliases import StrPath
from .checkpoint import CheckpointManager, load_checkpoint_dir


def best_weights(checkpoint_dir: StrPath) -> Tuple[Dict[str, torch.Tensor], int]:
    """``(state_dict, epoch)``: the weights of the best validation loss so far in the
    latest checkpoint of ``checkpoint_dir`` (a folder ``fit(..., checkpoint_dir=...)``
    wrote; a forecast run's ``checkpoints/member0``, an lm train run's ``checkpoints``),
    and the epoch they are from. ``model.load_state_dict(weights)`` puts them in a model
    built as the run's. Its ``model.safetensors`` holds the last step's weights instead."""
    ckpt = CheckpointManager(checkpoint_dir)
    if not ckpt.exists():
        raise CheckpointError(f"best_weights: no checkpoint in {checkpoint_dir} (a folder "
                              f"holding latest.json and ckpt-* folders, written by "
                              f"fit(..., checkpoint_dir=...)); pass that folder")
    state = _latest_state(ckpt)
    best = state.get("best_state") if isinstance(state, dict) else None
    epoch = ((state.get("history") or {}).get("best_epoch")
             if isinstance(state, dict) else None)
    if not best or epoch is None:
        raise CheckpointError(
            f"best_weights: the checkpoint in {checkpoint_dir} holds no best weights: the run "
            f"had validated no epoch when it was written, or has no validation; its "
            f"model.safetensors holds the last step's weights (rnnlab.io.weights.load_weights)")
    return best, int(epoch)


def _latest_state(ckpt: CheckpointManager) -> dict:
    """The latest complete checkpoint's training state, only read: ``ckpt.load()`` (a
    resume's) also deletes the temporaries of a save in progress, which in a run still
    training are the checkpoint it is writing. A folder the run deletes (a newer one in
    place) as it is read is looked for again."""
    for attempt in range(3):
        folder = ckpt.resume_folder()
        if folder is None:
            return ckpt.load()[1]  # (says why none is complete)
        try:
            return load_checkpoint_dir(folder)[1]
        except CheckpointError:
            if attempt == 2 or folder.is_dir():
                raise
    raise AssertionError("unreachable")
