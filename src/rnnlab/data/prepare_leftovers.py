"""What a killed ``rnnlab lm prepare`` leaves, and how the next one takes it over.

:func:`rnnlab.data.corpus_mmap.prepare_corpus` holds the folder's lock
(:class:`rnnlab.io.runlock.RunLock`, the writer's PID) while it writes. A folder whose lock
holder is gone and that holds only what ``lm prepare`` writes (its temporaries included)
is an interrupted preparation: the same command takes it over instead of refusing it, and
``--overwrite`` removes the hidden work folders (``.NAME.*.preparing``, each up to five
times the corpus's size) that killed replacements left beside it."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from ..io.atomic import is_temporary
from ..io.errors import RunDirError
from ..io.runlock import LOCK_NAME, RunLock
from .corpus_mmap import FIRST_IDS, PREPARED_NAMES


def _its_own(name: str) -> bool:
    """A file ``lm prepare`` writes: the corpus's, the first pass's ids, a temporary."""
    return name in PREPARED_NAMES or name == FIRST_IDS or is_temporary(name)


def interrupted_prepare(folder: Path) -> bool:
    """``folder`` is what a killed ``lm prepare`` left (its lock, of a process that is gone,
    and nothing but its own files); refused, naming the PID, while that process runs."""
    names = [p.name for p in folder.iterdir()]
    if LOCK_NAME not in names:
        return False
    if not all(n == LOCK_NAME or _its_own(n) for n in names):
        return False
    RunLock(folder).check_free()
    return True


def take_over(folder: Path) -> None:
    """Empty an :func:`interrupted_prepare` folder for the new preparation, saying so."""
    for p in folder.iterdir():
        p.unlink()
    print(f"rnnlab lm prepare: {folder}: an earlier `lm prepare` stopped before it finished "
          f"here; preparing again", file=sys.stderr)


def remove_stale_work(dest: Path) -> None:
    """Remove the work folders of killed ``lm prepare --overwrite`` runs of ``dest`` (their
    lock's holder gone); one still being written (a live holder) is left."""
    for work in dest.parent.glob(f".{dest.name}.*.preparing"):
        if not work.is_dir() or work.is_symlink() or not (work / LOCK_NAME).exists():
            continue
        try:
            RunLock(work).check_free()
        except RunDirError:
            continue  # (being written now)
        if all(p.name == LOCK_NAME or _its_own(p.name) for p in work.iterdir()):
            shutil.rmtree(work, ignore_errors=True)
            print(f"rnnlab lm prepare: removed {work}, left by an `lm prepare --overwrite` "
                  f"that was stopped", file=sys.stderr)
