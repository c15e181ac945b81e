"""A covariate named as a column the panel gives its ids, dates or target.

A panel's long table names its columns ``unique_id``, ``ds`` and ``y`` whichever columns
of the user's table were read as them (``id_column="store"``, ``target="sales"``). A
column of the table that bears one of those names and was not read as it has no place
there: it was dropped without a word, and a ``read_panel(df, target="sales",
covariates=["y"])`` gave a panel without the ``y`` it was asked to keep (a model's
``future_covariates=("unique_id",)`` then read the panel's ids, refused as "not numeric
(e.g. 'a')"). :func:`refuse_reserved_covariates` names it with the rename to make.
"""

from __future__ import annotations

from typing import Optional, Sequence

from ..io.errors import DataError

ROLES = {"unique_id": ("series ids", "id_column"), "ds": ("dates", "date_column"),
         "y": ("target", "target")}  # (the long table's columns: long_table.ID, DS, Y)


def refuse_reserved_covariates(columns, read: Sequence, covariates: Optional[Sequence],
                               source) -> None:
    """A DataError for the first of ``covariates`` that is a column of ``columns`` named
    as one of the panel's own (``ROLES``) but not the one read as it (``read``: the id,
    date and target columns read, None where there is none)."""
    for name in covariates or ():
        if name not in ROLES or name not in columns or name in read:
            continue
        what, keyword = ROLES[name]
        given = read[list(ROLES).index(name)]
        by = f"{keyword}={given!r}" if given is not None else "the table's own"
        raise DataError(f"{source}: column {name!r} has the name the panel gives its {what} "
                        f"({by} is read as them), so it cannot be a covariate as well; "
                        f"rename it (df.rename(columns={{{name!r}: {name + '_x'!r}}})) and "
                        f"name it so among the covariates")
