"""The note under a metrics table that a quantile model's ``mean`` column is its median.

The column keeps its name (scripts, the metrics and the baselines read ``mean``), but a
network trained on the pinball loss has no mean: its point forecast is the level 0.5 (read
between the levels either side of it when 0.5 is not one of them), what NeuralForecast
names ``<model>-median``. A likelihood's ``mean`` is its draws' mean, a baseline's its
point forecast: no note for those."""

from __future__ import annotations

from typing import Dict


def median_models(models: Dict[str, dict]) -> list:
    """The names of the models (a backtest's ``models``: name -> settings) whose ``mean``
    is a median: the global network with quantiles and no likelihood."""
    return [name for name, s in models.items()
            if s.get("class") == "GlobalForecaster" and s.get("quantiles")
            and s.get("likelihood") is None]


def point_note(models: Dict[str, dict]) -> str:
    """The line that says which models' ``mean`` is their median ('' for none)."""
    named = median_models(models)
    if not named:
        return ""
    return (f"{', '.join(named)}: the `mean` column is the median (level 0.5) of a "
            f"quantile model, which has no mean (NeuralForecast's `-median` column)")
