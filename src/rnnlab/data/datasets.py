"""Built-in series, usable by name offline: ``airline``, ``sine``, ``dji`` (listed in
:mod:`rnnlab.data.catalog`); and ``stooq:SYMBOL``.

:func:`resolve_data` turns what a user passes (a dataset name, ``stooq:SYM``, a CSV path,
a pandas object or an array) into a checked :class:`~rnnlab.data.series.Series`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Optional

from ..io.errors import DataError
# (the table and its loaders were defined here: they are still imported from here)
from .catalog import DATASETS, PANEL_DATASETS, Dataset, airline, dji, sine  # noqa: F401
from .series import Series, load_series
from .stooq import fetch_stooq


def resolve_data(data, column=None, date_column=None, fill: Optional[str] = None,
                 fetch: Optional[Callable[[str], bytes]] = None,
                 weekmask: Optional[str] = None, off_grid: str = "refuse",
                 encoding: Optional[str] = None) -> Series:
    """A Series from a dataset name, ``stooq:SYMBOL``, a CSV path, pandas or numpy data
    (``weekmask``: the days a daily series is open, :mod:`.open_days`; ``off_grid``: the
    dates that break its grid, :mod:`.off_grid`; ``encoding``: a CSV file's text encoding,
    :func:`.series.load_series`'s)."""
    if isinstance(data, Series):
        return data if weekmask is None else on_open_days(data, weekmask)
    if isinstance(data, str) and data not in DATASETS and data.lower() in DATASETS \
            and not Path(data).exists():
        data = data.lower()  # Airline, DJI
    if isinstance(data, str) and data in DATASETS:
        series = DATASETS[data].load()
        if weekmask is not None:
            series = on_open_days(series, weekmask)
        if column is not None and data != "sine" and str(column) != series.name:
            raise DataError(f"dataset {data!r} has one column ({series.name!r}), not "
                            f"{column!r}; drop --column")
        return series
    if isinstance(data, str) and data.lower().startswith("stooq:"):
        df = fetch_stooq(data.split(":", 1)[1], fetch=fetch)
        return load_series(df, column="Close" if column is None else column,  # (False: no
                           date_column="Date" if date_column is None else date_column,  # dates)
                           fill=fill, name=None, weekmask=weekmask, off_grid=off_grid)
    if isinstance(data, str) and not Path(data).exists() and "/" not in data and "." not in data:
        if data.lower() in PANEL_DATASETS:
            raise DataError(f"{data!r} is a built-in panel (several series, or one with "
                            f"covariates): forecast it with rnnlab.panel.GlobalForecaster "
                            f"(GlobalForecaster(...).fit({data.lower()!r}); `rnnlab forecast "
                            f"--data {data.lower()}` does); the one-series datasets are "
                            f"{', '.join(DATASETS)}")
        from .close_names import close_builtin_hint

        hint = close_builtin_hint(data, [*DATASETS, *PANEL_DATASETS])
        raise DataError(f"{data!r} is neither a built-in dataset ({', '.join(DATASETS)}), "
                        f"stooq:SYMBOL, nor an existing CSV file{hint}")
    return load_series(data, column=column, date_column=date_column, fill=fill,
                       weekmask=weekmask, off_grid=off_grid, encoding=encoding)


def on_open_days(series: Series, weekmask: str) -> Series:
    """A loaded ``series`` read on the open days ``weekmask`` (:mod:`.open_days`)."""
    import dataclasses

    from .open_days import on_week

    freq, calendar, gaps = on_week(series.index, series.freq, series.gaps, series.calendar,
                                   weekmask, f"series {series.name!r}")
    return dataclasses.replace(series, freq=freq, calendar=calendar, gaps=gaps)
