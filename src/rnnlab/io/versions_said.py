"""Whether a caller has already said that a resumed run goes on under other versions or
threads than it started with: a backtest resumed on other threads warns once
(:class:`~rnnlab.panel.backtest_versions.BacktestResumeWarning`), and a network's fit it
resumes from a checkpoint then keeps its own note of the same ("written by threads 1
(now 2)") to itself: said twice, the one difference read as two."""

from __future__ import annotations

from contextvars import ContextVar, Token

_SAID: ContextVar[bool] = ContextVar("rnnlab_versions_said", default=False)


def versions_said() -> bool:
    """Whether the run that calls this fit has said its versions differ (its fits' notes
    of the same are then left out)."""
    return _SAID.get()


def say_versions_said() -> None:
    """Mark the versions said, for the rest of the block :func:`versions_kept` opened."""
    _SAID.set(True)


def versions_kept() -> Token:
    """Open a block whose marks :func:`say_versions_said` sets; ``_SAID.reset(token)``
    (:func:`versions_closed`) ends it, as it was before."""
    return _SAID.set(_SAID.get())


def versions_closed(token: Token) -> None:
    """End the block :func:`versions_kept` opened."""
    _SAID.reset(token)


__all__ = ["say_versions_said", "versions_closed", "versions_kept", "versions_said"]
