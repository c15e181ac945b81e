"""The short lists that rnnlab's messages name things with: ``'a', 'b', 'c' and 4 more``."""

from __future__ import annotations

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
    Python values they hold (``5`` and ``'Zone'``, not ``np.int64(5)``, ``np.str_('Zone')``)."""
    return repr([_plain(n) for n in names])


def _plain(name: Any) -> Any:
    """A numpy scalar (a number, text, a bool) as the Python value it holds (numpy
    unimported: the commands' --help needs none); any other name as it is."""
    numpy_scalar = type(name).__module__ == "numpy" and callable(getattr(name, "item", None))
    return name.item() if numpy_scalar else name
