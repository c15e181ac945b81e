"""A panel member that its time budget (``max_seconds``) stopped, met again by a resume.

A resume with the budget the fit was stopped under takes such a member as it was: the
uninterrupted fit stopped it there too. A resume given more (a larger ``max_seconds``, or
none) trains it on, from its last epoch, within its share of the new budget, as a resume
with more ``epochs`` trains on a member that had done all its epochs (the budget is one of
the settings a resume may change, :data:`.checkpoints.FREE_ON_RESUME`; a member stopped by
its budget stayed finished whatever the resume gave it). A member kept so is said
(:class:`BudgetStopWarning`), with how to train it on: its checkpoint is the end of its
training only because of the clock."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Optional

from ..train.budget_stop import BudgetStopWarning  # (the fit's class: one for every route)

__all__ = ["BudgetStopWarning", "trained_seconds", "trains_on"]

BUDGET = "panel_max_seconds"  # the checkpoints' record of the budget the fit trained under
BUDGET_STOP = "time budget"  # a History's stop_reason when its budget stopped it


def trains_on(folder: Path, max_seconds: Optional[float], left: Optional[float],
              k: int, epochs: int) -> bool:
    """Whether member ``k``'s checkpoint in ``folder``, the end of a training its time
    budget stopped, trains on: the budget now (``max_seconds``, the fit's; ``left``: this
    member's share of it, counting what the members before it used) gives it more than it
    was stopped under, and it has epochs left (of ``epochs``: a budget that ran out in the
    last epoch, cutting it short, left none). False for any other checkpoint (the caller
    takes a finished member as it was, or the loop resumes an unfinished one); a member
    kept with epochs left is said."""
    from ..train.checkpoint import CheckpointManager
    from ..train.run_state import History

    _, state, meta = CheckpointManager(folder).load()
    hist = History.from_dict(state["history"])
    if hist.stop_reason != BUDGET_STOP or state.get("index", 0) != 0:
        return False
    if state.get("epoch", 0) >= epochs:  # (no budget trains it on: done, unsaid)
        return False
    was = meta.get(BUDGET, "unrecorded")  # (a checkpoint written before it was recorded)
    more = max_seconds is None or (isinstance(was, (int, float)) and max_seconds > was)
    if more and (left is None or hist.seconds < left):
        return True
    _say_kept(k, folder, hist, was, max_seconds, more)
    return False


def trained_seconds(folder: Path) -> float:
    """The seconds the training in ``folder``'s latest checkpoint had taken: a resumed
    member's time before the stop, which the members after it must count as spent (their
    share of the budget is what the members before them left, as in the unbroken fit)."""
    from ..train.checkpoint import CheckpointManager

    _, state, _ = CheckpointManager(folder).load()
    return float(state["history"].get("seconds", 0.0))


def _say_kept(k: int, folder: Path, hist, was, now: Optional[float], more: bool) -> None:
    """The warning that member ``k`` (its checkpoints in ``folder``), stopped by its time
    budget, is kept as it was (at the line that called ``GlobalForecaster.fit``: a fixed
    depth pointed into rnnlab with ``local=True``, each series' fit one call deeper)."""
    from .far_covariates import _callers_level
    trained = (f"member {k} ({folder}) was stopped by its time budget after "
               f"{hist.seconds:.3g} s "
               f"({len(hist.epochs)} epoch{'' if len(hist.epochs) == 1 else 's'})")
    if more:  # (a larger budget, whose share the members before it used up)
        why = f"max_seconds={now:g} leaves it no time: the members before it used its share"
    elif was == "unrecorded":
        why = "its checkpoint does not record the budget it was stopped under"
    else:
        why = f"max_seconds={now:g} gives it no more than the {was:g} s it was stopped under"
    warnings.warn(f"GlobalForecaster.fit(resume=True): {trained}, and is kept as it was "
                  f"({why}); to train it on, resume with a larger max_seconds (or none), on "
                  f"the command line --max-seconds S with --resume", BudgetStopWarning,
                  stacklevel=_callers_level(6))
