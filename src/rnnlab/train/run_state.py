"""What a training run's checkpoint holds, and the way back to it.

A run resumes exactly because nothing is hidden: a task's batches are a pure function
of (seed, epoch, index), and the checkpoint holds the weights, optimizer, schedule,
RNG states, history, best weights, data position, the epoch's loss so far and the
carried recurrent state. The carried state is gathered from the ranks and saved whole,
so a run resumes with any number of processes. Only rank 0 writes.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import torch
from torch import nn

from ..io.errors import CheckpointError, RnnlabError
from ..io.weights_match import check_state_dict
from ..type_aliases import StrPath
from . import distributed as D
from .checkpoint import CheckpointManager
from .checks import changed_on_resume
from .device import rng_state, set_rng_state
from .epoch_checks import check_weights, nonfinite_weight
from .grad_norms import EpochNorms
from .optim import settle_lr
from .state_kinds import check_state_kinds


def run_record(meta: Optional[dict], cfg) -> dict:
    """What each checkpoint's meta.json records of the run besides the caller's ``meta``:
    the training config, its seed and the versions (rnnlab, torch, numpy, pandas, python),
    so a checkpoint of :func:`rnnlab.train.fit` says how it was made."""
    from dataclasses import asdict

    from ..io.versions import versions

    return {"train_config": asdict(cfg), "seed": cfg.seed, "versions": versions(),
            **(meta or {})}


@dataclass
class History:
    """What :func:`rnnlab.train.fit` returns: ``epochs`` (one record per epoch: epoch,
    train_loss, val_loss, lr, seconds, cpu_seconds, grad_norm_mean and grad_norm_max (the
    total gradient norm before clipping, over the epoch's steps; None: no step),
    clipped_steps (the steps clipping changed; None: no clip_norm), and what ``on_epoch``
    added; :mod:`~rnnlab.train.grad_norms`), ``best_epoch`` and
    ``best_val_loss`` (None without validation), ``stop_reason``, ``stopped_early``,
    ``skipped_steps``, ``seconds`` (wall clock), ``cpu_seconds`` (this process's CPU time
    over the same span, every thread counted; under DDP rank 0's own; None when a run
    resumed a checkpoint that had none), ``steps``;
    ``path``: the recurrent layers' kernel."""

    epochs: List[Dict[str, Any]] = field(default_factory=list)  # one dict per epoch
    best_epoch: Optional[int] = None
    best_val_loss: Optional[float] = None
    skipped_steps: int = 0
    stopped_early: bool = False
    # epochs done | early stopping | time budget | interrupted (TrainingInterrupted.history)
    # | diverged (TrainingDiverged.history)
    stop_reason: str = "epochs done"
    seconds: float = 0.0
    steps: int = 0
    # CPU seconds of the same span as ``seconds`` (time.process_time: every thread of this
    # process; not its children, not other ranks): where other work shares the machine the
    # wall clock swings, this does not. None: not measured over the whole span (a history
    # an earlier rnnlab wrote, and a run resumed from its checkpoint, which stays None)
    cpu_seconds: Optional[float] = 0.0
    path: str = ""  # the recurrent layers' implementation (rnnlab.nn.paths.describe_path)
    # the precision each part trained in, as it ran (train.precision.layer_precision): the
    # LSTM layers in "32" inside bf16-mixed on a CPU without a bf16 LSTM kernel
    precision: Dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        from ..model_repr import history_repr

        return history_repr(self)

    def to_dict(self) -> Dict[str, Any]:
        """A copy, as plain JSON values (``json.dumps`` writes NaN for a missing loss; use
        :func:`rnnlab.io.atomic.finite_json` for strict JSON): changing it leaves the
        history as it was (the epochs' records were shared with it)."""
        import copy

        return copy.deepcopy(self.__dict__)

    def to_csv(self, path: StrPath) -> Path:
        """One row per epoch (epoch, train_loss, val_loss, lr, seconds, cpu_seconds, the
        gradient norms (grad_norm_mean, grad_norm_max, clipped_steps), then the fields an
        ``on_epoch`` added), written atomically to ``path``; a missing loss is an empty
        cell. ``pandas.read_csv(path)`` or a spreadsheet reads it. Returns the path."""
        from .history_csv import write_history_csv

        return write_history_csv(path, [self])

    @classmethod
    def from_dict(cls, d: Dict[str, Any]) -> "History":
        """The history :meth:`to_dict` gave (``cpu_seconds`` None where it has none: an
        earlier rnnlab's, whose CPU time was not kept)."""
        return cls(**{"cpu_seconds": None, **d})


@dataclass
class Position:
    """Where a run (re)starts in its data."""

    epoch: int = 0  # the epoch
    index: int = 0  # how many of its batches are done
    carry: Any = None  # the global carried state after them (None: the task's initial one)
    partial: Tuple[float, int] = (0.0, 0)  # the epoch's loss sum and step count so far


@dataclass
class RunState:
    """The part of a run its checkpoints hold, besides the position in the data."""

    model: nn.Module  # the bare model (not its DDP wrapper)
    opt: torch.optim.Optimizer
    sched: Any  # the learning-rate schedule, or None
    ctx: D.DistContext
    hist: History
    ckpt: Optional[CheckpointManager]  # None: the run keeps no checkpoints
    meta: Optional[dict] = None  # added to each checkpoint's meta.json
    best_state: Optional[dict] = None  # the weights of the best validation loss, on the CPU
    bad_epochs: int = 0  # epochs since the validation loss last improved
    # the epoch's gradient norms so far (every rank: the same, DDP averaged the gradients)
    norms: EpochNorms = field(default_factory=lambda: EpochNorms(None))

    def save(self, epoch: int, index: int, carry, part=(0.0, 0)) -> None:
        """Collective when distributed (gathers carries and RNG states); rank 0 writes.
        Called at each epoch's end with or without checkpoints: weights that became inf or
        NaN stop the run there (every rank holds the same weights: all stop alike)."""
        check_weights(self.model, self.hist.steps, self.ckpt)
        if self.ckpt is None:
            return
        ctx = self.ctx
        # (CUDA's generator where this process started CUDA: a CPU fit on a GPU machine
        # neither starts it for a checkpoint nor then records a GPU it never used)
        rngs = D.gather_to_all(rng_state(cuda="initialized"), ctx)
        carries = D.gather_to_all(D.map_tree(lambda t: t.detach().cpu(), carry), ctx)
        # the epoch's loss so far, as the ranks' mean (each rank restores it, with any number
        # of ranks, and the epoch's mean comes out as without the interruption)
        part = tuple(D.all_mean([float(part[0]), float(part[1])], ctx))
        if not ctx.is_main:
            return
        state = self._state(epoch, index, carries, part, rngs)
        self.ckpt.save(self.hist.steps, self.model.state_dict(), state,
                       dict(self.meta or {}, epoch=epoch, index=index, world_size=ctx.world_size))

    def save_best(self) -> None:
        """After the checkpoint of an epoch that improved: its weights in the checkpoint
        folder's ``best.safetensors`` (:mod:`~rnnlab.train.best_file`), rank 0 only."""
        if self.ckpt is None or not self.ctx.is_main or self.best_state is None:
            return
        from .best_file import write_best

        epoch, loss = self.hist.best_epoch, self.hist.best_val_loss
        assert epoch is not None and loss is not None  # (set with best_state, on improving)
        write_best(self.ckpt.directory, self.best_state, epoch, loss, self.hist.steps)

    def _state(self, epoch: int, index: int, carries, part, rngs) -> dict:
        return {
            "optimizer": self.opt.state_dict(),
            "optimizer_name": type(self.opt).__name__.lower(),  # adam | adamw | sgd
            "scheduler": self.sched.state_dict() if self.sched is not None else None,
            "rng": rngs, "history": self.hist.to_dict(), "best_state": self.best_state,
            "bad_epochs": self.bad_epochs, "epoch": epoch, "index": index,
            "carry": D.join_states(carries) if carries[0] is not None else None,
            "epoch_loss_sum": part[0], "epoch_loss_count": part[1],
            # [sum, max, count, clipped] of the epoch's gradient norms so far (grad_norms;
            # []: not known, the run resumed mid-epoch from a checkpoint without them)
            "epoch_grad_norms": (self.norms.totals() or []) if index else [0.0, 0.0, 0, 0],
            "world_size": self.ctx.world_size,
        }

    def resume(self, checkpoint_dir, seed: int, captured: bool) -> Position:
        """Load the latest checkpoint into this state (and the RNG); returns where to go on.
        ``captured``: the optimizer steps inside a CUDA graph (its rate a device tensor)."""
        ckpt, ctx = self.ckpt, self.ctx
        if ckpt is None or not ckpt.exists():
            raise RnnlabError(f"cannot resume: no checkpoint in {checkpoint_dir}")
        try:
            weights, st, meta = ckpt.load()
            check_train_state(st, meta, checkpoint_dir, ctx.is_main)
            check_state_kinds(st, self._state(0, 0, [None], (0.0, 0.0),
                                                 [rng_state(cuda="initialized")]), History,
                              checkpoint_dir)  # (each field of the kind save() writes)
        except CheckpointError as e:
            raise CheckpointError(f"{e}. The run cannot go on from it: start it again "
                                  f"(--overwrite keeps this run aside until the new one "
                                  f"finishes)") from None
        check_state_dict(self.model, weights, f"{checkpoint_dir} (the checkpoint to resume)")
        bad = nonfinite_weight(weights)
        if bad is not None:  # (it failed again at the first step; written by an older rnnlab)
            raise CheckpointError(f"cannot resume {checkpoint_dir}: its weights hold inf or NaN "
                                  f"({bad!r}): the run had diverged when it was written, and "
                                  f"would fail at the first step; start the run again with a "
                                  f"lower learning rate")
        from ..nn.gru_form import marked_forms

        self.model.load_state_dict(marked_forms(self.model, weights))  # (its own: no warning)
        check_optimizer(self.opt, st, checkpoint_dir)
        try:  # (torch's own checks of what the state holds: groups, RNG bytes)
            self.opt.load_state_dict(st["optimizer"])
            settle_lr(self.opt, ctx.device if captured else None)  # saved with or without
            if self.sched is not None and st.get("scheduler") is not None:  # CUDA graphs
                check_schedule(self.sched, st["scheduler"], checkpoint_dir)
                self.sched.load_state_dict(st["scheduler"])
            rngs = st["rng"]
            if len(rngs) == ctx.world_size:  # same number of processes: each its own stream
                set_rng_state(rngs[ctx.rank])
            else:  # a new split: derive each rank's stream from the seed and the step
                torch.manual_seed(seed + 7919 * ctx.rank + st["history"]["steps"])
            now, self.hist = self.hist, History.from_dict(st["history"])
            # (mid-epoch, a checkpoint without them (an earlier rnnlab's, or one written
            # after resuming from such): the epoch's norms are not known, None)
            kept = st.get("epoch_grad_norms") if st["index"] else None
            self.norms.start(kept or None, known=not st["index"] or bool(kept))
        except (KeyError, TypeError, ValueError, IndexError, AttributeError, RuntimeError) as e:
            if isinstance(e, RnnlabError):
                raise
            raise CheckpointError(f"{checkpoint_dir}: its training state does not fit this run "
                                  f"({type(e).__name__}: {str(e)[:160]}); the file was edited "
                                  f"or damaged: resume from another checkpoint, or start the "
                                  f"run again") from None
        # (a run stopped by its time budget goes on under a larger one: budget_stop)
        self.hist.path, self.hist.precision = now.path, now.precision  # (it may run elsewhere)
        self.best_state, self.bad_epochs = st.get("best_state"), st["bad_epochs"]
        at = Position(st["epoch"], st["index"], D.map_tree(lambda t: t.to(ctx.device), st.get("carry")),
                      (st["epoch_loss_sum"], st["epoch_loss_count"]))
        if ctx.is_main:  # (after the refusals: a different optimizer is refused, not noted)
            changed_on_resume(meta.get("train_config"), (self.meta or {}).get("train_config", {}),
                              checkpoint_dir)
            print(f"resuming from the checkpoint after step {self.hist.steps} (epoch "
                  f"{at.epoch + 1}, batch {at.index} done)", file=sys.stderr)
        return at


TRAIN_STATE_KEYS = ("optimizer", "rng", "history", "bad_epochs", "epoch", "index",
                    "epoch_loss_sum", "epoch_loss_count")


def check_train_state(st, meta: dict, checkpoint_dir, say: bool) -> None:
    """A checkpoint's training state has what :meth:`RunState.resume` reads (one written by
    another rnnlab may not: a KeyError deep in the resume before); and ``say``: a note
    when it was written by another rnnlab or torch (the run goes on, maybe not bit for bit)."""
    from ..io.record_drift import differences
    from ..io.versions import versions
    from ..io.versions_said import versions_said

    now = versions()
    given = meta.get("versions")
    was = given if isinstance(given, dict) else {}
    by = ", ".join(f"{k} {was[k]}" for k in ("rnnlab", "torch") if was.get(k)) or "an older rnnlab"
    missing = [k for k in TRAIN_STATE_KEYS if k not in st] if isinstance(st, dict) else ["all"]
    if missing:
        raise CheckpointError(
            f"{checkpoint_dir}: its training state lacks {', '.join(missing)}: written by {by}, "
            f"and this rnnlab {now['rnnlab']} reads a training state with "
            f"{', '.join(TRAIN_STATE_KEYS)}")
    differ = differences(was, now)  # (versions, CPU kernels, threads: each its last bits)
    if differ and say and not versions_said():  # (a backtest's resume warned of them)
        print(f"rnnlab: note: {checkpoint_dir}: written by {', '.join(differ)}; the resumed run "
              f"may not match an uninterrupted one bit for bit", file=sys.stderr)


def check_optimizer(opt, saved: dict, checkpoint_dir) -> None:
    """The checkpoint's optimizer state fits this run's optimizer only if it is the same
    one: Adam's state loaded into SGD failed at the first step (KeyError: 'momentum'), and
    into AdamW it silently turned it into Adam (the saved groups replace the new ones)."""
    now = type(opt).__name__.lower()
    groups = saved["optimizer"].get("param_groups") or [{}]
    was = saved.get("optimizer_name") or (  # (checkpoints written before it was saved)
        "sgd" if "momentum" in groups[0] else "adam or adamw")
    if now not in was.split(" or "):
        raise RnnlabError(
            f"cannot resume {checkpoint_dir}: it was trained with optimizer {was!r}, and this "
            f"run asks for {now!r}; the optimizer's state (moments, steps) does not carry over. "
            f"Resume with optimizer={was.split(' or ')[0]!r} (--optimizer), or start a new run")


def check_schedule(sched, saved: dict, checkpoint_dir) -> None:
    """A cosine schedule anneals over the epochs it was made for, and the checkpoint's
    replaced this run's: resumed with more epochs, the rate reached 0 at the old end, and
    rose again after it (silently). Refused, saying what to do."""
    if not isinstance(sched, torch.optim.lr_scheduler.CosineAnnealingLR):
        return
    was, now = saved.get("T_max"), sched.T_max
    if was is not None and was != now:
        raise RnnlabError(
            f"cannot resume {checkpoint_dir}: its cosine learning-rate schedule anneals over "
            f"{was} epochs, and this run asks for {now}; going on would take the rate to 0 "
            f"at epoch {was} and up again after it. Resume with epochs={was} (--epochs {was}), "
            f"or start a new run for {now} epochs")
