"""A run that started and did not finish (killed while writing its results: a spot
instance's end, the OOM killer), told apart from a finished one by
:data:`~rnnlab.io.rundir.PENDING_NAME`, which a run writes at its start and removes last,
after its record of what it wrote (:data:`~rnnlab.io.rundir.WRITTEN_NAME`). A command with
no checkpoints to go on from (a baseline's panel forecast, a comparison, a backtest with no
finished fold: one with folds goes on from them) runs such a run again from the start when the same command is given its directory again (the marker
holds the command), without ``--overwrite``; a run an older rnnlab wrote has no marker and
counts as finished."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def is_incomplete(path) -> bool:
    """True for a run directory whose run started (with this rnnlab) and did not finish."""
    from .rundir import PENDING_NAME, WRITTEN_NAME

    path = Path(path)
    return (path / PENDING_NAME).is_file() and not (path / WRITTEN_NAME).exists()


def _as_run(argv) -> list:
    """A command line as compared: ``-q`` / ``--quiet`` only says how it speaks."""
    return [a for a in argv if a not in ("-q", "--quiet")]


def mark_pending(path: Path) -> None:
    """The mark of a run started in ``path``: the command that started it, as JSON."""
    from .atomic import atomic_write_json
    from .command_line import command
    from .rundir import PENDING_NAME

    try:  # (an aid to the next command: a full disk fails the run where it writes results,
        atomic_write_json(Path(path) / PENDING_NAME, _as_run(command()))  # which puts
    except OSError:  # back the run an --overwrite replaced; unmarked, it counts as finished)
        pass


def mark_new_run(path: Path) -> None:
    """A new run's marks in ``path``: its pending mark, and its start noted for its
    record's ``started`` (:mod:`.run_times`; a record written after training keeps it)."""
    from .run_times import note_start

    mark_pending(path)
    note_start(path)


def mark_finished(path: Path) -> None:
    """The run in ``path`` ended: its record's ``finished`` (:mod:`.run_times`), then its
    pending mark removed (the last of the run: whole from then on)."""
    from .rundir import PENDING_NAME
    from .run_times import stamp_finished

    stamp_finished(path)
    (Path(path) / PENDING_NAME).unlink(missing_ok=True)


def same_command(path) -> bool:
    """True when the unfinished run in ``path`` was started by the command now running
    (another command, or options changed, replaces it only with ``--overwrite``)."""
    from .command_line import command
    from .rundir import PENDING_NAME

    try:
        started = json.loads((Path(path) / PENDING_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return started == _as_run(command())


def say_redo(path) -> None:
    print(f"rnnlab: note: {path}: its run was stopped before it finished (killed while "
          f"writing its results: no record of a finished run); running it again from the "
          f"start", file=sys.stderr)


def keep_added(aside: Path, path: Path, written) -> None:
    """The unfinished run set aside in ``aside`` is about to go: its entries that the run
    now finished in ``path`` did not write (``written``: its names), not hidden, are files
    the user put there; moved back into ``path`` (the record of ``written`` leaves them out:
    a later ``--overwrite`` names them rather than deleting them)."""
    kept = []
    for item in sorted(aside.iterdir()):
        if item.name.startswith(".") or item.name in written or os.path.lexists(path / item.name):
            continue
        os.replace(item, path / item.name)
        kept.append(item.name)
    if kept:
        print(f"rnnlab: note: {path}: kept {', '.join(kept[:5])}"
              f"{' ...' if len(kept) > 5 else ''} (not written by its run)", file=sys.stderr)
