"""Files: atomic writes, data-only weights, run directories."""

from .atomic import atomic_write_bytes, atomic_write_json, atomic_write_text
from .errors import (CheckpointError, ConfigError, ConfigTypeError, DataError, NotFittedError,
                     OptionError, RnnlabError, RunDirError, UnsupportedError)

_LAZY = {"load_weights", "save_weights", "sha256_file"}  # .weights imports torch: loaded on use


def __getattr__(name):
    if name in _LAZY:
        from . import weights

        return getattr(weights, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "atomic_write_bytes", "atomic_write_text", "atomic_write_json",
    "save_weights", "load_weights", "sha256_file",
    "RnnlabError", "DataError", "CheckpointError", "RunDirError", "NotFittedError", "OptionError",
    "ConfigError", "ConfigTypeError", "UnsupportedError",
]
