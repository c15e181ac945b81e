"""Paired tests across series and across seeds: the Wilcoxon signed-rank test and the
paired t-test (scipy's :func:`scipy.stats.wilcoxon` and :func:`scipy.stats.ttest_rel`),
with the cases they cannot answer said in words instead of a number.

The signed-rank test ranks the |differences| (zeros dropped: Wilcoxon's treatment) and
sums the ranks of each sign; its statistic is the smaller sum. With m nonzero
differences its smallest two-sided p-value is 2 / 2**m, so below 6 it cannot reach 0.05
(5 pairs: 0.0625), and it is not run: a p-value that cannot be small says nothing.
The paired t-test is the one-sample t of the differences, on n - 1 degrees of freedom.
"""

from __future__ import annotations

import numpy as np

from ..extras import require
from .outcome import PairedTest, differences, finite_pairs, identical, no_test, too_few

SIGNED_RANK = "Wilcoxon signed-rank"
PAIRED_T = "paired t"
LEAST_RANKS = 6  # nonzero differences: 2 / 2**5 = 0.0625 > 0.05
LEAST_T = 3  # pairs: with 2, one degree of freedom


def signed_rank(loss_a, loss_b, a: str = "a", b: str = "b",
                unit: str = "series") -> PairedTest:
    """Wilcoxon's signed-rank test of the paired losses (two-sided; exact for fewer than
    51 nonzero differences without ties, else the normal approximation, as scipy
    chooses)."""
    d = differences(*finite_pairs(loss_a, loss_b))
    if len(d) and not d.any():
        return identical(SIGNED_RANK, a, b, d, unit)
    m = int(np.count_nonzero(d))
    if m < LEAST_RANKS:
        zeros = f" ({len(d) - m} equal, left out)" if m < len(d) else ""
        return no_test(SIGNED_RANK, a, b, d, unit,
                       f"{m} {unit} differ{zeros}; the signed-rank test needs at least "
                       f"{LEAST_RANKS}: below that its smallest two-sided p-value, "
                       f"2/2^{m} = {2 / 2 ** m if m else 1:.3g}, cannot reach 0.05")
    res = require("scipy.stats", "the signed-rank test").wilcoxon(d)
    note = f"{len(d) - m} equal, left out of the ranks" if m < len(d) else ""
    return PairedTest(SIGNED_RANK, a, b, len(d), unit, float(d.mean()),
                      float(res.statistic), float(res.pvalue), note)


def paired_t(loss_a, loss_b, a: str = "a", b: str = "b", unit: str = "seeds") -> PairedTest:
    """The paired t-test of the losses (two-sided; scipy's ``ttest_rel``)."""
    d = differences(*finite_pairs(loss_a, loss_b))
    if len(d) < LEAST_T:
        return no_test(PAIRED_T, a, b, d, unit, too_few(len(d), LEAST_T, unit, "the test"))
    if not d.any():
        return identical(PAIRED_T, a, b, d, unit)
    if (d == d[0]).all():
        return no_test(PAIRED_T, a, b, d, unit, f"the difference is {d[0]:.4g} on every "
                       f"one of the {len(d)} {unit}: no spread to test against")
    res = require("scipy.stats", "the paired t-test").ttest_1samp(d, 0.0)
    return PairedTest(PAIRED_T, a, b, len(d), unit, float(d.mean()), float(res.statistic),
                      float(res.pvalue))
