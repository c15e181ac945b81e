"""What a spawned worker can find of this process's ``__main__``.

A worker started with multiprocessing's spawn imports the main script again (by its file,
or by its module name under ``python -m``); a notebook's or ``python -c``'s ``__main__``
has neither, so a function or class defined there, pickled by name, is not found in the
worker: it died on "AttributeError: Can't get attribute 'cb' on <module '__main__'
(built-in)>", and the fit on "worker process(es) died".
"""

from __future__ import annotations

import io
import pickle
import sys
from types import FunctionType


def main_definitions(obj) -> list:
    """The functions and classes of ``__main__`` that pickling ``obj`` names (``obj``
    itself, what a ``functools.partial`` or a bound method holds, an instance's class):
    each is found again by name in a spawned process. Raises what pickling ``obj`` raises
    (a lambda, a nested function)."""
    found = []

    class _Recording(pickle.Pickler):
        def reducer_override(self, o):
            if isinstance(o, (type, FunctionType)) and getattr(o, "__module__", None) == "__main__":
                found.append(o)
            return NotImplemented

    _Recording(io.BytesIO()).dump(obj)
    return found


def main_unimported() -> bool:
    """Whether ``__main__`` is one that spawned processes do not import: a notebook's or
    ``python -c``'s, with no file and no module name."""
    main = sys.modules.get("__main__")
    return getattr(main, "__spec__", None) is None and getattr(main, "__file__", None) is None


def sendable(obj) -> bool:
    """Whether ``obj`` pickled here unpickles in a spawned worker."""
    try:
        used = main_definitions(obj)
    except (pickle.PicklingError, AttributeError, TypeError):
        return False
    return not (used and main_unimported())
