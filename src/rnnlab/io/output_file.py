"""``--output FILE``: the one file a command writes outside a run directory, checked before
any work (``rnnlab forecast --run DIR --output out.csv``, of one series and of a panel).

Refused: a folder (the name of a file is expected); a file of the run directory being
read (``--overwrite`` replaces only a file of the user's own, never the run's model);
a file the command reads (``--data new.csv --output new.csv`` would replace the data
with its forecasts; ``--output New.csv`` too where names ignore case, macOS and Windows);
an existing file unless ``--overwrite``. ``--output -`` is standard output, as no
``--output`` (it wrote a file named ``-``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Optional

from .errors import RunDirError


def check_output_file(target, overwrite: bool, run_dir=None, inputs: Iterable = (),
                      option: str = "--output") -> Optional[Path]:
    """``target`` as a Path when it may be written (None when no --output was given);
    ``run_dir``: the run directory the command reads; ``inputs``: the files it reads;
    ``option``: the option that named it, for the messages (``--insample``)."""
    if not target or target == "-":  # (`--output -`: standard output, as no --output)
        return None
    path = Path(target)
    if path.is_dir():
        raise RunDirError(f"{path}: is a directory; {option} takes a CSV file name, e.g. "
                          f"{_example(path, run_dir, option)}")
    if not path.exists():
        return path
    where = path.resolve()
    if run_dir is not None and Path(run_dir).is_dir() and any(
            same_file(folder, run_dir) for folder in where.parents):
        raise RunDirError(f"{path}: is a file of the run {run_dir} being read; --overwrite "
                          f"replaces only a file of your own: choose another {option}")
    for item in inputs:
        if item is not None and Path(str(item)).exists() and same_file(path, str(item)):
            raise RunDirError(f"{path}: is the file {item} this command reads; --overwrite "
                              f"would replace it with this command's output: choose another "
                              f"{option}")
    if not overwrite:
        raise RunDirError(f"{path}: exists; pass --overwrite to replace it or choose another "
                          f"{option}")
    return path


def _example(folder: Path, run_dir, option: str) -> Path:
    """A file name for the folder ``folder`` given: a file in it, or beside the run
    directory being read when it is that run or lies in it (a file of the run, the example
    that was given, is refused next)."""
    name = "insample.csv" if option == "--insample" else "forecast.csv"
    if run_dir is not None and Path(run_dir).is_dir() and any(
            same_file(f, run_dir) for f in (folder, *folder.resolve().parents)):
        run = Path(run_dir)
        return run.parent / f"{run.name}-{name}"
    return folder / name


def same_file(a, b) -> bool:
    """Whether ``a`` and ``b`` (both existing) are the same file or folder, by what the file
    system says (device and inode / file index), not by their names: on macOS and Windows
    ``Forecast.csv`` is ``forecast.csv``, a Windows short name (``SALES~1.CSV``) or a hard
    link is the file too, and ``resolve()`` keeps each name as written."""
    import os

    try:
        return os.path.samefile(a, b)
    except OSError:
        return False
