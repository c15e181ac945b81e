"""The one training loop, shared by forecasting and language modelling.

A task says what a batch is and what its loss is (:class:`Task`); the loop does
the rest: optimizer, clipping, schedule, mixed precision, validation, early stopping
with the best weights restored, non-finite losses, progress bar, checkpoints that
resume exactly, a clean stop on Ctrl-C / SIGTERM, and data parallelism (DDP).

Resuming exactly works because nothing is hidden: a task's batches are a pure
function of (seed, epoch, index), and the checkpoint holds the weights, optimizer,
schedule, RNG states, data position and the carried recurrent state
(:mod:`~rnnlab.train.run_state`).

Data parallelism: ``get_batch`` returns the *global* batch; each rank trains on its
contiguous rows (:func:`~rnnlab.train.collectives.shard_rows`), its loss weighted so
that DDP's gradient average equals the gradient of the global batch's mean loss.
A carried state is sharded the same way and checkpointed whole, so a run resumes
with any number of processes. Only rank 0 writes.
"""

from __future__ import annotations

import math
import time
from contextlib import nullcontext
from typing import Any, Callable, Dict, Optional, Tuple

import torch
from torch import nn

from . import distributed as D
from .budget_stop import stopped_on_resume
from .checkpoint import CheckpointManager
from .checks import (check_checkpoint_dir, check_fit_args, check_loss, check_val, finite_carry,
                     finite_grads, fit_device, training_path,
                     warn_if_nothing_left)
from .config import TrainConfig
from .empty_share import buffers_kept, zero_over_parameters
from .process_state import process_state_kept
from .fit_keywords import refuse_fit_keywords
from .epoch_checks import ValidationNotes, keep_best, keep_best_at_divergence, plain_record
from .grad_norms import EpochNorms, clip_or_measure
from .graph_step import GraphedStep, use_graphs
from .optim import autocast, grad_scaler, make_optimizer, make_scheduler, step_scheduler
from .precision import layer_precision, note_fallback
from .progress import progress_bar
from .run_state import History, Position, RunState, run_record
from .run_stops import RunStops
from .signals import StopSignals
from .stops import TrainingDiverged, TrainingInterrupted
from .task import Task
from .time_budget import out_of_time, stop_at_budget
from ..io.errors import ConfigError, DataError
from ..type_aliases import StrPath

__all__ = ["Task", "History", "TrainingDiverged", "TrainingInterrupted", "fit"]


def fit(model: nn.Module, task: Task, cfg: TrainConfig, checkpoint_dir: Optional[StrPath] = None,
        resume: bool = False, dist: Optional[D.DistContext] = None,
        meta: Optional[Dict[str, Any]] = None, device: Optional[torch.device] = None,
        on_epoch: Optional[Callable[[int, Dict[str, Any]], None]] = None,
        **unexpected: Any) -> History:
    """Train ``model`` on ``task`` (a :class:`Task`; tensors: :class:`TensorTask`); return
    its :class:`History`, the best validation weights (``cfg.min_delta``) in ``model``.
    ``checkpoint_dir``: a checkpoint each epoch end (and every ``cfg.checkpoint_every``
    steps, ``meta`` in each); ``resume=True`` goes on from its latest. torch's generator
    starts from ``cfg.seed`` (dropout) whatever ran before: initialise the model under
    :func:`seed_everything` and the CPU run is fixed. ``dist``: the process's place in a
    data-parallel group (None: one process, on ``device`` or the model's). ``on_epoch``
    ``(epoch, record)`` runs after each validation, may add fields to the record. The
    caller's RNG states are kept; gradients are on while it trains (under no_grad too).
    Keras' ``callbacks=`` and such (``unexpected``) are refused naming ours
    (:mod:`.fit_keywords`)."""
    refuse_fit_keywords(unexpected)
    check_fit_args(model, task, cfg, on_epoch)
    check_checkpoint_dir(checkpoint_dir, resume)
    ctx = dist or D.DistContext(device=device or fit_device(model, cfg))
    run = _Run(model, task, cfg, ctx, checkpoint_dir, meta, on_epoch)
    at = Position()
    was_training = model.training
    with process_state_kept(training=True):  # (seeds torch's generator; resume: all 3)
        if resume:
            at = run.state.resume(checkpoint_dir, cfg.seed, captured=run.graphed is not None)
            warn_if_nothing_left(at, cfg)
            stopped_on_resume(run.state.hist, cfg)
        else:  # dropout: fixed by the seed whatever ran before (and differs across ranks)
            torch.manual_seed(cfg.seed + 7919 * ctx.rank)
        try:
            return run.train(at)
        finally:  # given back in the mode it came in (validation left it in eval mode)
            model.train(was_training)


