"""The checks a series' values pass before a model sees them: finite, not empty, not so
large that their squares overflow, and not constant (the whole series, or the part a
model trains on)."""

from __future__ import annotations

import numpy as np

from ..io.errors import DataError
from .dates import describe_rows

MAX_ABS = 1e100  # larger values are refused: squared (variances, least squares) they overflow


def check_values(values: np.ndarray, whose: str, labels) -> None:
    """Refuses infinite values, an empty series and values whose squares overflow."""
    if not np.isfinite(values).all():
        bad = ~np.isfinite(values)
        raise DataError(f"{whose} has infinite values (rows "
                        f"{describe_rows(bad, labels)}); expected finite numbers: fix them, or "
                        f"make them NaN (blank in a file) and pass fill='ffill' (--fill ffill)")
    if len(values) == 0:
        raise DataError(f"{whose} is empty")
    big = np.abs(values) > MAX_ABS
    if big.any():
        raise DataError(f"{whose} has values beyond {MAX_ABS:.0e} in size "
                        f"(rows {describe_rows(big, labels)}: up to {np.abs(values).max():.3g}); "
                        f"their squares overflow float64 arithmetic. Rescale the series (e.g. "
                        f"divide it by 1e{int(np.log10(np.abs(values).max())) - 3}) or fix "
                        f"the values")


def check_not_constant(values: np.ndarray, name: str = "series") -> None:
    if np.ptp(values) == 0:
        raise DataError(f"{name} is constant (every value is {values[0]:g}); there is nothing "
                        f"to learn: a forecast is that value. Pass a series that varies")


def check_part_varies(values: np.ndarray, n: int, name: str, part: str, remedy: str) -> None:
    """The first ``n`` values of the series ``values`` (its ``part``: the training part,
    the part before the validation tail) vary: one of zeros before a test part of ones
    read "series 'y' is constant (every value is 0)", of a series that is not."""
    head = values[:n]
    if len(head) > 1 and np.ptp(head) == 0:
        raise DataError(f"{part} of {name} (its first {n} values) is "
                        f"constant (every value is {head[0]:g}), where later values are not; "
                        f"there is nothing to learn from it. {remedy}")
