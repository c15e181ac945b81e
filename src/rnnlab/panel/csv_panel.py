"""A panel's CSV file read as a table: checked, and its ids kept as written."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..data.csv_floats import EXACT_FLOATS
from ..data.csv_file import CSV_READ_ERRORS, check_csv_file, csv_error, read_csv_checked
from ..io.errors import DataError
from .ids import ids_as_written
from .key_columns import key_names
from .long_table import ID


def read_csv_panel(path: Path, id_column, encoding=None) -> pd.DataFrame:
    """The CSV file ``path`` as a table, checked (a folder or a missing file refused), with
    the id column(s) kept as written (ids such as 007, in a ``.gz`` file too); ``encoding``:
    its text's (None: UTF-8; :mod:`rnnlab.io.encoded_path`)."""
    if path.is_dir():  # (said to be "no such file")
        raise DataError(f"{path}: is a directory; pass a CSV file of the panel (one row "
                        f"per series and date), or a built-in panel's name")
    if not path.is_file():
        from .datasets import PANEL_DATASETS

        raise DataError(f"{path}: no such file; pass a CSV path, a DataFrame, a dict of "
                        f"series or a built-in panel ({', '.join(PANEL_DATASETS)})")
    from ..io.encoded_path import utf8_file

    with utf8_file(path, encoding, "read_panel") as utf8:  # (a .gz one: decompressed)
        return _read(utf8, id_column)


def _read(path: Path, id_column) -> pd.DataFrame:
    if path.suffix == ".gz":
        check_csv_file(path, gz=True)  # (its size and lines, as decompressed: not a bomb)
        try:
            table = pd.read_csv(path, **EXACT_FLOATS)
        except CSV_READ_ERRORS as e:  # (a row of more fields, an unclosed quote: ParserError)
            raise csv_error(path, e) from None
    else:
        table = read_csv_checked(path)
    for column in key_names(id_column, table.columns) or (id_column or ID,):
        table = ids_as_written(path, table, column)
    return table