class _Run(RunStops):
    """One call of :func:`fit`: what it set up, and where the training is."""

    def __init__(self, model: nn.Module, task: Task, cfg: TrainConfig, ctx: D.DistContext,
                 checkpoint_dir, meta: Optional[dict], on_epoch):
        device = ctx.device
        self.model, self.task, self.cfg, self.ctx, self.on_epoch = model, task, cfg, ctx, on_epoch
        self.params = [p for p in model.parameters() if p.requires_grad]
        self.train_model = model
        if ctx.active:
            from torch.nn.parallel import DistributedDataParallel

            self.train_model = DistributedDataParallel(
                model, device_ids=[ctx.local_rank] if device.type == "cuda" else None)
        graphs = use_graphs(cfg, device, ctx.active, model)  # the whole step as one CUDA graph
        self.opt = make_optimizer(self.params, cfg, capturable_on=device if graphs else None)
        sched = make_scheduler(self.opt, cfg)
        self.scaler = grad_scaler(cfg, device)
        ckpt = CheckpointManager(checkpoint_dir) if checkpoint_dir is not None else None
        if cfg.impl != "auto":
            from ..nn.paths import set_impl

            set_impl(model, cfg.impl)
        path = training_path(model, cfg, device)  # (refuses an impl that cannot run here)
        note_fallback(model, cfg.precision, device, ctx.is_main)  # no bf16 LSTM on this CPU
        self.graphed = GraphedStep(self.train_model, task, self.opt, self.params, cfg,
                                   device) if graphs else None
        record = run_record(meta, cfg)  # (config, seed, versions: in each checkpoint)
        hist = History(path=path, precision=layer_precision(model, cfg.precision, device))
        self.state = RunState(model, self.opt, sched, ctx, hist, ckpt, record,
                              norms=EpochNorms(cfg.clip_norm))
        self.last_finite = None  # the last finite training loss, for TrainingDiverged
        self.cut_short = False  # the time budget ended the last epoch before its last step
        self.notes = ValidationNotes()  # (a NaN or missing validation loss: said once)

    def train(self, at: Position) -> History:
        """Every epoch from ``at`` on; then the best weights go back into the model."""
        cfg, task, hist = self.cfg, self.task, self.state.hist
        total = sum(task.num_batches(e) for e in range(cfg.epochs))
        if total == 0:  # (it ran no step and reported a loss of NaN)
            raise ConfigError(f"fit: the task has no batches (num_batches is 0 in each of the "
                              f"{cfg.epochs} epochs); give it data (at least one batch)")
        done = sum(task.num_batches(e) for e in range(min(at.epoch, cfg.epochs))) + at.index
        self.bar = progress_bar(cfg, total, self.ctx.is_main, initial=done)
        self.t0 = time.perf_counter() - hist.seconds
        # (None: a checkpoint without CPU time resumed; counting from here would give the
        # last epochs' CPU seconds beside the whole run's wall seconds)
        self.c0 = None if hist.cpu_seconds is None else time.process_time() - hist.cpu_seconds
        try:
            with StopSignals() as stop:
                self.stop = stop
                for epoch in range(at.epoch, cfg.epochs):
                    if hist.stopped_early:
                        break
                    tot, cnt = self._epoch(epoch, at)
                    self._end_epoch(epoch, tot, cnt)
                self._stop_after_the_last_epoch()
        except TrainingDiverged as e:  # (the best epoch's weights back, as at a stop)
            self.bar.close()
            self._clock()
            raise keep_best_at_divergence(e, self.state, self.model)
        self.bar.close()
        self._clock()
        if self.state.best_state is not None:
            self.model.load_state_dict(self.state.best_state)
        return hist

    def _epoch(self, epoch: int, at: Position) -> Tuple[float, int]:
        """One epoch's steps (the first resumes at ``at``); returns the loss sum and count."""
        ctx, hist = self.ctx, self.state.hist
        self.model.train()
        first = at.index if epoch == at.epoch else 0
        tot, cnt = at.partial if (epoch == at.epoch and first > 0) else (0.0, 0)
        carry = self.task.initial_carry()
        # resuming mid-epoch: the carry out of batch first - 1; only this epoch's (saved after
        # the epoch's last batch, it must not flow into the next epoch)
        resumed = at.carry if epoch == at.epoch else None
        for index in range(first, self.task.num_batches(epoch)):
            batch = self.task.get_batch(epoch, index)
            weight = 1.0
            if ctx.active:
                batch, rows, n = D.shard_batch(batch, ctx.rank, ctx.world_size)
                if n == 0:  # (the weight below divides by it)
                    raise DataError(f"fit: the task's batch {index} of epoch {epoch + 1} "
                                    f"(get_batch({epoch}, {index})) holds 0 rows to split "
                                    f"across {ctx.world_size} processes; expected at least "
                                    f"one row in each of its num_batches({epoch}) batches: "
                                    f"count only the batches that hold rows")
                weight = (rows.stop - rows.start) * ctx.world_size / n
            if resumed is not None:  # this rank's part of it
                mine = resumed if not ctx.active else D.cut_state(resumed, rows)
                carry = D.like_tree(carry, mine)  # (namedtuples of the initial carry's class)
                resumed = None
            lv, carry = self._step(epoch, index, batch, carry, weight)
            if lv is not None:  # weighted: the ranks' mean is the global mean
                tot, cnt = tot + lv * weight, cnt + 1
            hist.steps += 1
            self.bar.update(1)
            self.bar.set_postfix(epoch=epoch + 1, loss=f"{tot / max(cnt, 1):.4g}", refresh=False)
            self._checkpoint_or_stop(epoch, index, carry, (tot, cnt))
            self.cut_short = (out_of_time(self.cfg.max_seconds, self.t0, ctx)
                              and index + 1 < self.task.num_batches(epoch))
            if self.cut_short:  # (the epoch ends here: validated, its best weights kept)
                break
        return tot, cnt

    def _step(self, epoch: int, index: int, batch, carry, weight: float):
        """One optimizer step, graphed or eager; returns (its loss, None when the step
        was skipped as non-finite; the carry)."""
        g, carry_in = self.graphed, carry
        done = g(batch, carry) if g is not None and g.takes(batch, carry) else None
        if done is not None:  # forward, backward, clipping and optimizer step: one replay
            loss, carry, finite, norm = done
            lv, ok = float(loss), bool(finite)
        else:
            lv, carry, ok = self._backward(batch, carry, weight)
        if not ok:  # skipped: a NaN state it made (a NaN input) would skip every later step
            self._nonfinite(epoch, index, lv)  # of the epoch; the next goes on from its own
            return None, (carry if finite_carry(carry) else carry_in)
        if done is None:  # (the norm before clipping: clipping's own, no second pass)
            norm = clip_or_measure(self.params, self.cfg.clip_norm)
            self.scaler.step(self.opt)
            self.scaler.update()
        self.state.norms.add(norm)
        self.last_finite = lv
        return lv, carry

    def _backward(self, batch, carry, weight: float):
        """The eager forward and backward; returns (loss, carry detached, as the graphed
        step's, whether it is finite)."""
        cfg, ctx = self.cfg, self.ctx
        with autocast(cfg, ctx.device), \
                (buffers_kept(self.model) if weight == 0.0 else nullcontext()):
            loss, carry = check_loss(self.task.train_loss(self.train_model, batch, carry))
        if weight == 0.0:  # no rows of a short last batch here: the task's loss (a mean over
            loss = zero_over_parameters(self.train_model)  # none: NaN) is replaced by 0
        # truncated BPTT: the next batch starts from the carried values, not through them
        # (a carry left attached failed the next backward: "backward through the graph a
        # second time")
        carry = D.map_tree(torch.Tensor.detach, carry)
        self.opt.zero_grad(set_to_none=True)
        lv = float(loss.detach())
        ok = math.isfinite(lv)
        if ctx.active:  # all ranks must agree before the collective backward
            ok = D.all_sum([0.0 if ok else 1.0], ctx)[0] == 0.0
        if ok:
            self.scaler.scale(loss * weight if weight != 1.0 else loss).backward()
            self.scaler.unscale_(self.opt)
            ok = finite_grads(self.params) or self.scaler.is_enabled()
        return lv, carry, ok

    def _end_epoch(self, epoch: int, tot: float, cnt: int) -> None:
        """Validation, best weights, early stopping, schedule, time budget, checkpoint."""
        cfg, ctx, state, hist = self.cfg, self.ctx, self.state, self.state.hist
        tot, cnt = D.all_mean([tot, cnt], ctx)
        self.model.eval()  # (a user's validate ran with dropout on; the next epoch: train())
        val = check_val(self.task.validate(self.model))
        self.notes(val, epoch + 1, cfg.patience)
        # an epoch whose every step was skipped (on_nonfinite='skip') has no loss: NaN, not 0.0
        rec = {"epoch": epoch + 1, "train_loss": tot / cnt if cnt else float("nan"),
               "val_loss": val,
               "lr": float(self.opt.param_groups[0]["lr"]), "seconds": time.perf_counter() - self.t0,
               # the run's CPU seconds so far, as hist.cpu_seconds (None: unknown on a resume)
               "cpu_seconds": None if self.c0 is None else time.process_time() - self.c0,
               **state.norms.record()}  # (gradient norms before clipping: grad_norms)
        state.norms.start()  # (the checkpoint below: the next epoch, none of its steps yet)
        if self.on_epoch is not None:  # (its fields as plain numbers: the history is JSON)
            self.on_epoch(epoch + 1, rec)
            plain_record(rec)
        hist.epochs.append(rec)
        keep_best(state, self.model, val, epoch + 1, cfg)
        step_scheduler(state.sched, val, rec["train_loss"])
        self.bar.set_postfix(epoch=epoch + 1, loss=f"{rec['train_loss']:.4g}",
                             val=f"{val:.4g}" if val is not None else "-")
        self._clock()
        stop_at_budget(hist, cfg, ctx, epoch, self.cut_short)
        state.save(epoch + 1, 0, None)
        if hist.best_epoch == epoch + 1:  # (a kill keeps the best so far as a plain file)
            state.save_best()
