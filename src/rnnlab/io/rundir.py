"""Run directories: never overwritten silently, locked while a process writes them,
and recording everything needed to reproduce the run (config, seed, versions, data hash)."""

from __future__ import annotations

import hashlib
import os
import platform
import sys
from pathlib import Path
from typing import Optional

from .atomic import atomic_write_json
from .errors import RunDirError

LOCK_NAME = ".lock"


def versions() -> dict:
    import numpy
    import torch

    from .. import __version__

    return {"rnnlab": __version__, "torch": torch.__version__, "numpy": numpy.__version__,
            "python": sys.version.split()[0], "platform": platform.platform()}


def data_hash(values) -> str:
    """SHA-256 of the bytes a run trained on (numpy array, str or bytes)."""
    import numpy as np

    if isinstance(values, str):
        b = values.encode("utf-8")
    elif isinstance(values, (bytes, bytearray)):
        b = bytes(values)
    else:
        b = np.ascontiguousarray(np.asarray(values, dtype=np.float64)).tobytes()
    return hashlib.sha256(b).hexdigest()


def prepare_run_dir(path, overwrite: bool = False, resume: bool = False) -> Path:
    """Create ``path`` for a new run; refuse an existing non-empty one unless told."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise RunDirError(f"{path}: exists and is not a directory; choose another --out")
    if path.is_dir():  # a live writer is named first (its PID), whatever else is wrong
        RunLock(path).check_free()
    if path.is_dir() and any(p.name != LOCK_NAME for p in path.iterdir()) and not (overwrite or resume):
        raise RunDirError(
            f"{path}: run directory already exists and is not empty; pass --overwrite to "
            f"replace it, --resume to continue it, or choose another --out"
        )
    if overwrite and path.is_dir() and not resume:
        import shutil

        lock = RunLock(path)
        lock.check_free()
        for p in path.iterdir():
            if p.name == LOCK_NAME:
                continue
            shutil.rmtree(p) if p.is_dir() else p.unlink()
    path.mkdir(parents=True, exist_ok=True)
    return path


class RunLock:
    """An exclusive lock file holding the writer's PID; a dead holder's lock is taken over."""

    def __init__(self, run_dir):
        self.path = Path(run_dir) / LOCK_NAME
        self.held = False

    def _holder(self) -> Optional[int]:
        try:
            pid = int(self.path.read_text().strip() or "0")
        except (FileNotFoundError, ValueError):
            return None
        if pid <= 0 or pid == os.getpid():
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None  # stale: the holder died
        except PermissionError:
            return pid
        return pid

    def check_free(self) -> None:
        pid = self._holder()
        if pid is not None:
            raise RunDirError(f"{self.path.parent}: in use by another rnnlab process (PID {pid}); "
                              f"wait for it, stop it, or choose another --out")

    def acquire(self) -> "RunLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                self.check_free()
                try:  # stale lock of a dead process
                    self.path.unlink()
                except FileNotFoundError:
                    pass
                continue
            with os.fdopen(fd, "w") as f:
                f.write(str(os.getpid()))
            self.held = True
            return self
        raise RunDirError(f"{self.path}: could not take the run directory's lock")

    def release(self) -> None:
        if self.held:
            try:
                self.path.unlink()
            except FileNotFoundError:
                pass
            self.held = False

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()


def write_run_info(run_dir, config: dict, seed: int, data_sha256: Optional[str] = None) -> None:
    atomic_write_json(Path(run_dir) / "config.json", {
        "config": config, "seed": seed, "versions": versions(), "data_sha256": data_sha256,
        "command": sys.argv,
    })
