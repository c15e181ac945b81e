"""What the training loop asks of a task (:func:`rnnlab.train.fit`): its batches, a pure
function of (epoch, index), their loss, and a validation score."""

from __future__ import annotations

from typing import Any, Optional, Protocol, Tuple

from torch import Tensor, nn


class Task(Protocol):
    def num_batches(self, epoch: int) -> int: ...
    def get_batch(self, epoch: int, index: int) -> Any: ...  # the global batch
    def initial_carry(self) -> Any: ...
    def train_loss(self, model: nn.Module, batch: Any, carry: Any) -> Tuple[Tensor, Any]: ...
    def validate(self, model: nn.Module) -> Optional[float]: ...  # called in eval mode
