"""Character (and word) language models: train, measure perplexity and bits per
character, generate text. ``CharLM`` is the Python API; ``rnnlab lm`` the command line."""

from .api import CharLM
from .baselines import baseline_bits
from .config import LMConfig, LMTrainConfig
from .generate import generate
from .model import LMNet, token_nll

__all__ = ["CharLM", "LMConfig", "LMTrainConfig", "LMNet", "generate", "token_nll",
           "baseline_bits"]
