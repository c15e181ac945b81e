"""How a training run stops before its last epoch ends: a non-finite loss or gradient
(:class:`TrainingDiverged`, or the step skipped), and a stop signal (Ctrl-C, SIGTERM:
a last checkpoint, then :class:`TrainingInterrupted`), agreed by every rank under DDP.
The methods of :class:`~rnnlab.train.loop._Run` that say so."""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING, Any, Optional

from . import distributed as D
from .epoch_checks import keep_best_at_stop, kept_note
from .stops import TrainingDiverged, TrainingInterrupted

if TYPE_CHECKING:
    import torch
    from torch import nn

    from .config import TrainConfig
    from .run_state import RunState
    from .signals import StopSignals


class RunStops:
    """The stops of a run (mixed into the loop's ``_Run``, whose ``cfg``, ``ctx``, ``state``,
    ``opt``, ``bar``, ``stop``, ``t0``, ``model`` and ``last_finite`` they read)."""

    if TYPE_CHECKING:  # set by _Run (loop.py)
        cfg: TrainConfig
        ctx: D.DistContext
        state: RunState
        opt: torch.optim.Optimizer
        bar: Any  # (progress_bar's: tqdm's or rnnlab's own line, each with close())
        stop: StopSignals
        t0: float
        # time.process_time() at t0 (less the CPU seconds a resume brought; None: the
        # checkpoint resumed had none, so the run's CPU time is unknown)
        c0: Optional[float]
        model: nn.Module
        last_finite: Optional[float]  # the last finite training loss (None: none yet)

    def _clock(self) -> None:
        """The history's ``seconds`` (wall clock) and ``cpu_seconds`` (this process's CPU
        time, all its threads: steady where other work shares the machine) of the run so far."""
        hist = self.state.hist
        hist.seconds = time.perf_counter() - self.t0
        hist.cpu_seconds = None if self.c0 is None else time.process_time() - self.c0

    def _nonfinite(self, epoch: int, index: int, lv: float) -> None:
        """A non-finite loss or gradient: stop (TrainingDiverged) or skip the step."""
        if self.cfg.on_nonfinite == "stop":
            self.bar.close()
            raise TrainingDiverged(
                f"the {'gradient' if math.isfinite(lv) else 'loss'} became non-finite "
                f"at epoch {epoch + 1}, step {index + 1} (loss {lv}); last finite "
                f"loss: {self.last_finite}. Try a lower learning rate (--lr), gradient "
                f"clipping (--clip-norm), or skipping bad steps (on_nonfinite='skip')"
                + kept_note(self.state.ckpt))
        self.state.hist.skipped_steps += 1
        self.opt.zero_grad(set_to_none=True)

    def _checkpoint_or_stop(self, epoch: int, index: int, carry, part) -> None:
        """After a step: a checkpoint every ``checkpoint_every`` steps, and on a signal
        (agreed by all ranks) a last one, then TrainingInterrupted."""
        cfg, ctx, hist = self.cfg, self.ctx, self.state.hist
        every = cfg.checkpoint_every and hist.steps % cfg.checkpoint_every == 0
        stopping = self._signalled()
        if not (stopping or every):
            return
        self._clock()
        self.state.save(epoch, index + 1, carry, part)
        if stopping:
            D.all_sum([0.0], ctx)  # no rank stops before rank 0 has written
            self.bar.close()
            raise self._interrupted(f"stopped by a signal at epoch {epoch + 1}, "
                                    f"step {index + 1}")

    def _interrupted(self, where: str) -> TrainingInterrupted:
        """The stop, the best weights back in the model (after the last checkpoint)."""
        self._clock()
        return keep_best_at_stop(TrainingInterrupted.stopped(
            where, self.stop.exit_code, self.state.ckpt is not None), self.state, self.model)

    def _signalled(self) -> bool:
        """A stop signal arrived here, or (under DDP) on any rank: every rank agrees."""
        stopping = self.stop.signum is not None
        if self.ctx.active:
            stopping = D.all_sum([1.0 if stopping else 0.0], self.ctx)[0] > 0
        return stopping

    def _stop_after_the_last_epoch(self) -> None:
        """A signal after the last step's check (in the last validation or checkpoint, or
        that of an early stop) stops the run too: it was lost with the loop's handlers, and
        the command went on (the next ensemble member, model or seed trained). Its end is
        checkpointed: a resume finishes at once."""
        if not self._signalled():  # (every rank is here: the same epochs ran)
            return
        self.bar.close()
        raise self._interrupted(f"stopped by a signal after epoch "
                                f"{len(self.state.hist.epochs)}, its last")
