"""The training loop, its configuration and checkpoints."""

import sys
from typing import TYPE_CHECKING

from ..lazy import LazyPackage
from .config import TrainConfig

sys.modules[__name__].__class__ = LazyPackage  # rnnlab.train.best_weights stays the function

# these import torch: loaded on first use (rnnlab.lazy), so the parsers stay torch-free
_LAZY = {"CheckpointManager": ".checkpoint", "resolve_device": ".device",
         "seed_everything": ".device", "History": ".loop", "Task": ".task",
         "TrainingDiverged": ".stops", "TrainingInterrupted": ".stops", "fit": ".loop",
         "TensorTask": ".tensor_task", "best_weights": ".best_weights",
         "OneProcessNote": ".launch_checks"}  # (a warning class: one DDP process)


if TYPE_CHECKING:  # what a type checker sees of _LAZY (rnnlab ships py.typed)
    from .best_weights import best_weights
    from .checkpoint import CheckpointManager
    from .device import resolve_device, seed_everything
    from .launch_checks import OneProcessNote
    from .loop import History, fit
    from .stops import TrainingDiverged, TrainingInterrupted
    from .task import Task
    from .tensor_task import TensorTask
else:  # hidden from checkers: a misspelt name is an error there, not an Any
    from ..lazy import lazy_hooks

    __getattr__, __dir__ = lazy_hooks(__name__)  # (dir(): the lazy names too)


__all__ = [
    "TrainConfig", "fit", "History", "Task", "TensorTask", "CheckpointManager",
    "TrainingDiverged", "TrainingInterrupted", "resolve_device", "seed_everything",
    "best_weights", "OneProcessNote",
]
