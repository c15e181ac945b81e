"""What :func:`rnnlab.train.fit` checks of its arguments before the first step, and of
what a task returns at each step: an error that says what was expected, what was found
and what to do, instead of a traceback from deep inside the loop."""

from __future__ import annotations

from typing import Any, Tuple

import torch
from torch import Tensor, nn

from ..io.errors import ConfigError, ConfigTypeError, RnnlabError, UnsupportedError
from .config import TrainConfig
from .optim import autocast

TASK_METHODS = ("num_batches", "get_batch", "initial_carry", "train_loss", "validate")


def check_on_epoch(on_epoch) -> None:
    """An ``on_epoch`` that is not callable, or that cannot be called as ``fn(epoch,
    record)`` (``lambda epoch: ...``), failed after the first epoch had trained, the
    latter with Python's TypeError, which a tuner catching RnnlabError did not catch."""
    if on_epoch is not None and not callable(on_epoch):
        raise ConfigTypeError(f"fit: on_epoch must be a function (epoch, record) -> None or None, "
                              f"got {type(on_epoch).__name__} {on_epoch!r:.60}")
    if on_epoch is None:
        return
    import inspect

    try:
        signature = inspect.signature(on_epoch)
    except (TypeError, ValueError):  # (a builtin without one: called as it is)
        return
    try:
        signature.bind(1, {})
    except TypeError as e:
        name = str(getattr(on_epoch, "__qualname__", type(on_epoch).__name__))[:60]
        raise ConfigTypeError(f"fit: on_epoch is called as fn(epoch, record) after each epoch, "
                              f"and {name}{signature} cannot be ({e}); take both: "
                              f"def on_epoch(epoch, record): ...") from None


def check_fit_args(model, task, cfg, on_epoch=None) -> None:
    """``fit(model, task, cfg, on_epoch=...)`` as the loop needs them (raises
    TypeError/ValueError)."""
    check_on_epoch(on_epoch)
    if not isinstance(cfg, TrainConfig):
        raise ConfigTypeError(f"fit: cfg must be a rnnlab.train.TrainConfig, got "
                              f"{type(cfg).__name__}; build one: TrainConfig(epochs=..., lr=...)"
                              + (" (TrainConfig(**d) from a dict)" if isinstance(cfg, dict) else ""))
    if not isinstance(model, nn.Module):
        raise ConfigTypeError(f"fit: model must be a torch.nn.Module, got {type(model).__name__}")
    missing = [m for m in TASK_METHODS if not callable(getattr(task, m, None))]
    if missing:
        raise ConfigTypeError(f"fit: the task has no {', '.join(missing)}; a task has the methods "
                              f"of rnnlab.train.Task: {', '.join(TASK_METHODS)}" + _data_hint(task))
    check_batch_size(task, cfg)
    params = list(model.parameters())
    if not any(p.requires_grad for p in params):
        raise ConfigError(
            "fit: the model has nothing to train: "
            + (f"none of its {len(params)} parameters requires grad; unfreeze some "
               f"(p.requires_grad_(True))" if params else
               "it has no parameters; give it layers with parameters (nn.Linear, rnnlab.nn.LSTM)"))
    made = sum(p.is_inference() for p in params)
    if made:  # (fit trains out of the caller's inference mode, not such a model's weights)
        raise ConfigError(
            f"fit: {made} of the model's {len(params)} parameters were made under "
            f"torch.inference_mode() (inference tensors, which no optimizer may update: "
            f"\"Inplace update to inference tensor outside InferenceMode\"); build the model "
            f"outside it, or inside `with torch.inference_mode(False):`")


def check_batch_size(task, cfg: TrainConfig) -> None:
    """A ``TrainConfig(batch_size=64)`` beside a TensorTask that batches otherwise: fit
    does not read the config's (the task makes its batches), and it trained silently on
    the task's 32 rows, a Keras user's ``batch_size`` lost."""
    from .tensor_task import TensorTask

    default = TrainConfig.__dataclass_fields__["batch_size"].default
    if (isinstance(task, TensorTask) and cfg.batch_size != default
            and cfg.batch_size != task.batch_size):
        raise ConfigError(f"fit: TrainConfig.batch_size is {cfg.batch_size} and the TensorTask "
                          f"batches {task.batch_size} rows; fit does not read the config's (the "
                          f"task makes its batches): pass TensorTask(..., batch_size="
                          f"{cfg.batch_size}), or leave TrainConfig.batch_size at its default")


def _data_hint(task) -> str:
    """What to do when ``task`` is data (tensors, a DataLoader or Dataset), not a task."""
    name = type(task).__name__
    if isinstance(task, torch.utils.data.DataLoader):
        return (". A DataLoader's batches cannot be resumed exactly: pass its tensors as "
                "rnnlab.train.TensorTask(x, y, batch_size=...) ("
                + _dataset_hint(task.dataset, "loader.dataset", task.batch_size) + ")")
    if isinstance(task, torch.utils.data.Dataset):
        return (f". For a dataset ({name} given): rnnlab.train.TensorTask(x, y, loss_fn=..., "
                f"batch_size=..., val=(x_val, y_val)) (" + _dataset_hint(task, "dataset") + ")")
    if isinstance(task, (tuple, list, Tensor)):
        return (f". For tensors ({name} given): rnnlab.train.TensorTask(x, y, loss_fn=..., "
                f"batch_size=..., val=(x_val, y_val)); several inputs as a tuple "
                f"x=(x, lengths): model(*x)")
    return ""


