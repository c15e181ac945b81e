"""The spread of a score over seeds, one definition for every report of it."""

from __future__ import annotations

import numpy as np


def seed_std(values) -> float:
    """The sample standard deviation (ddof=1) of a score over seeds: ``rnnlab compare``'s
    and ``rnnlab forecast --seeds``' "mean ± std"; 0.0 for one seed (``np.std``'s ddof=0
    of ``rnnlab forecast --seeds`` read sqrt(2) times narrower over two seeds under the
    same label)."""
    v = np.asarray(values, dtype=np.float64)
    return float(np.std(v, ddof=1)) if len(v) > 1 else 0.0
