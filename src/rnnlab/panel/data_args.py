"""The panel a command reads from its data options (``--data``, ``--id-column``,
``--date-column``, ``--column``, ``--fill``, ``--time-zone``, the covariate options and
``--static-data``):
``rnnlab backtest`` and ``rnnlab forecast`` on a panel (:mod:`rnnlab.panel.cli`,
:mod:`rnnlab.panel.forecast_run`)."""

from __future__ import annotations

import dataclasses

from ..io.errors import DataError, OptionError
from .config import names


# built-in panels with a static table of their own: the name --static-data takes, its columns
BUILTIN_STATIC = {"us_employment": ("us_employment_titles", ("Title",))}


def _builtin_static(data, missing) -> str:
    """For a built-in panel whose static table holds a column named as missing (Title of
    us_employment): the --static-data that gives it ('' otherwise)."""
    name, columns = BUILTIN_STATIC.get(str(data), ("", ()))
    found = [c for c in missing if c in columns]
    if not found:
        return ""
    return (f"; {data}'s {', '.join(found)} is in its built-in static table: "
            f"--static-data {name}")


def _own_file(args, missing, others) -> str:
    """For past or future covariates ``missing`` from the data (a temperature kept in a
    file of its own): how to join that file onto the data, which the model must read
    them from up to its last date ('' where none is missing). --future gives only the
    values after it; no option joins a second file of the history's covariates."""
    if not missing:
        return ""
    from .covariates import close_column

    close = {m: close_column(m, others) for m in missing}
    # (a misspelling of a column there: not a file of its own)
    meant = "; did you mean " + ", ".join(repr(c) for c in close.values() if c) + "?"
    far = [m for m in missing if not close[m]]
    if not far:
        return meant
    path, read = _table_of(args.data)
    date = args.date_column or _date_name(path) or "DATE"
    join = (f"; a covariate kept in a file of its own ({far[0]} by date) is joined onto "
            f"the data first, on the date column (and the id column, where it has one): "
            f"pandas' {read}.merge(pd.read_csv('OTHER.csv'), "
            f"on={date!r}).to_csv('joined.csv', index=False), then --data joined.csv; "
            f"--future FILE.csv gives only its values after the data")
    return (meant if len(far) < len(missing) else "") + join


def _table_of(data):
    """(the CSV file, pandas' call reading it) of ``--data``: a built-in panel's name
    (elecdaily) is no file of the user's (``pd.read_csv('elecdaily')`` was said)."""
    from pathlib import Path

    from ..data.catalog import builtin_path

    if not Path(str(data)).is_file() and builtin_path(f"{data}.csv").is_file():
        return (builtin_path(f"{data}.csv"), f"pd.read_csv(rnnlab.data.catalog.builtin_path("
                                             f"'{data}.csv'))")
    return Path(str(data)), f"pd.read_csv({str(data)!r})"


def _date_name(path):
    """The date column read_panel finds in the CSV ``path`` by its values (None where it
    finds none): the name to join on (a placeholder 'DATE' was said)."""
    import pandas as pd

    from .long_table import date_column_of

    try:
        return date_column_of(pd.read_csv(path, nrows=200))
    except (OSError, ValueError, pd.errors.ParserError):
        return None


def load_panel(args):
    """``(panel, static)`` from the data options: the panel through
    :func:`~rnnlab.panel.frame.read_panel` (a CSV path or a built-in panel's name), static
    covariates as a frame ``unique_id, <columns>`` (one row per series)."""
    from .frame import read_panel
    from .missing_values import FILLS

    fill = getattr(args, "fill", None)
    if fill is not None and fill not in FILLS:
        raise OptionError(f"--fill {fill}: a panel keeps every series on its calendar, so "
                          f"gaps are filled, not dropped; pass --fill {' | '.join(FILLS)}")
    from .covariates import static_file

    table = static_file(getattr(args, "static_data", None), args.id_column)
    named = names(getattr(args, "static_covariates", ""))
    if table is not None and not any(c in table.columns for c in named):
        cols = [str(c) for c in table.columns if c != "unique_id"]
        raise DataError(f"--static-data {args.static_data}: none of its columns {cols[:8]} "
                        f"is named by --static-covariates, so the model would read none of "
                        f"them; pass --static-covariates {','.join(cols[:3]) or 'NAME'} (the "
                        f"columns to read), or drop --static-data")
    cols = [c for opt in ("future_covariates", "past_covariates", "static_covariates")
            for c in names(getattr(args, opt, ""))
            if not (opt == "static_covariates" and table is not None and c in table.columns)]
    # --date-column none: no dates, as one series' `rnnlab forecast` reads it (refused: a
    # panel orders its series by their dates), not a column named 'none'
    dates = False if (args.date_column or "").lower() == "none" else args.date_column
    read = dict(id_column=args.id_column, date_column=dates, target=args.column,
                fill=fill, tz=getattr(args, "time_zone", None),
                weekmask=getattr(args, "weekmask", None),
                off_grid=getattr(args, "off_grid", None) or "refuse")
    # only the covariates named are read: a column no option names (NaN in it) stops nothing
    panel = read_panel(args.data, **read, covariates=cols)
    if getattr(args, "period", None) is not None:  # the baselines' and MASE's season too
        panel = dataclasses.replace(panel, period=args.period)
    missing = [c for c in cols if c not in panel.df.columns]
    if missing:
        from ..data.name_forms import other_form_hint

        full = read_panel(args.data, **dict(read, fill=fill or "ffill")).df.columns
        others = [c for c in full if c not in ("unique_id", "ds", "y")]
        static_named = set(names(getattr(args, "static_covariates", "")))
        raise DataError(f"{args.data}: covariate columns {missing} not found; besides the id, "
                        f"date and target columns the data has " + (
                            f"{others}: name some of those" if others else "no other column")
                        + ("" if table is not None or not static_named & set(missing) else
                           "; static covariates may come from --static-data FILE.csv (id "
                           "column and one row per series)" + _builtin_static(args.data, missing))
                        + _own_file(args, [c for c in missing if c not in static_named],
                                    others)
                        + other_form_hint(missing, full))
    static = None
    static_names = [c for c in names(getattr(args, "static_covariates", ""))
                    if table is None or c not in table.columns]
    if table is not None:
        static = table
    if static_names:
        from .static_covariates import refuse_varying

        refuse_varying(panel.df, static_names)  # (NaN: no value)
        own = panel.df.groupby("unique_id", sort=False)[static_names].first().reset_index()
        static = own if static is None else static.merge(own, on="unique_id", how="outer")
    return panel, static
