"""The short lists that rnnlab's messages name things with: ``'a', 'b', 'c' and 4 more``."""

from __future__ import annotations

from typing import Callable, Iterable, Optional


def first_few(items: Iterable, most: int, show: Callable = str,
              total: Optional[int] = None) -> str:
    """The first ``most`` of ``items`` (each as ``show`` writes it), joined with commas, and
    how many more there are: ``total`` of them (``len(items)`` when not given; give it when
    ``items`` holds only the first ones)."""
    items = list(items)
    more = (len(items) if total is None else total) - min(most, len(items))
    return ", ".join(show(x) for x in items[:most]) + (f" and {more} more" if more > 0 else "")
