"""Files: atomic writes, data-only weights, run directories."""

from .atomic import atomic_write_bytes, atomic_write_json, atomic_write_text
from .errors import CheckpointError, DataError, RnnlabError, RunDirError
from .weights import load_weights, save_weights, sha256_file

__all__ = [
    "atomic_write_bytes", "atomic_write_text", "atomic_write_json",
    "save_weights", "load_weights", "sha256_file",
    "RnnlabError", "DataError", "CheckpointError", "RunDirError",
]
