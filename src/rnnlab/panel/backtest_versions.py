"""A backtest resumed under other software or on other threads than its finished folds
were computed with (``backtest(..., resume=True)``, ``rnnlab backtest --resume``): a
:class:`BacktestResumeWarning` naming each (both versions), not a refusal, as a network's
fit resumed from its checkpoint and ``rnnlab forecast --resume`` say it (its
``--threads`` is an option a resume takes anew): the run goes on, but the folds computed
now, and the networks trained on now, may differ from an uninterrupted run's in their last
bits, so the resumed tables may not equal it bit for bit. Said as the first fold is
computed (:meth:`.backtest_checkpoints.BacktestCheckpoints.computing`): a resume with every
fold kept computes none, and says nothing.

The backtest's folder keeps ``versions.json`` (:func:`rnnlab.io.versions.versions`:
rnnlab, torch, NumPy, the CPU and its kernels, torch's threads) from the run's start, and
(``resumed_under``) each other set a resume ran under; a run begun before it was kept
(session 30) resumes without a word.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Optional

from ..callers_line import callers_level

VERSIONS = "versions.json"
LATER = "resumed_under"  # (versions.json's list of the other versions a resume ran under)


class BacktestResumeWarning(UserWarning):
    """A backtest resumed under another rnnlab, torch, NumPy, CPU or count of threads than
    its finished folds were computed with: its tables may differ from an uninterrupted
    run's bit for bit."""


def run_versions() -> dict:
    """What the folds' last bits depend on besides the data and settings, now (torch's
    threads where torch is imported: a network's fit runs on the caller's)."""
    from ..io.versions import versions

    return versions()


def keep_versions(directory: Path) -> None:
    """Record :func:`run_versions` in ``directory`` at a backtest's start."""
    from ..io.atomic import atomic_write_json

    atomic_write_json(directory / VERSIONS, run_versions())


def warn_other_versions(directory: Path) -> bool:
    """Warn where a resumed backtest runs under other versions or threads than
    ``directory``'s record of its start, or of a resume since that ran under others (none
    kept: nothing to compare, nothing said). Versions other than all those recorded are
    added to the record: a run begun on 4 threads, resumed on 8 (warned), then on 4 again
    holds folds of both, and its last resume said nothing of it (the one whose output a
    job scheduler's user reads). Returns whether it named what differs (a damaged record's
    warning names nothing: a resumed fit's own note of its checkpoint's versions is then
    the one account of them, and is not left out as said)."""
    from ..io.errors import CheckpointError
    from ..io.record_drift import differences

    try:
        was = _recorded(directory)
    except CheckpointError as e:  # (damaged: a refusal of the run over a warning's file)
        warnings.warn(f"resuming the backtest in {directory}: {e}; the run goes on, but "
                      f"what its finished folds were computed with (rnnlab, torch, NumPy, "
                      f"the CPU, threads) is unknown, so its tables may differ from an "
                      f"uninterrupted run's bit for bit (delete {directory / VERSIONS} to "
                      f"stop this warning)", BacktestResumeWarning,
                      stacklevel=callers_level(4))
        return False
    if was is None:
        return False
    later = was.pop(LATER, None)
    later = [r for r in later if isinstance(r, dict)] if isinstance(later, list) else []
    now = run_versions()
    each = [differences(r, now) for r in (was, *later)]
    differ = list(dict.fromkeys(d for found in each for d in found))  # (each said once)
    if not differ:
        return False
    if all(each):  # (no record of these versions yet: kept beside the start's)
        from ..io.atomic import atomic_write_json

        atomic_write_json(directory / VERSIONS, {**was, LATER: [*later, now]})
    threads = was.get("threads")
    match = "" if threads is None or threads == now.get("threads") else (
        f"; to match them: torch.set_num_threads({threads}) before the call (--threads "
        f"{threads} on the command line)")
    warnings.warn(f"resuming the backtest in {directory}: its finished folds were "
                  f"computed with {', '.join(differ)}; the run goes on, but the folds "
                  f"computed now and the networks trained on now may differ in their last "
                  f"bits, so its tables may differ from an uninterrupted run's bit for "
                  f"bit{match}",
                  BacktestResumeWarning, stacklevel=callers_level(4))
    return True


def _recorded(directory: Path) -> Optional[dict]:
    """The versions kept in ``directory`` (None: none; damaged, or no object: a
    CheckpointError saying so)."""
    from ..io.errors import CheckpointError
    from ..io.json_file import read_json

    path = directory / VERSIONS
    if not path.exists() and not path.is_symlink():
        return None
    return read_json(path, CheckpointError)


__all__ = ["BacktestResumeWarning", "keep_versions", "run_versions", "warn_other_versions"]
