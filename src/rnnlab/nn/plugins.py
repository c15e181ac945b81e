"""Architectures of installed packages, for the command line: a package that defines its
own cell names a module (or a function) under the entry-point group
``rnnlab.architectures`` in its ``pyproject.toml``::

    [project.entry-points."rnnlab.architectures"]
    mgu = "mycells"               # a module whose import calls register_architecture
    # mgu = "mycells:register"    # or a function that does, called with no arguments

``rnnlab forecast --model mgu`` (a separate process, which never imports your code) and
``Forecaster.load`` of a model saved with it then find it: :func:`load_entry_points`
runs when a name is not found (and before ``rnnlab models`` lists them), once per
process. Only what ``pip install`` put in the environment is imported, as pytest loads
its plugins; a saved model names its architecture, it never carries code.
"""

from __future__ import annotations

import functools
import types
import warnings
from importlib.metadata import entry_points
from typing import Tuple

from ..io.errors import shown_name

GROUP = "rnnlab.architectures"


@functools.lru_cache(maxsize=None)
def load_entry_points() -> Tuple[str, ...]:
    """Import every entry point of :data:`GROUP` (calling it when it names a function);
    returns their names. One that fails to import is named in a warning and skipped, so
    that a broken plugin does not take rnnlab's own architectures down with it."""
    loaded = []
    for ep in entry_points(group=GROUP):
        try:
            target = ep.load()
            if callable(target) and not isinstance(target, types.ModuleType):
                target()
        except Exception as e:  # (any error of someone else's code: said, not raised)
            warnings.warn(f"rnnlab: the architecture plugin {ep.name!r} ({ep.value}, entry "
                          f"point group {GROUP!r}) failed to load: {shown_name(e)}: {e}; "
                          f"its architectures are not available (fix or uninstall its "
                          f"package)", RuntimeWarning, stacklevel=2)
            continue
        loaded.append(ep.name)
    return tuple(loaded)


__all__ = ["GROUP", "load_entry_points"]
