"""A member's training that already ended: its last checkpoint is its final one.

An ensemble's members train in turn, each into its own checkpoint folder. A resume after a
stop must take a member that had finished (all its epochs, early stopping, its time
budget) exactly as it was: ``fit(resume=True)`` would train a member stopped by its time
budget further, and load the last epoch's weights of one stopped early where the model
keeps the best epoch's. Used by the one-series Forecaster (:mod:`rnnlab.forecast.training`,
:mod:`rnnlab.forecast.unfinished_run`) and the panel's (:mod:`rnnlab.panel.global_fit`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Optional, Tuple

from .checkpoint import CheckpointManager


def final_checkpoint(folder: Path, epochs: int) -> Optional[Tuple[Dict[str, Any], Any]]:
    """(final weights, History) when the last checkpoint in ``folder`` ends its member's
    training (``epochs`` done, early stopping, or its time budget), else None (the loop
    resumes it); the best epoch's weights where they were kept."""
    from .loop import History

    weights, st, _ = CheckpointManager(folder).load()
    hist = History.from_dict(st["history"])
    if st.get("index", 0) == 0 and (hist.stopped_early or st["epoch"] >= epochs):
        return (st.get("best_state") or weights), hist
    return None


def take_final(folder: Path, epochs: int, net) -> Optional[Any]:
    """The member's History when :func:`final_checkpoint` finds its training ended, its
    final weights then loaded into ``net`` (checked against it first); else None."""
    from ..io.weights_match import check_state_dict
    from ..nn.gru_form import marked_forms

    done = final_checkpoint(folder, epochs)
    if done is None:
        return None
    weights, hist = done
    check_state_dict(net, weights, f"{folder} (the checkpoint to resume)")
    net.load_state_dict(marked_forms(net, weights))  # (its own: no warning)
    return hist
