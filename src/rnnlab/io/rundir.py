"""Run directories: never overwritten silently, locked while a process writes them,
and recording everything needed to reproduce the run (config, seed, versions, data hash:
written by :mod:`.run_record`)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from ..listing import first_few
from .atomic import atomic_write_json, is_temporary, refuse_file_above
from .errors import RunDirError
from .runlock import LOCK_NAME, RunLock
# (the run's record is run_record.py's; its names and versions stay importable from here)
from .run_record import data_hash as data_hash, record_resume as record_resume  # noqa: F401
from .run_record import write_run_info as write_run_info  # noqa: F401
from .versions import versions as versions  # noqa: F401


MARKER_NAME = ".rnnlab-run"  # written into every run directory rnnlab makes
REPLACING_NAME = ".rnnlab-replacing"  # in a run that --overwrite started over another
WRITTEN_NAME = ".rnnlab-written"  # what a finished run wrote (its top-level names)
PENDING_NAME = ".rnnlab-pending"  # a run started here has not finished (removed last)
# all a run that stopped at its start (bad data, a typo) wrote: a new run takes it over
STARTUP_NAMES = {LOCK_NAME, MARKER_NAME, REPLACING_NAME, PENDING_NAME, "cli.json",
                 "config.json"}
# what a run writes as its epochs end (lm train's rows per epoch), before its checkpoint of
# that epoch: beside nothing else (no checkpoint, no result), nothing to go on from either
PROGRESS_NAMES = {"metrics.csv"}


def is_run_dir(path) -> bool:
    """True for a directory rnnlab made for a run (its marker, or an older run's config.json;
    or the record of a replacement stopped before its marker was written)."""
    path = Path(path)
    if (path / MARKER_NAME).is_file() or (path / REPLACING_NAME).is_file():
        return True
    from .errors import RnnlabError
    from .json_file import read_json

    try:
        info = read_json(path / "config.json", RunDirError)
        return "rnnlab" in info["versions"]
    except (RnnlabError, KeyError, TypeError):
        return False


class RunDirWords(NamedTuple):
    """What :func:`prepare_run_dir`'s refusals call the caller's settings: a command's
    options, or a Python function's arguments (:data:`PYTHON_WORDS`)."""

    overwrite: str = "--overwrite"
    resume: str = "--resume"
    out: str = "--out"


PYTHON_WORDS = RunDirWords("overwrite=True", "resume=True", "path")


def prepare_run_dir(path, overwrite: bool = False, resume: bool = False,
                    inputs=(), resumable: bool = True,
                    words: RunDirWords = RunDirWords()) -> Path:
    """Create ``path`` for a new run; refuse an existing non-empty one unless told.

    ``overwrite`` replaces only a directory rnnlab made (:func:`is_run_dir`), and never one
    holding a file of ``inputs`` (what the run is about to read); ``resumable``: the
    command has --resume (named in the refusal). A run directory holding
    only what a run writes at its start (:data:`STARTUP_NAMES`) is taken over as it is.
    The replaced run is set aside (:func:`previous_of`) until the new one calls
    :func:`finish_run_dir`: a stopped or failed run leaves the last good one there.
    ``words``: the settings as the refusals name them (the command's options by default)."""
    path, w = Path(path), words
    entries = _entries_of(path, w)
    ours = bool(entries) and is_run_dir(path)
    unstarted = ours and is_unstarted(entries, path)
    if unstarted and REPLACING_NAME in entries and not (overwrite or resume):
        entries, unstarted = _replaced_run_back(path, entries, unstarted)
    if entries and (resume or unstarted):
        refuse_links(path)  # (replaced entries are moved aside, links and all)
    if entries and not ours and not resume:  # (told first: --overwrite would not help)
        raise RunDirError(
            f"{path}: holds files rnnlab did not write ({first_few(entries, 3)}); {w.overwrite} "
            f"replaces only a run directory rnnlab made. Choose another {w.out} (a new folder), or "
            f"move those files away first")
    redo = bool(entries) and ours and not (resumable or overwrite or resume or unstarted) \
        and _starts_over(path)
    if entries and not (overwrite or resume or unstarted or redo):
        raise RunDirError(
            f"{path}: run directory already exists and is not empty; pass {w.overwrite} to "
            f"replace it, {w.resume + ' to continue it, ' if resumable else ''}or choose "
            f"another {w.out}"
        )
    if entries and not resume:
        _clear_for_new_run(path, entries, unstarted, inputs, w)
    _mark_run(path, resume)
    return path


