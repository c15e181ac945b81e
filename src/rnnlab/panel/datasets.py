"""Built-in panels, usable offline by name: ``us_employment``, ``elecdaily``, ``visnights``.

Sources and licences: ``rnnlab/data/builtin/README.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Dict, Optional

import pandas as pd

from ..io.errors import DataError
from .frame import PanelFrame, read_panel


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


def builtin_path(file: str) -> Path:
    return Path(str(resources.files("rnnlab") / "data" / "builtin" / file))


def load_panel(name: str) -> PanelFrame:
    """A built-in panel by name (see :data:`PANEL_DATASETS`)."""
    if name not in PANEL_DATASETS:
        raise DataError(f"unknown panel {name!r}; built-in panels: {', '.join(PANEL_DATASETS)}")
    d = PANEL_DATASETS[name]
    return read_panel(builtin_path(d.file), id_column=d.id_column, date_column=d.date_column,
                      target=d.target)


def us_employment_titles() -> pd.DataFrame:
    """``unique_id, Title``: the industry of each us_employment series (a static covariate)."""
    df = pd.read_csv(builtin_path("us_employment_titles.csv"))
    return df.rename(columns={"Series_ID": "unique_id"})
