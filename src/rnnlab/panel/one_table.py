"""``rnnlab forecast``'s one rule for a CSV without an id column: one series, whichever
model its options pick. A date column beside several numeric ones (Darts' multi-column
series as written) was read three ways: as one series per column with ``--quantiles
--calibrate none`` (the panel model's reading), refused as "one series" with
``--baselines``, and refused asking for ``--column`` with no option. Now the panel model
reads it as the one-series forecaster does (:func:`rnnlab.data.value_column.pick_column`:
``--column``, else its one numeric column, else ``Close``), or it is refused with the same
message. ``rnnlab backtest`` and ``read_panel`` still read such a table wide (one series
per column), as documented; ``rnnlab forecast`` takes that written long."""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def one_series_target(args) -> None:
    """Set ``args.column`` to the target the one-series reader picks when ``--data`` is a
    CSV file of a date column and several numeric ones (no ``--id-column``, ``--column``,
    ``unique_id`` or other text column: a long table's id, which read_panel asks for);
    raise the reader's DataError (several numeric columns, none named) where it picks none.
    A file it cannot read is left to read_panel, which says why."""
    data = getattr(args, "data", None)
    if (getattr(args, "column", None) is not None or getattr(args, "id_column", None)
            is not None or not isinstance(data, str)):
        return
    path = Path(data)
    if not path.is_file() or not path.name.lower().endswith((".csv", ".gz", ".bz2", ".xz",
                                                              ".zip")):
        return  # (a built-in panel's name)
    df = _peeked(path)
    if df is None:
        return
    date = getattr(args, "date_column", None)
    df = df.drop(columns=[date]) if date in df.columns else df
    text = [c for c in df.columns if not pd.api.types.is_numeric_dtype(df[c])]
    if "unique_id" in df.columns or len(text) > 1 or len(df.columns) - len(text) < 2:
        return  # (a long table, or one numeric column: read_panel reads it as before)
    from ..data.value_column import pick_column

    args.column = str(pick_column(df, None, str(data)))


def _peeked(path: Path):
    """The CSV ``path`` as pandas reads it (a compressed one's text, no more of it than
    the readers take: :mod:`rnnlab.data.packed_files`), or None where it cannot be read
    so (read_panel says why). pandas unpacked a .zip itself: its RuntimeError for an
    encrypted one escaped, and a small file of gigabytes was read whole."""
    from ..data.csv_file import MAX_CSV_BYTES
    from ..data.packed_files import unpacked
    from ..io.errors import DataError

    try:
        with unpacked(path, MAX_CSV_BYTES, "CSV files") as plain:
            return pd.read_csv(plain)
    except (ValueError, UnicodeError, OSError, DataError):
        return None