def _dataset_hint(dataset, name: str, batch_size=None) -> str:
    """How a Dataset's data goes into a TensorTask (a TensorDataset of (x, lengths, y) went
    in as TensorTask(*tensors): its lengths taken for y, its y for loss_fn)."""
    size = "" if batch_size is None else f", batch_size={batch_size}"
    if isinstance(dataset, torch.utils.data.TensorDataset):
        if len(dataset.tensors) == 2:
            return f"a TensorDataset's: TensorTask(*{name}.tensors{size})"
        return (f"a TensorDataset of {len(dataset.tensors)} tensors, the last the target: "
                f"TensorTask({name}.tensors[:-1], {name}.tensors[-1]{size}), the inputs as a "
                f"tuple: model(*x)")
    return ("its items stacked into tensors; sequences of different lengths padded with "
            "torch.nn.utils.rnn.pad_sequence(seqs, batch_first=True) and passed with their "
            f"lengths: TensorTask((padded, lengths), y{size}), model(padded, lengths)")


def warn_if_nothing_left(at, cfg: TrainConfig) -> None:
    """A resumed run whose checkpoint already finished ``cfg.epochs`` epochs trains nothing
    (and a CLI then rewrites its outputs from the same weights): say so."""
    if at.epoch >= cfg.epochs and not at.index:
        import warnings

        warnings.warn(f"fit(resume=True): the checkpoint has finished {at.epoch} epochs and "
                      f"cfg.epochs is {cfg.epochs}, so nothing is trained; to train on, raise "
                      f"epochs above {at.epoch} (lm train: --resume RUN --epochs N)",
                      stacklevel=3)


# what a resume takes from the checkpoint whatever the config says: the optimizer's state
# holds its rate, decay and momentum (nesterov, dampening, betas, eps, amsgrad too); the RNG
# states replace the seed
KEPT_ON_RESUME = ("lr", "weight_decay", "momentum", "nesterov", "dampening", "betas", "eps",
                  "amsgrad", "seed")
# what a resume is meant to change (more epochs, a larger budget, another machine; how often
# it checkpoints, which trains the same: a panel resumed with another checkpoint_every was
# said to "no longer match an uninterrupted one")
FREE_ON_RESUME = ("epochs", "max_seconds", "progress", "device", "checkpoint_every")


def changed_on_resume(was: Any, now: dict, checkpoint_dir) -> None:
    """Warn when a resumed run's TrainConfig differs from the checkpoint's in more than
    :data:`FREE_ON_RESUME`: resumed with ``lr=0.5``, a run went on at the checkpoint's rate,
    silently, and a changed ``clip_norm`` made it differ from an uninterrupted run, unsaid."""
    import warnings

    from ..io.atomic import finite_json

    if not isinstance(was, dict):  # (a checkpoint written before it was recorded)
        return
    # (meta.json is strict JSON: clip_norm=inf was recorded as null)
    diff = [k for k in now if k in was and k not in FREE_ON_RESUME
            and finite_json(was[k]) != finite_json(now[k])]
    if not diff:
        return
    kept = [k for k in diff if k in KEPT_ON_RESUME]
    taken = [k for k in diff if k not in KEPT_ON_RESUME]
    said = ", ".join(f"{k}={now[k]!r} (the checkpoint's: {was[k]!r})" for k in diff)
    warnings.warn(
        f"fit(resume=True): this TrainConfig differs from the one {checkpoint_dir} was "
        f"trained with: {said}. "
        + (f"The checkpoint's {', '.join(kept)} {'go' if len(kept) > 1 else 'goes'} on "
           f"(the optimizer's state and the RNG states are restored); " if kept else "")
        + (f"{', '.join(taken)} {'apply' if len(taken) > 1 else 'applies'} from here on, "
           f"so the run no longer matches an uninterrupted one; " if taken else "")
        + "resume with the checkpoint's values, or start a new run to change them",
        stacklevel=4)


