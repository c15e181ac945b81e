"""What the training loop checks of the model and the validation loss as it goes: weights
that became inf or NaN (never checkpointed, never resumed), a validation loss that is not
finite or not there while early stopping waits on it, and what counts as a better one."""

from __future__ import annotations

import math
import warnings
from typing import Optional

import torch

from ..io.model_dir import nonfinite_names
from .stops import TrainingDiverged


def nonfinite_weight(state: dict) -> Optional[str]:
    """The name of the first floating tensor of ``state`` (a state_dict) that holds an inf
    or a NaN, or None when every one is finite."""
    bad = nonfinite_names(state)
    return bad[0] if bad else None


def kept_note(ckpt) -> str:
    """How a message on a stopped run ends: which checkpoint is kept (the run resumes from
    it), or that none was written yet; "" for a run that keeps none."""
    if ckpt is None:
        return ""
    folder = ckpt.resume_folder() if ckpt.exists() else None
    if folder is None:  # (it said "the last good checkpoint is kept" of none at all)
        return "; no checkpoint was written before it (the first is written at an epoch's end)"
    return f"; the last good checkpoint, {folder.name}, is kept"


def check_weights(model: torch.nn.Module, steps: int, ckpt) -> None:
    """Before a checkpoint (and at each epoch's end): weights with an inf or a NaN stop the
    run. A step with a finite loss can still overflow them (a large learning rate); they
    were checkpointed, and that checkpoint failed again at the first step of each resume."""
    bad = nonfinite_weight(model.state_dict())
    if bad is not None:
        raise TrainingDiverged(
            f"the weights became non-finite (inf or NaN in {bad!r}) after step {steps}, "
            f"though the loss was finite{'; they are not checkpointed' if ckpt else ''}. "
            f"Start again with a lower learning rate (--lr; a resume keeps the checkpoint's), "
            f"or clip the gradients (--clip-norm)"
            + kept_note(ckpt))


def is_better(val: float, best: Optional[float], min_delta: float) -> bool:
    """Whether ``val`` improves on the best validation loss so far by more than
    ``min_delta`` (Keras' EarlyStopping: both the best weights and patience use it)."""
    return best is None or val < best - min_delta


def keep_best(state, model: torch.nn.Module, val: Optional[float], epoch: int, cfg) -> None:
    """After epoch ``epoch``'s validation loss ``val`` (None or not finite: nothing to
    judge): the best weights kept (``cfg.min_delta``), or one more epoch without
    improvement, early stopping after ``cfg.patience`` of them."""
    hist = state.hist
    if val is None or not math.isfinite(val):
        return
    if is_better(val, hist.best_val_loss, cfg.min_delta):
        hist.best_val_loss, hist.best_epoch, state.bad_epochs = val, epoch, 0
        state.best_state = {k: v.detach().clone().cpu() for k, v in model.state_dict().items()}
        return
    state.bad_epochs += 1
    hist.stopped_early = cfg.patience is not None and state.bad_epochs >= cfg.patience
    if hist.stopped_early:
        hist.stop_reason = "early stopping"


def keep_best_at_stop(stop, state, model: torch.nn.Module):
    """A run stopped by a signal ends as a finished one does: the best epoch's weights go
    back into ``model`` (it held the last step's, and Ctrl-C lost the best model of a fit
    without checkpoints) and ``stop.history`` holds the epochs done, its ``stop_reason``
    "interrupted" (it said "epochs done"). Called after the last
    checkpoint is written (it holds the last step's weights, to resume from). The
    traceback's note says which weights the model holds; ``str(stop)`` stays the commands'."""
    if not state.hist.stopped_early:  # (its checkpoint, written before, says "epochs done")
        state.hist.stop_reason = "interrupted"
    return _best_back(stop, state, model, "so far")


