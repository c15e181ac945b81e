"""What kind of number a setting holds, as the checks of settings ask it (standard library
only: the torch-free and numpy-free commands use it too).

Python's ``bool`` is an ``int`` (``True + 1 == 2``), so ``isinstance(v, int)`` takes
``batch_size=True``; numpy's integers are not ``int``, so it refuses ``np.int64(4)``. The
number ABCs take numpy's scalars; the bool is left out by hand.
"""

from __future__ import annotations

import numbers


def is_whole(v) -> bool:
    """An integer (Python's or numpy's), not a bool."""
    return isinstance(v, numbers.Integral) and not isinstance(v, bool)


def is_real(v) -> bool:
    """A real number (int, float, numpy's), not a bool."""
    return isinstance(v, numbers.Real) and not isinstance(v, bool)
