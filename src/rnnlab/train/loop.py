"""The one training loop, shared by forecasting and language modelling.

A task says what a batch is and what its loss is (:class:`Task`); the loop does
the rest: optimizer, clipping, schedule, mixed precision, validation, early stopping
with the best weights restored, non-finite losses, progress bar, checkpoints that
resume exactly, a clean stop on Ctrl-C / SIGTERM, and data parallelism (DDP).

Resuming exactly works because nothing is hidden: a task's batches are a pure
function of (seed, epoch, index), and the checkpoint holds the weights, optimizer,
schedule, RNG states, data position and the carried recurrent state.

Data parallelism: ``get_batch`` returns the *global* batch; each rank trains on its
contiguous rows (:func:`~rnnlab.train.distributed.shard_rows`), its loss weighted so
that DDP's gradient average equals the gradient of the global batch's mean loss.
A carried state is sharded the same way and checkpointed whole, so a run resumes
with any number of processes. Only rank 0 writes.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any, Callable, List, Optional, Protocol, Tuple

import torch
from torch import Tensor, nn

from ..io.errors import CheckpointError, RnnlabError
from ..io.model_dir import check_state_dict
from . import distributed as D
from .checkpoint import CheckpointManager
from .config import TrainConfig
from .device import rng_state, set_rng_state
from .graph_step import GraphedStep, use_graphs
from .optim import (autocast, grad_scaler, make_optimizer, make_scheduler, settle_lr,
                    step_scheduler)
from .precision import note_fallback
from .signals import StopSignals


class Task(Protocol):
    def num_batches(self, epoch: int) -> int: ...
    def get_batch(self, epoch: int, index: int) -> Any: ...  # the global batch
    def initial_carry(self) -> Any: ...
    def train_loss(self, model: nn.Module, batch: Any, carry: Any) -> Tuple[Tensor, Any]: ...
    def validate(self, model: nn.Module) -> Optional[float]: ...


class TrainingDiverged(RnnlabError):
    """The loss or the gradients became NaN or Inf."""


class TrainingInterrupted(RnnlabError):
    """Stopped by SIGINT/SIGTERM after a checkpoint was written; ``exit_code`` is 130 or 143."""

    HINT = "Resume with --resume"  # how the loop ends its message; a CLI names its command

    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.exit_code = exit_code

    def with_resume_command(self, command: str) -> "TrainingInterrupted":
        """The same stop, its message ending with the exact command that resumes it."""
        where = str(self).replace(self.HINT, "").rstrip(". ")
        return TrainingInterrupted(f"{where}. Resume with: {command}", self.exit_code)


@dataclass
class History:
    epochs: List[dict] = field(default_factory=list)  # one dict per epoch
    best_epoch: Optional[int] = None
    best_val_loss: Optional[float] = None
    skipped_steps: int = 0
    stopped_early: bool = False
    stop_reason: str = "epochs done"  # epochs done | early stopping | time budget
    seconds: float = 0.0
    steps: int = 0
    path: str = ""  # the recurrent layers' implementation (rnnlab.nn.paths.describe_path)

    def to_dict(self) -> dict:
        return dict(self.__dict__)

    @classmethod
    def from_dict(cls, d: dict) -> "History":
        return cls(**d)


def _path_of(model: nn.Module, cfg: TrainConfig, device: torch.device) -> str:
    """Which implementation the recurrent layers train on, as the loop will run them;
    an impl that cannot run here is refused before the first step, saying why."""
    from ..nn.paths import describe_path

    dtype = next((p.dtype for p in model.parameters() if p.is_floating_point()), torch.float32)
    try:
        return describe_path(model, dtype, device, lambda: autocast(cfg, device))
    except RuntimeError as err:  # e.g. impl="triton" without CUDA or without Triton
        raise RnnlabError(f"cannot train with impl={cfg.impl!r} on {device}: "
                          f"{str(err).splitlines()[0]}") from None


def _finite_grads(params) -> bool:
    return all(bool(torch.isfinite(p.grad).all()) for p in params if p.grad is not None)


def fit(model: nn.Module, task: Task, cfg: TrainConfig, checkpoint_dir=None, resume: bool = False,
        dist: Optional[D.DistContext] = None, meta: Optional[dict] = None,
        device: Optional[torch.device] = None,
        on_epoch: Optional[Callable[[int, dict], None]] = None) -> History:
    """Train ``model`` on ``task`` and return the history. When the task validates, the
    weights with the lowest validation loss are in ``model`` at the end.

    ``dist`` is the process's place in a data-parallel group (None: one process, on
    ``device`` or the model's device). ``on_epoch(epoch, record)`` runs after each
    validation and may add fields to the epoch's record (it is saved in the history)."""
    ctx = dist or D.DistContext(device=device or next(model.parameters()).device)
    device = ctx.device
    params = [p for p in model.parameters() if p.requires_grad]
    train_model = model
    if ctx.active:
        from torch.nn.parallel import DistributedDataParallel

        train_model = DistributedDataParallel(
            model, device_ids=[ctx.local_rank] if device.type == "cuda" else None)
    graphs = use_graphs(cfg, device, ctx.active, model)  # the whole step as one CUDA graph
    opt = make_optimizer(params, cfg, capturable_on=device if graphs else None)
    sched = make_scheduler(opt, cfg)
    scaler = grad_scaler(cfg, device)
    ckpt = CheckpointManager(checkpoint_dir) if checkpoint_dir is not None else None
    if cfg.impl != "auto":
        from ..nn.paths import set_impl

        set_impl(model, cfg.impl)
    path = _path_of(model, cfg, device)  # (refuses an impl that cannot run here)
    note_fallback(model, cfg.precision, device, ctx.is_main)  # no bf16 LSTM on this CPU
    graphed = GraphedStep(train_model, task, opt, params, cfg, device) if graphs else None
    hist, best_state, bad_epochs = History(path=path), None, 0
    start_epoch, start_index, global_carry, partial = 0, 0, None, (0.0, 0)

    if resume:
        if ckpt is None or not ckpt.exists():
            raise RnnlabError(f"cannot resume: no checkpoint in {checkpoint_dir}")
        try:
            weights, st, _ = ckpt.load()
        except CheckpointError as e:
            raise CheckpointError(f"{e}. The run cannot go on from it: start it again "
                                  f"(--overwrite keeps this run aside until the new one "
                                  f"finishes)") from None
        check_state_dict(model, weights, f"{checkpoint_dir} (the checkpoint to resume)")
        model.load_state_dict(weights)
        opt.load_state_dict(st["optimizer"])
        settle_lr(opt, device if graphs else None)  # saved with or without CUDA graphs
        if sched is not None and st.get("scheduler") is not None:
            sched.load_state_dict(st["scheduler"])
        rngs = st["rng"]
        if len(rngs) == ctx.world_size:  # same number of processes: each its own stream
            set_rng_state(rngs[ctx.rank])
        else:  # a new split: derive each rank's stream from the seed and the step
            torch.manual_seed(cfg.seed + 7919 * ctx.rank + st["history"]["steps"])
        hist = History.from_dict(st["history"])
        if hist.stop_reason == "time budget":  # a resumed run gets to go on
            hist.stopped_early, hist.stop_reason = False, "epochs done"
        hist.path = path  # the resumed run may run elsewhere
        best_state, bad_epochs = st.get("best_state"), st["bad_epochs"]
        start_epoch, start_index = st["epoch"], st["index"]
        global_carry = D.map_tree(lambda t: t.to(device), st.get("carry"))
        partial = (st["epoch_loss_sum"], st["epoch_loss_count"])
        if ctx.is_main:
            import sys

            print(f"resuming from the checkpoint after step {hist.steps} (epoch "
                  f"{start_epoch + 1}, batch {start_index} done)", file=sys.stderr)
    elif ctx.active:
        torch.manual_seed(cfg.seed + 7919 * ctx.rank)  # dropout differs across ranks

    def local_of(global_batch_carry, rows):
        return None if global_batch_carry is None else D.cut_state(global_batch_carry, rows)

    def save(epoch: int, index: int, carry_now, rows, part=(0.0, 0)) -> None:
        """Collective when distributed (gathers carries and RNG states); rank 0 writes."""
        if ckpt is None:
            return
        rngs = D.gather_to_all(rng_state(), ctx)
        carries = D.gather_to_all(D.map_tree(lambda t: t.detach().cpu(), carry_now), ctx)
        # the epoch's loss so far, as the ranks' mean (each rank restores it, with any number
        # of ranks, and the epoch's mean comes out as without the interruption)
        part = tuple(D.all_mean([float(part[0]), float(part[1])], ctx))
        if not ctx.is_main:
            return
        state = {
            "optimizer": opt.state_dict(),
            "scheduler": sched.state_dict() if sched is not None else None,
            "rng": rngs, "history": hist.to_dict(), "best_state": best_state,
            "bad_epochs": bad_epochs, "epoch": epoch, "index": index,
            "carry": D.join_states(carries) if carries[0] is not None else None,
            "epoch_loss_sum": part[0], "epoch_loss_count": part[1],
            "world_size": ctx.world_size,
        }
        ckpt.save(hist.steps, model.state_dict(), state,
                  dict(meta or {}, epoch=epoch, index=index, world_size=ctx.world_size))

    total = sum(task.num_batches(e) for e in range(cfg.epochs))
    bar = _progress(cfg, total, ctx.is_main)
    bar.update(sum(task.num_batches(e) for e in range(min(start_epoch, cfg.epochs))) + start_index)
    last_finite = None
    t0 = time.perf_counter() - hist.seconds
    carry, rows = None, None
    with StopSignals() as stop:
        for epoch in range(start_epoch, cfg.epochs):
            if hist.stopped_early:
                break
            model.train()
            first = start_index if epoch == start_epoch else 0
            tot, cnt = partial if (epoch == start_epoch and first > 0) else (0.0, 0)
            carry = task.initial_carry()
            for index in range(first, task.num_batches(epoch)):
                batch = task.get_batch(epoch, index)
                weight = 1.0
                if ctx.active:
                    batch, rows, n = D.shard_batch(batch, ctx.rank, ctx.world_size)
                    weight = (rows.stop - rows.start) * ctx.world_size / n
                if global_carry is not None:  # resuming mid-epoch: this rank's part of it
                    carry = global_carry if not ctx.active else local_of(global_carry, rows)
                    global_carry = None
                done = graphed(batch, carry) if graphed is not None and graphed.takes(
                    batch, carry) else None
                stepped = done is not None
                if stepped:  # forward, backward, clipping and optimizer step: one replay
                    loss, carry, finite = done
                    lv, ok = float(loss), bool(finite)
                else:
                    with autocast(cfg, device):
                        loss, carry = task.train_loss(train_model, batch, carry)
                    opt.zero_grad(set_to_none=True)
                    lv = float(loss.detach())
                    ok = math.isfinite(lv)
                    if ctx.active:  # all ranks must agree before the collective backward
                        ok = D.all_sum([0.0 if ok else 1.0], ctx)[0] == 0.0
                    if ok:
                        scaler.scale(loss * weight if weight != 1.0 else loss).backward()
                        scaler.unscale_(opt)
                        ok = _finite_grads(params) or scaler.is_enabled()
                if not ok:
                    if cfg.on_nonfinite == "stop":
                        bar.close()
                        raise TrainingDiverged(
                            f"the {'gradient' if math.isfinite(lv) else 'loss'} became non-finite "
                            f"at epoch {epoch + 1}, step {index + 1} (loss {lv}); last finite "
                            f"loss: {last_finite}. Try a lower learning rate (--lr), gradient "
                            f"clipping (--clip-norm), or skipping bad steps (on_nonfinite='skip')"
                            + ("; the last good checkpoint is kept" if ckpt else ""))
                    hist.skipped_steps += 1
                    opt.zero_grad(set_to_none=True)
                else:
                    if cfg.clip_norm is not None and not stepped:
                        nn.utils.clip_grad_norm_(params, cfg.clip_norm)
                    if not stepped:
                        scaler.step(opt)
                        scaler.update()
                    last_finite = lv
                    tot, cnt = tot + lv * weight, cnt + 1  # weighted: the ranks' mean is the global mean
                hist.steps += 1
                bar.update(1)
                bar.set_postfix(epoch=epoch + 1, loss=f"{tot / max(cnt, 1):.4g}", refresh=False)
                every = cfg.checkpoint_every and hist.steps % cfg.checkpoint_every == 0
                stopping = stop.signum is not None
                if ctx.active:
                    stopping = D.all_sum([1.0 if stopping else 0.0], ctx)[0] > 0
                if stopping or every:
                    hist.seconds = time.perf_counter() - t0
                    save(epoch, index + 1, carry, rows, (tot, cnt))
                    if stopping:
                        D.all_sum([0.0], ctx)  # no rank stops before rank 0 has written
                        bar.close()
                        where = f"stopped by a signal at epoch {epoch + 1}, step {index + 1}"
                        raise TrainingInterrupted(
                            f"{where}; the checkpoint is written. {TrainingInterrupted.HINT}"
                            if ckpt is not None else
                            f"{where}; this training keeps no checkpoints (checkpoint_dir=None), "
                            f"so it starts again from the beginning", stop.exit_code)
            tot, cnt = D.all_mean([tot, cnt], ctx)
            val = task.validate(model)
            rec = {"epoch": epoch + 1, "train_loss": tot / max(cnt, 1), "val_loss": val,
                   "lr": float(opt.param_groups[0]["lr"]), "seconds": time.perf_counter() - t0}
            if on_epoch is not None:
                on_epoch(epoch + 1, rec)
            hist.epochs.append(rec)
            if val is not None and math.isfinite(val):
                if hist.best_val_loss is None or val < hist.best_val_loss:
                    hist.best_val_loss, hist.best_epoch, bad_epochs = val, epoch + 1, 0
                    best_state = {k: v.detach().clone().cpu() for k, v in model.state_dict().items()}
                else:
                    bad_epochs += 1
                    hist.stopped_early = cfg.patience is not None and bad_epochs >= cfg.patience
                    if hist.stopped_early:
                        hist.stop_reason = "early stopping"
            step_scheduler(sched, val, rec["train_loss"])
            bar.set_postfix(epoch=epoch + 1, loss=f"{rec['train_loss']:.4g}",
                            val=f"{val:.4g}" if val is not None else "-")
            hist.seconds = time.perf_counter() - t0
            if cfg.max_seconds is not None and not hist.stopped_early:
                over = hist.seconds >= cfg.max_seconds
                if ctx.active:  # every rank must stop at the same epoch
                    over = D.all_sum([1.0 if over else 0.0], ctx)[0] > 0
                if over and epoch + 1 < cfg.epochs:
                    hist.stopped_early, hist.stop_reason = True, "time budget"
            save(epoch + 1, 0, None, rows)
    bar.close()
    hist.seconds = time.perf_counter() - t0
    if best_state is not None:
        model.load_state_dict(best_state)
    return hist


class _NoBar:
    def update(self, n=1): ...
    def set_postfix(self, *a, **k): ...
    def close(self): ...


def _progress(cfg: TrainConfig, total: int, is_main: bool):
    if not (cfg.progress and is_main):
        return _NoBar()
    from tqdm.auto import tqdm

    return tqdm(total=total, unit="step", dynamic_ncols=True, leave=False,
                disable=None)  # None: no bar when stderr is not a terminal (logs, CI)
