"""``--output FILE``: the one file a command writes outside a run directory, checked before
any work (``rnnlab forecast --run DIR --output out.csv``, of one series and of a panel).

Refused: a folder (the name of a file is expected); a file of the run directory being
read (``--overwrite`` replaces only a file of the user's own, never the run's model);
a file the command reads (``--data new.csv --output new.csv`` would replace the data
with its forecasts); an existing file unless ``--overwrite``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Optional

from .errors import RunDirError


def check_output_file(target, overwrite: bool, run_dir=None,
                      inputs: Iterable = ()) -> Optional[Path]:
    """``target`` as a Path when it may be written (None when no --output was given);
    ``run_dir``: the run directory the command reads; ``inputs``: the files it reads."""
    if not target:
        return None
    path = Path(target)
    if path.is_dir():
        raise RunDirError(f"{path}: is a directory; --output takes a CSV file name, e.g. "
                          f"{path / 'forecast.csv'}")
    if not path.exists():
        return path
    where = path.resolve()
    if run_dir is not None and Path(run_dir).resolve() in where.parents:
        raise RunDirError(f"{path}: is a file of the run {run_dir} being read; --overwrite "
                          f"replaces only a file of your own: choose another --output")
    for item in inputs:
        if item is not None and Path(str(item)).exists() and Path(str(item)).resolve() == where:
            raise RunDirError(f"{path}: is the file {item} this command reads; --overwrite "
                              f"would replace it with the forecasts: choose another --output")
    if not overwrite:
        raise RunDirError(f"{path}: exists; pass --overwrite to replace it or choose another "
                          f"--output")
    return path
