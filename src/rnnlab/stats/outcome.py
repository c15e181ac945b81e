"""One paired comparison's result: which two, over how many pairs, the statistic and its
p-value, or why there is no number (too few pairs, no spread), said in a line."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Optional

import numpy as np


# how each test's statistic is written: W is the smaller of the two signed rank sums
SYMBOLS = {"Diebold-Mariano (HLN)": "DM*", "Wilcoxon signed-rank": "W", "paired t": "t"}


@dataclass(frozen=True)
class PairedTest:
    """A two-sided test of "``a`` and ``b`` have the same expected loss" over ``n`` pairs
    (origins, series or seeds). ``mean_difference`` is mean(loss a - loss b): negative
    where ``a`` scored lower (better). ``statistic`` and ``p_value`` are None where the
    test could not be run; ``note`` then says why (it may also qualify a number)."""

    test: str  # "Diebold-Mariano (HLN)", "Wilcoxon signed-rank", "paired t"
    a: str  # the model (first of the pair)
    b: str  # what it is set against (a baseline, another model)
    n: int  # pairs with a finite value on both sides
    unit: str  # what a pair is: "origins", "series", "seeds"
    mean_difference: float  # mean over the pairs of (a - b); nan with no pair
    statistic: Optional[float] = None  # DM*, W (the smaller rank sum) or t
    p_value: Optional[float] = None  # two-sided, unadjusted
    note: str = ""  # why no number, or what qualifies it
    p_holm: Optional[float] = None  # adjusted for the family it was shown in (Holm)

    def to_dict(self) -> dict:
        return asdict(self)

    def text(self) -> str:
        """'model vs naive: Diebold-Mariano (HLN) over 8 origins: DM* = -2.41,
        p = 0.047 (two-sided; Holm 0.094); mean difference -3.2 (model lower)'."""
        head = f"{self.a} vs {self.b}: {self.test} over {counted(self.n, self.unit)}"
        if self.p_value is None:
            return f"{head}: no test ({self.note})"
        holm = "" if self.p_holm is None else f"; Holm-adjusted {self.p_holm:.3g}"
        side = ("" if not math.isfinite(self.mean_difference) or self.mean_difference == 0
                else f" ({self.a if self.mean_difference < 0 else self.b} lower)")
        tail = f"; {self.note}" if self.note else ""
        symbol = SYMBOLS.get(self.test, "statistic")
        return (f"{head}: {symbol} = {self.statistic:.4g}, p = {self.p_value:.3g} (two-sided"
                f"{holm}); mean difference {self.mean_difference:.4g}{side}{tail}")


def finite_pairs(a, b) -> tuple:
    """The pairs (a[i], b[i]) both finite, as float64 arrays (a diverged seed, a series a
    metric is undefined on, drop out of the pairs, and ``n`` says how many are left)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape or a.ndim != 1:
        from ..io.errors import DataError

        raise DataError(f"paired losses must be two 1-d sequences of one length; got "
                         f"shapes {a.shape} and {b.shape}")
    keep = np.isfinite(a) & np.isfinite(b)
    return a[keep], b[keep]


def differences(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """x - y, with differences within 1e-12 of the larger loss's magnitude taken as 0: the
    same losses summed in another order differ in their last bits, and those signs would
    otherwise be tested as if they were a difference. (A forecast computed in float32 is
    another forecast: its differences are tested, and the tiny mean difference shows.)"""
    d = x - y
    if len(d):
        d[np.abs(d) <= 1e-12 * max(np.abs(x).max(), np.abs(y).max())] = 0.0
    return d


def no_test(test: str, a: str, b: str, d: np.ndarray, unit: str, why: str) -> PairedTest:
    """A comparison without a number, saying why."""
    mean = float(d.mean()) if len(d) else float("nan")
    return PairedTest(test, a, b, len(d), unit, mean, note=why)


def identical(test: str, a: str, b: str, d: np.ndarray, unit: str) -> PairedTest:
    """Every difference is zero: nothing tells the two apart (p = 1, not an error)."""
    return PairedTest(test, a, b, len(d), unit, 0.0, 0.0, 1.0,
                      note=f"the losses are equal on every one of the {len(d)} {unit}")


def too_few(n: int, least: int, unit: str, what: str) -> str:
    """'2 origins; the Diebold-Mariano test needs at least 3 (...)'."""
    return f"{counted(n, unit)}; {what} needs at least {least}"


def counted(n: int, unit: str) -> str:
    """'1 seed', '2 seeds', '1 series': ``n`` of ``unit`` (a plural: seeds, origins,
    series), singular for one."""
    one = unit[:-1] if n == 1 and unit.endswith("s") and not unit.endswith("ies") else unit
    return f"{n} {one}"
