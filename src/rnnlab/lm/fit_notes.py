"""What ``CharLM.fit`` records and says around a training: the identity of the text it
trained on, and a warning about skipped steps."""

from __future__ import annotations

from typing import Optional

from ..callers_line import callers_level
from ..data.corpus_mmap import PreparedCorpus
from ..train import History


def note_skipped(hist: History) -> None:
    """Warn when on_nonfinite='skip' skipped steps (and when no epoch validated finite:
    the weights are then the last ones, not a best epoch's)."""
    if not hist.skipped_steps:
        return
    import warnings

    warnings.warn(f"fit: {hist.skipped_steps} training step(s) had a non-finite loss or "
                  f"gradient and were skipped (on_nonfinite='skip')" + (
                      "; no epoch gave a finite validation loss, so the model learnt nothing "
                      "usable: train again with a lower lr or with clip_norm"
                      if hist.best_epoch is None else ""), stacklevel=callers_level(4))


def data_identity(text) -> Optional[str]:
    """SHA-256 of the text trained on (a prepared corpus: of its source file), as the run's
    config.json records it."""
    if isinstance(text, PreparedCorpus):
        return text.meta.get("source_sha256")
    from ..io.rundir import data_hash

    return data_hash(text)
