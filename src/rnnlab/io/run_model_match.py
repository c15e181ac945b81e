"""Whether a run folder's ``model/`` is the model that run trained (``--run DIR``).

A ``model/`` folder copied in from another run of the same shape loads without complaint,
so ``rnnlab forecast --run DIR`` would forecast with another run's model under this run's
name. The run's ``config.json`` and the model's ``model.json`` both record the SHA-256 of
the data trained on; where both do and they differ, the load is refused. A ``--resume`` on
new data rewrites both (the record keeps the newest hash), so the two agree for a run
left as rnnlab wrote it. A folder from an older rnnlab, or a file that cannot be read
(said elsewhere), lacks the fact: then nothing is checked. A panel run is not checked:
its model.json hashes the panel its model was fitted on (cut at the last backtest
origin), its config.json the whole panel, so the two differ in every run.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

from .errors import RunDirError

__all__ = ["check_model_of_run"]


def _recorded(path: Path, *keys: str) -> Optional[str]:
    """The string at ``keys`` in the JSON file at ``path``, or None where the file, a key
    or a string is missing (an older run's record: nothing to compare). Only a regular
    file is read: a pipe standing there would block (the loader names what stands there)."""
    if not path.is_file():
        return None
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):  # (too deeply nested: the loader says)
        return None
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value if isinstance(value, str) else None


def check_model_of_run(run_dir) -> None:
    """Refuse (:class:`RunDirError`) a ``run_dir/model`` whose data SHA-256 differs from
    the one ``run_dir/config.json`` records: the model was trained on other data, most
    likely copied in from another run. The message names ``Forecaster.load`` for a user
    who meant to use that model anyway."""
    run_dir = Path(run_dir)
    record, model = run_dir / "config.json", run_dir / "model" / "model.json"
    ran = _recorded(record, "data_sha256")
    trained = _recorded(model, "extra", "data_sha256")
    if ran is None or trained is None or ran == trained:
        return
    raise RunDirError(
        f"{run_dir}: its model was trained on other data than the run: {model} records "
        f"data SHA-256 {trained}, {record} records {ran} (a model/ folder copied in from "
        f"another run?); rerun `rnnlab forecast --out DIR` on this data, or, to use that "
        f"model anyway, load it directly: Forecaster.load('{run_dir / 'model'}')")
