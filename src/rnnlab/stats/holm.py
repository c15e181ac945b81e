"""Holm's step-down adjustment of a family of p-values (S. Holm 1979, "A simple
sequentially rejective multiple test procedure", Scand. J. Statist. 6(2)).

Sorted ascending, p_(i) (i = 1..m) becomes max_{j<=i} min(1, (m - j + 1) p_(j)); a
comparison whose adjusted value is below alpha is rejected with the family-wise error
rate kept at alpha. Tests without a p-value are not counted in m.
"""

from __future__ import annotations

import dataclasses
from typing import List, Optional, Sequence

from .outcome import PairedTest


def holm_adjust(p: Sequence[Optional[float]]) -> List[Optional[float]]:
    """The Holm-adjusted values of ``p`` in its order (None stays None)."""
    given = sorted((v, i) for i, v in enumerate(p) if v is not None)
    out: List[Optional[float]] = [None] * len(p)
    m, running = len(given), 0.0
    for j, (v, i) in enumerate(given):
        running = max(running, min(1.0, (m - j) * v))
        out[i] = running
    return out


def with_holm(tests: Sequence[PairedTest]) -> List[PairedTest]:
    """``tests`` with ``p_holm`` set over the family they form (only where there are two
    or more p-values: one test needs no adjustment)."""
    adj = holm_adjust([t.p_value for t in tests])
    if sum(v is not None for v in adj) < 2:
        return list(tests)
    return [dataclasses.replace(t, p_holm=a) for t, a in zip(tests, adj)]
