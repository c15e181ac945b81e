"""The marks of a run going on with ``--resume`` (a panel forecast, a one-series forecast,
its ``--seeds``, ``rnnlab lm train``): unfinished while it trains, by the command now
running, until it finishes again (``finish_run_dir`` writes both marks anew); a resume
refused before its training changed a checkpoint leaves them as they were. Unmarked, a
finished run killed while its files were written again (between the new model and its
metrics) read as finished, with a new model and the old metrics."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

from .user_added import RESUMED_RECORD

__all__ = ["mark_resumed", "resumed_marks"]


def mark_resumed(out: Path) -> None:
    """A run going on (``--resume``) is unfinished until it ends again: its mark
    (:data:`~rnnlab.io.rundir.PENDING_NAME`) is made to hold the command now running, as
    a new run's holds the command that started it (the resumed command's --epochs or
    --max-seconds, which the next stop's hint repeats), and a finished run's record of what
    it wrote goes (``finish_run_dir`` writes both anew). Kept as it was, the mark named the
    first command, or none at all after a finished run, which then read as finished while
    its files were being written again. The record is kept aside (:data:`RESUMED_RECORD`):
    deleted, a stop then an ``--overwrite`` deleted the files the user had put there."""
    from .incomplete_run import mark_pending
    from .rundir import WRITTEN_NAME

    mark_pending(out)  # (first: killed between the two, the run reads as before)
    if (Path(out) / WRITTEN_NAME).is_file():  # (kept aside: the user's files stay known)
        os.replace(Path(out) / WRITTEN_NAME, Path(out) / RESUMED_RECORD)


@contextmanager
def resumed_marks(out: Path, resuming: bool,
                  watched: Optional[Sequence[Path]] = None) -> Iterator[List[str]]:
    """While a resumed run trains (``resuming``): marked unfinished by the command now
    running (:func:`mark_resumed`); gives the files the user put into the finished run
    (not in its record of what it wrote), for ``finish_run_dir(out, not_written=...)`` to
    leave out of the new record (recorded, an ``--overwrite`` deleted them with the run).
    A resume that fails before its training changed a checkpoint (a file in ``watched``,
    or under it: by default ``out/checkpoints``; a run of several seeds, each seed's
    checkpoints and mark) leaves the marks as they were: a finished run stays finished,
    its record kept, and a stopped one keeps the command that started it. Marked for good
    at once, a typo in the resume command (other data or settings, refused) turned a
    finished run into an unfinished one of that command. The marks stay after the block:
    the run's results are written after it, and ``finish_run_dir`` ends them."""
    from .user_added import user_added

    if not resuming:
        yield []
        return
    out = Path(out)
    paths = [out / "checkpoints"] if watched is None else [Path(c) for c in watched]
    before = _marks(out)
    seen = _checkpoint_files(paths)
    added = user_added(out)  # (before its record goes)
    mark_resumed(out)
    try:
        yield added
    except BaseException:
        if _checkpoint_files(paths) == seen:  # (nothing trained: as it was)
            _put_back(out, before)
        raise


_LEAVE = object()  # (a mark found as no regular file this can read: left as it is)


def _marks(out: Path) -> Dict[str, object]:
    """The bytes (None: absent; :data:`_LEAVE`: no regular file it may read) of the run's
    record of its options (config.json, cli.json: a resume rewrites them before it trains,
    cli.json with its --epochs / --minutes) and of its two marks, record of what it wrote
    before the pending mark: put back in this order, a kill part way leaves the run
    unfinished."""
    from .cli_options import CLI_FILE
    from .rundir import PENDING_NAME, WRITTEN_NAME

    return {n: _mark(out / n)
            for n in ("config.json", CLI_FILE, WRITTEN_NAME, RESUMED_RECORD, PENDING_NAME)}


class _Link(str):
    """A mark that is a symbolic link (the user's: ``ln -s ../shared.json config.json``):
    its target, put back as the link itself. Read as the file it leads to, it was put
    back as a copy of that file, and the link was lost."""


def _mark(p: Path) -> object:
    """What :func:`_put_back` restores ``p`` to. A link as the link (:class:`_Link`,
    whatever it leads to: a link to nothing read as absent was deleted by the refusal's
    clean-up). A folder, a pipe or a file without read permission there is left as it
    is: read, it raised IsADirectoryError over the loader's error that named it; its read
    raised "cannot use ... choose a path you can read and write" before the loader could
    say what was wrong."""
    if not os.path.lexists(p):
        return None
    if p.is_symlink():
        return _Link(os.readlink(p))
    try:
        return p.read_bytes() if p.is_file() else _LEAVE
    except OSError:
        return _LEAVE


def _put_back(out: Path, marks: Dict[str, object]) -> None:
    """The files as :func:`_marks` read them, in its order."""
    from .atomic import atomic_write_bytes

    for name, data in marks.items():  # (_LEAVE: left as it is)
        if data is None:
            (out / name).unlink(missing_ok=True)
        elif isinstance(data, _Link):
            _relink(out / name, data)
        elif isinstance(data, bytes):
            atomic_write_bytes(out / name, data)


def _relink(path: Path, target: str) -> None:
    """``path`` the link to ``target`` again, in one rename (a link made beside it and
    renamed over what a resume wrote there), or left where it still is that link. The
    link beside is named as rnnlab's temporaries are (:func:`~rnnlab.io.atomic.
    is_temporary`) and removed if the rename fails: named ``.config.json.link.tmp`` and
    left there, it read as a file of the run's (a folder holding it was no unstarted run)."""
    import secrets

    if path.is_symlink() and os.readlink(path) == target:
        return
    beside = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    os.symlink(target, beside)
    try:
        os.replace(beside, path)
    except BaseException:
        beside.unlink(missing_ok=True)
        raise


def _checkpoint_files(paths: Sequence[Path]) -> Dict[Tuple[str, str], object]:
    """Each of ``paths`` that is a file (a mark: its bytes, which a seed that went on changes,
    and a seed refused before it trained puts back; its inode changed then too), and each
    file and folder under the others (not hidden: a killed save's temporaries, which a
    resume may clean): (inode, mtime, size), which any checkpoint written changes."""
    seen: Dict[Tuple[str, str], object] = {}
    for folder in paths:
        if folder.is_file():  # (a seed's mark: by its bytes, as a refused seed puts it back)
            seen[(str(folder), "")] = folder.read_bytes()
        for root, dirs, files in os.walk(folder):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for name in (*dirs, *files):
                if not name.startswith("."):
                    st = os.lstat(os.path.join(root, name))
                    seen[(str(folder), os.path.relpath(os.path.join(root, name), folder))] = (
                        st.st_ino, st.st_mtime_ns, st.st_size)
    return seen
