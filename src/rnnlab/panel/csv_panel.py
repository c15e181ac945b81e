"""A panel's CSV file read as a table: checked, and its ids kept as written."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..data.csv_file import read_csv_checked
from ..io.errors import DataError
from .ids import ids_as_written
from .key_columns import key_names
from .long_table import ID


def read_csv_panel(path: Path, id_column, encoding=None) -> pd.DataFrame:
    """The CSV file ``path`` as a table, checked (a folder or a missing file refused), with
    the id column(s) kept as written (ids such as 007, in a compressed file too); ``encoding``:
    its text's (None: UTF-8; :mod:`rnnlab.io.encoded_path`)."""
    if path.is_dir():  # (said to be "no such file")
        raise DataError(f"{path}: is a directory; pass a CSV file of the panel (one row "
                        f"per series and date), or a built-in panel's name")
    if not path.is_file():
        from ..io.unreadable import absent
        from .datasets import PANEL_DATASETS

        raise DataError(absent(path, f"pass a CSV path, a DataFrame, a dict of series or a "
                                     f"built-in panel ({', '.join(PANEL_DATASETS)})"))
    from ..data.csv_file import MAX_CSV_BYTES
    from ..data.packed_files import unpacked
    from ..io.encoded_path import utf8_file

    # (a compressed one, .gz .bz2 .xz .zip: its text, in the dialect of a plain CSV)
    with utf8_file(path, encoding, "read_panel") as utf8, \
            unpacked(utf8, MAX_CSV_BYTES, "CSV files") as plain:
        return _read(plain, id_column)


def _read(path: Path, id_column) -> pd.DataFrame:
    table = read_csv_checked(path)
    named = (ID,) if id_column is None else (id_column,)  # (a name such as '' is a name)
    for column in key_names(id_column, table.columns) or named:
        table = ids_as_written(path, table, column)
    return table
