"""Putting back the run that ``--overwrite`` set aside, when the run replacing it stopped
(an error, Ctrl-C) before writing any result of its own."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

from .runlock import LOCK_NAME
from .rundir import REPLACING_NAME, remove_entries, is_run_dir, is_unstarted, previous_of


def restore_previous(path, why: str = "this run stopped before writing results") -> bool:
    """A run started with ``--overwrite`` that stopped before writing anything of its own
    (bad options, a typo in a column, Ctrl-C in training) puts the run it was replacing
    back in ``path`` (it stayed in a hidden folder beside it); True when it did.
    ``why``: the message's reason (for a run found stopped by a later one)."""
    path = Path(path)
    aside = previous_of(path)
    if not (path / REPLACING_NAME).exists() or not is_run_dir(aside):
        return False
    entries = [p.name for p in path.iterdir() if p.name != LOCK_NAME]
    if not is_unstarted(entries, path):
        return False  # it wrote results of its own: the next run decides
    remove_entries(path, entries)
    for item in aside.iterdir():
        os.replace(item, path / item.name)
    aside.rmdir()
    print(f"rnnlab: {path}: {why}; the previous run is back in place", file=sys.stderr)
    return True


@contextlib.contextmanager
def restoring_previous(path, when: bool = True):
    """The block writes the run in ``path``: when it stops (an error, Ctrl-C) before
    writing results of its own, the run ``--overwrite`` replaced is put back
    (:func:`restore_previous`; nothing happens without one). ``when``: False for a
    process that does not own the folder (another rank), or a resumed run."""
    try:
        yield
    except BaseException:
        if when:
            restore_previous(path)
        raise
