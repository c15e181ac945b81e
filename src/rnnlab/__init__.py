"""rnnlab: recurrent neural networks from their equations, fast and honest."""

__version__ = "0.1.0"

# names the documentation and the issues use at the top level (``rnnlab.CharLM``), loaded
# on first use (rnnlab.lazy): ``import rnnlab`` stays torch-free
_LAZY = {"CharLM": ".lm", "load_corpus": ".data.text", "Forecaster": ".forecast",
         "GlobalForecaster": ".panel", "build_model": ".nn.registry",
         # the errors to catch: every failure rnnlab raises is a RnnlabError
         "RnnlabError": ".io.errors", "DataError": ".io.errors",
         "NotFittedError": ".io.errors", "ShapeError": ".nn.errors",
         "MismatchError": ".nn.errors", "ConfigError": ".io.errors",
         "ConfigTypeError": ".io.errors", "UnsupportedError": ".io.errors"}


def __getattr__(name):
    from .lazy import lazy_attr

    return lazy_attr(__name__, name)
