"""The training loop, its configuration and checkpoints."""

from .checkpoint import CheckpointManager
from .config import TrainConfig
from .device import resolve_device, seed_everything
from .loop import History, Task, TrainingDiverged, TrainingInterrupted, fit

__all__ = [
    "TrainConfig", "fit", "History", "Task", "CheckpointManager",
    "TrainingDiverged", "TrainingInterrupted", "resolve_device", "seed_everything",
]
