"""Standard input (or a named pipe) given to a command that writes a run directory, kept.

Such a run records where its data came from (``config.json``: the path and its SHA-256;
``cli.json``: what ``--resume`` and ``--config RUN_DIR`` read again), and standard input
cannot be read twice: what it held is kept as ``$RNNLAB_CACHE/inputs/HASH.csv`` (or .txt;
``$RNNLAB_CACHE`` is ``~/.cache/rnnlab`` by default), named by its content (HASH: the first
16 hex digits of its SHA-256; the same input piped twice is one file), and the run reads
and records that file. ``curl URL | rnnlab forecast --data -`` trains as ``--data
saved.csv`` would, and resumes from it (was refused: "standard input is read by ...
only; save it to a file first"). Nothing deletes a kept file on its own: ``rnnlab runs
--prune-inputs`` deletes those no run records (:mod:`.kept_inputs_table`).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from .atomic import atomic_write_bytes
from .errors import DataError

FOLDER = "inputs"
# (what stdin_input keeps: --data's, a corpus's, as text or compressed: packed_files)
SUFFIXES = tuple(f"{kind}{packed}" for kind in (".csv", ".txt")
                 for packed in (".gz", ".bz2", ".xz", ".zip", ".zst", ""))


def inputs_dir() -> Path:
    """Where the inputs are kept (``$RNNLAB_CACHE``: as rnnlab.data.stooq's cache, without
    importing pandas to find it)."""
    return Path(os.environ.get("RNNLAB_CACHE") or Path.home() / ".cache" / "rnnlab") / FOLDER


def keep_input(data: bytes, suffix: str, what: str) -> Path:
    """The file that holds ``data`` (``what``: ``--data -``, for the error), written
    atomically unless one of the same content is there."""
    path = inputs_dir() / f"{hashlib.sha256(data).hexdigest()[:16]}{suffix}"
    try:
        if not (path.is_file() and path.stat().st_size == len(data)):
            atomic_write_bytes(path, data)
    except OSError as e:
        raise DataError(f"{what}: cannot keep standard input as {path} ({e.strerror or e}), "
                        f"which the run records to resume and rerun it; set RNNLAB_CACHE to "
                        f"a writable folder, or save the input to a file and pass its "
                        f"path") from None
    return path


def is_kept(path: Path) -> bool:
    """Whether ``path`` is one of :func:`keep_input`'s files: named by the first 16 hex
    digits of its content's SHA-256 and a kept suffix. A file put in the folder by hand
    (``RNNLAB_CACHE`` set to a project folder holding an ``inputs/`` of its own) is not, and
    ``rnnlab runs --prune-inputs`` leaves it alone."""
    name = path.name
    stem = next((name[:-len(s)] for s in SUFFIXES if name.endswith(s)), None)
    if stem is None or len(stem) != 16 or any(c not in "0123456789abcdef" for c in stem):
        return False
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return False
    return digest.hexdigest()[:16] == stem


def gone_note(message: str) -> str:
    """``message`` with a kept input it names as missing ("KEPT: no such file") said to be
    one, deleted (``rnnlab runs --prune-inputs`` or by hand): a run's --resume or --config
    RUN_DIR read it again."""
    folder = str(inputs_dir())
    missing = ": no such file"
    at = message.find(missing)
    if at < 0 or not message[:at].startswith(folder):
        return message
    return (message[:at + len(missing)] + " (the standard input a run read, kept and since "
            "deleted: `rnnlab runs --prune-inputs` deletes those no run under its folders "
            "records; pipe the same input again, or pass the file it came from)"
            + message[at + len(missing):])
