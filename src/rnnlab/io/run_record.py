"""A run directory's record, config.json: what reproduces the run (its config, seed,
versions, the hash of its data, the command and the working directory its relative paths
are read from), written when it starts and appended to at each resume.
(Apart from :mod:`.rundir`, which makes, locks and finishes the folder; it names these
too, where rnnlab's modules import them from.)"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Dict, Optional, Sequence, Union

from .atomic import atomic_write_json
from .errors import RunDirError
from .record_data import check_repeat_data
from .versions import versions


def data_hash(values) -> str:
    """SHA-256 of the bytes a run trained on (numpy array, str, bytes, or a list of tokens:
    their JSON text). A str's lone surrogates (a file read with
    ``errors="surrogateescape"``) are hashed as they are (``surrogatepass``): a strict
    encode raised, after the whole fit had trained."""
    import numpy as np

    if isinstance(values, str):
        b = values.encode("utf-8", "surrogatepass")
    elif isinstance(values, (list, tuple)) and values and all(isinstance(v, str) for v in values):
        b = json.dumps(list(values), ensure_ascii=False).encode("utf-8", "surrogatepass")
    elif isinstance(values, (bytes, bytearray)):
        b = bytes(values)
    else:
        b = np.ascontiguousarray(np.asarray(values, dtype=np.float64)).tobytes()
    return hashlib.sha256(b).hexdigest()


def write_run_info(run_dir, config: dict, seed: Optional[int],
                   data_sha256: Union[str, Dict[str, str], None] = None,
                   seeds: Optional[Sequence[int]] = None,
                   val_data_sha256: Optional[str] = None, device=None) -> None:
    """The run's config.json; ``data_sha256`` is the data's hash, or for a run of several
    parts (a multi-part recipe) each part's, by the part's name; ``val_data_sha256``, of
    a validation text given beside it (``lm train --val-text``), written when given. A
    run of several seeds (``rnnlab compare``) records them all as ``seeds``; ``seed`` is
    the first of them (as before: it alone read as if one seed had run); None (null) for a
    run of none, a backtest of baselines alone. ``device``: the one the run trains on
    (written before training: its GPU is named from it, :func:`versions`). ``started``:
    when the run began (:func:`~rnnlab.io.run_times.start_of`: a record written again,
    a backtest resumed, keeps its first); ``finished`` comes when it ends."""
    from .command_line import command, working_directory
    from .json_file import peek_json
    from .run_times import start_of

    info: Dict[str, object] = {"config": config, "seed": seed}
    if seeds is not None:
        info["seeds"] = [int(s) for s in seeds]
    shas = {"data_sha256": data_sha256}
    if val_data_sha256 is not None:
        shas["val_data_sha256"] = val_data_sha256
    path = Path(run_dir) / "config.json"
    started = start_of(run_dir, peek_json(path) if path.is_file() else None)
    atomic_write_json(path, {
        **info, "versions": versions(device), **shas, "command": command(),
        "cwd": working_directory(), "started": started,
    }, checksum=True)
    check_repeat_data(data_sha256)  # (a repeat of a record on data changed since: said)


def record_resume(run_dir, config: dict, data_sha256: Optional[str] = None,
                  device=None) -> None:
    """A resumed run's config.json: ``config`` as it goes on (a larger --epochs, other
    devices or threads), the command that started it kept as ``command``, and each
    resume's command and versions appended to ``resumed`` (the record kept the start's
    config alone: a run resumed to 8 epochs said 4). ``data_sha256``: the data this resume
    trains on, where given; other than the record's, it becomes the record's (what the
    run last trained and validated on: ``lm eval --run`` refused that text as "changed
    since"), the one before kept in the resume's entry as ``data_sha256_before``.
    ``device``: as :func:`write_run_info`'s, for the resume's versions. The record keeps
    its first ``started`` (when the run began, what a job's log asks for); the resume's
    own is in its entry, and ``finished`` goes until the run ends again."""
    from .command_line import command, working_directory
    from .json_file import read_json
    from .run_times import now

    path = Path(run_dir) / "config.json"
    info = read_json(path, RunDirError, note_unverified=True)
    info.pop("_sha256", None)
    resumed = info.get("resumed") if isinstance(info.get("resumed"), list) else []
    entry = {"command": command(), "cwd": working_directory(), "versions": versions(device),
             "started": now()}
    info.pop("finished", None)  # (going on: not finished until finish_run_dir says so)
    if data_sha256 is not None and info.get("data_sha256") != data_sha256:
        entry.update(data_sha256=data_sha256, data_sha256_before=info.get("data_sha256"))
        info["data_sha256"] = data_sha256
    info.update(config=config, resumed=[*resumed, entry])
    atomic_write_json(path, info, checksum=True)
