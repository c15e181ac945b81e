"""Reading back a ``rnnlab bench --json`` file, checked: the parent of ``--isolate``
reads each process's rows, ``benchmarks/to_markdown.py`` turns files into tables, and
``--json`` replaces only such a file (:func:`check_json_target`).

A file that is not one (another JSON document, a row with a field this version does
not know, a time that is not a number) is refused with what was expected and what was
found, instead of a ``KeyError`` or ``TypeError`` from deep inside.
"""

from __future__ import annotations

import math
from dataclasses import MISSING, fields
from pathlib import Path
from typing import List, Tuple, Union

from ..io.atomic import blocked_above
from ..io.errors import ConfigError, DataError
from .suite import Result

_FIELDS = {f.name: f for f in fields(Result)}
_REQUIRED = [n for n, f in _FIELDS.items() if f.default is MISSING]
_NUMBERS = ("fwd_ms", "fwd_bwd_ms", "steps_per_s", "ratio", "ratio_ref", "fwd_bwd_min_ms",
            "ratio_min", "ratio_fwd", "anchor_fwd_bwd_ms", "anchor_fwd_ms", "steps",
            "fwd_cpu_ms", "fwd_bwd_cpu_ms")


def rows_of(doc: object, where: str) -> List[Result]:
    """The rows of a decoded results document, each checked; ``where`` names it in errors."""
    fix = "give a file written by rnnlab bench --json, or run the bench again"
    if not isinstance(doc, dict) or not isinstance(doc.get("rows"), list):
        found = type(doc).__name__ if not isinstance(doc, dict) else \
            f"an object with keys {sorted(doc)[:8]}"
        raise DataError(f"{where}: expected a results file of rnnlab bench (a JSON object "
                        f"with a list 'rows'), found {found}; {fix}")
    out = []
    for i, row in enumerate(doc["rows"]):
        if not isinstance(row, dict):
            raise DataError(f"{where}: row {i}: expected an object, found "
                            f"{type(row).__name__}; {fix}")
        unknown = sorted(set(row) - set(_FIELDS))
        missing = [n for n in _REQUIRED if n not in row]
        if unknown or missing:
            raise DataError(f"{where}: row {i}: expected the fields of a bench row; "
                            f"unknown {unknown}, missing {missing}; {fix} (with this "
                            f"version of rnnlab)")
        for n in _NUMBERS:
            v = row.get(n)
            if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float))
                                  or math.isnan(v) or v < 0):
                raise DataError(f"{where}: row {i}: {n} must be a number >= 0 or null, "
                                f"found {v!r}; {fix}")
        out.append(Result(**row))
    return out


def load_results(path: Union[str, Path]) -> Tuple[dict, List[Result]]:
    """(the document, its rows) of a ``rnnlab bench --json`` file; DataError (a ValueError)
    saying what is wrong when it is not one."""
    from ..io.json_file import read_json

    try:  # (bounded, a regular file: a link to /dev/zero was read until memory ran out)
        doc = read_json(path, DataError, expect=None)
    except DataError as e:
        raise DataError(f"cannot be read as a results file of rnnlab bench ({e}); give a "
                        f"file written by rnnlab bench --json") from None
    return doc, rows_of(doc, str(path))


def check_json_target(name: str, overwrite: bool = False) -> None:
    """``--json`` replaces only a results file of ``rnnlab bench`` (a JSON object with
    ``rows``), with ``--overwrite``, never another file of the user's; checked before
    anything is measured."""
    path = Path(name)
    if path.is_dir():
        raise ConfigError(f"--json {name}: is a directory; give a file name, e.g. "
                          f"{path / 'bench.json'}")
    if not path.exists():
        blocked = blocked_above(path)
        if blocked:  # (found after timing before)
            raise ConfigError(f"--json {name}: cannot be written: {blocked[0]} is "
                              f"{blocked[1]}; choose a path in a folder you can write")
        return
    try:  # ours: rows that are bench rows (other tools write {"rows": [...]} too)
        ours = path.is_file() and path.stat().st_size < (64 << 20)
        if ours:
            load_results(path)  # (ValueError when it is not one)
    except (OSError, ValueError, TypeError):
        ours = False
    if not ours:
        raise ConfigError(f"--json {name}: exists and is not a results file of rnnlab "
                          f"bench; it is left as it is: choose another --json name")
    if not overwrite:  # (an earlier run's measurements: replaced only when asked)
        raise ConfigError(f"--json {name}: holds the results of an earlier rnnlab bench "
                          f"and is kept; pass --overwrite to replace it, or choose another "
                          f"--json name")
