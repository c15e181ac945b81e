"""The keywords a panel backtest takes to read a table's own columns, named as
:func:`~rnnlab.panel.frame.read_panel` names them (``id_column``, ``date_column``,
``target``, ``fill``; ``rnnlab backtest``'s ``--id-column``, ``--date-column``,
``--column``, ``--fill``): ``backtest(factory, "sales.csv", id_column="store", ...)``,
``backtest_models(models, df, target="units")``, ``GlobalForecaster.backtest``. Before,
each was refused, pointing to ``read_panel`` first. Given with a panel already read
(a PanelFrame, whose columns are ``unique_id, ds, y``), they would change nothing: refused."""

from __future__ import annotations

from typing import Any, Dict

from ..io.errors import ConfigError

COLUMNS = ("id_column", "date_column", "target", "fill")  # read_panel's names, in its order


def table_columns(owner: str, data: Any, **given: Any) -> Dict[str, Any]:
    """``given`` (:data:`COLUMNS` and their values) without those left None: what
    ``read_panel`` is called with for ``data``, which checks each as it always does (a
    ``fill`` not of its choices, a column the table lacks: named). A ConfigError when
    ``data`` is a panel read already (a PanelFrame) and some are given; ``owner``: the
    call the user made (``backtest_models``), named in it. Data that is neither (a list)
    is refused by the reader, saying what a panel is (it was called "read already")."""
    from .frame import READABLE

    unknown = set(given) - set(COLUMNS)
    assert not unknown, unknown  # (the callers pass these names only)
    read = {k: v for k, v in given.items() if v is not None}
    if read and not isinstance(data, READABLE) and hasattr(data, "df"):
        said = ", ".join(f"{k}={v!r}" for k, v in read.items())
        raise ConfigError(f"{owner}: {said} name{'s' if len(read) == 1 else ''} the columns "
                          f"of a table to read, and the data given is a "
                          f"{type(data).__name__} read already (unique_id, ds, y): drop "
                          f"{'it' if len(read) == 1 else 'them'}, or give the table itself "
                          f"(a DataFrame or a CSV path)")
    return read


__all__ = ["COLUMNS", "table_columns"]
