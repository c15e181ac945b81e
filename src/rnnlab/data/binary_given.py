"""A binary file given where a CSV is read: a compressed file, an archive, a spreadsheet,
a columnar or pickled table. Named here from its first bytes (or its suffix), with what
to do instead; the CSV readers (:mod:`.csv_file`) call these before pandas reads it."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional, Tuple

from ..io.errors import DataError

# what else a binary file given as a CSV may be (compressed files: packed_files.PACKINGS)
_NOT_PACKED = ((b"PK\x03\x04", "a zip archive (an Excel .xlsx file is one)", "unzip"),
               (b"\xd0\xcf\x11\xe0", "an old Excel (.xls) or Office file", None))


def refuse_packed(path: Path, head: bytes) -> None:
    """A compressed file, an archive or a spreadsheet, named as such (its first bytes)."""
    from .packed_files import ZIP, packing_of_head

    kind = packing_of_head(head[:16])
    found: List[Tuple[str, Optional[str]]] = (  # (what it is, the command that unpacks it)
        [(f"{kind.name}-compressed", kind.unpack)] if kind not in (None, ZIP) else [])
    found += [(what, unpack) for magic, what, unpack in _NOT_PACKED if head.startswith(magic)]
    for what, unpack in found[:1]:
        todo = (f"unpack it first (`{unpack} {path}`) and pass the CSV file" if unpack and
                "Excel" not in what else "save it as CSV (UTF-8) and pass that file")
        raise DataError(f"{path}: is {what}: a binary file, not a CSV text file"
                        + (binary_hint(path) or f"; {todo}"))


def binary_hint(path: Path) -> str:
    """What to do with a spreadsheet or a columnar file given where a CSV is read."""
    reader = {".xlsx": "read_excel", ".xls": "read_excel", ".xlsm": "read_excel",
              ".ods": "read_excel", ".parquet": "read_parquet", ".feather": "read_feather",
              ".pkl": "read_pickle", ".pickle": "read_pickle"}.get(path.suffix.lower())
    if reader is None:
        return ""
    if reader == "read_pickle":  # loading a pickle runs whatever code it names
        return (": a pickle is not data rnnlab reads (unpickling can run code); if you made "
                "it yourself, read it with pandas.read_pickle(...) and pass the DataFrame, "
                "else ask for a CSV")
    return (f": save it as CSV, or read it with pandas.{reader}(...) and pass the DataFrame "
            f"(Forecaster.fit takes pandas objects)")
