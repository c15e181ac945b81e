"""``--output FILE``: the one file a command writes outside a run directory, checked before
any work (``rnnlab forecast --run DIR --output out.csv``, of one series and of a panel).

Refused: a folder (the name of a file is expected); a file of the run directory being
read (``--overwrite`` replaces only a file of the user's own, never the run's model);
a file the command reads (``--data new.csv --output new.csv`` would replace the data
with its forecasts; ``--output New.csv`` too where names ignore case, macOS and Windows);
an existing file (or a link leading nowhere, which the file would replace) unless
``--overwrite``; a name of another format (``out.parquet``,
``out.xlsx``, ``out.csv.gz``: CSV text was written under it). ``--output -`` is standard
output, as no ``--output`` (it wrote a file named ``-``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, Optional

from .errors import OptionError, RunDirError

# names of other formats, which the CSV text written would not be (a reader of the name, as
# pandas.read_parquet, fails on it): the format, the pandas method that writes it, and its
# arguments that keep the table as it is (to_csv and to_excel write the row numbers as a
# column of their own without index=False; to_json a JSON lines file with lines=True only)
_KEEP = ", index=False"
_OTHER_FORMATS = {
    ".parquet": ("a Parquet", "to_parquet", _KEEP), ".pq": ("a Parquet", "to_parquet", _KEEP),
    ".feather": ("a Feather", "to_feather", ""), ".arrow": ("an Arrow", "to_feather", ""),
    ".xlsx": ("an Excel", "to_excel", _KEEP), ".xls": ("an Excel", "to_excel", _KEEP),
    ".json": ("a JSON", "to_json", ", orient='records'"),
    ".jsonl": ("a JSON lines", "to_json", ", orient='records', lines=True"),
    ".pkl": ("a pickle", "to_pickle", ""), ".pickle": ("a pickle", "to_pickle", ""),
    ".gz": ("a gzip", "to_csv", _KEEP), ".bz2": ("a bzip2", "to_csv", _KEEP),
    ".xz": ("an xz", "to_csv", _KEEP), ".zip": ("a zip", "to_csv", _KEEP),
    ".zst": ("a zstd", "to_csv", _KEEP),
}


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
    if path.exists():
        _refuse_read_file(path, run_dir, inputs, option)
    _refuse_other_format(path, option)
    if path.exists() and not overwrite:
        raise RunDirError(f"{path}: exists; pass --overwrite to replace it or choose another "
                          f"{option}")
    if path.is_symlink() and not path.exists() and not overwrite:  # (a link of the user's:
        raise RunDirError(f"{path}: is a link to nothing (it leads to "  # it was replaced)
                          f"{os.readlink(path)}); the file is written in place of the link: "
                          f"pass --overwrite to replace it, or choose another {option}")
    return path


def _refuse_read_file(path: Path, run_dir, inputs: Iterable, option: str) -> None:
    """Refuses ``path`` (it exists) where it is a file of the run being read or a file the
    command reads, whatever --overwrite says."""
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


def _refuse_other_format(path: Path, option: str) -> None:
    """Refuses a file name of another format than CSV (``out.parquet``): the command writes
    CSV text, which was written under the name given, so a reader of that format failed on
    it later; names the CSV to give and the conversion."""
    kind = _OTHER_FORMATS.get(path.suffix.lower())
    if kind is None:
        return
    what, call, args = kind
    csv_name = path.name[:-len(path.suffix)]
    csv_name = csv_name if csv_name.lower().endswith(".csv") else f"{csv_name}.csv"
    # (pandas writes no .xls, the old Excel format: its call names the .xlsx it writes)
    target = path.with_suffix(".xlsx").name if path.suffix.lower() == ".xls" else path.name
    keep = (f"{'compress' if call == 'to_csv' else 'convert'} it after: pandas.read_csv("
            f"{csv_name!r}).{call}({target!r}{args})")
    raise OptionError(f"{option} {path}: {path.suffix} names {what} file, but {option} "
                      f"writes CSV text (uncompressed); give a .csv name "
                      f"({option} {path.with_name(csv_name)}) and {keep}")


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
