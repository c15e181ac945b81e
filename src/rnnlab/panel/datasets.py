"""Built-in panels, usable offline by name: ``us_employment``, ``elecdaily``, ``visnights``
(their table: :mod:`rnnlab.data.catalog`, which ``rnnlab datasets`` reads without pandas).

Sources and licences: ``rnnlab/data/builtin/README.md``.
"""

from __future__ import annotations

import pandas as pd

from ..data.catalog import PANEL_DATASETS, PanelDataset, builtin_path  # noqa: F401
from ..io.errors import DataError
from .frame import PanelFrame, read_panel


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
