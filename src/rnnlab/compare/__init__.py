"""Side-by-side comparisons of architectures on identical terms, and the articles'
experiments as runnable recipes (``rnnlab compare``, ``rnnlab recipes``, ``rnnlab recipe run``)."""

from typing import TYPE_CHECKING

from ..lazy import lazy_attr
from .config import CompareConfig
from .recipes import RECIPES, Recipe, get_recipe

# these import torch: loaded on first use (rnnlab.lazy), so the parsers stay torch-free
_LAZY = {"match_hidden": ".matching", "plan_sizes": ".matching", "run_compare": ".runner",
         "run_models": ".runner"}


if TYPE_CHECKING:  # what a type checker sees of _LAZY (rnnlab ships py.typed)
    from .matching import match_hidden, plan_sizes
    from .runner import run_compare, run_models
else:  # hidden from checkers: a misspelt name is an error there, not an Any
    def __getattr__(name):
        return lazy_attr(__name__, name)


def __dir__():  # dir() (tab completion, help()) lists the lazy names, none imported
    from ..lazy import lazy_dir

    return lazy_dir(__name__)


__all__ = ["CompareConfig", "Recipe", "RECIPES", "get_recipe", "run_compare", "run_models",
           "plan_sizes", "match_hidden"]
