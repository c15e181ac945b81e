"""The short lists that rnnlab's messages name things with: ``'a', 'b', 'c' and 4 more``."""

from __future__ import annotations

import numbers
from typing import Any, Callable, Iterable, Optional


def first_few(items: Iterable, most: int, show: Callable = str,
              total: Optional[int] = None) -> str:
    """The first ``most`` of ``items`` (each as ``show`` writes it), joined with commas, and
    how many more there are: ``total`` of them (``len(items)`` when not given; give it when
    ``items`` holds only the first ones)."""
    items = list(items)
    more = (len(items) if total is None else total) - min(most, len(items))
    return ", ".join(show(x) for x in items[:most]) + (f" and {more} more" if more > 0 else "")


def shown_names(names: Iterable) -> str:
    """Column names as the user's frame has them: ``['State', 5]`` (text quoted, an int
    name bare, so a column 5 is not mistaken for a column '5'); numpy scalars as the
    Python values they hold (``5``, not ``np.int64(5)``)."""
    return repr([_plain(n) for n in names])


def _plain(name: Any) -> Any:
    """A numpy number as the Python one it holds (numpy unimported: the commands' --help
    needs none); any other name as it is."""
    numeric = isinstance(name, numbers.Number)
    return name.item() if numeric and type(name).__module__ == "numpy" else name
