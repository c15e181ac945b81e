"""How a training run ends early: its loss diverged, or a signal stopped it (the loop
raises these; the commands turn them into exit codes and resume commands)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from ..io.errors import RnnlabError

if TYPE_CHECKING:  # (run_state imports torch; these errors are raised without it)
    from .run_state import History


class TrainingDiverged(RnnlabError):
    """The loss, the gradients or the weights became NaN or Inf. Raised by ``fit``, the
    module it trains then holds the best epoch's weights (the last step's when no epoch
    was validated; a note says which) and ``history`` the epochs done, its
    ``stop_reason`` "diverged"; None when raised elsewhere."""

    history: Optional[History] = None  # (the loop that stopped sets it)


class TrainingInterrupted(RnnlabError):
    """Stopped by SIGINT/SIGTERM after a checkpoint was written; ``exit_code`` is 130 or 143;
    ``where``: what stopped, and where ("stopped by a signal at epoch 2, step 5"), for a
    caller that says the rest in its own words (None when not known); ``history``: the
    epochs done, as ``fit`` returns them (the model then holds the best epoch's weights,
    as at a finished fit), or None. Uncaught, it ends a script with status 1 (an exception's,
    not the signal's): ``except TrainingInterrupted as e: sys.exit(e.exit_code)`` ends it
    as a stopped command (an exception hook that exits 130 would skip atexit, and a
    KeyboardInterrupt subclass would escape ``except Exception`` and say 130 for SIGTERM)."""

    history: Optional[History]  # the epochs done, set by the loop that stopped; None else

    # how the loop ends its message (a fit called from Python); a CLI names its own command
    HINT = "Resume with fit(..., checkpoint_dir=<the same folder>, resume=True)"
    # how it ends it for a fit without checkpoints (a CLI says it in its own words)
    NO_CHECKPOINTS = ("this training keeps no checkpoints (checkpoint_dir=None), so it "
                      "starts again from the beginning")

    def __init__(self, message: str, exit_code: int, where: Optional[str] = None,
                 start_over: bool = False):
        super().__init__(message)
        self.exit_code = exit_code
        self.where = where
        self.start_over = start_over  # nothing kept to resume from: a CLI says to run again
        self.history = None

    @classmethod
    def stopped(cls, where: str, exit_code: int, checkpointed: bool) -> "TrainingInterrupted":
        """The loop's stop at ``where``: the hint to resume when it ``checkpointed``, else
        that nothing is kept (a caller then says to start over)."""
        return cls(f"{where}; the checkpoint is written. {cls.HINT}" if checkpointed else
                   f"{where}; {cls.NO_CHECKPOINTS}", exit_code, where=where,
                   start_over=not checkpointed)

    def said_for(self, who: str) -> "TrainingInterrupted":
        """The stop of a fit without checkpoints in the words of ``who``, the method called
        (``GlobalForecaster.fit``), whose ``checkpoint_dir`` makes the next one resumable."""
        return self._with_history(TrainingInterrupted(
            f"{self.where or 'stopped'}; {who} was given no checkpoint_dir, so nothing is "
            f"kept: call it again to train from the beginning (with checkpoint_dir=DIR, a "
            f"fit stopped later goes on with resume=True)", self.exit_code, self.where,
            start_over=True))

    def with_resume_command(self, command: str) -> "TrainingInterrupted":
        """The same stop, its message ending with the exact command that resumes it."""
        # (the loop's hint ends it; or its "no checkpoints" words: a fit inside the command
        # that keeps none, such as a forecast's --refit after its checkpointed members)
        where = str(self).removesuffix(self.HINT).removesuffix(self.NO_CHECKPOINTS)
        where = where.rstrip(".; ")
        return self._with_history(TrainingInterrupted(f"{where}. Resume with: {command}",
                                                      self.exit_code, self.where))

    def _with_history(self, new: "TrainingInterrupted") -> "TrainingInterrupted":
        new.history = self.history
        return new
