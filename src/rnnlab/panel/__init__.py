"""Panels: many series with covariates, one global probabilistic forecaster.

    from rnnlab.panel import GlobalForecaster, load_panel, read_panel
    panel = read_panel("sales.csv")              # unique_id / ds / y detected
    f = GlobalForecaster("lstm", lookback=24, horizon=12).fit(panel.cut(12))
    f.predict(12)                                # unique_id, ds, step, mean, q0.1, q0.5, q0.9
"""

from typing import TYPE_CHECKING

from .config import PanelConfig

# on first use (rnnlab.lazy): GlobalForecaster imports torch, the panels' readers pandas
_LAZY = {"GlobalForecaster": ".model", "PANEL_DATASETS": ".datasets", "load_panel": ".datasets",
         "us_employment_titles": ".datasets", "PanelFrame": ".frame", "read_panel": ".frame",
         "join_keys": ".key_columns", "accuracy": ".accuracy"}


if TYPE_CHECKING:  # what a type checker sees of _LAZY (rnnlab ships py.typed)
    from .accuracy import accuracy
    from .datasets import PANEL_DATASETS, load_panel, us_employment_titles
    from .frame import PanelFrame, read_panel
    from .key_columns import join_keys
    from .model import GlobalForecaster
else:  # hidden from checkers: a misspelt name is an error there, not an Any
    from ..lazy import lazy_hooks

    __getattr__, __dir__ = lazy_hooks(__name__)  # (dir(): the lazy names too)


__all__ = ["PanelFrame", "read_panel", "GlobalForecaster", "PanelConfig", "load_panel",
           "PANEL_DATASETS", "us_employment_titles", "join_keys",
           "accuracy"]
