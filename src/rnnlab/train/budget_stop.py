"""A resume of a training that its time budget (``max_seconds``) had stopped.

Given no larger budget it trains nothing and says so (:class:`BudgetStopWarning`): the
uninterrupted run stopped there too. Given more (a larger ``max_seconds``, or none) it
trains on from its last epoch, as a resume with more ``epochs`` trains on a training that
had done all its epochs. One class and one decision for every route: ``rnnlab.train.fit``,
``CharLM.fit`` and ``lm train --resume`` (:func:`stopped_on_resume`, in the loop), and an
ensemble's members, whose finished checkpoints are otherwise taken as they were
(:func:`trains_on`: a panel's, :mod:`rnnlab.panel.budget_resume`, and the one-series
Forecaster's, :mod:`rnnlab.forecast.training`), so that a filter by class singles the
warning out wherever it is said."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ..callers_line import callers_level

__all__ = ["BudgetStopWarning", "BudgetRoute", "stopped_on_resume", "trained_seconds",
           "trains_on"]

BUDGET_STOP = "time budget"  # a History's stop_reason when its budget stopped it


class BudgetStopWarning(UserWarning):
    """A resumed training (a fit, a panel's member) that its time budget had stopped is
    kept as it was: the budget given is no larger than the one it spent."""


@dataclass(frozen=True)
class BudgetRoute:
    """How an ensemble's fit records and names its members' budget: ``fit`` (the method
    the warning names), ``meta_key`` (the checkpoint meta's record of the budget it
    trained under), ``flag`` (the command line's option for a larger one) and ``depth``
    (the stacklevel of the fit's caller where every frame is the user's). ``whole``: each
    member's budget is the fit's whole one (the one-series Forecaster's, not a panel's
    share), so a checkpoint written before ``meta_key`` was recorded still records it, in
    the ``train_config`` every checkpoint holds (:func:`rnnlab.train.run_state.run_record`)."""

    fit: str
    meta_key: str
    flag: str
    depth: int
    whole: bool = False

    def budget(self, meta: dict):
        """The budget the checkpoint (its ``meta``) trained under, or "unrecorded"."""
        if self.meta_key in meta:
            return meta[self.meta_key]
        older = meta.get("train_config") if self.whole else None
        return older.get("max_seconds", "unrecorded") if isinstance(older, dict) \
            else "unrecorded"


def stopped_on_resume(hist, cfg) -> None:
    """A resumed run that had stopped by its time budget goes on when ``cfg`` (a
    TrainConfig) gives it a larger one; with the budget it has spent, or stopped early, it
    trains nothing: say so (resumed with the same budget, it trained one more epoch past
    it, unasked)."""
    if hist.stop_reason == BUDGET_STOP:
        if cfg.max_seconds is None or hist.seconds < cfg.max_seconds:
            hist.stopped_early, hist.stop_reason = False, "epochs done"
            return
        warnings.warn(f"fit(resume=True): the checkpoint has trained {hist.seconds / 60:.3g} "
                      f"min, its whole time budget of {cfg.max_seconds / 60:.3g} min, so "
                      f"nothing is trained; to train on, raise the budget (max_seconds; "
                      f"CharLM.fit: minutes; lm train: --resume RUN --minutes M)",
                      BudgetStopWarning, stacklevel=callers_level(3))  # (the fit's caller)
    elif hist.stop_reason == "early stopping":
        warnings.warn(f"fit(resume=True): the checkpoint's run stopped early (no better "
                      f"validation loss in its last epochs), so nothing is trained; the best "
                      f"weights are kept (epoch {hist.best_epoch})",
                      stacklevel=callers_level(3))  # (the fit's caller, past its worker)


def trains_on(folder: Path, max_seconds: Optional[float], left: Optional[float],
              k: int, epochs: int, route: BudgetRoute) -> bool:
    """Whether member ``k``'s checkpoint in ``folder``, the end of a training its time
    budget stopped, trains on: the budget now (``max_seconds``, the fit's; ``left``: this
    member's share of it, counting what the members before it used) gives it more than it
    was stopped under, and it has epochs left (of ``epochs``: a budget that ran out in the
    last epoch, cutting it short, left none). False for any other checkpoint (the caller
    takes a finished member as it was, or the loop resumes an unfinished one); a member
    kept with epochs left is said."""
    from .checkpoint import CheckpointManager
    from .run_state import History

    _, state, meta = CheckpointManager(folder).load()
    hist = History.from_dict(state["history"])
    if hist.stop_reason != BUDGET_STOP or state.get("index", 0) != 0:
        return False
    if state.get("epoch", 0) >= epochs:  # (no budget trains it on: done, unsaid)
        return False
    was = route.budget(meta)  # (a checkpoint written before it was: "unrecorded")
    more = max_seconds is None or (isinstance(was, (int, float)) and max_seconds > was)
    if more and (left is None or hist.seconds < left):
        return True
    _say_kept(k, folder, hist, was, max_seconds, more, route)
    return False


def trained_seconds(folder: Path) -> float:
    """The seconds the training in ``folder``'s latest checkpoint had taken: a resumed
    member's time before the stop, which the members after it must count as spent (their
    share of the budget is what the members before them left, as in the unbroken fit)."""
    from .checkpoint import CheckpointManager

    _, state, _ = CheckpointManager(folder).load()
    return float(state["history"].get("seconds", 0.0))


def _say_kept(k: int, folder: Path, hist, was, now: Optional[float], more: bool,
              route: BudgetRoute) -> None:
    """The warning that member ``k`` (its checkpoints in ``folder``), stopped by its time
    budget, is kept as it was, at the line that called ``route.fit``."""
    trained = (f"member {k} ({folder}) was stopped by its time budget after "
               f"{hist.seconds:.3g} s "
               f"({len(hist.epochs)} epoch{'' if len(hist.epochs) == 1 else 's'})")
    if more and hist.seconds >= now:  # (larger, but no more than it trained: within a step)
        why = f"max_seconds={now:g} is no more than the {hist.seconds:.3g} s it has trained"
    elif more:  # (a larger budget, whose share the members before it used up)
        why = f"max_seconds={now:g} leaves it no time: the members before it used its share"
    elif was == "unrecorded":
        why = "its checkpoint does not record the budget it was stopped under"
    else:
        why = f"max_seconds={now:g} gives it no more than the {was:g} s it was stopped under"
    warnings.warn(f"{route.fit}(resume=True): {trained}, and is kept as it was "
                  f"({why}); to train it on, resume with a larger max_seconds (or none), on "
                  f"the command line {route.flag} with --resume", BudgetStopWarning,
                  stacklevel=callers_level(route.depth))
