"""The chronological train/test split: the last points of a series are its test part."""

from __future__ import annotations

from typing import Union

import numpy as np

from ..io.errors import DataError


def split_sizes(n: int, test_size: Union[int, float]) -> int:
    """Number of test points: an int count, or a fraction in (0, 1) of ``n``."""
    if isinstance(test_size, bool) or test_size is None:
        raise DataError(f"test size must be a count or a fraction, got {test_size!r}")
    if isinstance(test_size, float) and not float(test_size).is_integer() or 0 < test_size < 1:
        if not 0 < test_size < 1:
            raise DataError(f"test fraction must be in (0, 1), got {test_size}")
        return max(1, int(round(n * test_size)))
    k = int(test_size)
    if k < 0 or k >= n:
        raise DataError(f"test size {k} must be between 0 and the series length {n} - 1")
    return k


def chronological_split(values: np.ndarray, test_size: Union[int, float]):
    """(train, test): the last ``test_size`` points (count or fraction) are the test part."""
    k = split_sizes(len(values), test_size)
    return values[: len(values) - k], values[len(values) - k:]
