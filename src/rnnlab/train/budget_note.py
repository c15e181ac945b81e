"""A fit (a panel's, the one-series Forecaster's) that its time budget (``max_seconds``)
stopped before its epochs were done says so. Lightning, under NeuralForecast and Darts, logs "Time limit reached ... Signaling
Trainer to stop"; ``GlobalForecaster.fit`` said nothing in Python, nor did ``rnnlab forecast
--max-seconds``, so a network of 2 epochs of 500 looked trained: only ``f.histories``'
``stop_reason`` told. :class:`TimeBudgetNote` names how far it trained and what to do."""

from __future__ import annotations

import warnings
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator, Iterable, List, Optional, Tuple

from ..callers_line import callers_level
from .budget_stop import BUDGET_STOP

__all__ = ["TimeBudgetNote", "budget_model", "budget_said_once", "budget_unsaid",
           "say_budget_stop"]

# the fits of a backtest under way (:func:`budget_said_once`): (model, histories, epochs,
# max_seconds, what) of each, said when it ends; None outside one
_GATHERED: ContextVar[Optional[List[Tuple[Optional[str], list, int, Optional[float], str]]]] = \
    ContextVar("rnnlab_budget_stops", default=None)
# the backtest's model whose fit runs (its label in the results: "lstm"), None outside one
_MODEL: ContextVar[Optional[str]] = ContextVar("rnnlab_budget_model", default=None)


class TimeBudgetNote(UserWarning):
    """A fit's time budget (``max_seconds``) stopped its training before its epochs."""


def say_budget_stop(histories: Iterable[dict], epochs: int,
                    max_seconds: Optional[float], what: str = "network") -> None:
    """Warn (:class:`TimeBudgetNote`) when the time budget stopped any of ``histories``
    (each member's, or each series' network of a local model: ``what``) with some of its
    ``epochs`` not begun; nothing otherwise (a budget that cut the last epoch short).
    Inside :func:`budget_said_once` (a backtest's fits, one per origin) the fit is kept
    for the one note said when the block ends."""
    histories = list(histories)
    gathered = _GATHERED.get()
    if gathered is not None:
        gathered.append((_MODEL.get(), histories, epochs, max_seconds, what))
        return
    said = _stopped(histories, epochs, max_seconds, what)
    if said:
        _warn(said)


class budget_said_once:  # (a class, not a generator: contextlib's frame is no caller)
    """A block (a backtest) whose fits' time budget stops are said at its end, not one
    note per fit: a panel backtest refitted at every origin said it once per origin.
    A model's fits of one setting (epochs, max_seconds) are counted together ("3 of 3
    networks") in one note, which names the model (:func:`budget_model`) where known: the
    notes of several models were one, joined by "; ", naming none. A block inside another
    leaves the saying to the outer one; a block that raises says nothing. The notes name
    no ``f.histories``: the backtest keeps none of its fits'."""

    def __enter__(self) -> None:
        self._token = None if _GATHERED.get() is not None else _GATHERED.set([])

    def __exit__(self, kind, error, trace) -> None:
        if self._token is None:  # (inside another block: it says them)
            return
        gathered = _GATHERED.get() or []
        _GATHERED.reset(self._token)
        if kind is not None:
            return
        groups: dict = {}
        for model, histories, epochs, max_seconds, what in gathered:
            groups.setdefault((model, epochs, max_seconds, what), []).extend(histories)
        for (model, epochs, max_seconds, what), histories in groups.items():
            said = _stopped(histories, epochs, max_seconds, what)
            if said:  # (no "each epoch is in f.histories": a backtest keeps none)
                _warn(said if model is None else f"model {model!r}: {said}", kept="")


@contextmanager
def budget_model(label: Optional[str]) -> Iterator[None]:
    """A block fitting the backtest's model ``label``: its time budget's stops, gathered
    by :func:`budget_said_once`, are said in a note naming it."""
    token = _MODEL.set(label)
    try:
        yield
    finally:
        _MODEL.reset(token)


@contextmanager
def budget_unsaid() -> Iterator[None]:
    """A block whose fits say nothing of their time budget, nor count in an enclosing
    :func:`budget_said_once`: a local panel model's series' fits, which its own fit says
    for them all (a warnings filter hid them alone, and a backtest counted each twice)."""
    token = _GATHERED.set([])
    try:
        yield
    finally:
        _GATHERED.reset(token)


def _stopped(histories: list, epochs: int, max_seconds: Optional[float],
             what: str) -> str:
    """"the time budget (...) stopped X after K of its N epochs", or "" where it stopped
    none with epochs left."""
    stopped = [len(h.get("epochs") or []) for h in histories
               if h.get("stop_reason") == BUDGET_STOP]
    stopped = [k for k in stopped if k < epochs]  # (its last epoch cut short: all begun)
    if not stopped or max_seconds is None:
        return ""
    done = (f"{min(stopped)}" if min(stopped) == max(stopped)
            else f"{min(stopped)} to {max(stopped)}")
    which = (f"the {what}" if len(histories) == 1
             else f"{len(stopped)} of {len(histories)} {what}s")
    their = "its" if len(histories) == 1 else "their"  # ("3 of 4 networks ... of its" read wrong)
    return (f"the time budget (max_seconds={max_seconds:g}, --max-seconds) stopped "
            f"{which} after {done} of {their} {epochs} epochs")


_KEPT = "; each epoch is in f.histories (rnnlab forecast's history.csv)"  # (a fit's)


def _warn(said: str, kept: str = _KEPT) -> None:
    """:class:`TimeBudgetNote` of ``said``, with where its epochs are kept (``kept``: a
    fit's, :data:`_KEPT`; a backtest's, none: its origins' models are gone, and the user's
    ``f.histories`` is empty) and what to do, at the caller's line."""
    warnings.warn(f"{said}{kept}; to train longer, raise max_seconds or leave it out",
                  TimeBudgetNote, stacklevel=callers_level(4))
