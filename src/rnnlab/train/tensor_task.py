"""A :class:`~rnnlab.train.loop.Task` over tensors in memory: what ``fit`` trains a model
of your own on, as Keras' ``model.fit(x, y, validation_data=...)`` does.

:func:`rnnlab.train.fit` takes no DataLoader: its batches must be a pure function of
(seed, epoch, index) for a resumed run to see the batches an uninterrupted one does. A
``TensorDataset``'s tensors go here as they are: ``TensorTask(*loader.dataset.tensors)``.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Mapping, Optional, Sequence, Tuple, Union

import torch
from torch import Tensor, nn

from ..io.errors import ConfigError, ConfigTypeError, DataError
from ..nn.errors import ShapeError
from ..number_kinds import is_whole
from ..seed_ranges import BATCH_ORDER, seed_problem
from .empty_share import zero_over_parameters

# x or y of a task: a tensor, or a tuple (list) of tensors of the same rows
Tensors = Union[Tensor, Sequence[Tensor]]


class TensorTask:
    """``loss_fn(model(x), y)`` on batches of ``batch_size`` rows of ``x`` and ``y``.

    Args:
        x, y: tensors with the same number of rows (dim 0), on any device (each batch is
            moved to the model's). Either may be a tuple of such tensors: ``model(*x)``
            and ``loss_fn(output, *y)`` (variable lengths: ``x=(padded, lengths)`` for a
            ``forward(x, lengths)``, ``y=(target, lengths)`` for a loss that leaves out
            the padded steps).
        loss_fn: ``(output, target) -> one-element tensor``, mean over the rows
            (default: ``nn.functional.mse_loss``, the output and ``y`` of one shape).
        batch_size: rows per optimizer step; larger than ``x``: one batch of all rows.
        val: ``(x_val, y_val)``: the validation loss, in batches of ``batch_size``, their
            losses weighted by their rows (the mean over all rows for a mean loss; a
            mean over each batch's valid steps is weighted by rows too, as Keras'); None:
            no validation (no best weights, no early stopping).
        shuffle: a new order of the rows each epoch, from ``seed`` and the epoch
            (``TrainConfig.seed`` seeds dropout, not this order).
        drop_last: leave out the last batch when it is shorter than ``batch_size``.

    >>> import torch
    >>> from rnnlab.train import TensorTask, TrainConfig, fit
    >>> x, y = torch.randn(64, 10), torch.randn(64, 1)
    >>> model = torch.nn.Linear(10, 1)                  # any module: model(x) -> output
    >>> task = TensorTask(x, y, batch_size=16, val=(x[:16], y[:16]))
    >>> history = fit(model, task, TrainConfig(epochs=2, patience=3, progress=False))
    >>> len(history.epochs), list(history.epochs[0])[:6]    # one record per epoch
    (2, ['epoch', 'train_loss', 'val_loss', 'lr', 'seconds', 'cpu_seconds'])
    >>> list(history.epochs[0])[6:]    # the gradient's norm before clipping (grad_norms)
    ['grad_norm_mean', 'grad_norm_max', 'clipped_steps']

    Padded sequences: ``TensorTask((x, lengths), (y, lengths), loss_fn=masked_mse)``
    calls ``model(x, lengths)`` and ``masked_mse(output, y, lengths)``.
    """

    def __init__(self, x: Tensors, y: Tensors, loss_fn: Optional[Callable[..., Tensor]] = None,
                 batch_size: int = 32, val: Optional[Tuple[Tensors, Tensors]] = None,
                 shuffle: bool = True, seed: int = 0, drop_last: bool = False) -> None:
        x, y = _tupled(x), _tupled(y)
        _check_pair(x, y, "x, y")
        if not (is_whole(batch_size) and batch_size >= 1):
            raise ConfigError(f"TensorTask: batch_size must be a whole number >= 1, got "
                              f"{batch_size!r}")
        bad_seed = seed_problem(seed, BATCH_ORDER, "the batch order's generator takes "
                                "seed * 100_003 + epoch")  # (1.5 failed in fit, in torch)
        if bad_seed:
            raise ConfigError(f"TensorTask: {bad_seed}")
        if loss_fn is not None and not callable(loss_fn):
            several = ("; several input tensors go in as one tuple: TensorTask((x, "
                       "lengths), y)" if isinstance(loss_fn, Tensor) else "")
            raise ConfigTypeError(f"TensorTask: loss_fn must be a function (output, target) -> "
                                  f"loss, got {type(loss_fn).__name__}{several}")
        if val is not None:
            if not (isinstance(val, (tuple, list)) and len(val) == 2):
                raise ConfigTypeError(f"TensorTask: val must be (x_val, y_val) or None, got "
                                      f"{type(val).__name__}")
            val = (_tupled(val[0]), _tupled(val[1]))
            _check_pair(*val, "val")
        if drop_last and _rows(x) < batch_size:
            raise DataError(f"TensorTask: drop_last=True leaves no batch: {_rows(x)} rows, "
                            f"fewer than batch_size={batch_size}; lower batch_size or set "
                            f"drop_last=False")
        self.x, self.y, self.val = x, y, val  # (as given: a tensor or a tuple of them)
        self.loss_fn = loss_fn or _mse
        self.batch_size, self.shuffle, self.seed, self.drop_last = (batch_size, shuffle,
                                                                     seed, drop_last)
        # (epoch, its order of the rows)
        self._order: Tuple[Optional[int], Optional[Tensor]] = (None, None)

    def __repr__(self) -> str:  # (not ``<... object at 0x...>``, nor the tensors)
        val = "no validation" if self.val is None else f"val {_rows(self.val[0])} rows"
        return (f"TensorTask(x {_shapes(self.x)}, y {_shapes(self.y)}, batch_size="
                f"{self.batch_size}, {self.num_batches(0)} batches per epoch, {val})")

    def num_batches(self, epoch: int) -> int:
        """Batches of ``batch_size`` rows in an epoch (the last shorter, unless ``drop_last``)."""
        n, b = _rows(self.x), self.batch_size
        return n // b if self.drop_last else -(-n // b)

    def get_batch(self, epoch: int, index: int) -> Tuple[Tensors, Tensors]:
        """Batch ``index`` of ``epoch``: its rows of ``x`` and ``y`` (in the epoch's order)."""
        done, order = self._order
        if done != epoch or order is None:  # (one permutation per epoch: a step costs O(batch))
            n = _rows(self.x)
            g = torch.Generator().manual_seed(self.seed * 100_003 + epoch)
            order = torch.randperm(n, generator=g) if self.shuffle else torch.arange(n)
            self._order = (epoch, order)
        rows = order[index * self.batch_size:(index + 1) * self.batch_size]
        return _take(self.x, rows), _take(self.y, rows)

    def initial_carry(self) -> None:
        """None: nothing is carried from batch to batch."""
        return None

    def train_loss(self, model: nn.Module, batch: Any, carry: Any) -> Tuple[Tensor, None]:
        """``(loss_fn(model(*x), *y), None)`` of ``batch`` on the model's device."""
        x, y = _to_model(model, batch)
        if _rows(x) == 0:  # this rank's share of a short last batch (fit weights it 0)
            (one,) = _to_model(model, (_take(self.x, torch.arange(1)),))
            _check_output(_call(model, one))  # (run: DDP's forward syncs buffers)
            return zero_over_parameters(model), None
        return _loss(self.loss_fn, _call(model, x), y), None

    def validate(self, model: nn.Module) -> Optional[float]:
        """The loss on ``val`` (:meth:`evaluate`), or None without one."""
        return None if self.val is None else self.evaluate(model, *self.val)

    def evaluate(self, model: nn.Module, x: Tensors, y: Tensors) -> float:
        """The loss of ``model`` on ``x`` and ``y`` (tensors, or tuples of them as the task
        takes), Keras' ``evaluate``: in eval mode (dropout off; the model's mode is given
        back: called after a fit, it ran with dropout on, another loss at each call), in
        batches of ``batch_size``, their losses weighted by their rows."""
        x, y = _tupled(x), _tupled(y)
        _check_pair(x, y, "evaluate")
        total, was_training = 0.0, model.training
        model.eval()
        try:
            with torch.no_grad():
                for i in range(0, _rows(x), self.batch_size):
                    rows = slice(i, i + self.batch_size)
                    bx, by = _to_model(model, (_take(x, rows), _take(y, rows)))
                    total += float(_loss(self.loss_fn, _call(model, bx), by)) * _rows(bx)
        finally:
            model.train(was_training)
        return total / _rows(x)


def _mse(out: Tensor, y: Tensor) -> Tensor:
    """The default loss: mean squared error, its shapes equal (mse_loss broadcast an output
    (B, 1) against a target (B,) into (B, B), and trained on that with a mere warning)."""
    if not isinstance(out, Tensor):  # (a recurrent body's (outputs, state): "'tuple' object
        raise ConfigTypeError(       # has no attribute 'shape'", from inside the loop)
            f"TensorTask: the model returned {_what(out)} and the default loss (mean squared "
            f"error) reads one tensor; rnnlab's recurrent layers and build_model's models "
            f"return (outputs, state): put a head on them in a module of your own (e.g. "
            f"nn.Linear on outputs[:, -1]), or pass loss_fn=fn(output, y) that reads the "
            f"{type(out).__name__}")
    if out.shape != y.shape:
        raise ShapeError(f"TensorTask: the model outputs {tuple(out.shape)} per batch and y is "
                         f"{tuple(y.shape)}; the default loss (mean squared error) needs the "
                         f"same shape: reshape y (y.unsqueeze(1) or y.view_as(...)), or pass "
                         f"loss_fn")
    return nn.functional.mse_loss(out, y)


def _what(out) -> str:
    """A model output that is not a tensor, in words: "a tuple of 2 (a tensor (8, 6, 4),
    a list)"."""
    if isinstance(out, (tuple, list)):
        parts = ", ".join(f"a tensor {tuple(u.shape)}" if isinstance(u, Tensor)
                          else f"a {type(u).__name__}" for u in out[:3])
        return f"a {type(out).__name__} of {len(out)} ({parts}{', ...' if len(out) > 3 else ''})"
    return f"a {type(out).__name__}"


def _to_model(model: nn.Module, batch):
    device = next(model.parameters()).device

    def move(t):
        return (tuple(move(u) for u in t) if isinstance(t, tuple)
                else t.to(device, non_blocking=True))
    return tuple(move(t) for t in batch)


# x and y are each a tensor or a tuple of tensors of the same rows
def _tupled(t):
    """A list of tensors as a tuple of them (a list of numbers stays, to be refused)."""
    return tuple(t) if isinstance(t, list) and t and all(isinstance(u, Tensor) for u in t) else t


def _rows(t) -> int:
    return len(t[0] if isinstance(t, tuple) else t)


def _shapes(t):
    return tuple(_shapes(u) for u in t) if isinstance(t, tuple) else tuple(t.shape)


def _take(t, rows):
    return tuple(u[rows.to(u.device) if torch.is_tensor(rows) else rows] for u in t) \
        if isinstance(t, tuple) else t[rows.to(t.device) if torch.is_tensor(rows) else rows]


def _call(model: nn.Module, x):
    return model(*x) if isinstance(x, tuple) else model(x)


def _check_output(out) -> None:
    """Refuse an output with no tensor in it (a tuple, list or dict of tensors is one,
    parts without one such as an empty tuple of states passed over)."""
    if not _holds_tensor(out):
        raise ConfigTypeError(f"TensorTask: the model returned {type(out).__name__} with no "
                              f"tensor in it; expected a tensor, or a tuple, list or dict "
                              f"of tensors (the output loss_fn reads)")


def _holds_tensor(out) -> bool:
    """Whether ``out`` is a tensor or holds one, nested in tuples, lists and dicts (a
    dict's values, not its keys)."""
    if isinstance(out, Tensor):
        return True
    if isinstance(out, Mapping):
        return any(_holds_tensor(v) for v in out.values())
    return isinstance(out, (tuple, list)) and any(_holds_tensor(v) for v in out)


def _loss(loss_fn, out, y):
    return loss_fn(out, *y) if isinstance(y, tuple) else loss_fn(out, y)


def _check_pair(x, y, what: str) -> None:
    rows: Dict[int, str] = {}  # {row count: the first part that has it}
    for name, given in zip(("x", "y"), (x, y)):
        parts = given if isinstance(given, tuple) and given else (given,)
        for i, t in enumerate(parts):
            label = f"{name}[{i}]" if isinstance(given, tuple) else name
            _check_tensor(t, label, what)
            rows.setdefault(len(t), label)
    if len(rows) > 1:
        raise DataError(f"TensorTask: {what}: " + " and ".join(
            f"{label} has {n} rows" for n, label in rows.items()) + "; they must pair row by row")
    if not next(iter(rows)):  # (an empty validation set gave a NaN loss, every epoch)
        raise DataError(f"TensorTask: {what} has no rows; give it data, or "
                         + ("val=None for no validation" if what == "val" else
                            "at least one row"))


def _check_tensor(t, label: str, what: str) -> None:
    if not isinstance(t, Tensor):
        # (whole numbers, class labels and lengths, were told .float(): cross_entropy
        # then refused the labels, and lengths became floats)
        whole = getattr(getattr(t, "dtype", None), "kind", "") in ("i", "u")
        hint = ((": torch.from_numpy(a)" + (".long()" if whole else ".float()"))
                if type(t).__module__ == "numpy" else
                ": a tuple of tensors (model(*x), loss_fn(output, *y))"
                if isinstance(t, (list, tuple)) else "")
        raise ConfigTypeError(f"TensorTask: {what}: {label} must be a torch.Tensor or a tuple "
                              f"of them, got {type(t).__name__}{hint}")
    if t.dim() == 0:
        raise DataError(f"TensorTask: {what}: {label} is a scalar; give it rows (dim 0)")
