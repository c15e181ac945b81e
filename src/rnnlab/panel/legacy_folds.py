"""The finished folds of a backtest begun before its fold folders were renamed (session 29,
:func:`.backtest_checkpoints._name`), read back by a resume as the folds of today's names
are, not computed again.

Before, model ``label``'s folds lay in ``folds/<label>`` for any plain label, capitals,
a trailing dot and Windows' device names (``con``) included; now such a label's folder is
named by a digest (``LSTM`` and ``lstm`` shared one folder on a file system that ignores
case: the second model's folds overwrote the first's). A resume that finds no fold of
its own reads the old folder's, where the old folder's ``model.json`` names that very
label (its settings are checked against the model's, as always) and the fold's own
``model`` column does too: on a file system that ignores case, ``folds/LSTM`` may hold
``lstm``'s folds, which are never taken for ``LSTM``'s. New folds go to the new folder;
the networks' training checkpoints of the old one are not read (a fit stopped midway is
done again from its start, the same fit, seeded).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Optional, Tuple

from ..io.errors import CheckpointError

_OLD = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}")  # (the folder names kept as labels)


def legacy_folder(folds: Path, label: str, name: str) -> Optional[Path]:
    """``folds/<label>``, model ``label``'s folder before session 29, where its folder is
    now ``name`` (another), and the old one's model.json names this very label; else
    None."""
    from ..io.json_file import read_json

    if label == name or not _OLD.fullmatch(label):
        return None
    folder = folds / label
    if not (folder / "model.json").is_file():
        return None
    try:
        record = read_json(folder / "model.json", CheckpointError)
    except CheckpointError:  # (damaged: its folds are computed again)
        return None
    return folder if isinstance(record, dict) and record.get("label") == label else None


def legacy_fold(folder: Optional[Path], label: str, j: int) -> Optional[Tuple[Any, float]]:
    """(the forecasts, the seconds) of model ``label`` at origin ``j`` in its old
    ``folder``, where they are there and the forecasts are that label's own; else None."""
    return None if folder is None else own_fold(folder / f"origin{j}.npz", label)


def own_fold(path: Path, label: str) -> Optional[Tuple[Any, float]]:
    """(the forecasts, the seconds) of the fold in ``path``, where it is there and its
    forecasts are model ``label``'s own; else None. A lowercase label's folder of today
    (``folds/lstm``) is an older run's ``folds/LSTM`` where case is ignored: it may hold
    ``LSTM``'s folds, never to be taken for ``lstm``'s."""
    if not path.is_file():
        return None
    from .fold_records import read_fold

    frame, extra = read_fold(path)
    if "model" not in frame or not (frame["model"] == label).all():
        return None  # (another label's, sharing the folder where case is ignored)
    return frame, float(extra.get("seconds", 0.0))


__all__ = ["legacy_fold", "legacy_folder", "own_fold"]
