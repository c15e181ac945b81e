"""Side-by-side comparisons of architectures on identical terms, and the articles'
experiments as runnable recipes (``rnnlab compare``, ``rnnlab recipes``, ``rnnlab recipe run``)."""

from typing import TYPE_CHECKING

from .config import CompareConfig
from .recipes import RECIPES, Recipe, get_recipe

# these import torch: loaded on first use (rnnlab.lazy), so the parsers stay torch-free
_LAZY = {"match_hidden": ".matching", "plan_sizes": ".matching", "run_compare": ".runner",
         "run_models": ".runner"}


if TYPE_CHECKING:  # what a type checker sees of _LAZY (rnnlab ships py.typed)
    from .matching import match_hidden, plan_sizes
    from .runner import run_compare, run_models
else:  # hidden from checkers: a misspelt name is an error there, not an Any
    from ..lazy import lazy_hooks

    __getattr__, __dir__ = lazy_hooks(__name__)  # (dir(): the lazy names too)


__all__ = ["CompareConfig", "Recipe", "RECIPES", "get_recipe", "run_compare", "run_models",
           "plan_sizes", "match_hidden"]