def _entries_of(path: Path, w: RunDirWords) -> list:
    """The names in ``path`` (sorted; its lock left out; none for a new path), once it is
    known to be a folder (or nothing) outside any file, that no live run writes (its
    writer is named first, by its PID, whatever else is wrong)."""
    if path.exists() and not path.is_dir():
        raise RunDirError(f"{path}: exists and is not a directory; choose another {w.out}")
    if path.is_symlink() and not path.exists():  # (it was "cannot use DIR: File exists")
        raise RunDirError(f"{path}: is a link to nothing (to {os.readlink(path)}); make that "
                          f"folder, remove the link, or choose another {w.out}")
    refuse_file_above(path, w.out)
    if not path.is_dir():
        return []
    RunLock(path).check_free(w.out)
    return sorted(p.name for p in path.iterdir() if p.name != LOCK_NAME)


def _replaced_run_back(path: Path, entries: list, unstarted: bool):
    """``(entries, unstarted)`` of ``path`` once the run an --overwrite replaced is back:
    that --overwrite was killed before any result, so the old run returns, to be replaced
    only when asked again (this run, not told to, deleted it on finishing)."""
    from .previous_run import restore_previous

    if not restore_previous(path, "an --overwrite run here was stopped before writing "
                                  "results"):
        return entries, unstarted
    entries = sorted(p.name for p in path.iterdir() if p.name != LOCK_NAME)
    return entries, is_unstarted(entries, path)


def _starts_over(path: Path) -> bool:
    """A run killed while writing its results, run again by the same command without
    --resume: with no checkpoints to go on from, it starts over (said)."""
    from .incomplete_run import is_incomplete, same_command

    if not (is_incomplete(path) and same_command(path)):
        return False
    from .incomplete_run import say_redo

    say_redo(path)
    return True


def _clear_for_new_run(path: Path, entries: list, unstarted: bool, inputs,
                       w: RunDirWords) -> None:
    """Empty the run directory ``path`` for a new run: refused where a file the user added
    or one the run reads (``inputs``) would go with it; a run that stopped at its start
    removed, a run with results set aside (:func:`previous_of`) until the new one ends."""
    _refuse_added(path, w)
    from .output_file import same_file

    for item in inputs:
        if item is None or not os.path.lexists(item):
            continue
        item = Path(item).resolve()  # (by identity: Runs/ is runs/ on macOS and Windows)
        if any(same_file(p, path) for p in (item, *item.parents)):
            raise RunDirError(
                f"{path}: replacing this run directory would delete {item}, which this "
                f"run reads; move it out of the run directory or choose another {w.out}")
    RunLock(path).check_free(w.out)
    if unstarted:  # nothing of value: taken over as it is (still replacing what it did)
        replacing = (path / REPLACING_NAME).exists()
        remove_entries(path, [e for e in entries if not (replacing and e == REPLACING_NAME)])
    else:
        from .previous_run import set_aside

        set_aside(path, entries)


def _mark_run(path: Path, resume: bool) -> None:
    """``path`` made, with the marker of a run directory rnnlab made and, for a new run,
    the mark of a run not yet finished (:func:`finish_run_dir` removes it; a run an older
    rnnlab wrote has none)."""
    path.mkdir(parents=True, exist_ok=True)
    if not (path / MARKER_NAME).exists():
        (path / MARKER_NAME).write_text("made by rnnlab for one run: --overwrite may replace "
                                        "everything in this directory\n", encoding="utf-8")
    if not resume:
        from .incomplete_run import mark_new_run

        mark_new_run(path)  # (and its start noted: its record's "started")


