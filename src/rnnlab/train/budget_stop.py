"""The warning of a resume that trains nothing because its time budget was spent: the
training its budget had stopped, given no larger one, is kept as it was (the uninterrupted
run stopped there too). One class for every route (``rnnlab.train.fit``, ``CharLM.fit`` and
``lm train --resume``, a panel's members: :mod:`rnnlab.panel.budget_resume`), so that a
filter by class singles it out wherever it is said."""

from __future__ import annotations

__all__ = ["BudgetStopWarning"]


class BudgetStopWarning(UserWarning):
    """A resumed training (a fit, a panel's member) that its time budget had stopped is
    kept as it was: the budget given is no larger than the one it spent."""
