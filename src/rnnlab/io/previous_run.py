"""The run that ``--overwrite`` replaces: set aside (:func:`set_aside`) until the new one
finishes, and put back when the run replacing it stopped (an error, Ctrl-C) before
writing any result of its own."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

from .runlock import LOCK_NAME, read_short_file
from .errors import RunDirError
from .utf8_text import utf8_bytes
from .rundir import (REPLACING_NAME, WRITTEN_NAME, holds_no_file, is_run_dir, is_unstarted,
                     previous_of, remove_entries)


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


def set_aside(path: Path, entries) -> None:
    """Replace the run in ``path``, keeping the last good one until the new one finishes.

    Its entries move (renames: nothing copied) into :func:`previous_of`, and the new run
    records that it replaces them (:data:`REPLACING_NAME`; :func:`finish_run_dir`). When
    that folder already holds a run, the one here is a replacement that never finished:
    it goes, and the kept run stays. A folder of that name that rnnlab did not make is
    never touched (:func:`_clear_stale_aside`)."""
    aside = _clear_stale_aside(path, entries)
    if aside.exists():  # (the record first: a failure to write it leaves all as it was,
        _record_aside(path, aside)  # the kept run named; after, it was hidden for good)
        remove_entries(path, [e for e in entries if e != REPLACING_NAME])
        note = f"the last finished run stays in {aside}"
    else:
        _move_aside(path, aside, entries)
        note = f"the previous run is kept in {aside}"
    print(f"rnnlab: {path}: {note} until this one finishes", file=sys.stderr)


def _move_aside(path: Path, aside: Path, entries) -> None:
    """``entries`` of ``path`` moved into the new folder ``aside``, and the record naming
    it written; a failure on the way (Ctrl-C, a full disk at the record) puts the run back
    whole, nothing aside."""
    aside.mkdir()
    moved = []
    try:
        for name in entries:
            os.replace(path / name, aside / name)
            moved.append(name)
        _record_aside(path, aside)
    except BaseException:
        for name in moved:
            os.replace(aside / name, path / name)
        aside.rmdir()
        raise


def _record_aside(path: Path, aside: Path) -> None:
    """The record that the run in ``path`` replaces the one in ``aside``, written whole or
    not at all (:func:`restore_previous` and :func:`finish_run_dir` read it). Written in
    place, a full disk left the replaced run hidden in ``aside`` with no record to put it
    back by."""
    from .atomic import atomic_write_bytes

    # (an undecodable name too: "out é" under LC_ALL=C PYTHONUTF8=0 is surrogates, which
    # UTF-8 refuses)
    atomic_write_bytes(path / REPLACING_NAME, utf8_bytes(aside.name) + b"\n")


def _clear_stale_aside(path: Path, entries) -> Path:
    """:func:`previous_of` ``path``, cleared of what is not the last finished run: a run
    set aside before the run here finished (a kill cut short its deletion then; the
    finished run here was deleted in its place), or an empty folder (a kill right after
    its making; the run here was deleted, not set aside). One that rnnlab did not make
    is refused, naming it: the run here could not be kept until the new one finishes."""
    import shutil

    aside = previous_of(path)
    if not aside.exists() and not aside.is_symlink():
        return aside
    record, ours = path / REPLACING_NAME, aside.is_dir() and not aside.is_symlink()
    if ours and WRITTEN_NAME in entries and record.is_file() \
            and read_short_file(record, 4096).strip() \
            == utf8_bytes(aside.name).decode("utf-8", "replace"):  # (a link: not ours)
        shutil.rmtree(aside)  # (the run here finished: the one it replaced goes, as then)
        record.unlink()
        entries.remove(REPLACING_NAME)
    elif not (ours and (is_run_dir(aside) or holds_no_file(aside))):
        raise RunDirError(f"{path}: --overwrite keeps the run it replaces in {aside} until the "
                          f"new one finishes, and {aside} holds files rnnlab did not put "
                          f"there; move it away (or delete it), then run again")
    elif holds_no_file(aside):
        shutil.rmtree(aside)
    return aside
