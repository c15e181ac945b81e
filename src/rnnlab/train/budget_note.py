"""A fit (a panel's, the one-series Forecaster's) that its time budget (``max_seconds``)
stopped before its epochs were done says so. Lightning, under NeuralForecast and Darts, logs "Time limit reached ... Signaling
Trainer to stop"; ``GlobalForecaster.fit`` said nothing in Python, nor did ``rnnlab forecast
--max-seconds``, so a network of 2 epochs of 500 looked trained: only ``f.histories``'
``stop_reason`` told. :class:`TimeBudgetNote` names how far it trained and what to do."""

from __future__ import annotations

import warnings
from typing import Iterable, Optional

from ..callers_line import callers_level
from .budget_stop import BUDGET_STOP

__all__ = ["TimeBudgetNote", "say_budget_stop"]


class TimeBudgetNote(UserWarning):
    """A fit's time budget (``max_seconds``) stopped its training before its epochs."""


def say_budget_stop(histories: Iterable[dict], epochs: int,
                    max_seconds: Optional[float], what: str = "network") -> None:
    """Warn (:class:`TimeBudgetNote`) when the time budget stopped any of ``histories``
    (each member's, or each series' network of a local model: ``what``) with some of its
    ``epochs`` not begun; nothing otherwise (a budget that cut the last epoch short)."""
    histories = list(histories)
    stopped = [len(h.get("epochs") or []) for h in histories
               if h.get("stop_reason") == BUDGET_STOP]
    stopped = [k for k in stopped if k < epochs]  # (its last epoch cut short: all begun)
    if not stopped or max_seconds is None:
        return
    done = (f"{min(stopped)}" if min(stopped) == max(stopped)
            else f"{min(stopped)} to {max(stopped)}")
    which = (f"the {what}" if len(histories) == 1
             else f"{len(stopped)} of {len(histories)} {what}s")
    warnings.warn(f"the time budget (max_seconds={max_seconds:g}, --max-seconds) stopped "
                  f"{which} after {done} of its {epochs} epochs; each epoch is in "
                  f"f.histories (rnnlab forecast's history.csv); to train longer, raise "
                  f"max_seconds or leave it out", TimeBudgetNote, stacklevel=callers_level(3))
