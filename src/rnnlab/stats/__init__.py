"""Paired tests for comparing forecasts: Diebold-Mariano (with the Harvey-Leybourne-
Newbold correction) over a backtest's origins, Wilcoxon's signed-rank test across a
panel's series, the paired t-test across seeds, and Holm's adjustment for a family of
them. Each gives a :class:`PairedTest`: the number of pairs, the statistic and the
two-sided p-value, or, where the pairs cannot answer (too few, no spread), a sentence
saying why instead of a number. The p-values come from scipy (``pip install
'rnnlab[panel]'`` brings it)."""

from .diebold_mariano import diebold_mariano
from .holm import holm_adjust, with_holm
from .outcome import PairedTest
from .paired import paired_t, signed_rank

__all__ = ["PairedTest", "diebold_mariano", "signed_rank", "paired_t", "holm_adjust",
           "with_holm"]
