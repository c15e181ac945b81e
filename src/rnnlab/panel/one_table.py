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


def one_series_target(args) -> None:
    """Set ``args.column`` to the target the one-series reader picks when ``--data`` is a
    CSV file with no id column (no ``--id-column``, no ``unique_id`` column) and no
    ``--column``; raise its DataError (several numeric columns, none named) otherwise."""
    data = getattr(args, "data", None)
    if (getattr(args, "column", None) is not None or getattr(args, "id_column", None)
            is not None or not isinstance(data, str)):
        return
    path = Path(data)
    if not path.is_file() or path.suffix.lower() not in (".csv", ".gz"):
        return  # (a built-in panel's name)
    from ..data.csv_file import read_csv_checked
    from ..data.value_column import pick_column

    df = read_csv_checked(path)
    if "unique_id" in df.columns:
        return  # (a long table: its ids say the series)
    date = getattr(args, "date_column", None)
    args.column = str(pick_column(df.drop(columns=[date]) if date in df.columns else df,
                                  None, str(data)))
