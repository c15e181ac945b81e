"""The one training loop, shared by forecasting and language modelling.

A task says what a batch is and what its loss is (:class:`Task`); the loop does
the rest: optimizer, clipping, schedule, validation, early stopping with the best
weights restored, non-finite losses, progress bar, checkpoints that resume exactly,
and a clean stop on Ctrl-C / SIGTERM.

Resuming exactly works because nothing is hidden: a task's batches are a pure
function of (seed, epoch, index), and the checkpoint holds the weights, optimizer,
schedule, RNG states, data position and the carried recurrent state.
"""

from __future__ import annotations

import copy
import math
import signal
import threading
import time
from dataclasses import dataclass, field
from typing import Any, List, Optional, Protocol, Tuple

import torch
from torch import Tensor, nn

from ..io.errors import RnnlabError
from .checkpoint import CheckpointManager
from .config import TrainConfig
from .device import rng_state, set_rng_state


class Task(Protocol):
    def num_batches(self, epoch: int) -> int: ...
    def get_batch(self, epoch: int, index: int) -> Any: ...
    def initial_carry(self) -> Any: ...
    def train_loss(self, model: nn.Module, batch: Any, carry: Any) -> Tuple[Tensor, Any]: ...
    def validate(self, model: nn.Module) -> Optional[float]: ...


class TrainingDiverged(RnnlabError):
    """The loss or the gradients became NaN or Inf."""


class TrainingInterrupted(RnnlabError):
    """Stopped by SIGINT/SIGTERM after a checkpoint was written; ``exit_code`` is 130 or 143."""

    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.exit_code = exit_code


@dataclass
class History:
    epochs: List[dict] = field(default_factory=list)  # one dict per epoch
    best_epoch: Optional[int] = None
    best_val_loss: Optional[float] = None
    skipped_steps: int = 0
    stopped_early: bool = False
    seconds: float = 0.0
    steps: int = 0

    def to_dict(self) -> dict:
        return dict(self.__dict__)

    @classmethod
    def from_dict(cls, d: dict) -> "History":
        return cls(**d)


def make_optimizer(params, cfg: TrainConfig) -> torch.optim.Optimizer:
    if cfg.optimizer == "adam":
        return torch.optim.Adam(params, lr=cfg.lr, weight_decay=cfg.weight_decay)
    if cfg.optimizer == "adamw":
        return torch.optim.AdamW(params, lr=cfg.lr, weight_decay=cfg.weight_decay)
    return torch.optim.SGD(params, lr=cfg.lr, momentum=cfg.momentum, weight_decay=cfg.weight_decay)


def make_scheduler(opt, cfg: TrainConfig):
    if cfg.lr_schedule == "plateau":
        return torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2)
    if cfg.lr_schedule == "cosine":
        return torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=cfg.epochs)
    return None


class _StopSignals:
    """Turn the first SIGINT/SIGTERM into a flag checked between steps; a second one kills."""

    def __init__(self):
        self.signum: Optional[int] = None
        self._old = {}

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            for s in (signal.SIGINT, signal.SIGTERM):
                self._old[s] = signal.signal(s, self._handle)
        return self

    def _handle(self, signum, frame):
        if self.signum is not None:  # second signal: leave now, checkpoints are atomic
            raise KeyboardInterrupt
        self.signum = signum

    def __exit__(self, *exc):
        for s, h in self._old.items():
            signal.signal(s, h)


def _finite_grads(params) -> bool:
    return all(torch.isfinite(p.grad).all() for p in params if p.grad is not None)


