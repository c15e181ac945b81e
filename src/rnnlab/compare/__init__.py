"""Side-by-side comparisons of architectures on identical terms, and the articles'
experiments as runnable recipes (``rnnlab compare``, ``rnnlab recipes``, ``rnnlab recipe run``)."""

from .config import CompareConfig
from .matching import match_hidden, plan_sizes
from .recipes import RECIPES, Recipe, get_recipe
from .runner import run_compare, run_models

__all__ = ["CompareConfig", "Recipe", "RECIPES", "get_recipe", "run_compare", "run_models",
           "plan_sizes", "match_hidden"]
