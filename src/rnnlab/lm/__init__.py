"""Character (and word) language models: train, measure perplexity and bits per
character, generate text. ``CharLM`` is the Python API; ``rnnlab lm`` the command line."""

import sys

from ..lazy import LazyPackage, lazy_attr
from .config import LMConfig, LMTrainConfig

# these import torch (baseline_bits numpy): loaded on first use (rnnlab.lazy), so the
# parsers stay torch-free and numpy-free
_LAZY = {"CharLM": ".api", "generate": ".generate", "LMNet": ".model", "token_nll": ".model",
         "baseline_bits": ".baselines"}
sys.modules[__name__].__class__ = LazyPackage  # rnnlab.lm.generate stays the function


def __getattr__(name):
    return lazy_attr(__name__, name)


__all__ = ["CharLM", "LMConfig", "LMTrainConfig", "LMNet", "generate", "token_nll",
           "baseline_bits"]
