"""The training loop, its configuration and checkpoints."""

from ..lazy import lazy_attr
from .config import TrainConfig

# these import torch: loaded on first use (rnnlab.lazy), so the parsers stay torch-free
_LAZY = {"CheckpointManager": ".checkpoint", "resolve_device": ".device",
         "seed_everything": ".device", "History": ".loop", "Task": ".task",
         "TrainingDiverged": ".stops", "TrainingInterrupted": ".stops", "fit": ".loop",
         "TensorTask": ".tensor_task", "best_weights": ".best_weights"}


def __getattr__(name):
    return lazy_attr(__name__, name)


__all__ = [
    "TrainConfig", "fit", "History", "Task", "TensorTask", "CheckpointManager",
    "TrainingDiverged", "TrainingInterrupted", "resolve_device", "seed_everything",
    "best_weights",
]
