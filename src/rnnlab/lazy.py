"""Packages whose torch-backed names load on first use (PEP 562).

Importing any module of a package runs the package's ``__init__`` first: were it to
import torch, ``rnnlab forecast --help`` (which needs ``rnnlab.forecast.cli`` and its
config, both torch-free) would take seconds. So a package lists those names in
``_LAZY`` (name -> the submodule defining it) and imports them when first read::

    # rnnlab/forecast/__init__.py
    from .config import ForecastConfig            # torch-free: imported as before
    _LAZY = {"Forecaster": ".forecaster"}          # imports torch: on first use

    if TYPE_CHECKING:                              # what type checkers and IDEs read
        from .forecaster import Forecaster
    else:
        __getattr__, __dir__ = lazy_hooks(__name__)

``from rnnlab.forecast import Forecaster`` and ``rnnlab.forecast.Forecaster`` work as
before; the value is then cached on the package. ``__dir__`` lists the lazy names too (a
notebook's tab completion, ``help(package)``), and the ``if TYPE_CHECKING:`` block imports
them for type checkers and IDEs, which never run ``__getattr__`` (a hover over
``rnnlab.Forecaster`` showed nothing).
"""

from __future__ import annotations

import importlib
import sys
import types


def lazy_attr(package: str, name: str):
    """The package's ``name`` from the submodule ``_LAZY`` names for it; AttributeError
    for a name it does not list (``from package import submodule`` then imports it)."""
    module = sys.modules[package]
    where = module.__dict__.get("_LAZY", {}).get(name)
    if where is None:
        raise AttributeError(f"module {package!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(where, package), name)
    module.__dict__[name] = value  # later reads are plain attribute reads
    return value


def lazy_dir(package: str) -> list:
    """What the package's ``__dir__`` returns: its attributes and the names ``_LAZY``
    lists, none of them imported (``dir(rnnlab)`` stays torch-free)."""
    module = sys.modules[package]
    return sorted(set(module.__dict__) | set(module.__dict__.get("_LAZY", ())))


def lazy_hooks(package: str):
    """The package's ``__getattr__`` (:func:`lazy_attr`) and ``__dir__`` (:func:`lazy_dir`),
    for ``__getattr__, __dir__ = lazy_hooks(__name__)`` in the ``else:`` of its ``if
    TYPE_CHECKING:`` block (checkers read the imports there instead)."""

    def __getattr__(name: str):
        return lazy_attr(package, name)

    def __dir__() -> list:
        return lazy_dir(package)

    return __getattr__, __dir__


class LazyPackage(types.ModuleType):
    """A package with an export named like one of its submodules (``rnnlab.lm.generate``,
    the function, in ``rnnlab/lm/generate.py``): importing the submodule does not replace
    the export, as an eager ``from .generate import generate`` at the end of ``__init__``
    would have ensured. Set with ``sys.modules[__name__].__class__ = LazyPackage``."""

    def __setattr__(self, name, value):
        if (isinstance(value, types.ModuleType) and name in self.__dict__.get("_LAZY", {})
                and value.__name__ == f"{self.__name__}.{name}"):
            return  # the submodule stays reachable as sys.modules[value.__name__]
        super().__setattr__(name, value)


__all__ = ["lazy_attr", "lazy_dir", "LazyPackage"]
