"""A panel member that its time budget (``max_seconds``) stopped, met again by a resume.

A resume with the budget the fit was stopped under takes such a member as it was: the
uninterrupted fit stopped it there too. A resume given more (a larger ``max_seconds``, or
none) trains it on, from its last epoch, within its share of the new budget (the budget is
one of the settings a resume may change, :data:`.checkpoints.FREE_ON_RESUME`). The decision
and its warning are every ensemble's (:mod:`rnnlab.train.budget_stop`, the one-series
Forecaster's too); this module names the panel's record of the budget and its flag."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from ..train.budget_stop import BudgetRoute, BudgetStopWarning, trained_seconds
from ..train.budget_stop import trains_on as _trains_on

__all__ = ["BudgetStopWarning", "trained_seconds", "trains_on"]

BUDGET = "panel_max_seconds"  # the checkpoints' record of the budget the fit trained under
# (the warning points at the line that called GlobalForecaster.fit: a fixed depth pointed
# into rnnlab with ``local=True``, each series' fit one call deeper)
PANEL = BudgetRoute(fit="GlobalForecaster.fit", meta_key=BUDGET, flag="--max-seconds S",
                    depth=6)


def trains_on(folder: Path, max_seconds: Optional[float], left: Optional[float],
              k: int, epochs: int) -> bool:
    """Whether panel member ``k`` (its checkpoints in ``folder``), stopped by its time
    budget, trains on under ``max_seconds`` (its share: ``left``) of ``epochs``
    (:func:`rnnlab.train.budget_stop.trains_on`); a member kept with epochs left is said."""
    return _trains_on(folder, max_seconds, left, k, epochs, PANEL)
