"""A table with no id column and no target is read wide: one series per numeric column.
One series beside its covariates (a month, sales, price and holidays table: Darts' target
and covariates in one frame) is such a table, and its covariates would become series of
their own; where a model names them as covariates, this says so and names the target."""

from __future__ import annotations

from typing import Iterable, Sequence


def covariates_read_as_series(ids: Iterable, covariates: Sequence[str]) -> str:
    """The sentence saying that the covariates among ``ids`` (the series of a wide
    reading) were read as series, with the target to name instead; '' when none is."""
    ids = [str(i) for i in ids]
    named = {str(c) for c in covariates}
    hit = [c for c in ids if c in named]
    if not hit:
        return ""
    rest = [i for i in ids if i not in named]
    target = rest[0] if len(rest) == 1 else "NAME"
    shown = ", ".join(ids[:8]) + (", ..." if len(ids) > 8 else "")
    return (f"with no id column and no target named, the table was read as a wide one, one "
            f"series per numeric column ({shown}), so {hit} became series, not covariates; "
            f"for one series with its covariates name its target: read_panel(data, "
            f"target={target!r}) (rnnlab forecast and backtest: --column {target}), or "
            f"give several series an id column (id_column=, --id-column)")
