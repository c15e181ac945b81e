"""Character (and word) language models: train, measure perplexity and bits per
character, generate text. ``CharLM`` is the Python API; ``rnnlab lm`` the command line."""

import sys
from typing import TYPE_CHECKING

from ..lazy import LazyPackage
from .config import LMConfig, LMTrainConfig

# these import torch (baseline_bits numpy): loaded on first use (rnnlab.lazy), so the
# parsers stay torch-free and numpy-free
_LAZY = {"CharLM": ".api", "generate": ".generate", "LMNet": ".model", "token_nll": ".model",
         "baseline_bits": ".baselines", "FitInputNote": ".inputs",  # (a warning class)
         "held_out_text": ".held_out", "HeldOut": ".held_out"}  # (a run's validation text)
sys.modules[__name__].__class__ = LazyPackage  # rnnlab.lm.generate stays the function


if TYPE_CHECKING:  # what a type checker sees of _LAZY (rnnlab ships py.typed)
    from .api import CharLM
    from .baselines import baseline_bits
    from .generate import generate
    from .held_out import HeldOut, held_out_text
    from .inputs import FitInputNote
    from .model import LMNet, token_nll
else:  # hidden from checkers: a misspelt name is an error there, not an Any
    from ..lazy import lazy_hooks

    __getattr__, __dir__ = lazy_hooks(__name__)  # (dir(): the lazy names too)


__all__ = ["CharLM", "LMConfig", "LMTrainConfig", "LMNet", "generate", "token_nll",
           "baseline_bits", "FitInputNote", "held_out_text", "HeldOut"]
