"""The spread of a score over seeds, one definition for every report of it."""

from __future__ import annotations

import numpy as np


def seed_std(values) -> float:
    """The sample standard deviation (ddof=1) of a score over seeds: ``rnnlab compare``'s
    and ``rnnlab forecast --seeds``' "mean ± std"; 0.0 for one seed (``np.std``'s ddof=0
    of ``rnnlab forecast --seeds`` read sqrt(2) times narrower over two seeds under the
    same label); 0.0 for seeds that all scored the same (a baseline's score: the mean's
    rounding made it "28.73 ± 4e-15" beside "50.71 ± 0.00")."""
    v = np.asarray(values, dtype=np.float64)
    if len(v) < 2 or (np.isfinite(v).all() and (v == v[0]).all()):
        return 0.0
    return float(np.std(v, ddof=1))
