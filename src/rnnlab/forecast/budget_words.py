"""What ``rnnlab forecast`` (one series) says of a time budget (``--minutes``) that stopped
its members before their epochs: once, in its summary's "weights kept" line. The fit's
:class:`~rnnlab.train.budget_note.TimeBudgetNote` said it too, on stderr, naming
``max_seconds`` and ``--max-seconds`` (the panel model's flag) where the command's is
``--minutes``; the run leaves the note out, and the summary's line carries what only the
note gave: the budget, how many members it stopped, after how many of their epochs, and
what to do."""

from __future__ import annotations

from typing import Any, Sequence

from ..train.budget_stop import BUDGET_STOP


def budget_words(histories: Sequence[dict], config: Any) -> str:
    """``time budget: --minutes 0.001 stopped 3 of 3 members after 1 of their 300 epochs;
    to train longer, raise --minutes or leave it out``, of ``config``'s ``epochs`` and
    ``max_seconds`` (read only where a member's ``stop_reason`` is the budget's); "" where
    the budget stopped no member with epochs left (none given, or one that cut the last
    epoch short)."""
    done = [len(h.get("epochs") or []) for h in histories
            if h.get("stop_reason") == BUDGET_STOP]
    if not done or getattr(config, "max_seconds", None) is None:  # (no config: no budget read)
        return ""
    epochs, max_seconds = config.epochs, config.max_seconds
    done = [k for k in done if k < epochs]
    if not done:
        return ""
    trained = f"{min(done)}" if min(done) == max(done) else f"{min(done)} to {max(done)}"
    which = ("the network" if len(histories) == 1
             else f"{len(done)} of {len(histories)} members")
    their = "its" if len(histories) == 1 else "their"
    return (f"time budget: --minutes {max_seconds / 60:.6g} stopped {which} after {trained} "
            f"of {their} {epochs} epochs; to train longer, raise --minutes or leave it out")


__all__ = ["budget_words"]
