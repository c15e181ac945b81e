"""Files: atomic writes, data-only weights, run directories."""

from typing import TYPE_CHECKING

from .atomic import atomic_write_bytes, atomic_write_json, atomic_write_text
from .errors import (CheckpointError, ConfigError, ConfigTypeError, DataError,
                     FileInTheWayError, FolderInTheWayError, NotFittedError, OptionError, RnnlabError, RunDirError,
                     SettingError, UnsupportedError)

# .weights imports torch: loaded on first use (rnnlab.lazy)
_LAZY = {"load_weights": ".weights", "save_weights": ".weights", "sha256_file": ".weights"}

if TYPE_CHECKING:  # what a type checker sees of _LAZY (rnnlab ships py.typed)
    from .weights import load_weights, save_weights, sha256_file
else:  # hidden from checkers: a misspelt name is an error there, not an Any
    from ..lazy import lazy_hooks

    __getattr__, __dir__ = lazy_hooks(__name__)  # (dir(): the lazy names too)


__all__ = [
    "atomic_write_bytes", "atomic_write_text", "atomic_write_json",
    "save_weights", "load_weights", "sha256_file",
    "RnnlabError", "DataError", "CheckpointError", "RunDirError", "NotFittedError", "OptionError",
    "ConfigError", "ConfigTypeError", "SettingError", "UnsupportedError", "FolderInTheWayError",
    "FileInTheWayError",
]