def check_loss(result: Any) -> Tuple[Tensor, Any]:
    """``task.train_loss``'s result as ``(loss, carry)``, loss a one-element float tensor."""
    if not (isinstance(result, tuple) and len(result) == 2):
        found = (f"a tuple of {len(result)}" if isinstance(result, tuple) else
                 f"one tensor of shape {tuple(result.shape)}" if isinstance(result, Tensor)
                 else type(result).__name__)
        raise ConfigTypeError(f"Task.train_loss must return (loss, carry), got {found}; return "
                              f"(loss, None) when nothing is carried between batches")
    loss = result[0]
    if not isinstance(loss, Tensor) or loss.numel() != 1 or not loss.is_floating_point():
        found = (f"a tensor of shape {tuple(loss.shape)} and dtype {loss.dtype}"
                 if isinstance(loss, Tensor) else type(loss).__name__)
        raise ConfigTypeError(f"Task.train_loss must return a one-element float tensor as its loss "
                        f"(e.g. F.mse_loss(pred, y), or out.mean()), got {found}"
                        + ("; keep it a tensor (no .item()), the loop calls backward on it"
                           if isinstance(loss, (int, float)) else ""))
    if not loss.requires_grad and torch.is_grad_enabled():
        raise ConfigError("Task.train_loss returned a loss that does not depend on any "
                          "parameter (it has no grad_fn); compute it from model(...) inside "
                          "train_loss, not under torch.no_grad() and without .detach()")
    return result


def finite_grads(params) -> bool:
    """Whether every gradient among ``params`` is finite (a skipped or diverged step)."""
    return all(bool(torch.isfinite(p.grad).all()) for p in params if p.grad is not None)


def finite_carry(carry) -> bool:
    """Whether every tensor of a carried state (any nesting of tuples and lists) is finite."""
    from .collectives import map_tree

    found: list = []
    map_tree(found.append, carry)
    return all(bool(torch.isfinite(t).all()) for t in found)


def fit_device(model: nn.Module, cfg: TrainConfig) -> torch.device:
    """Where ``fit`` trains when it is given no ``device``: where the model's parameters
    are. ``cfg.device`` other than "auto" must name that device (it was ignored: a
    ``TrainConfig(device="cuda")`` trained a CPU model on the CPU, silently)."""
    from .device import resolve_device

    have = next(model.parameters()).device
    if cfg.device == "auto":
        return have
    want = resolve_device(cfg.device)  # (says so when CUDA is missing)
    if want.type != have.type or (want.index is not None and want.index != have.index):
        raise ConfigError(
            f"fit: TrainConfig.device is {cfg.device!r}, and the model's parameters are on "
            f"{have}; move the model there first (model.to({str(want)!r})), or set "
            f"device='auto' to train where the model is")
    return have


def check_checkpoint_dir(checkpoint_dir, resume: bool) -> None:
    """Before the first step (the first checkpoint is written after an epoch's training):
    a folder to resume from, a folder and not a file, and no other run's checkpoint in
    it unless resuming (a new run pruned it: the old run's checkpoint was gone, unasked)."""
    from pathlib import Path

    from .checkpoint import CheckpointManager

    if checkpoint_dir is None:
        if resume:
            raise ConfigError("fit: resume=True needs checkpoint_dir, the folder the run to "
                              "resume wrote its checkpoints to")
        return
    path = Path(checkpoint_dir)
    if path.exists() and not path.is_dir():
        raise ConfigError(f"fit: checkpoint_dir {str(path)!r} is a file, not a folder; pass a "
                          f"folder (made if missing) for the checkpoints")
    if not resume and CheckpointManager(path).exists():
        raise ConfigError(f"fit: checkpoint_dir {str(path)!r} holds another run's checkpoint; "
                          f"pass resume=True to go on from it, or another (or empty) folder "
                          f"to start a new run; delete the folder to discard that run")


def check_val(val: Any):
    """``task.validate``'s result as the history keeps it: a float or None. A one-element
    tensor (``F.mse_loss(...)`` as returned) or a numpy number is taken as its value: the
    history is JSON, and a tensor there failed the first checkpoint ("Object of type
    Tensor is not JSON serializable")."""
    import numbers

    if val is None:
        return None
    if isinstance(val, Tensor) and val.numel() == 1 and not val.is_complex():
        return float(val.detach())
    if isinstance(val, numbers.Real) and not isinstance(val, bool):
        return float(val)
    found = (f"a tensor of shape {tuple(val.shape)}" if isinstance(val, Tensor)
             else f"{type(val).__name__} {val!r}"[:80])
    raise ConfigTypeError(f"Task.validate must return the validation loss as a number (or None "
                          f"when the task does not validate), got {found}")


def training_path(model: nn.Module, cfg: TrainConfig, device: torch.device) -> str:
    """Which implementation the recurrent layers train on, as the loop will run them;
    an impl that cannot run here is refused before the first step, saying why."""
    from ..nn.paths import describe_path

    dtype = next((p.dtype for p in model.parameters() if p.is_floating_point()), torch.float32)
    modes = [(m, m.training) for m in model.modules()]
    model.train()  # (the path training takes: recurrent_dropout runs the step loop only then)
    try:
        return describe_path(model, dtype, device, lambda: autocast(cfg, device))
    except RuntimeError as err:  # e.g. impl="triton" without CUDA or without Triton; a
        # kernel impl with recurrent_dropout (an UnsupportedError: its own type kept)
        kind = UnsupportedError if isinstance(err, UnsupportedError) else RnnlabError
        raise kind(f"cannot train with impl={cfg.impl!r} on {device}: "
                   f"{str(err).splitlines()[0]}") from None
    finally:
        for m, mode in modes:  # (each module's own mode back: a frozen one stays in eval)
            m.training = mode