def is_unstarted(entries, path=None) -> bool:
    """Only what a run writes at its start, and the temporaries of a write that a kill cut
    short (``.config.json.<random>.tmp``), the rows of epochs a kill left before their
    checkpoint (:data:`PROGRESS_NAMES`): a run that produced nothing. With ``path`` (the
    folder of ``entries``), folders holding no file are nothing too: the ``checkpoints/``
    of a run whose first checkpoint failed (a full disk, a second Ctrl-C) kept a rerun out."""
    left = {e for e in entries if not is_temporary(e)} - STARTUP_NAMES - PROGRESS_NAMES
    return all(path is not None and holds_no_file(Path(path) / e) for e in left)


def holds_no_file(folder: Path) -> bool:
    """True for a folder (not a link) with nothing but empty folders in it."""
    if folder.is_symlink() or not folder.is_dir():
        return False
    for root, dirs, files in os.walk(folder, followlinks=False):
        if files or any((Path(root) / d).is_symlink() for d in dirs):
            return False
    return True


def _refuse_added(path: Path, w: RunDirWords) -> None:
    """--overwrite replaces what the run wrote, recorded when it finished
    (:data:`WRITTEN_NAME`); a file the user put there since (notes, a notebook) is named
    and kept, not deleted with the run. (Hidden files and a run without the record, one
    that did not finish or an older rnnlab's, are replaced as they are.)"""
    from .user_added import user_added

    added = user_added(path)
    if added:
        raise RunDirError(f"{path}: holds files its run did not write ({first_few(added, 3)}); "
                          f"{w.overwrite} replaces only what rnnlab wrote. Move those files "
                          f"out of the run directory (or choose another {w.out}), then run again")


def refuse_links(path) -> None:
    """A run directory holds no links: one (``model`` -> elsewhere) would have rnnlab
    write outside the run folder. Refused, naming it, before anything is written."""
    path = Path(path)
    if not path.is_dir():
        return
    for root, dirs, files in os.walk(path, followlinks=False):
        for name in sorted(dirs + files):
            p = Path(root) / name
            if p.is_symlink():
                raise RunDirError(
                    f"{p}: is a link (to {os.readlink(p)}); rnnlab writes only inside the run "
                    f"directory and does not follow links there. Remove the link (or copy what "
                    f"it points to into its place) and run again")


def previous_of(path) -> Path:
    """Where ``--overwrite`` keeps a run directory's old contents until the new run ends."""
    path = Path(path).resolve()
    return path.parent / f".{path.name}.previous"


def remove_entries(path: Path, names) -> None:
    """Remove the files and folders ``names`` of ``path`` (a link itself, never its target)."""
    import shutil

    for name in names:
        p = path / name
        shutil.rmtree(p) if p.is_dir() and not p.is_symlink() else p.unlink()


def finish_run_dir(path, not_written=()) -> None:
    """The run in ``path`` finished: the run it replaced (``--overwrite``) goes, and so do
    the temporaries of writes a kill cut short before a resume (a half model file). Its
    record of what it wrote names every entry but ``not_written`` (a resumed run: the files
    the user had put there)."""
    import shutil

    from .incomplete_run import is_incomplete, keep_added, mark_finished, same_command
    from .user_added import RESUMED_RECORD

    for root, _, files in os.walk(path):
        for name in files:
            if is_temporary(name):
                Path(root, name).unlink(missing_ok=True)
    written = sorted(p.name for p in Path(path).iterdir()
                     if p.name not in (LOCK_NAME, WRITTEN_NAME, REPLACING_NAME, PENDING_NAME)
                     and p.name not in not_written)
    try:  # (an aid to a later --overwrite: a full disk here does not fail the run)
        atomic_write_json(Path(path) / WRITTEN_NAME, written)
    except OSError:
        pass
    (Path(path) / RESUMED_RECORD).unlink(missing_ok=True)  # (a resume's: its own written)
    mark_finished(path)  # (config.json's "finished"; its mark gone last: the run is whole)
    record = Path(path) / REPLACING_NAME
    if record.exists():
        aside = previous_of(path)
        if is_run_dir(aside):
            if is_incomplete(aside) and same_command(aside):  # (a killed run's redo: a
                keep_added(aside, Path(path), written)  # file the user put there stays)
            shutil.rmtree(aside, ignore_errors=True)
            if aside.exists():  # (not all of it went: the record names it stale for the
                return  # next --overwrite, which clears it before setting this run aside)
        record.unlink()
