"""Where a relative path in a settings file points: beside the file, as Docker Compose reads
a compose file's paths, so a file checked into a repository means the same run from any
working directory (CI jobs, ``cd``-ing scripts).

* A path the run **writes** (``out``, ``output``, bench's ``json``) is the file's folder
  joined with it: ``out = "../runs/gru"`` in ``configs/gru.toml`` is ``runs/gru`` of the
  repository, wherever rnnlab starts.
* A path the run **reads** (``data``, ``corpus``, ``text``, ``val_text``, ``static_data``,
  ``future_data``, ``run``) is the file beside it when there is one there. When there is
  none, the value is kept as written: a built-in name (``airline``, ``shakespeare``, a
  ``stooq:`` symbol; of the options that take names), or a file of the working directory,
  which is read with a warning (it would not be found from another directory); a file in
  both places is read beside the settings file, with a warning naming both. A path found
  in neither place is the file's (``run``, ``static_data``, ``future_data``: they take no
  names), or, of the options that take names, kept as written with a note.

A run's own record (``--config RUN_DIR``, its ``cli.json`` or ``config.json``) keeps its
inputs as absolute paths; its values are not moved. An absolute path, or one starting
with ``~``, is kept as written. A path typed on the command line is read from the working
directory, as always.
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

from .warning_lines import print_warning

READS = ("data", "corpus", "text", "val_text", "val_data", "static_data", "future_data", "run")
WRITES = ("out", "output", "json", "insample")
NAMES_TOO = ("data", "corpus", "text", "val_text", "val_data")  # (a built-in dataset or corpus name)
FILE_SUFFIXES = (".csv", ".tsv", ".txt", ".json", ".parquet", ".xlsx", ".toml", ".pt")


def from_file(path: Path, dest: str, value, quiet: bool = False):
    """``value`` of the option ``dest`` as written in the settings file ``path``, with a
    relative path resolved against the file's folder (see the module's rules); warnings on
    stderr unless ``quiet`` (the option is typed: the file's value is not used)."""
    if dest not in READS + WRITES or not isinstance(value, str) or not value:
        return value
    written = Path(value)
    if value.startswith("~") or written.is_absolute():
        return value
    folder = Path(os.path.abspath(path)).parent
    beside = Path(os.path.normpath(folder / written))
    if dest in WRITES:
        return str(beside)
    here = written.exists()
    if beside.exists():
        if here and not _same_file(written, beside) and not quiet:
            print_warning(f"rnnlab: warning: --config {path}: {dest} = {value!r} is both "
                          f"beside the file ({beside}) and in the working directory "
                          f"({written.resolve()}); reading the one beside the file (a "
                          f"settings file's paths are relative to it): write an absolute "
                          f"path to choose")
        return str(beside)
    if here and not quiet:
        print_warning(f"rnnlab: warning: --config {path}: {dest} = {value!r} is not beside "
                      f"the file ({beside}); reading it from the working directory "
                      f"({written.resolve()}), which another directory would not find: "
                      f"write the path relative to the file "
                      f"({os.path.relpath(written.resolve(), folder)}) or absolute")
    elif dest not in NAMES_TOO:
        return str(beside)
    elif not quiet and "://" not in value and ("/" in value or "\\" in value or
                        written.suffix.lower() in FILE_SUFFIXES):
        print(f"rnnlab: note: --config {path}: {dest} = {value!r} is neither beside the file "
              f"({beside}) nor in the working directory ({Path.cwd()}); a settings file's "
              f"relative paths are read from its own folder", file=sys.stderr)
    return value


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or os.path.samefile(a, b)
    except OSError:
        return False


def not_from_record(settings, dest: str, value) -> bool:
    """Whether a run's record (``--config RUN_DIR``; ``settings``, a
    :class:`~rnnlab.config_file.Settings`) leaves the option ``dest`` to the command line,
    said in a note when the record names a value:

    * a file to write (``output``, bench's ``json``). No record rnnlab writes holds such a
      path, so it was edited, and a run folder from elsewhere would then choose where this
      command writes, outside the folder the user named. (Its ``out`` and ``insample``,
      which records do hold, are dropped before, without a word: :data:`~rnnlab.
      config_file.RECORD_ONLY`.)
    * ``run``, the saved model a command reads (``forecast --run``, ``lm generate --run``),
      in a run directory's own record (``settings.run_dir``: its ``cli.json``, a
      ``config.json`` with its versions). No run directory records one (those commands
      write none), so it was edited, and ``--config RUN_DIR``, asked to repeat that run,
      forecast with another run's model instead (its one word on it: "ignored --config").
      A ``--print-config`` record saved to a file of the user's keeps its ``run``, whatever
      the file's name (``config.json`` too): read back, it repeats the command printed."""
    path = settings.path
    if dest in WRITES:
        why, fix = ("does not choose where this command writes",
                    f"give --{dest.replace('_', '-')} to write there")
    elif dest == "run" and settings.run_dir:
        why, fix = ("repeats that run, it does not choose a saved model to read",
                    f"give --run {shlex.quote(str(value))} to read that model")
    else:
        return False
    if value not in (None, "", False):
        print(f"rnnlab: note: --config {path}: its {dest} ({value}) is not taken: a run's "
              f"record {why}; {fix}", file=sys.stderr)
    return True
