"""Training states an earlier rnnlab wrote (``train_state.pt``, torch's format), read
with torch's weights-only loader, which refuses anything but tensors and plain values;
a zip whose members are compressed (torch.save stores them) is refused unread."""

from __future__ import annotations

import os
import pickle
import warnings
from pathlib import Path

import torch

from ..io.errors import CheckpointError
from ..io.weights import sha256_file

MAX_TRAIN_STATE_BYTES = 2 * 1024**3
LEGACY_TRAIN_STATE = "train_state.pt"  # (written by an earlier rnnlab, in torch's format)


def load_legacy_train_state(ts_path: Path, files: dict, map_location):
    """A ``train_state.pt`` an earlier rnnlab wrote, read with torch's weights-only loader."""
    if not ts_path.is_file():  # (a folder or a pipe was called missing; a pipe's read hangs)
        raise CheckpointError(_not_a_file(ts_path))
    if ts_path.stat().st_size > MAX_TRAIN_STATE_BYTES:
        raise CheckpointError(f"{ts_path}: larger than {MAX_TRAIN_STATE_BYTES} bytes; refused")
    if sha256_file(ts_path) != files.get(LEGACY_TRAIN_STATE):
        raise CheckpointError(f"{ts_path}: SHA-256 does not match meta.json; the file was "
                              f"changed or damaged")
    _refuse_packed_members(ts_path)
    try:
        with warnings.catch_warnings():  # (torch's note on a pickle protocol it did not write)
            warnings.filterwarnings("ignore", message="Detected pickle protocol")
            return torch.load(ts_path, map_location=map_location, weights_only=True)
    except pickle.UnpicklingError as e:  # torch's text suggests weights_only=False: not here
        why = " ".join(str(e).split("WeightsUnpickler error:")[-1].split("Check the")[0].split())
        raise CheckpointError(f"{ts_path}: refused to load: it is damaged or holds objects "
                              f"other than tensors and plain values, which rnnlab never "
                              f"writes (unpickling them could run code); "
                              f"torch's weights-only loader says: {why[:200]}") from None
    except Exception as e:
        raise CheckpointError(f"{ts_path}: refused to load ({type(e).__name__}: "
                              f"{str(e).splitlines()[0] if str(e) else ''})") from None


def _not_a_file(ts_path: Path) -> str:
    """Why ``ts_path``, no regular file, cannot be read: missing, a link leading nowhere,
    or what stands there instead, with what to do."""
    if not os.path.lexists(ts_path):
        return f"{ts_path}: missing; the checkpoint is incomplete"
    hint = "put the file back from a copy, or resume from another checkpoint"
    if not ts_path.exists():
        from ..io.unreadable import absent

        return absent(ts_path, hint)
    found = "a folder" if ts_path.is_dir() else "a device, pipe or socket"
    return f"{ts_path}: expected a training state file, found {found}; move it aside and {hint}"


def _refuse_packed_members(ts_path: Path) -> None:
    """torch.save's zip stores each tensor's bytes uncompressed; a member compressed
    (deflate) is not a file torch.save wrote, and torch.load decompresses it whole: a
    file of 400 KB loaded a tensor of 400 MB (1000x; the size limit is the file's)."""
    import zipfile

    if not zipfile.is_zipfile(ts_path):
        return  # (torch's older format: its tensors are read as stored in the file)
    try:
        with zipfile.ZipFile(ts_path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
        raise CheckpointError(f"{ts_path}: a damaged zip archive ({e}); resume from another "
                              f"checkpoint, or train again") from None
    packed = [i.filename for i in infos if i.compress_type != zipfile.ZIP_STORED]
    if packed:
        raise CheckpointError(f"{ts_path}: holds compressed members ({packed[0]}), which "
                              f"torch.save never writes; refused unread (decompressed, they "
                              f"could fill any amount of memory): resume from another "
                              f"checkpoint, or train again")