def keep_best_at_divergence(diverged, state, model: torch.nn.Module):
    """A run that diverged (``TrainingDiverged``) ends as an interrupted one does: the best
    epoch's weights go back into ``model`` (it held the last step's, or NaN weights, and
    Keras' and Lightning's users expect the best kept) and ``diverged.history`` holds the
    epochs done, its ``stop_reason`` "diverged". Without a validated epoch the model keeps
    the last step's weights, and the note says so."""
    state.hist.stop_reason = "diverged"
    if state.best_state is None:
        diverged.history = state.hist
        if hasattr(diverged, "add_note"):
            diverged.add_note("rnnlab.train.fit: no epoch was validated before it diverged, "
                              "so the module it trains holds the last step's weights (they "
                              "may be inf or NaN); the exception's .history holds the epochs "
                              "done")
        return diverged
    return _best_back(diverged, state, model, "before it diverged")


def _best_back(stop, state, model: torch.nn.Module, when: str):
    """``stop`` with its ``history``, the best epoch's weights back in ``model`` (when
    there are any) and a note saying so (Python 3.11+)."""
    stop.history = state.hist
    if state.best_state is None:
        return stop
    model.load_state_dict(state.best_state)
    if hasattr(stop, "add_note"):  # (Python 3.11+)
        stop.add_note(f"rnnlab.train.fit: the module it trains now holds the weights of epoch "
                      f"{state.hist.best_epoch}, the best validation loss {when} "
                      f"({state.hist.best_val_loss:.6g}); the exception's .history holds the "
                      f"epochs done")
    return stop


class ValidationNotes:
    """Warn once per run when the validation loss cannot do what the config asks of it:
    it is not finite (an empty validation set's mean is NaN), or it is None while
    ``patience`` waits for it. Both were silent: the best weights were never kept, and
    early stopping never stopped."""

    def __init__(self):
        self.said = set()

    def __call__(self, val: Optional[float], epoch: int, patience: Optional[int]) -> None:
        if val is None and patience is not None and "none" not in self.said:
            self.said.add("none")
            warnings.warn(f"fit: patience={patience} stops on the validation loss, and "
                          f"task.validate returned None (no validation): early stopping is "
                          f"off and the last epoch's weights are kept; return the validation "
                          f"loss from validate, or set patience=None", stacklevel=5)
        if val is not None and not math.isfinite(val) and "nonfinite" not in self.said:
            self.said.add("nonfinite")
            warnings.warn(f"fit: the validation loss is {val} at epoch {epoch} (an empty "
                          f"validation set gives NaN, the mean of nothing; so does a model "
                          f"whose outputs are not finite); an epoch whose "
                          f"validation loss is not finite is never the best and does not "
                          f"count towards patience. Check what validate evaluates",
                          stacklevel=5)


def plain_record(rec: dict) -> None:
    """The fields an ``on_epoch`` added to an epoch's record, as plain values in place: a
    one-element tensor (``(pred == y).float().mean()``) or a numpy scalar becomes its
    number, as Keras' metrics do, and a larger one (per-class scores) its list (a tensor
    stayed in ``history.to_dict()``, whose ``json.dumps`` failed). Other values that JSON
    cannot hold are refused by name."""
    for key, v in list(rec.items()):
        rec[key] = _plain(v, repr(key))


def _plain(v, where: str):
    import numpy as np

    if isinstance(v, torch.Tensor):  # (a one-element one: its number; else a list)
        return v.detach().item() if v.numel() == 1 else v.detach().cpu().tolist()
    if isinstance(v, (np.generic, np.ndarray)):
        return v.tolist()
    if isinstance(v, dict):  # (lm train's samples: {prompt: text})
        return {k: _plain(u, f"{where}[{k!r}]") for k, u in v.items()}
    if isinstance(v, (list, tuple)):
        return [_plain(u, f"{where}[{i}]") for i, u in enumerate(v)]
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    from ..io.errors import ConfigTypeError

    raise ConfigTypeError(f"fit: on_epoch set the epoch record's {where} to a "
                          f"{type(v).__name__}; a record holds numbers, text, lists, dicts "
                          f"or None (the history is JSON): store float(value) or a summary")
