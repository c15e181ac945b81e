"""When a run happened: ``started`` and ``finished`` in its ``config.json``, UTC times in
ISO 8601 to the second (``2026-12-08T01:46:16Z``), for ``rnnlab runs`` to list and sort by.

``started`` is when the run's folder was made (:func:`note_start`, called by
``prepare_run_dir``), so a command that writes its record after training (a panel
forecast, a backtest saved from Python) records its start, not its end. A resumed run
keeps its first ``started`` (what a job's log asks: when did last night's run begin);
each resume's own start is in its ``resumed`` entry. ``finished`` is written as the run
ends (:func:`stamp_finished`, by ``finish_run_dir``), and dropped while a resume runs:
a run stopped or still running has none. Both are the record's, like ``cwd`` and
``versions``: no option, so ``--config RUN_DIR`` copies neither and a resume compares
neither.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Dict, Optional

_STARTS: Dict[Path, str] = {}  # run folders made by this process: when (see note_start)


def now() -> str:
    """The time now, as a record writes it: UTC, to the second, with a Z."""
    return datetime.now(timezone.utc).strftime(_FORM)


def written_at(path) -> str:
    """When ``path`` was last written, as :func:`now` writes a time; '' when it cannot be
    read (gone: a run that finished while ``rnnlab runs`` listed it)."""
    try:
        return datetime.fromtimestamp(int(Path(path).stat().st_mtime),
                                      timezone.utc).strftime(_FORM)
    except OSError:
        return ""


_FORM = "%Y-%m-%dT%H:%M:%SZ"


def note_start(run_dir) -> None:
    """Remember that a new run starts in ``run_dir`` now (its record may be written later)."""
    _STARTS[Path(run_dir).resolve()] = now()


def start_of(run_dir, record: Optional[dict] = None) -> str:
    """When the run in ``run_dir`` started: as noted by this process for it or a folder
    above it (a seed's folder in a run of several), else the ``started`` of ``record``
    (the run's config.json before it is written again: a backtest resumed), else now."""
    path = Path(run_dir).resolve()
    for p in (path, *path.parents):
        if p in _STARTS:
            return _STARTS[p]
    was = record.get("started") if isinstance(record, dict) else None
    return was if isinstance(was, str) else now()


def stamp_finished(run_dir) -> None:
    """``finished`` (now) in the config.json of the run in ``run_dir``, which just ended.
    A run without one, whose record is a link (the user's, to a file elsewhere), or whose
    record cannot be read, is left as it is: the run's results are written, and a
    missing time must not fail it."""
    from .atomic import atomic_write_json
    from .errors import RnnlabError
    from .json_file import read_json

    path = Path(run_dir) / "config.json"
    if path.is_symlink() or not path.is_file():  # (a link the user made: kept a link)
        return
    try:
        info = read_json(path, RnnlabError)
        if not isinstance(info, dict):
            return
        info.pop("_sha256", None)
        info["finished"] = now()
        atomic_write_json(path, info, checksum=True)
    except (RnnlabError, OSError):
        pass


__all__ = ["note_start", "now", "stamp_finished", "start_of", "written_at"]
