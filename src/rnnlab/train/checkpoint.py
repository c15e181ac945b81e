"""Training checkpoints that survive crashes: the last good one is kept until a newer is complete.

Layout of a checkpoint directory::

    latest.json                  -> {"name": "ckpt-00000120", ...}   (atomic pointer)
    ckpt-00000120/model.safetensors   current weights (data only)
    ckpt-00000120/train_state.safetensors  optimizer, RNG, data position, carried state
                                      (tensors, and their nesting as JSON: data only,
                                      :mod:`rnnlab.io.tree_file`)
    ckpt-00000120/meta.json           format, step, epoch, SHA-256 of both files (and of itself),
                                      the history's seconds (:mod:`~rnnlab.train.state_timings`)

Checkpoints written by an earlier rnnlab hold ``train_state.pt`` (torch's format) instead: a
resume still reads it, with torch's weights-only loader, which refuses anything but
tensors and plain values.

A new checkpoint is written into a temporary directory, fsynced, renamed into place,
and only then does ``latest.json`` move to it; older checkpoints are deleted after that.
A crash at any point leaves ``latest.json`` pointing at a complete checkpoint.
Should ``latest.json`` be lost or damaged all the same, :meth:`CheckpointManager.load`
takes the newest complete checkpoint folder, and says so (never a silent restart).
The temporaries a killed save leaves (``.latest.json.*.tmp``, ``.ckpt-*``) go on resume.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
from pathlib import Path
from typing import Any, Dict, Iterator, Optional, Tuple

import torch

from ..io.atomic import _fsync_dir, atomic_write_json, json_text, temporary_folder, write_new_file
from ..io.errors import CheckpointError
from ..io.json_file import read_json
from ..io.tree_file import load_tree, tree_bytes
from ..io.utf8_text import utf8_bytes
from ..io.weights import load_weights, weights_bytes
from ..type_aliases import StrPath
from .legacy_state import LEGACY_TRAIN_STATE, load_legacy_train_state
from .state_timings import TIMINGS, merge_timings, split_timings
from .resume_shapes import check_resume_shapes, shape_settings  # noqa: F401  (their old home)

TRAIN_STATE = "train_state.safetensors"
# the layout above; a later rnnlab that changes it writes another number, which this one
# refuses by name rather than misreading. Absent: written before formats were recorded (1)
CHECKPOINT_FORMAT = 1


REPLACED = "-replaced"  # a step's checkpoint set aside while the same step is saved again


def _age(folder: Path):
    """Sort key, oldest first: by step, and a set-aside copy before the step's own folder
    (it is the older save of that step)."""
    name = folder.name
    return (name[:-len(REPLACED)] if name.endswith(REPLACED) else name,
            not name.endswith(REPLACED))


class CheckpointManager:
    """The checkpoints of one run in ``directory`` (the layout above), the newest ``keep``
    kept: :meth:`save` writes one atomically, :meth:`load` reads the latest complete one."""

    def __init__(self, directory: StrPath, keep: int = 1) -> None:
        self.directory = Path(directory)
        self.keep = max(1, keep)

    @property
    def latest_path(self) -> Path:
        return self.directory / "latest.json"

    def exists(self) -> bool:
        """True when there is something to resume: ``latest.json`` or a checkpoint folder."""
        return self.latest_path.is_file() or bool(self._folders())

    def _folders(self):
        """The checkpoint folders, newest first (links are not followed: not ours)."""
        if not self.directory.is_dir():
            return []
        return sorted((p for p in self.directory.glob("ckpt-*")
                       if p.is_dir() and not p.is_symlink()), key=_age, reverse=True)

    def save(self, step: int, weights: Dict[str, torch.Tensor], train_state: Dict[str, Any],
             meta: Dict[str, Any]) -> Path:
        """Write checkpoint ``ckpt-<step>`` (weights, training state, ``meta``), then point
        ``latest.json`` at it and delete the older ones past ``keep``; returns its folder."""
        self.directory.mkdir(parents=True, exist_ok=True)
        name = f"ckpt-{step:08d}"
        final, aside = self.directory / name, self.directory / f"{name}{REPLACED}"
        with _naming(final):  # (not its temporary folder, gone by the time it is read)
            tmp = temporary_folder(self.directory, prefix=f".{name}.")  # (the usual mode)
        try:
            with _naming(final):
                _write_folder(tmp, weights, train_state, dict(meta, format=CHECKPOINT_FORMAT,
                                                               step=step))
            if final.exists():  # the step saved again (an epoch's end after its last
                # batch's checkpoint): the one latest.json names is set aside, where load()
                # still finds it, until the new one is in place (it was deleted first)
                if aside.exists():
                    shutil.rmtree(aside)
                os.replace(final, aside)
            with _naming(final):
                os.replace(tmp, final)
            _fsync_dir(self.directory)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        atomic_write_json(self.latest_path, {"name": name, "step": step}, checksum=True)
        shutil.rmtree(aside, ignore_errors=True)
        self._prune(keep_name=name)
        return final

    def _prune(self, keep_name: str) -> None:
        for p in self.directory.glob(f"ckpt-*{REPLACED}"):  # (one a killed save set aside:
            shutil.rmtree(p, ignore_errors=True)  # latest.json names a newer one by now)
        ckpts = sorted(p for p in self.directory.glob("ckpt-*") if p.is_dir())
        old = [p for p in ckpts if p.name != keep_name][: max(0, len(ckpts) - self.keep)]
        for p in old:
            shutil.rmtree(p, ignore_errors=True)
        self.clean_temporaries()

    def clean_temporaries(self) -> None:
        """Remove what a killed save left: ``.ckpt-*`` folders, ``.latest.json.*.tmp``,
        ``.best.safetensors.*.tmp``."""
        for p in self.directory.glob(".ckpt-*"):
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p, ignore_errors=True)
        for p in (*self.directory.glob(".latest.json.*.tmp"),
                  *self.directory.glob(".best.safetensors.*.tmp")):
            if p.is_file() or p.is_symlink():
                p.unlink(missing_ok=True)

    def load(self, map_location: Any = "cpu") -> Tuple[Dict[str, torch.Tensor], Dict[str, Any], Dict[str, Any]]:
        """Read the latest complete checkpoint: (weights, train_state, meta)."""
        if not self.exists():
            raise CheckpointError(f"{self.directory}: no checkpoint found (no latest.json); "
                                  f"nothing to resume from")
        if self.directory.is_dir():
            self.clean_temporaries()
        try:
            folder = self._pointed()
        except CheckpointError as e:
            return self._load_newest(f"{e}", map_location)
        return load_checkpoint_dir(folder, map_location)

    def _pointed(self) -> Path:
        """The folder ``latest.json`` names; CheckpointError saying why it cannot be used."""
        pointer = read_json(self.latest_path, CheckpointError)
        name = pointer.get("name")
        if not isinstance(name, str) or "/" in name or not name.startswith("ckpt-"):
            raise CheckpointError(f"{self.latest_path}: invalid checkpoint name {name!r}")
        if not (self.directory / name).is_dir():
            raise CheckpointError(f"{self.latest_path}: names {name}, which is missing")
        return self.directory / name

    def resume_folder(self) -> Optional[Path]:
        """The checkpoint folder :meth:`load` reads (the one ``latest.json`` names, else
        the newest complete one), or None when there is none: its ``meta.json`` holds
        what a resumed run keeps (a language model's vocabulary)."""
        try:
            return self._pointed()
        except CheckpointError:
            return self._newest_complete()[0]

    def _newest_complete(self, map_location="cpu"):
        """(folder, what it loads to, why newer ones did not load): the newest checkpoint
        folder that loads, or (None, None, reasons) when none does."""
        errors = []
        for folder in self._folders():
            try:
                return folder, load_checkpoint_dir(folder, map_location), errors
            except CheckpointError as e:
                errors.append(str(e))
        return None, None, errors

    def _load_newest(self, why: str, map_location):
        """``latest.json`` cannot be used: the newest checkpoint folder that is complete."""
        import sys

        folder, loaded, errors = self._newest_complete(map_location)
        if folder is None:
            raise CheckpointError(f"{why}; and no checkpoint folder in {self.directory} is "
                                  f"complete" + (f" ({'; '.join(errors[:2])})" if errors else "")
                                  + ": nothing to resume from")
        print(f"rnnlab: note: {why}; resuming from the newest complete checkpoint, "
              f"{folder.name} (step {loaded[2].get('step')})", file=sys.stderr)
        return loaded


@contextlib.contextmanager
def _naming(final: Path) -> Iterator[None]:
    """An OSError of the block (a full disk, no permission) names the checkpoint ``final``
    being written, or its file (``ckpt-00000012/meta.json``): it named the temporary folder
    (``.ckpt-00000012.x1mljz2o/meta.json``), deleted by the time the message is read."""
    try:
        yield
    except OSError as e:
        where = Path(e.filename) if isinstance(e.filename, str) else None
        if e.errno is None or where is None or where == final:
            raise
        temporary = f".{final.name}."  # (mkdtemp's: ".ckpt-00000012.x1mljz2o")
        named = final / where.name if where.parent.name.startswith(temporary) else final
        raise OSError(e.errno, e.strerror, str(named)) from None


def _write_folder(tmp: Path, weights: Dict[str, torch.Tensor], train_state: Dict[str, Any],
                  meta: Dict[str, Any]) -> None:
    """A checkpoint's three files into the new folder ``tmp`` (renamed into place once
    complete: no reader sees it before), each fsynced, then the folder fsynced once; their
    bytes are what ``save_weights``, ``save_tree`` and ``atomic_write_json`` write, and
    ``meta.json`` records the SHA-256 of the other two."""
    train_state, timings = split_timings(train_state)  # (the state's bytes: the same for a seed)
    files = {"model.safetensors": weights_bytes(weights), TRAIN_STATE: tree_bytes(train_state)}
    meta = dict(meta, files={k: hashlib.sha256(v).hexdigest() for k, v in files.items()},
                **({TIMINGS: timings} if timings is not None else {}))
    files["meta.json"] = utf8_bytes(json_text(meta, checksum=True))
    for file, data in files.items():
        write_new_file(tmp / file, data)
    _fsync_dir(tmp)


def _recorded(files: dict, name: str, meta_path: Path):
    """The SHA-256 meta.json records for ``name`` (a loader checks none without it; one
    that is not 64 hex digits is named by the loader)."""
    if files.get(name) is None:
        raise CheckpointError(f"{meta_path}: names no SHA-256 of {name} in 'files'; the "
                              f"checkpoint's metadata is damaged")
    return files[name]


def load_checkpoint_dir(folder: Path, map_location="cpu"):
    meta_path = folder / "meta.json"
    if not os.path.lexists(meta_path):  # (a folder, a pipe, a link: its reader names it)
        raise CheckpointError(f"{meta_path}: missing; the checkpoint is incomplete")
    meta = read_json(meta_path, CheckpointError, note_unverified=True)
    _check_format(meta, meta_path)
    files = meta.get("files")
    if not isinstance(files, dict):
        raise CheckpointError(f"{meta_path}: damaged checkpoint metadata (no 'files' object)")
    weights = load_weights(folder / "model.safetensors",
                           expected_sha256=_recorded(files, "model.safetensors", meta_path))
    if TRAIN_STATE in files or LEGACY_TRAIN_STATE not in files:
        ts_path = folder / TRAIN_STATE
        if not os.path.lexists(ts_path):  # (a folder or a pipe: named by its reader)
            raise CheckpointError(f"{ts_path}: missing; the checkpoint is incomplete")
        train_state = load_tree(ts_path, _recorded(files, TRAIN_STATE, meta_path), map_location)
        if isinstance(train_state, dict):
            train_state = merge_timings(train_state, meta.get(TIMINGS), meta_path)
    else:
        ts_path = folder / LEGACY_TRAIN_STATE
        train_state = load_legacy_train_state(ts_path, files, map_location)
    if not isinstance(train_state, dict):  # (a text or a number: a TypeError in the resume)
        raise CheckpointError(f"{ts_path}: holds {type(train_state).__name__}, not a training "
                              f"state (an object); the file is damaged or not rnnlab's: "
                              f"resume from another checkpoint, or train again")
    return weights, train_state, meta


def _check_format(meta: dict, meta_path: Path) -> None:
    """A checkpoint of another layout than :data:`CHECKPOINT_FORMAT` is refused, naming
    the rnnlab that wrote it (its meta.json's versions), before its files are read."""
    if meta.get("format", 1) == CHECKPOINT_FORMAT:  # (absent: written before formats were)
        return
    from ..io.model_dir import other_format

    raise other_format(meta, f"{meta_path}: checkpoint format", CHECKPOINT_FORMAT,
                       "resume the run with the rnnlab that wrote it, or start a new run")


def has_complete_checkpoint(directory) -> bool:
    """True when ``latest.json`` is there, or else a checkpoint folder that loads."""
    manager = CheckpointManager(directory)
    return manager.latest_path.is_file() or manager._newest_complete()[0] is not None


def find_checkpoint_dir(path) -> Optional[Path]:
    """Accept a run directory, its checkpoints/ folder or a checkpoint folder."""
    path = Path(path)
    for cand in (path / "checkpoints", path):
        if CheckpointManager(cand).exists():
            return cand
    return None
