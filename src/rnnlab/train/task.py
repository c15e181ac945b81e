"""What the training loop asks of a task (:func:`rnnlab.train.fit`): its batches, a pure
function of (epoch, index), their loss, and a validation score."""

from __future__ import annotations

from typing import Any, Optional, Protocol, Tuple

from torch import Tensor, nn


class Task(Protocol):
    """What :func:`rnnlab.train.fit` trains on (:class:`TensorTask` is one, over tensors):
    ``num_batches(epoch)``; ``get_batch(epoch, index)``, a pure function of its arguments
    (a resumed run sees the batches an uninterrupted one would); ``initial_carry()``, the
    state carried from batch to batch (None: none; tensors, numbers, flags, text, and tuples,
    namedtuples, lists and dicts of them: fit detaches its tensors after each step, and a
    checkpoint keeps it, a resumed run going on from it; a checkpoint holds data, no class,
    so a namedtuple comes back as itself where ``initial_carry()`` returns one of its
    class, ``Carry(None, 0)``; from None, a run resumed mid-epoch gets a namedtuple of the
    same name and fields, built anew: ``carry.state`` reads, ``isinstance`` does not; a
    plain tuple where they are not ones a file may name, such as ``rename=True``'s ``_1``);
    ``train_loss(model, batch, carry) ->
    (loss, carry)`` (data-parallel, ``batch`` is this process's rows of the batch; a process
    that a short last batch leaves with none gets them too, and must run the model on them,
    as DDP's forward runs on every process: the loop trains on an exact zero in place of
    the loss it returns, so a mean over no rows, NaN, needs no guard); ``validate(model)``,
    the validation loss in eval mode (None: none, so no best weights and no early
    stopping)."""

    def num_batches(self, epoch: int) -> int: ...
    def get_batch(self, epoch: int, index: int) -> Any: ...  # the global batch
    def initial_carry(self) -> Any: ...
    def train_loss(self, model: nn.Module, batch: Any, carry: Any) -> Tuple[Tensor, Any]: ...
    def validate(self, model: nn.Module) -> Optional[float]: ...  # called in eval mode
