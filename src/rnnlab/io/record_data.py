"""A run repeated from its record (``--config RUN_DIR``) on data whose values are not the
record's: said when the new run writes its record. Before, a CSV edited since the run (or
a ``stooq:`` download refreshed) gave other results silently, though the record holds the
SHA-256 of the values it read (``data_sha256``) to tell.

While a command runs, :func:`repeating` holds the record's SHA-256 (as
:mod:`rnnlab.io.command_line` holds its arguments); :func:`check_repeat_data` compares the
new run's with it. A repeat given other data on purpose (a typed ``--data``, ``--column``)
is not compared (:data:`READ_OPTIONS`)."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Optional

from ..warning_lines import print_warning


# the options that choose what a run reads: typed anew, other values are meant
READ_OPTIONS = ("data", "corpus", "text", "val_text", "val_data", "static_data", "future_data",
                "column", "date_column", "id_column", "fill", "level", "max_chars", "recipe",
                "part")

_record: Optional[dict] = None  # {"where", "sha256", "said"} of the record a command repeats


def repeated_data(args):
    """(the record's folder, the SHA-256 of the data its run read) for :func:`repeating`
    where ``args`` repeat a run's record (``--config RUN_DIR``); (None, None) without one,
    or where the repeat chose its data anew (a typed --data, --column)."""
    from ..config_file import record_files

    files = getattr(args, "config", None)  # (after --config: the files read, absolute)
    given = getattr(args, "given_options", None) or frozenset()
    typed = set(given) - set(getattr(given, "recorded", None) or {})
    if typed & set(READ_OPTIONS):
        return None, None
    records = record_files(files)
    if len(records) != 1:  # (none; or several runs' records: whose data is meant is unsaid)
        return None, None
    return str(records[0].parent), recorded_data_sha256(records[0])


def recorded_data_sha256(path):
    """The ``data_sha256`` of the run whose record ``path`` is (the folder or a file in
    it; None where its config.json names none)."""
    from .json_file import peek_json

    p = Path(path)  # (a pipe or /dev/zero at config.json: not read)
    data = peek_json((p if p.is_dir() else p.parent) / "config.json")
    return data.get("data_sha256") if isinstance(data, dict) else None


@contextmanager
def repeating(where: Optional[str], sha256):
    """While a command runs: the record it repeats (``where``, its folder) read data with
    SHA-256 ``sha256`` (None: nothing to compare)."""
    global _record
    before = _record
    _record = None if not where or not sha256 else {"where": where, "sha256": sha256,
                                                     "said": False}
    try:
        yield
    finally:
        _record = before


def check_repeat_data(sha256) -> None:
    """A warning on stderr (once per command) where the run repeating a record read data
    of another SHA-256 than the record's."""
    if _record is None or sha256 is None or sha256 == _record["sha256"] or _record["said"]:
        return
    _record["said"] = True
    print_warning(f"rnnlab: warning: --config {_record['where']}: the data this run read has "
                  f"other values than the recorded run's (data_sha256 "
                  f"{_short(_record['sha256'])}, now {_short(sha256)}): its results will "
                  f"differ from the record's; the file was changed or replaced since (or a "
                  f"stooq: download refreshed): give the data the run read to repeat it")


def _short(sha256) -> str:
    if isinstance(sha256, dict):  # (a multi-part recipe: by part)
        return "{" + ", ".join(f"{k}: {str(v)[:12]}…" for k, v in sha256.items()) + "}"
    return f"{str(sha256)[:12]}…"
