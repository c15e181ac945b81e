"""Training checkpoints that survive crashes: the last good one is kept until a newer is complete.

Layout of a checkpoint directory::

    latest.json                  -> {"name": "ckpt-00000120", ...}   (atomic pointer)
    ckpt-00000120/model.safetensors   current weights (data only)
    ckpt-00000120/train_state.pt      optimizer, RNG, data position, carried state
                                      (plain tensors and numbers; read with weights_only=True)
    ckpt-00000120/meta.json           step, epoch, SHA-256 of both files

A new checkpoint is written into a temporary directory, fsynced, renamed into place,
and only then does ``latest.json`` move to it; older checkpoints are deleted after that.
A crash at any point leaves ``latest.json`` pointing at a complete checkpoint.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Dict, Optional, Tuple

import torch

from ..io.atomic import _fsync_dir, atomic_write_bytes, atomic_write_json
from ..io.errors import CheckpointError
from ..io.weights import load_weights, save_weights, sha256_file

MAX_TRAIN_STATE_BYTES = 2 * 1024**3


class CheckpointManager:
    def __init__(self, directory, keep: int = 1):
        self.directory = Path(directory)
        self.keep = max(1, keep)

    @property
    def latest_path(self) -> Path:
        return self.directory / "latest.json"

    def exists(self) -> bool:
        return self.latest_path.is_file()

    def save(self, step: int, weights: Dict[str, torch.Tensor], train_state: dict, meta: dict) -> Path:
        self.directory.mkdir(parents=True, exist_ok=True)
        name = f"ckpt-{step:08d}"
        tmp = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=self.directory))
        try:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o777 & ~umask)  # mkdtemp makes 0700: give it a folder's usual mode
            w_sha = save_weights(tmp / "model.safetensors", weights)
            buf = io.BytesIO()
            torch.save(train_state, buf)
            data = buf.getvalue()
            atomic_write_bytes(tmp / "train_state.pt", data)
            import hashlib

            meta = dict(meta, step=step, files={
                "model.safetensors": w_sha,
                "train_state.pt": hashlib.sha256(data).hexdigest(),
            })
            atomic_write_json(tmp / "meta.json", meta)
            final = self.directory / name
            if final.exists():
                shutil.rmtree(final)
            os.replace(tmp, final)
            _fsync_dir(self.directory)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        atomic_write_json(self.latest_path, {"name": name, "step": step})
        self._prune(keep_name=name)
        return final

    def _prune(self, keep_name: str) -> None:
        ckpts = sorted(p for p in self.directory.glob("ckpt-*") if p.is_dir())
        old = [p for p in ckpts if p.name != keep_name][: max(0, len(ckpts) - self.keep)]
        for p in old:
            shutil.rmtree(p, ignore_errors=True)
        for p in self.directory.glob(".ckpt-*"):  # temporaries of a crashed save
            shutil.rmtree(p, ignore_errors=True)

    def load(self, map_location="cpu") -> Tuple[Dict[str, torch.Tensor], dict, dict]:
        """Read the latest complete checkpoint: (weights, train_state, meta)."""
        if not self.exists():
            raise CheckpointError(f"{self.directory}: no checkpoint found (no latest.json); "
                                  f"nothing to resume from")
        try:
            pointer = json.loads(self.latest_path.read_text())
            name = pointer["name"]
        except (json.JSONDecodeError, KeyError, TypeError, UnicodeDecodeError):
            raise CheckpointError(f"{self.latest_path}: damaged checkpoint pointer") from None
        if not isinstance(name, str) or "/" in name or not name.startswith("ckpt-"):
            raise CheckpointError(f"{self.latest_path}: invalid checkpoint name {name!r}")
        folder = self.directory / name
        return load_checkpoint_dir(folder, map_location)


def load_checkpoint_dir(folder: Path, map_location="cpu"):
    meta_path = folder / "meta.json"
    try:
        meta = json.loads(meta_path.read_text())
        files = meta["files"]
    except FileNotFoundError:
        raise CheckpointError(f"{meta_path}: missing; the checkpoint is incomplete") from None
    except (json.JSONDecodeError, KeyError, TypeError, UnicodeDecodeError):
        raise CheckpointError(f"{meta_path}: damaged checkpoint metadata") from None
    weights = load_weights(folder / "model.safetensors", expected_sha256=files.get("model.safetensors"))
    ts_path = folder / "train_state.pt"
    if not ts_path.is_file():
        raise CheckpointError(f"{ts_path}: missing; the checkpoint is incomplete")
    if ts_path.stat().st_size > MAX_TRAIN_STATE_BYTES:
        raise CheckpointError(f"{ts_path}: larger than {MAX_TRAIN_STATE_BYTES} bytes; refused")
    if sha256_file(ts_path) != files.get("train_state.pt"):
        raise CheckpointError(f"{ts_path}: SHA-256 does not match meta.json; the file was "
                              f"changed or damaged")
    try:
        train_state = torch.load(ts_path, map_location=map_location, weights_only=True)
    except Exception as e:
        raise CheckpointError(f"{ts_path}: refused to load ({type(e).__name__}: "
                              f"{str(e).splitlines()[0] if str(e) else ''})") from None
    return weights, train_state, meta


def find_checkpoint_dir(path) -> Optional[Path]:
    """Accept a run directory, its checkpoints/ folder or a checkpoint folder."""
    path = Path(path)
    for cand in (path / "checkpoints", path):
        if (cand / "latest.json").is_file():
            return cand
    return None
