"""The built-in datasets by name: the one-series ones (``airline``, ``sine``, ``dji``) and
the panels (``us_employment``, ``elecdaily``, ``visnights``), with their size, frequency
and source. Sources and licences: ``rnnlab/data/builtin/README.md``.

Neither pandas nor numpy is imported here (a loader imports what it needs when it runs),
so that ``rnnlab datasets`` lists the tables in a blink; :mod:`rnnlab.data.datasets` and
:mod:`rnnlab.panel.datasets` read the data.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Dict, Optional

if TYPE_CHECKING:
    from .series import Series


def builtin_path(file: str) -> Path:
    """The installed file ``file`` of ``rnnlab/data/builtin/``."""
    return Path(str(resources.files("rnnlab") / "data" / "builtin" / file))


@dataclass(frozen=True)
class Dataset:
    name: str
    description: str
    size: str
    frequency: str
    source: str
    load: Callable[..., "Series"]


def airline() -> "Series":
    from .series import load_series

    return load_series(builtin_path("airline_passengers.csv"), column="passengers",
                       date_column="month")


def dji() -> "Series":
    """The shipped snapshot of stooq's ^DJI, 2018-02-13 to 2023-02-10 (E1's range)."""
    from .series import load_series

    return load_series(builtin_path("dji_stooq_2018-02-13_2023-02-10.csv"), column="Close",
                       date_column="Date")


def sine(length: int = 500, noise: float = 1.0, seed: int = 0) -> "Series":
    """y = 3 sin t + cos 5t + 6 + N(0, noise^2), t = 0, 1, 2, ... (E4's function)."""
    import numpy as np

    from ..io.errors import DataError
    from .series import Series

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


@dataclass(frozen=True)
class PanelDataset:
    name: str
    file: str
    description: str
    id_column: Optional[str]
    date_column: str
    target: str
    future_covariates: tuple = ()  # columns known ahead
    size: str = ""  # series x length, as listed by `rnnlab datasets`
    frequency: str = ""
    source: str = ""  # where the data come from (licences: data/builtin/README.md)


PANEL_DATASETS: Dict[str, PanelDataset] = {d.name: d for d in [
    PanelDataset("us_employment", "us_employment.csv.gz",
                 "148 monthly series of US employment by industry (thousands), 225-969 months, "
                 "US BLS; static covariate: us_employment_titles()", "Series_ID", "Month",
                 "Employed", size="148 x 225-969", frequency="monthly",
                 source="US BLS (CES), via fpp3"),
    PanelDataset("elecdaily", "elecdaily.csv", "daily electricity demand (GW), Victoria 2014, "
                 "with Temperature and WorkDay (future-known)", None, "Date", "Demand",
                 ("Temperature", "WorkDay"), size="1 x 365", frequency="daily",
                 source="AEMO and BoM, via fpp2"),
    PanelDataset("visnights", "visnights.csv", "quarterly visitor nights (millions), 20 "
                 "Australian regions, 1998Q1-2016Q4", "Region", "Quarter", "Nights",
                 size="20 x 76", frequency="quarterly",
                 source="Tourism Research Australia, fpp2"),
]}
