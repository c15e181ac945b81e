"""``rnnlab runs --inputs`` and ``--prune-inputs``: the standard input kept for runs
(:mod:`rnnlab.io.kept_input`, ``$RNNLAB_CACHE/inputs/HASH.csv``), listed with the run
directories that record each, and those no run records deleted.

A kept file is never deleted on its own: a run's ``--resume`` and ``--config RUN_DIR`` read
it again, and only the runs can tell whether one still needs it. ``--prune-inputs PATH ...``
deletes the files that no JSON file under the PATHs names (a run's ``config.json`` and
``cli.json``, a prepared corpus's ``corpus.json``); runs kept elsewhere are not looked at,
so give every folder that holds runs. Deleting a run directory and then pruning frees what
only it read. Only rnnlab's own copies are listed or deleted (a file named by the
SHA-256 of its content, :func:`.kept_input.is_kept`): another file in the folder (an
``inputs/`` of the user's where ``RNNLAB_CACHE`` names a project folder) is left alone.
"""

from __future__ import annotations

import csv
import datetime
from pathlib import Path
from typing import Dict, List, Optional, Sequence

from .kept_input import inputs_dir, is_kept


def folder_files() -> List[Path]:
    """The files in the inputs folder, oldest first (none where it does not exist)."""
    folder = inputs_dir()
    if not folder.is_dir():
        return []
    found = [p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")]
    return sorted(found, key=lambda p: (p.stat().st_mtime, p.name))


def readers(files: Sequence[Path], paths: Sequence[Path],
            unread: Optional[List[str]] = None) -> Dict[str, List[str]]:
    """For each kept file's name, the folders under ``paths`` whose JSON files name it
    (the kept names: 16 hex digits and a suffix, never part of another word); the JSON
    files that could not be read are added to ``unread``."""
    found: Dict[str, List[str]] = {f.name: [] for f in files}
    for root in paths:
        for js in sorted(root.rglob("*.json")):
            if any(p.startswith(".") for p in js.relative_to(root).parts) or not js.is_file():
                continue  # (a replaced run's .X.previous, as `rnnlab runs` skips)
            try:
                text = js.read_text(encoding="utf-8", errors="replace")
            except OSError as e:
                if unread is not None:
                    unread.append(f"{js} ({e.strerror or e})")
                continue
            for name, folders in found.items():
                if name in text and str(js.parent) not in folders:
                    folders.append(str(js.parent))
    return found


def inputs_table(paths: Sequence[Path], prune: bool, stream, note) -> int:
    """Write the table of kept inputs to ``stream`` (CSV: input, bytes, modified, runs;
    ``deleted`` with ``prune``), deleting with ``prune`` those no run records; ``note``
    says on stderr what was deleted. Returns the exit status."""
    present = folder_files()
    files = [p for p in present if is_kept(p)]  # (rnnlab's own copies: never another file)
    others = len(present) - len(files)
    unread: List[str] = []
    read = readers(files, paths, unread)
    if prune and unread:  # (a run whose record cannot be read may need any kept input)
        from .errors import DataError

        more = f" and {len(unread) - 1} more" if len(unread) > 1 else ""
        raise DataError(f"cannot read {unread[0]}{more}: a run's record there may name a "
                        f"kept input, so nothing was deleted; make it readable (or list with "
                        f"--inputs), then prune again")
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(["input", "bytes", "modified", "runs"] + ["deleted"] * prune)
    freed, gone = 0, 0
    for f in files:
        size, when = f.stat().st_size, f.stat().st_mtime
        unused = prune and not read[f.name]
        if unused:
            f.unlink(missing_ok=True)
            freed, gone = freed + size, gone + 1
        stamp = datetime.datetime.fromtimestamp(when).isoformat(timespec="seconds")
        writer.writerow([str(f), size, stamp, ";".join(read[f.name])] + [unused] * prune)
    if prune:
        note(_pruned(gone, len(files), freed, paths))
    if prune and others:
        note(f"{others} other file(s) in {inputs_dir()} left alone: not named by the SHA-256 "
             f"of their content, so not standard input rnnlab kept")
    return 0


def _pruned(gone: int, kept: int, freed: int, paths: Sequence[Path]) -> str:
    where = ", ".join(map(str, paths))
    if gone:
        return (f"deleted {gone} of {kept} kept inputs ({freed:,} bytes) that no run under "
                f"{where} records")
    if kept:
        return f"no kept input to delete: each of the {kept} is recorded by a run under {where}"
    return f"no kept input to delete in {inputs_dir()}"
