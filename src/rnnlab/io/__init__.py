"""Files: atomic writes, data-only weights, run directories."""

from typing import TYPE_CHECKING

from .atomic import atomic_write_bytes, atomic_write_json, atomic_write_text
from .errors import (CheckpointError, ConfigError, ConfigTypeError, DataError, NotFittedError,
                     OptionError, RnnlabError, RunDirError, UnsupportedError)

_LAZY = {"load_weights", "save_weights", "sha256_file"}  # .weights imports torch: loaded on use

if TYPE_CHECKING:  # for type checkers and IDEs, which never run __getattr__
    from .weights import load_weights, save_weights, sha256_file


def __getattr__(name):
    if name in _LAZY:
        from . import weights

        return getattr(weights, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    from ..lazy import lazy_dir

    return lazy_dir(__name__)


__all__ = [
    "atomic_write_bytes", "atomic_write_text", "atomic_write_json",
    "save_weights", "load_weights", "sha256_file",
    "RnnlabError", "DataError", "CheckpointError", "RunDirError", "NotFittedError", "OptionError",
    "ConfigError", "ConfigTypeError", "UnsupportedError",
]