def fit(model: nn.Module, task: Task, cfg: TrainConfig, checkpoint_dir=None, resume: bool = False,
        device: Optional[torch.device] = None, is_main: bool = True,
        meta: Optional[dict] = None) -> History:
    """Train ``model`` on ``task``; returns the history. The best weights (lowest
    validation loss) are loaded into ``model`` at the end when the task validates."""
    device = device or next(model.parameters()).device
    params = [p for p in model.parameters() if p.requires_grad]
    opt = make_optimizer(params, cfg)
    sched = make_scheduler(opt, cfg)
    ckpt = CheckpointManager(checkpoint_dir) if checkpoint_dir is not None else None
    hist = History()
    best_state = None
    bad_epochs = 0
    start_epoch, start_index, carry = 0, 0, task.initial_carry()
    resumed_partial = (0.0, 0)

    if resume:
        if ckpt is None or not ckpt.exists():
            raise RnnlabError(f"cannot resume: no checkpoint in {checkpoint_dir}")
        weights, st, _ = ckpt.load()
        model.load_state_dict(weights)
        opt.load_state_dict(st["optimizer"])
        if sched is not None and st.get("scheduler") is not None:
            sched.load_state_dict(st["scheduler"])
        set_rng_state(st["rng"])
        hist = History.from_dict(st["history"])
        best_state = st.get("best_state")
        bad_epochs = st["bad_epochs"]
        start_epoch, start_index = st["epoch"], st["index"]
        carry = _to_device(st.get("carry"), device)
        resumed_partial = (st["epoch_loss_sum"], st["epoch_loss_count"])

    def save(epoch: int, index: int, carry_now, partial=(0.0, 0)) -> None:
        if ckpt is None or not is_main:
            return
        state = {
            "optimizer": opt.state_dict(),
            "scheduler": sched.state_dict() if sched is not None else None,
            "rng": rng_state(),
            "history": hist.to_dict(),
            "best_state": best_state,
            "bad_epochs": bad_epochs,
            "epoch": epoch,
            "index": index,
            "carry": _to_device(carry_now, "cpu"),
            "epoch_loss_sum": partial[0],
            "epoch_loss_count": partial[1],
        }
        ckpt.save(hist.steps, model.state_dict(), state, dict(meta or {}, epoch=epoch, index=index))

    autocast = _autocast(cfg, device)
    total = sum(task.num_batches(e) for e in range(cfg.epochs))
    bar = _progress(cfg, total, is_main)
    bar.update(sum(task.num_batches(e) for e in range(start_epoch)) + start_index)
    last_finite = None
    t0 = time.perf_counter() - hist.seconds
    with _StopSignals() as stop:
        for epoch in range(start_epoch, cfg.epochs):
            if hist.stopped_early:
                break
            model.train()
            n = task.num_batches(epoch)
            first = start_index if epoch == start_epoch else 0
            if first == 0:
                carry = task.initial_carry()
            tot, cnt = resumed_partial if (epoch == start_epoch and first > 0) else (0.0, 0)
            for index in range(first, n):
                batch = task.get_batch(epoch, index)
                with autocast:
                    loss, carry = task.train_loss(model, batch, carry)
                opt.zero_grad(set_to_none=True)
                lv = float(loss.detach())
                ok = math.isfinite(lv)
                if ok:
                    loss.backward()
                    ok = _finite_grads(params)
                if not ok:
                    if cfg.on_nonfinite == "stop":
                        raise TrainingDiverged(
                            f"the {'loss' if not math.isfinite(lv) else 'gradient'} became "
                            f"non-finite at epoch {epoch + 1}, step {index + 1} (loss {lv}); "
                            f"last finite loss: {last_finite}. Try a lower learning rate "
                            f"(--lr), gradient clipping (--clip-norm), or on_nonfinite='skip'"
                            + ("; the last good checkpoint is kept" if ckpt else "")
                        )
                    hist.skipped_steps += 1
                    opt.zero_grad(set_to_none=True)
                else:
                    if cfg.clip_norm is not None:
                        nn.utils.clip_grad_norm_(params, cfg.clip_norm)
                    opt.step()
                    last_finite = lv
                    tot += lv
                    cnt += 1
                hist.steps += 1
                bar.update(1)
                bar.set_postfix(epoch=epoch + 1, loss=f"{tot / max(cnt, 1):.4g}", refresh=False)
                if stop.signum is not None or (cfg.checkpoint_every and hist.steps % cfg.checkpoint_every == 0):
                    hist.seconds = time.perf_counter() - t0
                    save(epoch, index + 1, carry, (tot, cnt))
                    if stop.signum is not None:
                        bar.close()
                        code = 130 if stop.signum == signal.SIGINT else 143
                        raise TrainingInterrupted(
                            f"stopped by signal {stop.signum} at epoch {epoch + 1}, step "
                            f"{index + 1}; a checkpoint was written. Resume with --resume", code)
            val = task.validate(model)
            rec = {"epoch": epoch + 1, "train_loss": tot / max(cnt, 1),
                   "val_loss": val, "lr": opt.param_groups[0]["lr"],
                   "seconds": time.perf_counter() - t0}
            hist.epochs.append(rec)
            if val is not None and math.isfinite(val):
                if hist.best_val_loss is None or val < hist.best_val_loss:
                    hist.best_val_loss, hist.best_epoch = val, epoch + 1
                    best_state = {k: v.detach().clone().cpu() for k, v in model.state_dict().items()}
                    bad_epochs = 0
                else:
                    bad_epochs += 1
                    if cfg.patience is not None and bad_epochs >= cfg.patience:
                        hist.stopped_early = True
            if sched is not None:
                sched.step(val if val is not None else rec["train_loss"]) if isinstance(
                    sched, torch.optim.lr_scheduler.ReduceLROnPlateau) else sched.step()
            bar.set_postfix(epoch=epoch + 1, loss=f"{rec['train_loss']:.4g}",
                            val=f"{val:.4g}" if val is not None else "-")
            hist.seconds = time.perf_counter() - t0
            save(epoch + 1, 0, None)
    bar.close()
    hist.seconds = time.perf_counter() - t0
    if best_state is not None:
        model.load_state_dict(best_state)
    return hist


def _to_device(tree, device):
    if tree is None:
        return None
    if isinstance(tree, Tensor):
        return tree.to(device)
    if isinstance(tree, tuple):
        return tuple(_to_device(t, device) for t in tree)
    if isinstance(tree, list):
        return [_to_device(t, device) for t in tree]
    return tree


def _autocast(cfg: TrainConfig, device: torch.device):
    import contextlib

    if cfg.precision == "32":
        return contextlib.nullcontext()
    dtype = torch.bfloat16 if cfg.precision == "bf16-mixed" else torch.float16
    if dtype is torch.float16 and device.type != "cuda":
        raise ValueError("precision '16-mixed' needs a CUDA device; use 'bf16-mixed' on CPU")
    return torch.autocast(device.type, dtype=dtype)


class _NoBar:
    def update(self, n=1): ...
    def set_postfix(self, *a, **k): ...
    def close(self): ...


def _progress(cfg: TrainConfig, total: int, is_main: bool):
    if not (cfg.progress and is_main):
        return _NoBar()
    from tqdm.auto import tqdm

    return tqdm(total=total, unit="step", dynamic_ncols=True, leave=False)
