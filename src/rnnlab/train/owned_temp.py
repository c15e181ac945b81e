"""The temporary folders in which spawned workers leave a fit's result for their parent
(``rnnlab-forecast-*``: a forecast's members; ``rnnlab-lm-fit-*``: a language model's
weights and history), swept as the rendezvous folders are (:mod:`.stale_stores`).

The parent removes its folder when the fit ends, whatever happened, but a parent killed
outright (SIGKILL, the out-of-memory killer, a job scheduler's hard stop) removes nothing,
and the folder, a whole model's weights, stayed in the temporary directory for good. Each
folder now holds its parent's owner record (process id, start time, machine), and the
next fit that makes one of the same kind removes those whose owner is a process of this
machine that is gone (its id unused, or used again by a process started at another time,
as after a reboot); a folder of a live run, one of another machine or one without a
record (an older rnnlab's, or one being made this moment) is kept."""

from __future__ import annotations

import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .stale_stores import record_owner, remove_stale

__all__ = ["owned_temp_dir"]


@contextmanager
def owned_temp_dir(prefix: str) -> Iterator[Path]:
    """A new folder ``prefix*`` in the temporary directory, recorded as this process's,
    removed on leaving; the folders of the same ``prefix`` whose owners are gone are
    removed on entering (never this one)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        record_owner(folder)  # (first: a folder without a record is never swept)
        remove_stale(folder.parent, prefix, keep=folder)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
