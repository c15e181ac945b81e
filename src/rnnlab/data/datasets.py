"""Built-in series, usable by name offline: ``airline``, ``sine``, ``dji``; and ``stooq:SYMBOL``.

:func:`resolve_data` turns what a user passes (a dataset name, ``stooq:SYM``, a CSV path,
a pandas object or an array) into a checked :class:`~rnnlab.data.series.Series`.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Callable, Dict, Optional

import numpy as np

from ..io.errors import DataError
from .series import Series, load_series
from .stooq import fetch_stooq


@dataclass(frozen=True)
class Dataset:
    name: str
    description: str
    size: str
    frequency: str
    source: str
    load: Callable[..., Series]


def _builtin_path(name: str) -> Path:
    return Path(str(resources.files("rnnlab") / "data" / "builtin" / name))


def airline() -> Series:
    return load_series(_builtin_path("airline_passengers.csv"), column="passengers",
                       date_column="month")


def dji() -> Series:
    """The shipped snapshot of stooq's ^DJI, 2018-02-13 to 2023-02-10 (E1's range)."""
    return load_series(_builtin_path("dji_stooq_2018-02-13_2023-02-10.csv"), column="Close",
                       date_column="Date")


def sine(length: int = 500, noise: float = 1.0, seed: int = 0) -> Series:
    """y = 3 sin t + cos 5t + 6 + N(0, noise^2), t = 0, 1, 2, ... (E4's function)."""
    if length < 1:
        raise DataError(f"sine length must be >= 1, got {length}")
    t = np.arange(length, dtype=np.float64)
    rng = np.random.default_rng(seed)
    y = 3 * np.sin(t) + np.cos(5 * t) + 6 + noise * rng.standard_normal(length)
    return Series(values=y, index=None, name="sine")


DATASETS: Dict[str, Dataset] = {d.name: d for d in [
    Dataset("airline", "monthly international airline passengers (thousands), 1949-1960",
            "144", "monthly", "Box & Jenkins series G (shipped)", airline),
    Dataset("sine", "y = 3 sin t + cos 5t + 6 + N(0,1) noise (seed, length, noise)",
            "500 (default)", "none", "generated", sine),
    Dataset("dji", "Dow Jones Industrial Average daily close, 2018-02-13 to 2023-02-10",
            "1258", "business days", "stooq ^DJI (snapshot shipped)", dji),
]}


def resolve_data(data, column=None, date_column=None, fill: Optional[str] = None,
                 fetch: Optional[Callable[[str], bytes]] = None) -> Series:
    """A Series from a dataset name, ``stooq:SYMBOL``, a CSV path, pandas or numpy data."""
    if isinstance(data, Series):
        return data
    if isinstance(data, str) and data not in DATASETS and data.lower() in DATASETS \
            and not Path(data).exists():
        data = data.lower()  # Airline, DJI
    if isinstance(data, str) and data in DATASETS:
        series = DATASETS[data].load()
        if column is not None and data != "sine" and str(column) != series.name:
            raise DataError(f"dataset {data!r} has one column ({series.name!r}), not "
                            f"{column!r}; drop --column")
        return series
    if isinstance(data, str) and data.lower().startswith("stooq:"):
        df = fetch_stooq(data.split(":", 1)[1], fetch=fetch)
        return load_series(df, column=column or "Close", date_column=date_column or "Date",
                           fill=fill, name=None)
    if isinstance(data, str) and not Path(data).exists() and "/" not in data and "." not in data:
        from ..panel.datasets import PANEL_DATASETS

        if data.lower() in PANEL_DATASETS:
            raise DataError(f"{data!r} is a built-in panel (several series, or one with "
                            f"covariates): forecast it with rnnlab.panel.GlobalForecaster "
                            f"(GlobalForecaster(...).fit({data.lower()!r}); `rnnlab forecast "
                            f"--data {data.lower()}` does); the one-series datasets are "
                            f"{', '.join(DATASETS)}")
        raise DataError(f"{data!r} is neither a built-in dataset ({', '.join(DATASETS)}), "
                        f"stooq:SYMBOL, nor an existing CSV file")
    return load_series(data, column=column, date_column=date_column, fill=fill)
