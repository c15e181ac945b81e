"""The Diebold-Mariano test of equal expected loss, with the small-sample correction of
Harvey, Leybourne and Newbold.

For losses ``a_t`` and ``b_t`` of two forecasts of the same targets (t = 1..n, in time
order) and their differences ``d_t = a_t - b_t``, with mean ``dbar`` and autocovariances
``g_k = (1/n) sum_{t>k} (d_t - dbar)(d_{t-k} - dbar)``:

    DM  = dbar / sqrt((g_0 + 2 sum_{k=1}^{h-1} g_k) / n)        (Diebold & Mariano 1995)
    DM* = DM * sqrt((n + 1 - 2h + h(h-1)/n) / n)                 (Harvey et al. 1997)

and DM* is compared with Student's t on n - 1 degrees of freedom (two-sided). ``h`` is
the number of autocovariances the differences may carry: the forecast horizon for
h-step forecasts from consecutive origins; for a backtest whose origins lie ``stride``
steps apart, each scored over ``horizon`` steps, ceil(horizon / stride) (1 when the
windows do not overlap). Where the long-run variance comes out non-positive (possible
for h > 1), the test falls back to h = 1 and says so (as R's ``forecast::dm.test``).
With h = 1, DM* is the one-sample t statistic of the differences.

F. X. Diebold and R. S. Mariano (1995), "Comparing predictive accuracy", JBES 13(3).
D. Harvey, S. Leybourne and P. Newbold (1997), "Testing the equality of prediction mean
squared errors", IJF 13(2).
"""

from __future__ import annotations

import math

import numpy as np

from ..extras import require
from .outcome import PairedTest, differences, finite_pairs, identical, no_test, too_few

NAME = "Diebold-Mariano (HLN)"
LEAST = 3  # origins: with 2, t has 1 degree of freedom and one difference of spread


def long_run_variance(d: np.ndarray, h: int) -> float:
    """g_0 + 2 sum_{k=1}^{h-1} g_k, the autocovariances over n (not n - k)."""
    n, dev = len(d), d - d.mean()
    gam = [float(dev[k:] @ dev[:n - k]) / n for k in range(min(h, n))]
    return gam[0] + 2.0 * sum(gam[1:])


def diebold_mariano(loss_a, loss_b, h: int = 1, a: str = "a", b: str = "b",
                    unit: str = "origins") -> PairedTest:
    """DM* (module docstring) of the losses ``loss_a`` and ``loss_b``, one per origin in
    time order; pairs with a non-finite loss are left out. Fewer than 3 pairs, a
    correction factor that is not positive (h too large for n), or differences of no
    spread give a :class:`PairedTest` without a number that says why."""
    d = differences(*finite_pairs(loss_a, loss_b))
    h = int(h)
    if h < 1:
        from ..io.errors import ConfigError

        raise ConfigError(f"diebold_mariano: h must be a whole number >= 1 (the "
                          f"autocovariances kept), got {h!r}")
    if len(d) < LEAST:
        return no_test(NAME, a, b, d, unit, too_few(len(d), LEAST, unit, "the test"))
    if not d.any():
        return identical(NAME, a, b, d, unit)
    n, note = len(d), ""
    if n + 1 - 2 * h + h * (h - 1) / n <= 0:
        return no_test(NAME, a, b, d, unit, f"h = {h} autocovariances need more than "
                       f"{n} {unit} (the small-sample correction is not defined)")
    var = long_run_variance(d, h)
    if h > 1 and var <= 0:
        note, h = (f"the long-run variance with {h - 1} autocovariances was not positive; "
                   f"tested with none (h = 1)"), 1
        var = long_run_variance(d, 1)
    if var <= 0:
        return no_test(NAME, a, b, d, unit, f"the difference is {d[0]:.4g} on every one "
                       f"of the {n} {unit}: no spread to test against")
    factor = (n + 1 - 2 * h + h * (h - 1) / n) / n
    stat = float(d.mean() / math.sqrt(var / n) * math.sqrt(factor))
    t = require("scipy.stats", "the Diebold-Mariano test's p-value").t
    p = float(2.0 * t.sf(abs(stat), n - 1))
    return PairedTest(NAME, a, b, n, unit, float(d.mean()), stat, p, note)
