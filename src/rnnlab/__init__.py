"""rnnlab: recurrent neural networks from their equations, fast and honest."""

__version__ = "0.1.0"
